package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestLayerNormBackward checks both LayerNorm kernels against the formulas
// evaluated in float64 on random rows of every test length (the masked tail
// included), and that they add onto what the outputs held.
func TestLayerNormBackward(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(21, 22))
		for _, n := range testLengths()[1:] {
			x, d, w := uniform(rng, n, -3, 3), uniform(rng, n, -1, 1), uniform(rng, n, 0.5, 1.5)
			var mean float64
			for _, v := range x {
				mean += float64(v)
			}
			mean /= float64(n)
			var variance float64
			for _, v := range x {
				variance += (float64(v) - mean) * (float64(v) - mean)
			}
			m, s := float32(mean), float32(1/math.Sqrt(variance/float64(n)+1e-5))

			var gMean, gNormMean float64
			for c := range n {
				norm := (float64(x[c]) - float64(m)) * float64(s)
				g := float64(d[c]) * float64(w[c])
				gMean += g
				gNormMean += g * norm
			}
			gMean /= float64(n)
			gNormMean /= float64(n)

			di, gw, gb := uniform(rng, n, -1, 1), uniform(rng, n, -1, 1), uniform(rng, n, -1, 1)
			di0, gw0, gb0 := append([]float32(nil), di...), append([]float32(nil), gw...), append([]float32(nil), gb...)
			LayerNormBackwardRow(di, d, x, w, m, s)
			LayerNormGradAccum(gw, gb, d, x, m, s)
			for c := range n {
				norm := (float64(x[c]) - float64(m)) * float64(s)
				wantDi := float64(di0[c]) + (float64(d[c])*float64(w[c])-gMean-norm*gNormMean)*float64(s)
				wantGw := float64(gw0[c]) + float64(d[c])*norm
				wantGb := float64(gb0[c]) + float64(d[c])
				for _, chk := range []struct {
					name      string
					got, want float64
				}{{"di", float64(di[c]), wantDi}, {"gw", float64(gw[c]), wantGw}, {"gb", float64(gb[c]), wantGb}} {
					// The inputs are O(1) and the sums have n terms: a few
					// float32 roundings of the largest term.
					if math.Abs(chk.got-chk.want) > 2e-6*(1+math.Abs(chk.want))*(1+float64(n)/64) {
						t.Fatalf("n=%d column %d: %s = %.8g, want %.8g", n, c, chk.name, chk.got, chk.want)
					}
				}
			}
		}
	})
}

// TestLayerNormRow checks the forward row against float64 formulas on every
// test length, with an offset mean so that the two-pass variance matters.
func TestLayerNormRow(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(23, 24))
		for _, n := range testLengths()[1:] {
			x, w, b := uniform(rng, n, 2, 6), uniform(rng, n, 0.5, 1.5), uniform(rng, n, -1, 1)
			const eps = 1e-5
			var mean, variance float64
			for _, v := range x {
				mean += float64(v)
			}
			mean /= float64(n)
			for _, v := range x {
				variance += (float64(v) - mean) * (float64(v) - mean)
			}
			variance /= float64(n)
			rstd := 1 / math.Sqrt(variance+eps)
			out := uniform(rng, n, -1, 1)
			m, s := LayerNormRow(out, x, w, b, eps)
			if math.Abs(float64(m)-mean) > 1e-6*(1+math.Abs(mean)) || math.Abs(float64(s)-rstd) > 1e-4*rstd {
				t.Fatalf("n=%d: mean %v rstd %v, want %v %v", n, m, s, mean, rstd)
			}
			for c := range n {
				want := (float64(x[c])-mean)*rstd*float64(w[c]) + float64(b[c])
				if math.Abs(float64(out[c])-want) > 1e-4*(1+math.Abs(want)) {
					t.Fatalf("n=%d column %d: out %v, want %v", n, c, out[c], want)
				}
			}
		}
	})
}

// TestSoftmaxBackwardRow checks the softmax gradient row against float64.
func TestSoftmaxBackwardRow(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(25, 26))
		for _, n := range testLengths()[1:] {
			p, dp := uniform(rng, n, 0, 1), uniform(rng, n, -2, 2)
			var dot float64
			for j := range n {
				dot += float64(p[j]) * float64(dp[j])
			}
			want := make([]float64, n)
			for j := range n {
				want[j] = float64(p[j]) * (float64(dp[j]) - dot) * 0.125
			}
			SoftmaxBackwardRow(dp, p, 0.125)
			for j := range n {
				if math.Abs(float64(dp[j])-want[j]) > 1e-6*(1+float64(n)/16) {
					t.Fatalf("n=%d j=%d: %v, want %v", n, j, dp[j], want[j])
				}
			}
		}
	})
}
