//go:build amd64

package matmul

import "golang.org/x/sys/cpu"

func init() {
	if cpu.X86.HasAVX512BF16 && cpu.X86.HasAVX512F {
		cvtBF16 = cvtBF16AVX512Slice
		pairBF16 = pairBF16AVX512Slice
		roundBF16s = roundBF16sAVX512
	}
}

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

// pairBF16AVX512Slice is pairBF16 with VCVTNEPS2BF16 for whole groups of 16.
func pairBF16AVX512Slice(dst, hi, lo []float32) {
	n := len(hi) &^ 15
	dst, lo = dst[:len(hi)], lo[:len(hi)]
	if n > 0 {
		pairBF16AVX512(&dst[0], &hi[0], &lo[0], n)
	}
	pairBF16Go(dst[n:], hi[n:], lo[n:])
}

// roundBF16sAVX512 is roundBF16s with VCVTNEPS2BF16 for whole groups of 16.
func roundBF16sAVX512(x []float32) {
	n := len(x) &^ 15
	if n > 0 {
		roundBF16AVX512(&x[0], n)
	}
	roundBF16sGo(x[n:])
}
