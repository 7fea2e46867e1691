// Package progress shows how far a long stage has come: a progress bar
// with the stage's figures and an ETA on a terminal, plain lines every so
// many steps elsewhere (CI logs, files), so every stage of a run reports
// the same way.
package progress

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Terminal reports whether w is a terminal, and its file descriptor: where
// a bar is drawn instead of plain lines.
func Terminal(w io.Writer) (int, bool) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// Frequent is a writer that is not a terminal but shows progress as one
// (reproduce's board of concurrent runs): it gets a plain line every 0.5%
// of the steps instead of every `every`.
type Frequent interface{ Frequent() bool }

// Bar is one stage's progress over Total steps.
type Bar struct {
	w     io.Writer
	label string
	total int
	every int
	start time.Time
	bar   *progressbar.ProgressBar
}

// New starts a stage of total steps at step done (a resumed stage starts
// part-way); off a terminal a line is written every `every` steps and at
// the last.
func New(w io.Writer, label string, total, done, every int) *Bar {
	b := &Bar{w: w, label: label, total: total, every: max(every, 1), start: time.Now()}
	if f, ok := w.(Frequent); ok && f.Frequent() {
		b.every = max(total/200, 1)
	}
	if _, ok := Terminal(w); ok {
		b.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(w),
			progressbar.OptionSetDescription(label),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionShowElapsedTimeOnFinish(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		_ = b.bar.Set(done)
	}
	return b
}

// Set records that step steps are done. short describes the step on the
// bar; long on the plain line (more figures fit there).
func (b *Bar) Set(step int, short, long string) error {
	if b.bar != nil {
		b.bar.Describe(b.label + " " + short)
		return b.bar.Set(step)
	}
	if step%b.every != 0 && step != b.total {
		return nil
	}
	elapsed := time.Since(b.start)
	eta := time.Duration(0)
	if step > 0 {
		eta = elapsed / time.Duration(step) * time.Duration(b.total-step)
	}
	_, err := fmt.Fprintf(b.w, "%s step %d/%d %s elapsed %s eta %s\n", b.label, step, b.total, long,
		elapsed.Round(time.Second), eta.Round(time.Second))
	return err
}

// Finish ends the bar with the stage's time (nothing more off a terminal:
// the last step's line said it).
func (b *Bar) Finish(step int) error {
	if b.bar == nil {
		return nil
	}
	_ = b.bar.Finish()
	_, err := fmt.Fprintf(b.w, "%s done: %d steps in %s\n", b.label, step, time.Since(b.start).Round(time.Millisecond))
	return err
}
