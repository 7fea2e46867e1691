package gpt

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func testModel(t *testing.T, seed uint64) *Model {
	t.Helper()
	return testModelOf(t, familyConfigs()["gpt2"], seed)
}

// familyConfigs are one small config per family: GPT-2, and a Llama with
// grouped-query attention, Q/K/V biases, an untied unembedding and Llama 3's
// rope scaling all on.
func familyConfigs() map[string]Config {
	return map[string]Config{
		"gpt2": {NLayer: 2, NHead: 4, NEmbd: 32, BlockSize: 24, VocabSize: 37, LayerNormEps: 1e-5},
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 40, BlockSize: 24, VocabSize: 37,
			LayerNormEps: 1e-5, RopeTheta: 500, QKVBias: true, Untied: true,
			RopeScaling: &RopeScaling{Type: "llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositions: 16}},
	}
}

func testModelOf(t *testing.T, cfg Config, seed uint64) *Model {
	t.Helper()
	m, err := New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	// Sharper than GPT-2's init so that logits differ by position and token.
	rng := rand.New(rand.NewPCG(seed, 99))
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.2)
	}
	return m
}

func randTokens(rng *rand.Rand, n, V int) []int32 {
	s := make([]int32, n)
	for i := range s {
		s[i] = int32(rng.IntN(V))
	}
	return s
}

// TestKVCacheMatchesForward: logits from prefill plus one-token steps, with
// two sequences of different lengths decoded in one batch, equal the full
// forward pass's logits at every position.
func TestKVCacheMatchesForward(t *testing.T) {
	for name, cfg := range familyConfigs() {
		t.Run(name, func(t *testing.T) { testKVCacheMatchesForward(t, testModelOf(t, cfg, 1)) })
	}
}

func testKVCacheMatchesForward(t *testing.T, m *Model) {
	V := m.Config.VocabSize
	rng := rand.New(rand.NewPCG(2, 3))
	seqs := [][]int32{randTokens(rng, 20, V), randTokens(rng, 13, V)}
	prefill := []int{5, 1}

	// Reference: full forward of each sequence alone.
	want := make([][]float32, len(seqs))
	for i, s := range seqs {
		if _, err := m.Forward(&Batch{B: 1, T: len(s), Tokens: s}); err != nil {
			t.Fatal(err)
		}
		want[i] = append([]float32(nil), m.Logits()...)
	}

	kv := m.NewKVCache(2)
	logits := make([]float32, 2*V)
	pos := []int{prefill[0], prefill[1]}
	if err := m.Extend(kv, []int{0, 1}, [][]int32{seqs[0][:pos[0]], seqs[1][:pos[1]]}, logits); err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	check := func(k, seq int) {
		got := logits[k*V : (k+1)*V]
		ref := want[seq][(pos[seq]-1)*V : pos[seq]*V]
		d := maxAbsDiff(got, ref)
		worst = math.Max(worst, d)
		if d > 1e-4 {
			t.Fatalf("sequence %d position %d: cached logits differ from full forward by %.3g", seq, pos[seq]-1, d)
		}
	}
	check(0, 0)
	check(1, 1)
	for pos[0] < len(seqs[0]) {
		slots := []int{0}
		toks := [][]int32{{seqs[0][pos[0]]}}
		if pos[1] < len(seqs[1]) {
			slots = append(slots, 1)
			toks = append(toks, []int32{seqs[1][pos[1]]})
		}
		if err := m.Extend(kv, slots, toks, logits); err != nil {
			t.Fatal(err)
		}
		for k, s := range slots {
			pos[s]++
			check(k, s)
		}
	}
	t.Logf("KV-cached vs full forward: max |diff| %.3g", worst)
	if err := m.Extend(kv, []int{0}, [][]int32{randTokens(rng, 5, V)}, logits); err == nil {
		t.Fatal("extending past the context should fail")
	}
}

func TestGenerateGreedyMatchesArgmaxOfForward(t *testing.T) {
	for name, cfg := range familyConfigs() {
		t.Run(name, func(t *testing.T) { testGenerateGreedy(t, testModelOf(t, cfg, 4)) })
	}
}

func testGenerateGreedy(t *testing.T, m *Model) {
	V := m.Config.VocabSize
	prompt := []int32{1, 2, 3}
	gens, err := m.Generate([][]int32{prompt}, GenerateOptions{MaxNewTokens: 8})
	if err != nil {
		t.Fatal(err)
	}
	seq := append([]int32(nil), prompt...)
	for i := 0; i < 8; i++ {
		if _, err := m.Forward(&Batch{B: 1, T: len(seq), Tokens: seq}); err != nil {
			t.Fatal(err)
		}
		last := m.Logits()[(len(seq)-1)*V:]
		best := 0
		for j := 1; j < V; j++ {
			if last[j] > last[best] {
				best = j
			}
		}
		seq = append(seq, int32(best))
	}
	if got, want := gens[0].Tokens, seq[len(prompt):]; !equalTokens(got, want) {
		t.Fatalf("greedy generation %v, argmax of full forward %v", got, want)
	}
	if gens[0].FinishReason != "length" {
		t.Fatalf("finish reason %q, want length", gens[0].FinishReason)
	}
}

func TestGenerateSamplingSeededAndBatchIndependent(t *testing.T) {
	m := testModel(t, 5)
	prompts := [][]int32{{1, 2}, {3, 4, 5}, {6}}
	opts := GenerateOptions{MaxNewTokens: 10, Temperature: 1, TopK: 10, TopP: 0.9, Seed: 7}
	a, err := m.Generate(prompts, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.Generate(prompts, opts)
	for i := range a {
		if !equalTokens(a[i].Tokens, b[i].Tokens) {
			t.Fatalf("same seed, different samples for sequence %d", i)
		}
	}
	// Sequence 0 alone samples what it sampled in the batch.
	solo, _ := m.Generate(prompts[:1], opts)
	if !equalTokens(solo[0].Tokens, a[0].Tokens) {
		t.Fatalf("sequence 0 alone %v, in batch %v", solo[0].Tokens, a[0].Tokens)
	}
	opts.Seed = 8
	c, _ := m.Generate(prompts, opts)
	same := true
	for i := range a {
		same = same && equalTokens(a[i].Tokens, c[i].Tokens)
	}
	if same {
		t.Fatal("different seeds gave identical samples")
	}
}

func TestGenerateStops(t *testing.T) {
	m := testModel(t, 6)
	decode := func(ts []int32) string {
		var sb strings.Builder
		for _, t := range ts {
			sb.WriteByte(byte('a' + t%26))
		}
		return sb.String()
	}
	free, err := m.Generate([][]int32{{1}}, GenerateOptions{MaxNewTokens: 12, Decode: decode})
	if err != nil {
		t.Fatal(err)
	}
	full := free[0].Text
	if len(full) < 4 {
		t.Fatalf("short generation %q", full)
	}
	// Stop string: the 3rd..4th characters of the free continuation.
	stop := full[2:4]
	g, err := m.Generate([][]int32{{1}}, GenerateOptions{MaxNewTokens: 12, Decode: decode, StopStrings: []string{stop}})
	if err != nil {
		t.Fatal(err)
	}
	if want := full[:strings.Index(full, stop)]; g[0].Text != want || g[0].FinishReason != "stop" {
		t.Fatalf("stop string %q: got %q (%s), want %q", stop, g[0].Text, g[0].FinishReason, want)
	}
	// Stop token: the 2nd generated token.
	stopTok := free[0].Tokens[1]
	g, _ = m.Generate([][]int32{{1}}, GenerateOptions{MaxNewTokens: 12, StopTokens: []int32{stopTok}})
	if len(g[0].Tokens) != 1 || g[0].FinishReason != "stop" {
		t.Fatalf("stop token: got %v (%s)", g[0].Tokens, g[0].FinishReason)
	}
	// The context caps generation.
	g, _ = m.Generate([][]int32{make([]int32, m.Config.BlockSize-2)}, GenerateOptions{MaxNewTokens: 50})
	if len(g[0].Tokens) != 3 || g[0].FinishReason != "length" {
		t.Fatalf("context cap: %d tokens (%s), want 3 (length)", len(g[0].Tokens), g[0].FinishReason)
	}
}

func TestSamplerTopKTopP(t *testing.T) {
	logits := []float32{0, 5, 4, -1, 3}
	rng := rand.New(rand.NewPCG(1, 1))
	count := map[int32]int{}
	s := &Sampler{Temperature: 1, TopK: 2}
	for range 2000 {
		count[s.Sample(logits, rng)]++
	}
	if len(count) != 2 || count[1] == 0 || count[2] == 0 {
		t.Fatalf("top-k 2 sampled %v, want only tokens 1 and 2", count)
	}
	// p(1) ≈ 0.66, p(2) ≈ 0.24: top-p 0.5 keeps token 1 alone.
	s = &Sampler{Temperature: 1, TopP: 0.5}
	for range 100 {
		if tok := s.Sample(logits, rng); tok != 1 {
			t.Fatalf("top-p 0.5 sampled %d", tok)
		}
	}
	// Temperature 1: empirical frequency of token 1 near softmax.
	s = &Sampler{Temperature: 1}
	n1 := 0
	for range 4000 {
		if s.Sample(logits, rng) == 1 {
			n1++
		}
	}
	var z float64
	for _, v := range logits {
		z += math.Exp(float64(v))
	}
	if p, got := math.Exp(5)/z, float64(n1)/4000; math.Abs(p-got) > 0.03 {
		t.Fatalf("token 1 frequency %.3f, softmax %.3f", got, p)
	}
}

func equalTokens(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Generate sizes its cache to the call and reuses the previous call's when
// it is big enough: the sequences are those of a model that never
// generated before, whatever ran first (a bigger batch, longer prompts, a
// longer continuation).
func TestGenerateReusesCache(t *testing.T) {
	for fam, cfg := range familyConfigs() {
		t.Run(fam, func(t *testing.T) {
			opts := GenerateOptions{MaxNewTokens: 9, Temperature: 1, Seed: 3}
			small := [][]int32{{1, 2, 3}, {4, 5}}
			big := [][]int32{{7, 8, 9, 10, 11, 12}, {1}, {2, 3}, {30, 31, 32, 33}}
			fresh := testModelOf(t, cfg, 5)
			want, err := fresh.Generate(small, opts)
			if err != nil {
				t.Fatal(err)
			}
			m := testModelOf(t, cfg, 5)
			long := opts
			long.MaxNewTokens = 20 // up to the context (24) for the longest prompt
			if _, err := m.Generate(big, long); err != nil {
				t.Fatal(err)
			}
			if m.spareKV == nil || m.spareKV.T != cfg.BlockSize {
				t.Fatalf("the big call's cache: %+v, want room for the context (%d)", m.spareKV, cfg.BlockSize)
			}
			firstK := &m.spareKV.K[0]
			for round := range 2 {
				got, err := m.Generate(small, opts)
				if err != nil {
					t.Fatal(err)
				}
				for i := range want {
					if !slices.Equal(got[i].Tokens, want[i].Tokens) {
						t.Fatalf("round %d, sequence %d: %v after another batch, %v from a fresh model", round, i, got[i].Tokens, want[i].Tokens)
					}
				}
			}
			// The big call's cache (room for 6 + 20 tokens, capped at the
			// context) served both small calls, sized to 3 + 9 tokens.
			if m.spareKV == nil || &m.spareKV.K[:1][0] != firstK || m.spareKV.T != 12 || len(m.spareKV.Len) != len(small) {
				t.Errorf("the small calls did not reuse the big call's cache, sized to them")
			}
		})
	}
}
