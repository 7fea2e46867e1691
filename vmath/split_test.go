package vmath

import (
	"math/rand/v2"
	"testing"
)

// TestElementwiseSplit: the element-wise routines give the same bits on a
// slice as on any split of it into pieces, in every kernel. Callers (gpt's
// GELU layers, the optimizer, RMSNorm's gain gradient) split work at
// boundaries that depend on the thread count, so an element must round the
// same whether it lands in a vector body or in a tail.
func TestElementwiseSplit(t *testing.T) {
	const n = 1000
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(51, 52))
		a, b, c := uniform(rng, n, -6, 6), uniform(rng, n, -2, 2), uniform(rng, n, -1, 1)
		g := make([]float32, n)
		for i := range g {
			g[i] = float32(rng.NormFloat64() * 1e-3)
		}
		v0 := uniform(rng, n, 0, 1e-4)
		ops := []struct {
			name string
			// run applies the routine to [lo, hi), writing into outs.
			run  func(lo, hi int, outs [][]float32)
			nout int
		}{
			{"GeluForward", func(lo, hi int, o [][]float32) { GeluForward(o[0][lo:hi], a[lo:hi]) }, 1},
			{"GeluBackward", func(lo, hi int, o [][]float32) { GeluBackward(o[0][lo:hi], a[lo:hi], b[lo:hi]) }, 1},
			{"Scale", func(lo, hi int, o [][]float32) {
				copy(o[0][lo:hi], a[lo:hi])
				Scale(o[0][lo:hi], 0.37)
			}, 1},
			{"AdamW", func(lo, hi int, o [][]float32) {
				copy(o[0][lo:hi], b[lo:hi])
				copy(o[1][lo:hi], c[lo:hi])
				copy(o[2][lo:hi], v0[lo:hi])
				AdamW(o[0][lo:hi], g[lo:hi], o[1][lo:hi], o[2][lo:hi], 1e-3, 0.9, 0.95, 1e-8, 0.1, 0.3, 0.2)
			}, 3},
			{"RMSNormGradAccum", func(lo, hi int, o [][]float32) {
				copy(o[0][lo:hi], c[lo:hi])
				RMSNormGradAccum(o[0][lo:hi], b[lo:hi], a[lo:hi], 0.83)
			}, 1},
			{"SwiGLU", func(lo, hi int, o [][]float32) { SwiGLU(o[0][lo:hi], a[lo:hi], b[lo:hi]) }, 1},
			{"SwiGLUBackward", func(lo, hi int, o [][]float32) {
				SwiGLUBackward(o[0][lo:hi], o[1][lo:hi], c[lo:hi], a[lo:hi], b[lo:hi])
			}, 2},
			{"RotateHalves", func(lo, hi int, o [][]float32) {
				copy(o[0][lo:hi], a[lo:hi])
				copy(o[1][lo:hi], b[lo:hi])
				RotateHalves(o[0][lo:hi], o[1][lo:hi], c[lo:hi], b[lo:hi], false)
				RotateHalves(o[0][lo:hi], o[1][lo:hi], c[lo:hi], b[lo:hi], true)
			}, 2},
		}
		alloc := func(k int) [][]float32 {
			o := make([][]float32, k)
			for i := range o {
				o[i] = make([]float32, n)
			}
			return o
		}
		for _, op := range ops {
			whole := alloc(op.nout)
			op.run(0, n, whole)
			for range 4 {
				split := alloc(op.nout)
				for lo := 0; lo < n; {
					hi := min(n, lo+1+rng.IntN(45))
					op.run(lo, hi, split)
					lo = hi
				}
				for i := range whole {
					if !sameBits(whole[i], split[i]) {
						t.Fatalf("%s: output %d depends on how the slice is split", op.name, i)
					}
				}
			}
		}
	})
}
