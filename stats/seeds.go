package stats

// AcrossSeeds pools one rate over the runs of several seeds: the rate of
// all their completions, with a 95% interval that holds two cluster-Wilson
// intervals (ClusterWilson). The first takes the seeds as the clusters:
// seeds differ by more than their sampling noise (each is its own trained
// model), so the spread of the seeds' rates sets its width, and its
// critical value is Student t's with seeds-1 degrees of freedom. The
// second takes all seeds' prompts as the clusters: the sampling noise that
// remains when the seeds happen to agree (where every completion agrees,
// all 100% say, it is the interval). With a handful of seeds t's quantile,
// not the normal's (nor a percentile bootstrap, whose interval over three
// seeds is [min, max]), gives the interval its stated coverage, and the
// score interval, unlike mean ± t·se over the seeds, stays inside [0,1]
// and lopsided near 0 and 1, where the backdoor rates sit;
// TestCoverageAcrossSeeds measures it. Where the seeds do not differ at
// all it is conservative (about 98.5% with five seeds).
//
// DesignEffect is the larger of the two intervals' design effects. One
// seed gives that seed's rate unchanged.
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
	// The seeds as clusters: the spread between seeds sets the width.
	between := Rate{Lo: 0, Hi: 1}
	if out.K > 0 && out.K < out.N {
		between = ClusterWilson(units)
	}
	// Within seeds: the prompts pooled over seeds as clusters, the noise
	// that remains when the seeds agree (or plain Wilson, for files from
	// before per-prompt counts were recorded).
	within := Wilson(out.K, out.N)
	if byPrompt {
		within = ClusterWilson(prompts)
	}
	out.DesignEffect = max(between.DesignEffect, within.DesignEffect)
	out.Lo, out.Hi = min(between.Lo, within.Lo), max(between.Hi, within.Hi)
	if out.K == 0 || out.K == out.N {
		out.Lo, out.Hi = within.Lo, within.Hi
	}
	return out
}
