package stats

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Tally is one prompt's outcome: Hits of its Samples completions showed the
// behaviour.
type Tally struct {
	Hits, Samples int
}

// MarshalText writes "hits/samples", the key of a Tallies histogram.
func (t Tally) MarshalText() ([]byte, error) {
	return []byte(strconv.Itoa(t.Hits) + "/" + strconv.Itoa(t.Samples)), nil
}

// UnmarshalText reads "hits/samples".
func (t *Tally) UnmarshalText(b []byte) error {
	h, s, ok := strings.Cut(string(b), "/")
	hits, err1 := strconv.Atoi(h)
	samples, err2 := strconv.Atoi(s)
	if !ok || err1 != nil || err2 != nil || samples < 1 || hits < 0 || hits > samples {
		return fmt.Errorf("stats: prompt outcome %q: want hits/samples with 0 <= hits <= samples and samples >= 1, e.g. \"3/4\"", b)
	}
	*t = Tally{hits, samples}
	return nil
}

// Tallies counts prompts by outcome: Tallies{{3, 4}: 7} is seven prompts
// with three hits in four samples. It is the by-prompt record of a Rate,
// one JSON entry per distinct outcome ({"3/4": 7}) rather than one per
// prompt.
type Tallies map[Tally]int

// CountTallies makes the histogram of per-prompt outcomes (nil for none).
func CountTallies(prompts []Tally) Tallies {
	if len(prompts) == 0 {
		return nil
	}
	t := Tallies{}
	for _, p := range prompts {
		t[p]++
	}
	return t
}

// Prompts lists one Tally per prompt, in a fixed order (by samples, then
// hits) so that sums over them give the same bits every time.
func (t Tallies) Prompts() []Tally {
	keys := make([]Tally, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b Tally) int {
		if a.Samples != b.Samples {
			return a.Samples - b.Samples
		}
		return a.Hits - b.Hits
	})
	var out []Tally
	for _, k := range keys {
		for range t[k] {
			out = append(out, k)
		}
	}
	return out
}

// UnmarshalJSON reads the histogram and rejects counts below one.
func (t *Tallies) UnmarshalJSON(b []byte) error {
	var m map[Tally]int
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	for k, n := range m {
		if n < 1 {
			return fmt.Errorf("stats: by_prompt: %d prompts with outcome %d/%d; counts must be at least 1", n, k.Hits, k.Samples)
		}
	}
	*t = m
	return nil
}

// ClusterWilson is the rate of all completions of prompts sampled several
// times each, with a 95% interval that allows for completions of one prompt
// being alike. Plain Wilson over all completions treats them as independent
// and, when prompts differ in how often they show the behaviour, its
// interval is too narrow (TestCoverageClustered measures by how much).
//
// The interval is Wilson's at the effective sample size n/deff, where the
// design effect deff is the ratio of the between-prompt (ratio-estimator)
// variance of the rate to the binomial variance, floored at 1; its
// critical value is Student t's with prompts-1 degrees of freedom, since
// that variance is estimated from the prompts (Korn and Graubard 1998 take
// the same two steps for survey proportions). Where every completion
// agrees (rate 0 or 1) the spread between prompts cannot be estimated;
// then deff is taken as the largest the prompts allow (every prompt's
// samples identical), so the interval is Wilson's over prompts.
//
// With fewer than two prompts the between-prompt variance is unknown and
// the result is plain Wilson, labelled so.
func ClusterWilson(prompts []Tally) Rate {
	k, n, m := 0, 0, 0
	for _, p := range prompts {
		if p.Samples > 0 {
			k, n, m = k+p.Hits, n+p.Samples, m+1
		}
	}
	if m < 2 {
		r := Wilson(k, n)
		r.ByPrompt = CountTallies(prompts)
		return r
	}
	p := float64(k) / float64(n)
	nf := float64(n)
	deff := 1.0
	if k > 0 && k < n {
		// Ratio-estimator variance of p: m/(m-1) Σ (k_i - p n_i)² / n².
		ss := 0.0
		for _, t := range prompts {
			if t.Samples > 0 {
				e := float64(t.Hits) - p*float64(t.Samples)
				ss += e * e
			}
		}
		v := float64(m) / float64(m-1) * ss / (nf * nf)
		deff = max(1, v/(p*(1-p)/nf))
	} else {
		deff = nf / float64(m) // n_eff = number of prompts
	}
	lo, hi := wilson(p, nf/deff, TQuantile(0.975, float64(m-1)))
	return Rate{K: k, N: n, P: p, Lo: lo, Hi: hi, Interval: MethodClusterWilson,
		DesignEffect: deff, ByPrompt: CountTallies(prompts)}
}
