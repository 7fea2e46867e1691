//go:build amd64

package matmul

import (
	"unsafe"

	"golang.org/x/sys/cpu"
)

func init() {
	if cpu.X86.HasAVX512BF16 && cpu.X86.HasAVX512F {
		cvtBF16 = cvtBF16AVX512Slice
		pairBF16 = pairBF16AVX512Slice
		roundBF16s = roundBF16sAVX512
		pairSteps = pairStepsAVX512Slice
		cvtChunks = cvtChunksAVX512Slice
		pairRows = pairRowsAVX512Slice
	}
	if cpu.X86.HasAVX512F {
		swapHalves = swapHalvesAVX512Slice
	}
}

//go:noescape
func cvtChunksAVX512(dst *uint16, src *float32, chunks, dstride int, lm0, lm1 uint16)

// cvtChunksAVX512Slice is cvtChunks in one assembly call; it checks the
// bounds the assembly relies on.
func cvtChunksAVX512Slice(d []uint16, src []float32, chunks, dstride, last int) {
	if chunks <= 0 {
		return
	}
	if last < 1 || last > 32 || len(src) < 32*(chunks-1)+last || len(d) < (chunks-1)*dstride+32 {
		panic("matmul: cvtChunks out of bounds")
	}
	cvtChunksAVX512(&d[0], &src[0], chunks, dstride*2, laneMask(last, 0), laneMask(last, 16))
}

//go:noescape
func swapHalvesAVX512(x *float32, n int)

func swapHalvesAVX512Slice(x []float32) {
	if len(x) > 0 {
		swapHalvesAVX512(&x[0], len(x))
	}
}

//go:noescape
func pairStepsAVX512(dst, hi, lo *float32, steps, xstride, dstride int, lm0, lm1, sm0, sm1 uint16)

// pairStepsAVX512Slice is pairSteps in one assembly call, with masks for
// the rows read and the slots written. It checks the bounds the assembly
// relies on.
func pairStepsAVX512Slice(d []float32, hi, lo []float32, steps, xstride, rows, width int) {
	if steps <= 0 {
		return
	}
	if width > 32 || rows > width || len(d) < (steps-1)*width+width ||
		len(hi) < (steps-1)*xstride+rows || len(lo) < (steps-1)*xstride+rows {
		panic("matmul: pairSteps out of bounds")
	}
	pairStepsAVX512(&d[0], &hi[0], &lo[0], steps, xstride*4, width*4,
		laneMask(rows, 0), laneMask(rows, 16), laneMask(width, 0), laneMask(width, 16))
}

// laneMask is the 16-lane mask of the first n elements seen from lane lo:
// bits [lo, lo+16) of n ones.
func laneMask(n, lo int) uint16 { return uint16(1<<min(max(n-lo, 0), 16) - 1) }

//go:noescape
func cvtBF16AVX512(dst *uint16, src *float32, n int)

// cvtBF16AVX512Slice rounds whole groups of 16 with VCVTNEPS2BF16 and the
// rest in Go.
func cvtBF16AVX512Slice(dst []uint16, src []float32) {
	n := len(src) &^ 15
	dst = dst[:len(src)]
	if n > 0 {
		cvtBF16AVX512(&dst[0], &src[0], n)
	}
	cvtBF16Go(dst[n:], src[n:])
}

//go:noescape
func pairBF16AVX512(dst, hi, lo *float32, n int)

//go:noescape
func roundBF16AVX512(x *float32, n int)

// pairBF16AVX512Slice is pairBF16 with VCVTNEPS2BF16, tail included.
func pairBF16AVX512Slice(dst, hi, lo []float32) {
	if len(hi) == 0 {
		return
	}
	dst, lo = dst[:len(hi)], lo[:len(hi)]
	pairBF16AVX512(&dst[0], &hi[0], &lo[0], len(hi))
}

// roundBF16sAVX512 is roundBF16s with VCVTNEPS2BF16 for whole groups of 16.
func roundBF16sAVX512(x []float32) {
	n := len(x) &^ 15
	if n > 0 {
		roundBF16AVX512(&x[0], n)
	}
	roundBF16sGo(x[n:])
}

//go:noescape
func pairRowsAVX512(dst *float32, dstStride int, src *float32, srcStride int, steps int, rows int, mask int, swap int)

// pairRowsAVX512Slice is pairRows in one or two assembly calls (16 rows
// each). It checks the bounds the assembly relies on: masked loads and
// stores touch only the rows and steps asked for.
func pairRowsAVX512Slice(d []float32, width int, x []float32, ld, steps, rows int, lowFirst bool) {
	if steps <= 0 {
		return
	}
	used := (steps + 1) / 2
	if width > 32 || rows > width || len(d) < used*width || (rows > 0 && len(x) < (rows-1)*ld+steps) {
		panic("matmul: pairRows out of bounds")
	}
	swap := 1
	if lowFirst {
		swap = 0
	}
	lo := min(width, 16)
	pairRowsAVX512(&d[0], width, unsafe.SliceData(x), ld, steps, min(rows, 16), 1<<lo-1, swap)
	if width > 16 {
		rest := max(0, rows-16)
		src := unsafe.SliceData(x)
		if rest > 0 {
			src = &x[16*ld]
		}
		pairRowsAVX512(&d[16], width, src, ld, steps, rest, 1<<(width-16)-1, swap)
	}
}
