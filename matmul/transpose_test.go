package matmul

import (
	"fmt"
	"math"
	"testing"
)

// Transpose on every kernel, awkward shapes (partial 16-row strips and
// 16-column blocks) and strides wider than the matrix: every element lands
// where it belongs, bit for bit, and nothing else in dst is touched.
func TestTranspose(t *testing.T) {
	forEachKernel(t, func(t *testing.T) {
		for _, rows := range []int{1, 3, 15, 16, 17, 33, 128} {
			for _, cols := range []int{1, 7, 16, 31, 64, 70} {
				for _, pad := range []int{0, 5} {
					t.Run(fmt.Sprintf("%dx%d+%d", rows, cols, pad), func(t *testing.T) {
						lds, ldd := cols+pad, rows+2*pad
						src := make([]float32, (rows-1)*lds+cols)
						for i := range src {
							src[i] = float32(i) + 0.25
						}
						sentinel := float32(math.Inf(-1))
						dst := make([]float32, (cols-1)*ldd+rows)
						for i := range dst {
							dst[i] = sentinel
						}
						Transpose(dst, ldd, src, lds, rows, cols)
						for c := range cols {
							for r := range ldd {
								i := c*ldd + r
								if i >= len(dst) {
									break
								}
								want := sentinel
								if r < rows {
									want = src[r*lds+c]
								}
								if math.Float32bits(dst[i]) != math.Float32bits(want) {
									t.Fatalf("dst[%d] (col %d, row %d) = %v, want %v", i, c, r, dst[i], want)
								}
							}
						}
					})
				}
			}
		}
	})
}

func TestTransposeChecksExtents(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("a dst too short for the transpose did not panic")
		}
	}()
	Transpose(make([]float32, 10), 4, make([]float32, 12), 3, 4, 3)
}
