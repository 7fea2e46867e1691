package matmul

import (
	"math"
	"math/rand/v2"
	"testing"
)

func vecLengths() []int {
	var ls []int
	for n := 0; n <= 70; n++ {
		ls = append(ls, n)
	}
	return append(ls, 127, 128, 129, 1000, 4097)
}

func TestDot(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, n := range vecLengths() {
			x := randSlice(rng, n)
			y := randSlice(rng, n+3) // longer y: only len(x) counts
			var want, mag float64
			for i := range x {
				want += float64(x[i]) * float64(y[i])
				mag += math.Abs(float64(x[i]) * float64(y[i]))
			}
			got := float64(Dot(x, y))
			if math.Abs(got-want) > 1e-5*mag+1e-30 {
				t.Errorf("n=%d: Dot = %v, want %v", n, got, want)
			}
		}
	})
}

func TestAxpy(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(13, 14))
		for _, n := range vecLengths() {
			x := randSlice(rng, n)
			y := randSlice(rng, n+5)
			y0 := append([]float32(nil), y...)
			alpha := rng.Float32()*4 - 2
			Axpy(alpha, x, y)
			for i := range y {
				if i >= n {
					if y[i] != y0[i] {
						t.Fatalf("n=%d: Axpy wrote y[%d] beyond len(x)", n, i)
					}
					continue
				}
				want := float64(y0[i]) + float64(alpha)*float64(x[i])
				tol := 1e-6 * (math.Abs(float64(y0[i])) + math.Abs(float64(alpha)*float64(x[i])))
				if math.Abs(float64(y[i])-want) > tol {
					t.Fatalf("n=%d: y[%d] = %v, want %v", n, i, y[i], want)
				}
			}
		}
	})
}

// TestColSums: ColSums equals, bit for bit, Axpy(1, row, dst) row after
// row (the chain the bias gradients used to be summed with), for widths
// around the 64- and 16-column blocks and the masked tail, strides wider
// than the rows, and one or many rows; it reads no column beyond len(dst).
func TestColSums(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(15, 16))
		for _, n := range []int{1, 5, 15, 16, 17, 31, 63, 64, 65, 100, 127, 128, 200, 256, 1000} {
			for _, rows := range []int{1, 2, 7, 64, 301} {
				ld := n + rng.IntN(3)
				src := randSlice(rng, (rows-1)*ld+n)
				dst := randSlice(rng, n+4)
				want := append([]float32(nil), dst...)
				for i := range rows {
					Axpy(1, src[i*ld:i*ld+n], want[:n])
				}
				ColSums(dst[:n], src, rows, ld)
				for j := range dst {
					if math.Float32bits(dst[j]) != math.Float32bits(want[j]) {
						t.Fatalf("n=%d rows=%d ld=%d: dst[%d] = %v, want %v (Axpy row by row)", n, rows, ld, j, dst[j], want[j])
					}
				}
			}
		}
	})
}
