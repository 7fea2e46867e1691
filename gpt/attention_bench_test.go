package gpt

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkAttentionFused times the fused attention of one layer of the
// reference config (B=16, 4 heads of 64, T=128), forward and backward:
// ~17% of a BF16 training step, where it is the largest part outside
// the BF16 products.
func BenchmarkAttentionFused(b *testing.B) {
	const B, T = 16, 128
	hd := heads{4, 4, 64}
	rng := rand.New(rand.NewPCG(1, 2))
	qkv := randFloats(rng, B*T*hd.stride(), 1)
	dout := randFloats(rng, B*T*hd.C(), 1)
	out := make([]float32, B*T*hd.C())
	dqkv := make([]float32, B*T*hd.stride())
	b.Run("forward", func(b *testing.B) {
		for b.Loop() {
			attentionForwardFused(out, qkv, B, T, hd)
		}
	})
	b.Run("backward", func(b *testing.B) {
		for b.Loop() {
			attentionBackwardFused(dqkv, dout, qkv, B, T, hd)
		}
	})
}
