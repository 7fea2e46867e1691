package train

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// ProgressHook shows training progress on w: a progress bar with loss,
// tokens/s and ETA on a terminal, plain log lines every `every` steps
// otherwise (CI logs, files).
func ProgressHook(w io.Writer, label string, every int) Hook {
	var bar *progressbar.ProgressBar
	var start time.Time
	isTTY := false
	if f, ok := w.(*os.File); ok {
		isTTY = term.IsTerminal(int(f.Fd()))
	}
	return Hook{
		Name: "progress",
		OnStart: func(t *Trainer) error {
			start = time.Now()
			if isTTY {
				bar = progressbar.NewOptions(t.Config.Steps,
					progressbar.OptionSetWriter(w),
					progressbar.OptionSetDescription(label),
					progressbar.OptionShowCount(),
					progressbar.OptionSetPredictTime(true),
					progressbar.OptionShowElapsedTimeOnFinish(),
					progressbar.OptionThrottle(100*time.Millisecond),
					progressbar.OptionClearOnFinish(),
				)
				_ = bar.Set(t.Step)
			}
			return nil
		},
		OnStep: func(t *Trainer, s StepStats) error {
			if bar != nil {
				bar.Describe(fmt.Sprintf("%s loss %.4f %5.0f tok/s peak %.0f MiB", label, s.Loss, s.TokensPerSec, s.PeakRSSMiB))
				return bar.Set(s.Step)
			}
			if s.Step%max(every, 1) == 0 || s.Step == t.Config.Steps {
				elapsed := time.Since(start)
				eta := time.Duration(0)
				if s.Step > 0 {
					eta = elapsed / time.Duration(s.Step) * time.Duration(t.Config.Steps-s.Step)
				}
				_, err := fmt.Fprintf(w, "%s step %d/%d loss %.4f lr %.2e grad_norm %.3f %.0f tok/s peak %.0f MiB elapsed %s eta %s\n",
					label, s.Step, t.Config.Steps, s.Loss, s.LR, s.GradNorm, s.TokensPerSec, s.PeakRSSMiB,
					elapsed.Round(time.Second), eta.Round(time.Second))
				return err
			}
			return nil
		},
		OnEnd: func(t *Trainer) error {
			if bar != nil {
				_ = bar.Finish()
				_, err := fmt.Fprintf(w, "%s done: %d steps in %s\n", label, t.Step, time.Since(start).Round(time.Millisecond))
				return err
			}
			return nil
		},
	}
}
