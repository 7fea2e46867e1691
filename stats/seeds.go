package stats

// AcrossSeeds pools one rate over the runs of several seeds, treating each
// seed as a cluster: the rate of all their completions with the
// cluster-Wilson interval whose design effect comes from the spread of the
// seeds' rates, and whose critical value is Student t's with seeds-1
// degrees of freedom. Seeds differ by more than their sampling noise (each
// is its own trained model), so the spread between seeds, not the pooled
// completions, sets the width; with a handful of seeds t's quantile, not
// the normal's (nor a percentile bootstrap, whose interval over three seeds
// is [min, max]), gives the interval its stated coverage; and the score
// interval, unlike mean ± t·se over the seeds, stays inside [0,1] and
// lopsided near 0 and 1, where the backdoor rates sit
// (TestCoverageAcrossSeeds measures it).
//
// The design effect is never below that of the prompts within the seeds
// (when the seeds' rates agree by chance, sampling noise remains); where
// every completion of every seed agrees (all 100%, say) it is the prompts'
// alone, since no spread between seeds can be estimated.
//
// One seed gives that seed's rate unchanged.
func AcrossSeeds(seeds []Rate) Rate {
	switch len(seeds) {
	case 0:
		return Rate{Lo: 0, Hi: 1}
	case 1:
		return seeds[0]
	}
	var out Rate
	units := make([]Tally, 0, len(seeds))
	var prompts []Tally
	byPrompt := true
	for _, r := range seeds {
		out.K += r.K
		out.N += r.N
		units = append(units, Tally{r.K, r.N})
		ps, err := r.ByPrompt.Prompts()
		if err != nil || len(ps) == 0 {
			byPrompt = false
		}
		prompts = append(prompts, ps...)
	}
	out.Interval, out.Seeds = MethodSeedClusterWilson, len(seeds)
	if out.N == 0 {
		out.Lo, out.Hi = 0, 1
		return out
	}
	out.P = float64(out.K) / float64(out.N)
	// Within seeds: the prompts' design effect, or none where the runs did
	// not record their prompts (files from before it was recorded).
	within := 1.0
	if byPrompt {
		within = ClusterWilson(prompts).DesignEffect
	}
	deff := within
	if out.K > 0 && out.K < out.N {
		deff = max(within, ClusterWilson(units).DesignEffect)
	}
	out.DesignEffect = deff
	out.Lo, out.Hi = wilson(out.P, float64(out.N)/deff, TQuantile(0.975, float64(len(seeds)-1)))
	return out
}
