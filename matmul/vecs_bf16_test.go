package matmul

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randBF16 returns n random BF16 values (normal, so with varied exponents).
func randBF16(rng *rand.Rand, n int) []uint16 {
	w := make([]uint16, n)
	for i := range w {
		w[i] = uint16(math.Float32bits(float32(rng.NormFloat64())) >> 16)
	}
	return w
}

// TestDotsBF16: every row of DotsBF16 is DotBF16's bits (so Dot's over the
// widened row), within float32 rounding of a float64 reference, for row
// counts around the four-row groups and lengths around every tail; the
// padding between rows (NaN) never shows.
func TestDotsBF16(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		for _, n := range []int{0, 1, 3, 15, 16, 17, 63, 64, 65, 100, 576, 1000, 1536} {
			for _, rows := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13} {
				ld := n + rng.IntN(5)
				x := randSlice(rng, n)
				w := randBF16(rng, rows*ld)
				for r := range rows {
					for i := n; i < ld; i++ {
						w[r*ld+i] = 0x7fc0 // NaN
					}
				}
				got := make([]float32, rows)
				DotsBF16(got, x, w, ld)
				for r := range rows {
					row := w[r*ld : r*ld+n]
					want := DotBF16(x, row)
					if math.Float32bits(got[r]) != math.Float32bits(want) {
						t.Fatalf("n=%d rows=%d ld=%d row %d: DotsBF16 = %v, DotBF16 %v", n, rows, ld, r, got[r], want)
					}
					var ref, mag float64
					for i, v := range x {
						p := float64(v) * float64(bf16(row[i]))
						ref += p
						mag += math.Abs(p)
					}
					if d := math.Abs(float64(got[r]) - ref); d > 1e-6*mag+1e-30 {
						t.Fatalf("n=%d row %d: %v, float64 reference %v (|Σ|x·w|| = %g)", n, r, got[r], ref, mag)
					}
				}
			}
		}
	})
}

// TestDotsBF16Bounds: a matrix whose last row ends where w's slice ends is
// read without a panic, and a w too short for the rows is refused.
func TestDotsBF16Bounds(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	x := randSlice(rng, 20)
	w := randBF16(rng, 3*24+20)
	dst := make([]float32, 4)
	DotsBF16(dst, x, w, 24)
	defer func() {
		if recover() == nil {
			t.Error("DotsBF16 with w one element short did not panic")
		}
	}()
	DotsBF16(dst, x, w[:len(w)-1], 24)
}

// benchWeights is a rows×n BF16 matrix with every page written: an
// untouched make() maps every page to the kernel's one zero page, which
// streams from cache, not memory.
func benchWeights(rows, n int) []uint16 {
	w := make([]uint16, rows*n)
	for i := range w {
		w[i] = 0x3f80 + uint16(i%64) // 1 + i%64/128
	}
	return w
}

func BenchmarkDotsBF16(b *testing.B) {
	// The lm_head of SmolLM2-135M: 49152 rows of 576, 56 MiB in BF16 (more
	// than most caches, so this measures the stream from memory).
	const rows, n = 49152, 576
	w := benchWeights(rows, n)
	forEachKernelB(b, func(b *testing.B) {
		x := make([]float32, n)
		dst := make([]float32, rows)
		b.SetBytes(2 * rows * n)
		for b.Loop() {
			DotsBF16(dst, x, w, n)
		}
	})
}

func BenchmarkDotBF16Rows(b *testing.B) {
	const rows, n = 49152, 576
	w := benchWeights(rows, n)
	forEachKernelB(b, func(b *testing.B) {
		x := make([]float32, n)
		dst := make([]float32, rows)
		b.SetBytes(2 * rows * n)
		for b.Loop() {
			for r := range dst {
				dst[r] = DotBF16(x, w[r*n:(r+1)*n])
			}
		}
	})
}

// TestWidenBF16: every length (the unrolled loop, whole vectors, the masked
// tail) widens exactly and writes nothing past len(src).
func TestWidenBF16(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(37, 38))
		for _, n := range vecLengths() {
			src := randBF16(rng, n)
			dst := make([]float32, n+17)
			for i := range dst {
				dst[i] = -7
			}
			WidenBF16(dst, src)
			for i := range dst {
				want := float32(-7)
				if i < n {
					want = math.Float32frombits(uint32(src[i]) << 16)
				}
				if math.Float32bits(dst[i]) != math.Float32bits(want) {
					t.Fatalf("n=%d: dst[%d] = %v, want %v", n, i, dst[i], want)
				}
			}
		}
	})
}

// TestDots: every row of Dots is Dot's bits, for the shapes of
// TestDotsBF16; the padding between rows (NaN) never shows.
func TestDots(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(39, 40))
		for _, n := range []int{0, 1, 3, 15, 16, 17, 63, 64, 65, 100, 576, 1000, 1536} {
			for _, rows := range []int{1, 2, 3, 4, 5, 7, 8, 9, 13} {
				ld := n + rng.IntN(5)
				x := randSlice(rng, n)
				w := randSlice(rng, rows*ld)
				for r := range rows {
					for i := n; i < ld; i++ {
						w[r*ld+i] = float32(math.NaN())
					}
				}
				got := make([]float32, rows)
				Dots(got, x, w, ld)
				for r := range rows {
					if want := Dot(x, w[r*ld:r*ld+n]); math.Float32bits(got[r]) != math.Float32bits(want) {
						t.Fatalf("n=%d rows=%d ld=%d row %d: Dots = %v, Dot %v", n, rows, ld, r, got[r], want)
					}
				}
			}
		}
	})
}
