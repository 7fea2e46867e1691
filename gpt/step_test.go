package gpt

import (
	"math/rand/v2"
	"testing"
)

// Step's decisions, in order: budget spent (nothing sampled), stop token
// (not kept), stop string (kept, then stop), budget or context reached.
func TestStepDecisions(t *testing.T) {
	row := func(best int) []float32 { r := make([]float32, 4); r[best] = 10; return r }
	rng := rand.New(rand.NewPCG(1, 2))
	st := Step{Sampler: &Sampler{}, MaxNewTokens: 3, Context: 8, StopTokens: []int32{3}}
	var kept []int32
	keep := func(stop bool) func(int32) bool {
		return func(tok int32) bool { kept = append(kept, tok); return stop }
	}
	cases := []struct {
		best, n, cached int
		stop            bool
		tok             int32
		finish          string
		kept            int
	}{
		{best: 1, n: 3, cached: 4, tok: -1, finish: FinishLength},
		{best: 3, n: 0, cached: 4, tok: 3, finish: FinishStop},
		{best: 2, n: 0, cached: 4, stop: true, tok: 2, finish: FinishStop, kept: 1},
		{best: 2, n: 2, cached: 4, tok: 2, finish: FinishLength, kept: 1},
		{best: 2, n: 0, cached: 8, tok: 2, finish: FinishLength, kept: 1},
		{best: 1, n: 0, cached: 4, tok: 1, finish: "", kept: 1},
	}
	for i, c := range cases {
		kept = nil
		tok, finish := st.Next(row(c.best), rng, c.n, c.cached, keep(c.stop))
		if tok != c.tok || finish != c.finish || len(kept) != c.kept {
			t.Errorf("case %d: token %d, finish %q, kept %v; want %d, %q, %d kept", i, tok, finish, kept, c.tok, c.finish, c.kept)
		}
	}
	// Adjust changes the row before sampling; Sampled sees stop tokens too.
	var seen []int32
	st.Adjust = func(r []float32) { r[3] = 100 }
	st.Sampled = func(tok int32) { seen = append(seen, tok) }
	if tok, finish := st.Next(row(1), rng, 0, 4, keep(false)); tok != 3 || finish != FinishStop || len(seen) != 1 {
		t.Errorf("adjusted: token %d, finish %q, seen %v", tok, finish, seen)
	}
}
