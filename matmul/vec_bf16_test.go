package matmul

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDotBF16: DotBF16 gives Dot's bits over y widened to float32, on
// every kernel and length (whole vectors, the unrolled loop, every tail),
// and reads nothing of y past len(x) (NaNs there do not show).
func TestDotBF16(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(21, 22))
		for _, n := range vecLengths() {
			x := randSlice(rng, n)
			y := make([]uint16, n+9)
			for i := range y {
				y[i] = uint16(math.Float32bits(float32(rng.NormFloat64())) >> 16)
			}
			for i := n; i < len(y); i++ {
				y[i] = 0x7fc0 // NaN
			}
			wide := make([]float32, n)
			for i := range wide {
				wide[i] = math.Float32frombits(uint32(y[i]) << 16)
			}
			got, want := DotBF16(x, y), Dot(x, wide)
			if math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("n=%d: DotBF16 = %v, Dot over the widened values %v", n, got, want)
			}
		}
	})
}

func BenchmarkDotBF16(b *testing.B) {
	forEachKernelB(b, func(b *testing.B) {
		x := make([]float32, 4096)
		y := make([]uint16, 4096)
		b.SetBytes(6 * 4096)
		for b.Loop() {
			DotBF16(x, y)
		}
	})
}
