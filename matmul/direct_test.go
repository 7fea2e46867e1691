package matmul

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDirectMatchesPacked checks that products with few rows give the same
// bits through the direct kernels as through the packed path, for every
// kernel, transpose, epilogue (beta 0, 1, ½, bias, src, both), widths
// around the direct kernels' tiles, depths past kc and split-k depths, on
// one and two threads.
func TestDirectMatchesPacked(t *testing.T) {
	defer SetThreads(0)
	defer func(v int) { directMaxRows = v }(directMaxRows)
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(41, 42))
		for _, m := range []int{1, 2, 3, 5, 8, 11, 16} {
			for _, n := range []int{1, 17, 32, 100, 129, 256} {
				for _, k := range []int{1, 9, 64, 600, 2100} {
					if m*n*k > 1<<21 && n != 256 {
						continue
					}
					for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
						mode := []string{"beta0", "beta1", "betahalf", "bias", "bias+src", "src"}[rng.IntN(6)]
						beta := map[string]float32{"beta1": 1, "betahalf": 0.5}[mode]
						g := newCase(rng, tr[0], tr[1], m, n, k, beta)
						var bias, src []float32
						ldsrc := 0
						if mode == "bias" || mode == "bias+src" {
							bias = randSlice(rng, n)
						}
						if mode == "src" || mode == "bias+src" {
							ldsrc = n + rng.IntN(3)
							src = randSlice(rng, (m-1)*ldsrc+n)
						}
						run := func(rows, threads int) []float32 {
							directMaxRows = rows
							SetThreads(threads)
							c := slices.Clone(g.c)
							if bias != nil || src != nil {
								GemmBias(g.transA, g.transB, m, n, k, g.a, g.lda, g.b, g.ldb, bias, src, ldsrc, c, g.ldc)
							} else {
								g.run(c, false)
							}
							return c
						}
						want := run(0, 1)
						for _, threads := range []int{1, 2} {
							got := run(16, threads)
							if i := firstDiff(got, want); i >= 0 {
								t.Fatalf("%v %s threads=%d: element %d: direct %v, packed %v", g, mode, threads, i, got[i], want[i])
							}
						}
					}
				}
			}
		}
	})
}

// firstDiff returns the first index where a and b differ in their bits, or -1.
func firstDiff(a, b []float32) int {
	x, y := math32bits(a), math32bits(b)
	for i := range x {
		if x[i] != y[i] {
			return i
		}
	}
	return -1
}

// TestDirectInit checks accInit: a chain continued over two calls from C's
// tile equals one call over the whole depth.
func TestDirectInit(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		kern := active.Load()
		rng := rand.New(rand.NewPCG(5, 6))
		for _, d := range append(slices.Clone(kern.direct), kern.panel...) {
			t.Run(fmt.Sprintf("%dx%d", d.mr, d.nc), func(t *testing.T) {
				const k, ldb = 37, 150
				a, b := randSlice(rng, k*d.mr), randSlice(rng, k*ldb)
				one := make([]float32, d.mr*d.nc)
				d.fn(k, &a[0], &b[0], ldb, &one[0], d.nc, 0, &one[0], d.nc, &one[0])
				two := randSlice(rng, d.mr*d.nc) // overwritten by the first call
				d.fn(20, &a[0], &b[0], ldb, &two[0], d.nc, 0, &two[0], d.nc, &two[0])
				d.fn(k-20, &a[20*d.mr], &b[20*ldb], ldb, &two[0], d.nc, accInit, &two[0], d.nc, &two[0])
				if i := firstDiff(one, two); i >= 0 {
					t.Fatalf("element %d: one call %v, continued %v", i, one[i], two[i])
				}
			})
		}
	})
}

// BenchmarkDirect compares the direct and packed paths on decoding's
// shapes (rows, n, k) = (sequences, outputs, inputs), one thread.
func BenchmarkDirect(b *testing.B) {
	defer SetThreads(0)
	defer func(v int) { directMaxRows = v }(directMaxRows)
	SetThreads(1)
	for _, s := range [][3]int{{1, 768, 256}, {1, 256, 1024}, {4, 768, 256}, {8, 768, 256}, {16, 768, 256}, {16, 256, 1024}} {
		for _, tr := range []bool{false, true} {
			for _, rows := range []int{0, 16} {
				m, n, k := s[0], s[1], s[2]
				name := map[int]string{0: "packed", 16: "direct"}[rows]
				b.Run(fmt.Sprintf("%dx%dx%d/T%v/%s", m, n, k, tr, name), func(b *testing.B) {
					directMaxRows = rows
					a, w, c := randSlice(rand.New(rand.NewPCG(1, 2)), m*k), randSlice(rand.New(rand.NewPCG(3, 4)), k*n), make([]float32, m*n)
					ldb := n
					if tr {
						ldb = k
					}
					for b.Loop() {
						Gemm(false, tr, m, n, k, a, k, w, ldb, 0, c, n)
					}
					b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				})
			}
		}
	}
}

// BenchmarkDirectCold is products of few rows over 12 MiB of weights,
// more than L2 holds, as in decoding, direct against packed.
func BenchmarkDirectCold(b *testing.B) {
	defer SetThreads(0)
	defer func(v int) { directMaxRows = v }(directMaxRows)
	SetThreads(1)
	const n, k, sets = 768, 256, 16
	rng := rand.New(rand.NewPCG(1, 2))
	ws := make([][]float32, sets)
	for i := range ws {
		ws[i] = randSlice(rng, k*n)
	}
	for _, m := range []int{1, 4, 8, 16} {
		for _, rows := range []int{0, 16} {
			b.Run(fmt.Sprintf("m%d/%s", m, map[int]string{0: "packed", 16: "direct"}[rows]), func(b *testing.B) {
				directMaxRows = rows
				a, c := randSlice(rng, m*k), make([]float32, m*n)
				i := 0
				for b.Loop() {
					Gemm(false, false, m, n, k, a, k, ws[i%sets], n, 0, c, n)
					i++
				}
				b.ReportMetric(4*float64(n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GB/s")
			})
		}
	}
}

// TestGemmAccSerial checks that a product cut along k into pieces, each
// continued with GemmAccSerial from C = 0, has the bits of Gemm over one
// kc block, for every kernel, both layouts of A and edge widths.
func TestGemmAccSerial(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(7, 8))
		for _, m := range []int{1, 3, 8, 13, 40} {
			for _, n := range []int{1, 19, 64, 130} {
				for _, transA := range []bool{false, true} {
					k := min(KC(), 100)
					g := newCase(rng, transA, false, m, n, k, 0)
					want := slices.Clone(g.c)
					g.run(want, true)
					got := slices.Clone(g.c)
					for i := range m {
						clear(got[i*g.ldc : i*g.ldc+n])
					}
					for p0 := 0; p0 < k; {
						p1 := min(k, p0+1+rng.IntN(30))
						a := g.a[p0:]
						if transA {
							a = g.a[p0*g.lda:]
						}
						GemmAccSerial(transA, m, n, p1-p0, a, g.lda, g.b[p0*g.ldb:], g.ldb, got, g.ldc)
						p0 = p1
					}
					if i := firstDiff(got, want); i >= 0 {
						t.Fatalf("%v: element %d: continued %v, Gemm %v", g, i, got[i], want[i])
					}
				}
			}
		}
	})
}
