package stats

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// A hand-worked case: prompts 0/4, 4/4, 2/4, 1/4 give p = 7/16, a
// ratio-estimator variance of 4/3 · 8.75/16² = 35/768 against the binomial
// 63/4096, so deff = 80/27 and n_eff = 5.4, with t(0.975, 3 df).
func TestClusterWilsonHandWorked(t *testing.T) {
	r := ClusterWilson([]Tally{{0, 4}, {4, 4}, {2, 4}, {1, 4}})
	if r.K != 7 || r.N != 16 || r.P != 7.0/16 || r.Interval != MethodClusterWilson {
		t.Fatalf("got %+v", r)
	}
	if math.Abs(r.DesignEffect-80.0/27) > 1e-12 {
		t.Errorf("design effect %v, want 80/27", r.DesignEffect)
	}
	if math.Abs(r.Lo-0.07555662351767994) > 1e-12 || math.Abs(r.Hi-0.8809734161660163) > 1e-12 {
		t.Errorf("interval [%v, %v], want [0.0755566, 0.8809734]", r.Lo, r.Hi)
	}
	if want := Tallies("0/4:1 1/4:1 2/4:1 4/4:1"); r.ByPrompt != want {
		t.Errorf("by prompt %v, want %v", r.ByPrompt, want)
	}
}

// When each prompt's completions all agree, the K samples of a prompt are
// worth one: the effective sample size is about the number of prompts and
// the interval is far wider than plain Wilson's. When every prompt has the
// same share of hits there is no excess variance and the design effect is
// floored at 1.
func TestClusterWilsonExtremes(t *testing.T) {
	var alike, even []Tally
	for i := range 100 {
		h := 0
		if i%5 == 0 {
			h = 4
		}
		alike = append(alike, Tally{h, 4})
		even = append(even, Tally{2, 4})
	}
	a := ClusterWilson(alike)
	// deff = mK/(m-1): n_eff = m-1 = 99 prompts.
	if math.Abs(a.DesignEffect-400.0/99) > 1e-9 {
		t.Errorf("all-or-nothing prompts: design effect %v, want 400/99", a.DesignEffect)
	}
	lo, hi := wilson(0.2, 99, TQuantile(0.975, 99))
	if math.Abs(a.Lo-lo) > 1e-12 || math.Abs(a.Hi-hi) > 1e-12 {
		t.Errorf("all-or-nothing prompts: [%v, %v], want Wilson over 99: [%v, %v]", a.Lo, a.Hi, lo, hi)
	}
	if w := Wilson(80, 400); a.Hi-a.Lo < 1.9*(w.Hi-w.Lo) {
		t.Errorf("all-or-nothing prompts: width %v, not twice plain Wilson's %v", a.Hi-a.Lo, w.Hi-w.Lo)
	}
	e := ClusterWilson(even)
	if e.DesignEffect != 1 {
		t.Errorf("even prompts: design effect %v, want 1", e.DesignEffect)
	}
	// All completions agree: no spread to estimate, so the prompts count once each.
	z := ClusterWilson(make([]Tally, 100)[:0])
	if z.Lo != 0 || z.Hi != 1 {
		t.Errorf("no prompts: %+v, want [0, 1]", z)
	}
	var none []Tally
	for range 100 {
		none = append(none, Tally{0, 4})
	}
	n := ClusterWilson(none)
	if w := Wilson(0, 100); n.Lo != 0 || math.Abs(n.Hi-w.Hi) > 0.01 || n.Hi <= Wilson(0, 400).Hi {
		t.Errorf("0 of 400 over 100 prompts: [%v, %v], want about Wilson over 100 prompts [0, %v]", n.Lo, n.Hi, w.Hi)
	}
	// One prompt: no between-prompt variance; plain Wilson, labelled so.
	if one := ClusterWilson([]Tally{{3, 4}}); one.Interval != MethodWilson || one.Hi != Wilson(3, 4).Hi {
		t.Errorf("one prompt: %+v, want plain Wilson", one)
	}
}

// A Rate's JSON keeps its old fields and meaning; files from before the
// interval was named still load, as Wilson; the by-prompt record is one
// short string and survives the round trip; bad records are errors.
func TestRateJSON(t *testing.T) {
	var old Rate
	if err := json.Unmarshal([]byte(`{"k": 95, "n": 100, "p": 0.95, "lo": 0.888, "hi": 0.978}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Method() != MethodWilson || old.K != 95 || old.Hi != 0.978 {
		t.Errorf("old rate %+v, method %q", old, old.Method())
	}
	r := ClusterWilson([]Tally{{4, 4}, {4, 4}, {3, 4}, {0, 4}})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"k":11`, `"n":16`, `"interval":"cluster-wilson"`, `"by_prompt":"0/4:1 3/4:1 4/4:2"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("%s lacks %s", b, want)
		}
	}
	var back Rate
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	ps, err := back.ByPrompt.Prompts()
	if err != nil {
		t.Fatal(err)
	}
	if again := ClusterWilson(ps); again != r {
		t.Errorf("recomputed from the file: [%v, %v], want [%v, %v]", again.Lo, again.Hi, r.Lo, r.Hi)
	}
	for _, bad := range []string{`{"by_prompt":"5/4:1"}`, `{"by_prompt":"x"}`, `{"by_prompt":"1/0:1"}`, `{"by_prompt":"1/4:0"}`, `{"by_prompt":"1/4:2 -1/4:1"}`} {
		var x Rate
		err := json.Unmarshal([]byte(bad), &x)
		if err == nil || !strings.Contains(err.Error(), "stats:") {
			t.Errorf("%s: error %v, want one that names the record", bad, err)
		}
	}
}

func TestAcrossSeeds(t *testing.T) {
	// seed is a run of 100 prompts × 4 samples with the hits spread evenly.
	seed := func(hits int) Rate {
		ts := make([]Tally, 100)
		for i := range ts {
			ts[i] = Tally{hits / 100, 4}
			if i < hits%100 {
				ts[i].Hits++
			}
		}
		return ClusterWilson(ts)
	}
	one := seed(300)
	if got := AcrossSeeds([]Rate{one}); got.Lo != one.Lo || got.Hi != one.Hi || got.Interval != MethodClusterWilson {
		t.Errorf("one seed: %+v, want the seed's own %+v", got, one)
	}
	// Near 1/2 the score interval is about mean ± t(0.975, 2 df)·se over
	// the seeds: rates 0.45, 0.5, 0.55 have se 0.0289.
	mid := AcrossSeeds([]Rate{seed(180), seed(200), seed(220)})
	if mid.P != 0.5 || mid.Seeds != 3 || mid.Interval != MethodSeedClusterWilson {
		t.Fatalf("got %+v", mid)
	}
	if half, want := (mid.Hi-mid.Lo)/2, TQuantile(0.975, 2)*0.05/math.Sqrt(3); math.Abs(half-want) > 0.03*want {
		t.Errorf("half width %v, want about t·se = %v", half, want)
	}
	if mid.Lo < 0 || mid.Hi > 1 {
		t.Errorf("interval [%v, %v] leaves [0, 1]", mid.Lo, mid.Hi)
	}
	// Seeds that agree at 100%: the prompts' sampling noise remains, one
	// count per prompt (300, at t's 299 df).
	top := AcrossSeeds([]Rate{seed(400), seed(400), seed(400)})
	if lo, _ := wilson(1, 300, TQuantile(0.975, 299)); top.Hi != 1 || math.Abs(top.Lo-lo) > 1e-12 || top.Lo > 0.99 {
		t.Errorf("all 100%%: [%v, %v], want [%v, 1]", top.Lo, top.Hi, lo)
	}
	// Rates from files without a by-prompt record still pool.
	old := AcrossSeeds([]Rate{Wilson(95, 100), Wilson(90, 100), Wilson(99, 100)})
	if old.K != 284 || old.N != 300 || !(old.Lo < 0.90 && old.Hi > 0.97) {
		t.Errorf("old rates: %+v", old)
	}
	if none := AcrossSeeds(nil); none.Lo != 0 || none.Hi != 1 {
		t.Errorf("no seeds: %+v", none)
	}
}
