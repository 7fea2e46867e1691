package matmul

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// wantKernels are the implementations this machine must test: every kernel
// the CPU supports. On an AVX-512 machine that is all three.
func forEachKernel(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	defer SetKernel("")
	for _, name := range Kernels() {
		t.Run(name, func(t *testing.T) {
			if err := SetKernel(name); err != nil {
				t.Fatal(err)
			}
			fn(t)
		})
	}
}

func TestKernelsAvailable(t *testing.T) {
	ks := Kernels()
	if ks[len(ks)-1] != "generic" {
		t.Errorf("generic kernel missing: %v", ks)
	}
	if Kernel() != ks[0] {
		t.Errorf("default kernel %q, want best %q", Kernel(), ks[0])
	}
	if err := SetKernel("no-such"); err == nil {
		t.Error("SetKernel accepted an unknown name")
	}
	t.Logf("kernels: %v", ks)
}

// gemmCase is one multiplication with its operands laid out in padded
// storage (leading dimensions larger than the rows).
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	lda, ldb, ldc  int
	a, b, c        []float32
	beta           float32
}

const padSentinel = float32(-12345.5)

func newCase(rng *rand.Rand, transA, transB bool, m, n, k int, beta float32) *gemmCase {
	g := &gemmCase{transA: transA, transB: transB, m: m, n: n, k: k, beta: beta}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	g.lda = ac + rng.IntN(5)
	g.ldb = bc + rng.IntN(5)
	g.ldc = n + rng.IntN(5)
	g.a = randSlice(rng, max(0, (ar-1)*g.lda+ac))
	g.b = randSlice(rng, max(0, (br-1)*g.ldb+bc))
	g.c = make([]float32, (m-1)*g.ldc+n)
	for i := range g.c {
		g.c[i] = padSentinel
	}
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			if beta == 0 {
				g.c[i*g.ldc+j] = float32(math.NaN())
			} else {
				g.c[i*g.ldc+j] = rng.Float32()*2 - 1
			}
		}
	}
	return g
}

func randSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

func (g *gemmCase) opA(i, p int) float64 {
	if g.transA {
		return float64(g.a[p*g.lda+i])
	}
	return float64(g.a[i*g.lda+p])
}

func (g *gemmCase) opB(p, j int) float64 {
	if g.transB {
		return float64(g.b[j*g.ldb+p])
	}
	return float64(g.b[p*g.ldb+j])
}

func (g *gemmCase) run(c []float32, serial bool) {
	f := Gemm
	if serial {
		f = GemmSerial
	}
	f(g.transA, g.transB, g.m, g.n, g.k, g.a, g.lda, g.b, g.ldb, g.beta, c, g.ldc)
}

// check runs the case and compares against a float64 triple loop. The
// tolerance is relative to the magnitude of the terms, Σ_p |a_ip||b_pj| +
// |beta·c_ij|: 1e-5 of it is ~100 float32 ulps, far above the rounding of
// any summation order for these k, far below any indexing mistake.
func (g *gemmCase) check(t *testing.T, serial bool) {
	t.Helper()
	c := slices.Clone(g.c)
	g.run(c, serial)
	bad := 0
	for i := 0; i < g.m; i++ {
		for j := 0; j < g.ldc && i*g.ldc+j < len(c); j++ {
			idx := i*g.ldc + j
			if j >= g.n {
				if c[idx] != padSentinel {
					t.Fatalf("%v: padding C[%d][%d] overwritten with %v", g, i, j, c[idx])
				}
				continue
			}
			var sum, mag float64
			for p := 0; p < g.k; p++ {
				x := g.opA(i, p) * g.opB(p, j)
				sum += x
				mag += math.Abs(x)
			}
			if g.beta != 0 {
				bc := float64(g.beta) * float64(g.c[idx])
				sum += bc
				mag += math.Abs(bc)
			}
			got := float64(c[idx])
			if !(math.Abs(got-sum) <= 1e-5*mag+1e-30) {
				if bad++; bad < 5 {
					t.Errorf("%v: C[%d][%d] = %v, want %v (tolerance %.3g)", g, i, j, got, sum, 1e-5*mag)
				}
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%v: %d wrong elements", g, bad)
	}
}

func (g *gemmCase) String() string {
	return fmt.Sprintf("Gemm(tA=%v tB=%v m=%d n=%d k=%d lda=%d ldb=%d ldc=%d beta=%v)",
		g.transA, g.transB, g.m, g.n, g.k, g.lda, g.ldb, g.ldc, g.beta)
}

// awkward sizes: 1, around the tile sizes (4, 6, 14, 16, 32), prime-ish
// sizes, sizes past mc (126-144 rows) and past the generic kernel's kc
// (256). deep adds depths past the FMA kernels' kc (512), and depths whose
// products are cut into k ranges (splitK: 1030 for the generic kernel, 2100
// for all).
var (
	awkward = []int{1, 2, 3, 5, 7, 13, 14, 15, 17, 31, 33, 47, 65, 129, 150, 257, 300}
	deep    = []int{511, 513, 1030, 2100}
)

func TestGemmAgainstReference(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			for _, beta := range []float32{0, 1, -0.5} {
				for i := range 14 {
					m := awkward[rng.IntN(len(awkward))]
					n := awkward[rng.IntN(len(awkward))]
					k := awkward[rng.IntN(len(awkward))]
					if i >= 12 {
						m, n, k = m/4+1, n/4+1, deep[rng.IntN(len(deep))]
					}
					g := newCase(rng, tr[0], tr[1], m, n, k, beta)
					g.check(t, rng.IntN(2) == 0)
				}
			}
		}
	})
}

// TestGemmBlocking covers shapes that cross every blocking boundary at once:
// several kc blocks, several mc blocks per task, several B chunks (forced by
// a small packBLimit) and edge tiles in both directions.
func TestGemmBlocking(t *testing.T) {
	defer func(v int) { packBLimit = v }(packBLimit)
	packBLimit = 600 * 70
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			for _, beta := range []float32{0, 1} {
				g := newCase(rng, tr[0], tr[1], 301, 211, 600, beta)
				g.check(t, false)
			}
		}
	})
}

func TestGemmZeroK(t *testing.T) {
	c := []float32{float32(math.NaN()), 2, 3, 4}
	Gemm(false, false, 2, 2, 0, nil, 1, nil, 2, 0, c, 2)
	if !slices.Equal(c, []float32{0, 0, 0, 0}) {
		t.Errorf("k=0 beta=0: C = %v, want zeros", c)
	}
	c = []float32{1, 2, 3, 4}
	Gemm(false, false, 2, 2, 0, nil, 1, nil, 2, 2, c, 2)
	if !slices.Equal(c, []float32{2, 4, 6, 8}) {
		t.Errorf("k=0 beta=2: C = %v", c)
	}
	Gemm(false, false, 0, 5, 5, nil, 5, nil, 5, 0, nil, 5) // empty: no panic
}

func TestGemmShortSlicesPanic(t *testing.T) {
	a := make([]float32, 16*16)
	for _, tc := range []struct {
		name    string
		a, b, c []float32
		ldc     int
	}{
		{"C", a, a, a[:16*16-1], 16},
		{"ldc", a, a, a, 15},
		{"A", a[:100], a, a, 16},
		{"B", a, a[:200], a, 16},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			Gemm(false, false, 16, 16, 16, tc.a, 16, tc.b, 16, 0, tc.c, tc.ldc)
		}()
	}
}

// TestGemmThreadIndependence requires bit-identical results for every
// thread count, for Gemm and GemmSerial, on shapes big enough to be split.
func TestGemmThreadIndependence(t *testing.T) {
	defer SetThreads(0)
	defer func(v int) { packBLimit = v }(packBLimit)
	packBLimit = 1 << 16 // several B chunks for the larger shapes
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(5, 6))
		shapes := [][3]int{{300, 200, 150}, {33, 700, 300}, {257, 47, 513}, {8, 1000, 100}, {1000, 9, 100}, {20, 40, 3000}}
		for _, s := range shapes {
			for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				g := newCase(rng, tr[0], tr[1], s[0], s[1], s[2], 1)
				SetThreads(1)
				want := slices.Clone(g.c)
				g.run(want, false)
				serial := slices.Clone(g.c)
				g.run(serial, true)
				if !slices.Equal(math32bits(want), math32bits(serial)) {
					t.Fatalf("%v: GemmSerial differs from Gemm with 1 thread", g)
				}
				SetThreads(3)
				g.check(t, false) // the parallel grid is also right
				for _, th := range []int{2, 3, 8} {
					SetThreads(th)
					got := slices.Clone(g.c)
					g.run(got, false)
					if !slices.Equal(math32bits(want), math32bits(got)) {
						t.Fatalf("%v: %d threads differ from 1 thread", g, th)
					}
				}
			}
		}
	})
}

func math32bits(s []float32) []uint32 {
	u := make([]uint32, len(s))
	for i, v := range s {
		u[i] = math.Float32bits(v)
	}
	return u
}

// TestGemmConcurrent runs many parallel Gemms at once (helpers busy, jobs
// offered to nobody) and expects the single-threaded bits from each.
func TestGemmConcurrent(t *testing.T) {
	defer SetThreads(0)
	SetThreads(3)
	rng := rand.New(rand.NewPCG(7, 8))
	cases := make([]*gemmCase, 8)
	wants := make([][]float32, len(cases))
	for i := range cases {
		cases[i] = newCase(rng, i%2 == 0, i%3 == 0, 100+i*13, 120+i*7, 90+i*11, 0)
		wants[i] = slices.Clone(cases[i].c)
		cases[i].run(wants[i], true)
	}
	var wg sync.WaitGroup
	errs := make([]bool, len(cases))
	for i, g := range cases {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got := slices.Clone(g.c)
				g.run(got, false)
				if !slices.Equal(math32bits(got), math32bits(wants[i])) {
					errs[i] = true
				}
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e {
			t.Errorf("%v: concurrent result differs", cases[i])
		}
	}
}

// TestGemmNoAllocs: once the pools are warm, neither the serial nor the
// parallel path allocates.
func TestGemmNoAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counting")
	}
	rng := rand.New(rand.NewPCG(9, 10))
	g := newCase(rng, false, true, 128, 128, 64, 0)
	c := slices.Clone(g.c)
	if n := testing.AllocsPerRun(50, func() { g.run(c, true) }); n > 0 {
		t.Errorf("GemmSerial allocates %.1f times per call", n)
	}
	g = newCase(rng, false, false, 256, 256, 256, 0)
	c = slices.Clone(g.c)
	defer SetThreads(0)
	SetThreads(2)
	if n := testing.AllocsPerRun(50, func() { g.run(c, false) }); n > 0.5 {
		t.Errorf("Gemm allocates %.1f times per call", n)
	}
}

// TestFMAKernelsAgree: the AVX-512 and AVX2 kernels both sum each element
// as one FMA chain per kc block, with the same kc, so their results are
// bit-identical despite different tiles: a model trained on an AVX2
// machine reproduces on an AVX-512 one.
func TestFMAKernelsAgree(t *testing.T) {
	if !slices.Contains(Kernels(), "avx512") || !slices.Contains(Kernels(), "avx2") {
		t.Skip("needs both avx512 and avx2")
	}
	defer SetKernel("")
	rng := rand.New(rand.NewPCG(15, 16))
	for _, tr := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
		for _, beta := range []float32{0, 1, 0.25} {
			g := newCase(rng, tr[0], tr[1], 97, 75, 1100, beta)
			var res [2][]float32
			for i, name := range []string{"avx512", "avx2"} {
				SetKernel(name)
				res[i] = slices.Clone(g.c)
				g.run(res[i], false)
			}
			if !slices.Equal(math32bits(res[0]), math32bits(res[1])) {
				t.Errorf("%v: avx512 and avx2 results differ", g)
			}
		}
	}
}

// TestHelpersReused: back-to-back parallel calls reuse the idle helper
// goroutines instead of starting new ones.
func TestHelpersReused(t *testing.T) {
	defer SetThreads(0)
	SetThreads(3)
	rng := rand.New(rand.NewPCG(17, 18))
	g := newCase(rng, false, false, 200, 200, 200, 0)
	c := slices.Clone(g.c)
	g.run(c, false)
	before := helpers.Load()
	for range 200 {
		g.run(c, false)
	}
	if grew := helpers.Load() - before; grew > 2 {
		t.Errorf("%d helper goroutines started by 200 sequential calls", grew)
	}
}
