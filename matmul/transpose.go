package matmul

import "fmt"

// Transpose writes the transpose of the rows×cols matrix src (row stride
// lds) into dst (cols rows of stride ldd): dst[c*ldd+r] = src[r*lds+c].
// Elements of dst outside those cols×rows are left as they are. It only
// moves values, so every kernel gives the same bits.
func Transpose(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	if rows == 0 || cols == 0 {
		return
	}
	if lds < cols || ldd < rows || len(src) < (rows-1)*lds+cols || len(dst) < (cols-1)*ldd+rows {
		panic(fmt.Sprintf("matmul: Transpose of %d×%d: src len %d stride %d, dst len %d stride %d", rows, cols, len(src), lds, len(dst), ldd))
	}
	if t := active.Load().transpose; t != nil {
		t(dst, ldd, src, lds, rows, cols)
		return
	}
	transposeGeneric(dst, ldd, src, lds, rows, cols)
}

// transposeGeneric walks 8×8 tiles, so that both the reads and the strided
// writes stay within a few cache lines at a time.
func transposeGeneric(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	const tile = 8
	for r0 := 0; r0 < rows; r0 += tile {
		r1 := min(rows, r0+tile)
		for c0 := 0; c0 < cols; c0 += tile {
			c1 := min(cols, c0+tile)
			for r := r0; r < r1; r++ {
				row := src[r*lds+c0 : r*lds+c1]
				for i, v := range row {
					dst[(c0+i)*ldd+r] = v
				}
			}
		}
	}
}
