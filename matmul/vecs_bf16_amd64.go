//go:build amd64

package matmul

//go:noescape
func dotsBF16x4AVX512(x *float32, w *uint16, ld int, n int, out *float32)

// dotsBF16AVX512Slice runs the four-row kernel over whole groups of four
// rows and DotBF16 over the rest. DotsBF16 has checked that w holds every
// row; the kernel reads no element of w outside them (its tail is masked).
func dotsBF16AVX512Slice(dst, x []float32, w []uint16, ld int) {
	n := len(x)
	if n == 0 {
		clear(dst)
		return
	}
	r := 0
	for ; r+4 <= len(dst); r += 4 {
		dotsBF16x4AVX512(&x[0], &w[r*ld], ld, n, &dst[r])
	}
	for ; r < len(dst); r++ {
		dst[r] = dotBF16AVX512Slice(x, w[r*ld:r*ld+n])
	}
}

//go:noescape
func widenBF16AVX512(dst *float32, src *uint16, n int)

func widenBF16AVX512Slice(dst []float32, src []uint16) {
	if len(src) == 0 {
		return
	}
	dst = dst[:len(src)]
	widenBF16AVX512(&dst[0], &src[0], len(src))
}
