package stats

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Tally is one prompt's outcome: Hits of its Samples completions showed the
// behaviour.
type Tally struct {
	Hits, Samples int
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

// Tallies counts prompts by outcome, in a canonical text form: "0/4:61
// 3/4:2 4/4:37" is 61 prompts with no hit in four samples, 2 with three and
// 37 with four, outcomes in increasing order of samples then hits. It is
// the by-prompt record of a Rate: one short string rather than one JSON
// entry per prompt, and a string so that Rates stay comparable with ==.
type Tallies string

// CountTallies makes the record of per-prompt outcomes ("" for none);
// prompts without samples are left out.
func CountTallies(prompts []Tally) Tallies {
	counts := map[Tally]int{}
	for _, p := range prompts {
		if p.Samples > 0 {
			counts[p]++
		}
	}
	keys := slices.Collect(maps.Keys(counts))
	slices.SortFunc(keys, compareTally)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%d/%d:%d", k.Hits, k.Samples, counts[k])
	}
	return Tallies(b.String())
}

func compareTally(a, b Tally) int {
	if a.Samples != b.Samples {
		return a.Samples - b.Samples
	}
	return a.Hits - b.Hits
}

// Prompts lists one Tally per prompt, in the record's order.
func (t Tallies) Prompts() ([]Tally, error) {
	var out []Tally
	for _, f := range strings.Fields(string(t)) {
		o, c, ok := strings.Cut(f, ":")
		var k Tally
		n, err := strconv.Atoi(c)
		if !ok || err != nil || n < 1 || k.UnmarshalText([]byte(o)) != nil {
			return nil, fmt.Errorf("stats: by_prompt entry %q: want hits/samples:prompts with 0 <= hits <= samples, samples >= 1 and prompts >= 1, e.g. \"3/4:7\"", f)
		}
		for range n {
			out = append(out, k)
		}
	}
	return out, nil
}

// UnmarshalText checks the record as it is read.
func (t *Tallies) UnmarshalText(b []byte) error {
	if _, err := Tallies(b).Prompts(); err != nil {
		return err
	}
	*t = Tallies(b)
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
// that variance is estimated from the prompts (Korn and Graubard 1998
// make the same two adjustments to the exact interval of a survey
// proportion). Where every completion agrees (rate 0 or 1) the spread
// between prompts cannot be estimated; then deff is taken as the largest
// the prompts allow (every prompt's samples identical), so the interval is
// Wilson's over prompts.
//
// Each Tally has 0 <= Hits <= Samples; prompts without samples are left
// out. With fewer than two prompts the between-prompt variance is unknown
// and the result is plain Wilson, labelled so.
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
	var deff float64
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
