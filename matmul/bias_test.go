package matmul

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestGemmBias checks C = (op(A)·op(B) + bias) + src against a float64
// reference for every kernel, transpose, bias or none, src absent, separate
// or C itself, on awkward shapes, depths past kc and split-k depths; and
// that the bits do not depend on the thread count.
func TestGemmBias(t *testing.T) {
	defer SetThreads(0)
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		shapes := [][3]int{{1, 1, 1}, {15, 33, 7}, {29, 65, 129}, {150, 47, 300}, {31, 40, 513}, {20, 45, 2100}, {4, 6, 0}}
		for _, s := range shapes {
			for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				for _, mode := range []string{"bias", "bias+src", "bias+C", "src", "none"} {
					g := newCase(rng, tr[0], tr[1], s[0], s[1], s[2], 0)
					m, n := g.m, g.n
					var bias, src []float32
					ldsrc := 0
					if mode != "src" && mode != "none" {
						bias = randSlice(rng, n)
					}
					c := slices.Clone(g.c)
					for i := range m {
						for j := range n {
							c[i*g.ldc+j] = rng.Float32()*2 - 1
						}
					}
					switch mode {
					case "bias+src", "src":
						ldsrc = n + rng.IntN(3)
						src = randSlice(rng, max(0, (m-1)*ldsrc+n))
					case "bias+C":
						src, ldsrc = c, g.ldc
					}
					var srcCopy []float32
					if src != nil {
						srcCopy = slices.Clone(src)
					}
					want := slices.Clone(c)
					run := func(th int) []float32 {
						SetThreads(th)
						out := slices.Clone(c)
						s := src
						if mode == "bias+C" {
							s = out
						}
						GemmBias(g.transA, g.transB, m, n, g.k, g.a, g.lda, g.b, g.ldb, bias, s, ldsrc, out, g.ldc)
						return out
					}
					got := run(1)
					for i := range m {
						for j := range n {
							var sum, mag float64
							for p := range g.k {
								x := g.opA(i, p) * g.opB(p, j)
								sum += x
								mag += math.Abs(x)
							}
							if bias != nil {
								sum += float64(bias[j])
								mag += math.Abs(float64(bias[j]))
							}
							if srcCopy != nil {
								sum += float64(srcCopy[i*ldsrc+j])
								mag += math.Abs(float64(srcCopy[i*ldsrc+j]))
							}
							if d := math.Abs(float64(got[i*g.ldc+j]) - sum); !(d <= 1e-5*mag+1e-30) {
								t.Fatalf("%v %s: C[%d][%d] = %v, want %v", g, mode, i, j, got[i*g.ldc+j], sum)
							}
							want[i*g.ldc+j] = got[i*g.ldc+j]
						}
					}
					if !slices.Equal(math32bits(want), math32bits(got)) {
						t.Fatalf("%v %s: padding between rows of C changed", g, mode)
					}
					for _, th := range []int{2, 3} {
						if !slices.Equal(math32bits(got), math32bits(run(th))) {
							t.Fatalf("%v %s: %d threads differ from 1", g, mode, th)
						}
					}
				}
			}
		}
	})
}
