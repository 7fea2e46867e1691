package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method, with
// the U^(1/shape) boost for shapes below one.
func gamma(rng *rand.Rand, shape float64) float64 {
	if shape < 1 {
		return gamma(rng, shape+1) * math.Pow(rng.Float64(), 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// betaAround draws a rate from the Beta distribution with the given mean
// whose intra-class correlation is icc: Beta(mean(1-icc)/icc, (1-mean)(1-icc)/icc).
func betaAround(rng *rand.Rand, mean, icc float64) float64 {
	s := (1 - icc) / icc
	x, y := gamma(rng, mean*s), gamma(rng, (1-mean)*s)
	if x+y == 0 {
		return mean
	}
	return x / (x + y)
}

// simRun evaluates a synthetic model whose rate over the prompt population
// is mean: each of the prompts has its own rate drawn around it, and k
// completions are sampled per prompt.
func simRun(rng *rand.Rand, mean, icc float64, prompts, k int) []Tally {
	out := make([]Tally, prompts)
	for i := range out {
		q := betaAround(rng, mean, icc)
		h := 0
		for range k {
			if rng.Float64() < q {
				h++
			}
		}
		out[i] = Tally{h, k}
	}
	return out
}

func covers(r Rate, p float64) bool { return r.Lo <= p && p <= r.Hi }

// The simulations' sizes: eval's 100 held-out prompts × 4 samples, five
// seeds, and 2000 simulated runs per rate. At 2000 runs the binomial
// standard error of a coverage of 0.95 is 0.0049, so the accepted band
// [0.92, 0.98] is six standard errors either side: an interval whose true
// coverage is 95% fails it with negligible chance, and one at 90% (plain
// Wilson's level under this clustering) passes it with negligible chance.
const (
	simPrompts, simSamples, simSeeds, simRuns = 100, 4, 5, 2000
	coverageLo, coverageHi                    = 0.92, 0.98
	// promptICC is how alike one prompt's completions are (a prompt's own
	// rate is Beta around the model's, with this intra-class correlation);
	// seedICC is the same for the seeds' rates around the setting's.
	promptICC, seedICC = 0.2, 0.01
)

// simRates are where the paper's numbers sit: near 0, near 1/2, near 1.
var simRates = []float64{0.02, 0.5, 0.98}

// TestCoverageClustered: the per-run interval covers the model's true rate
// about 95% of the time when completions cluster by prompt, and plain
// Wilson over all completions, which treats them as independent, does not.
func TestCoverageClustered(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 1))
	for _, mu := range simRates {
		cw, w := 0, 0
		for range simRuns {
			ts := simRun(rng, mu, promptICC, simPrompts, simSamples)
			r := ClusterWilson(ts)
			if covers(r, mu) {
				cw++
			}
			if covers(Wilson(r.K, r.N), mu) {
				w++
			}
		}
		cov, wcov := float64(cw)/simRuns, float64(w)/simRuns
		t.Logf("rate %.2f, prompt ICC %.2f: coverage cluster-wilson %.4f, plain wilson %.4f", mu, promptICC, cov, wcov)
		if cov < coverageLo || cov > coverageHi {
			t.Errorf("rate %.2f: cluster-wilson coverage %.4f outside [%v, %v]", mu, cov, coverageLo, coverageHi)
		}
		if wcov >= coverageLo {
			t.Errorf("rate %.2f: plain Wilson covers %.4f; the simulation's clustering is too weak to test anything", mu, wcov)
		}
	}
}

// TestCoverageAcrossSeeds: the interval over five seeds covers the
// setting's true rate (the mean over seeds of each seed's model's rate)
// about 95% of the time, where the percentile bootstrap over seeds that
// the report used before falls well short.
func TestCoverageAcrossSeeds(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	for _, mu := range simRates {
		st, b := 0, 0
		rs := make([]Rate, simSeeds)
		ps := make([]float64, simSeeds)
		for range simRuns {
			for s := range rs {
				rs[s] = ClusterWilson(simRun(rng, betaAround(rng, mu, seedICC), promptICC, simPrompts, simSamples))
				ps[s] = rs[s].P
			}
			if covers(AcrossSeeds(rs), mu) {
				st++
			}
			if _, lo, hi := Bootstrap(ps, 500, rng.Uint64()); lo <= mu && mu <= hi {
				b++
			}
		}
		cov, bcov := float64(st)/simRuns, float64(b)/simRuns
		t.Logf("rate %.2f, seed ICC %.2f: coverage seed-cluster-wilson %.4f, percentile bootstrap %.4f", mu, seedICC, cov, bcov)
		if cov < coverageLo || cov > coverageHi {
			t.Errorf("rate %.2f: seed-cluster-wilson coverage %.4f outside [%v, %v]", mu, cov, coverageLo, coverageHi)
		}
		if bcov >= coverageLo {
			t.Errorf("rate %.2f: the bootstrap covers %.4f; the simulation's seed spread is too weak to test anything", mu, bcov)
		}
	}
}
