//go:build amd64

package matmul

//go:noescape
func dotsBF16x4AVX512(x *float32, w *uint16, ld int, n int, out *float32)

// dotsBF16AVX512Slice runs the four-row kernel over rows r, r+g, r+2g and
// r+3g (g = len(dst)/4, so each of the four is a long sequential stream
// through the matrix) and DotBF16 over the last len(dst) mod 4 rows.
// DotsBF16 has checked that w holds every row; the kernel reads no
// element of w outside them (its tail is masked).
func dotsBF16AVX512Slice(dst, x []float32, w []uint16, ld int) {
	n := len(x)
	if n == 0 {
		clear(dst)
		return
	}
	g := len(dst) / 4
	var t [4]float32
	for r := 0; r < g; r++ {
		dotsBF16x4AVX512(&x[0], &w[r*ld], g*ld, n, &t[0])
		dst[r], dst[r+g], dst[r+2*g], dst[r+3*g] = t[0], t[1], t[2], t[3]
	}
	for r := 4 * g; r < len(dst); r++ {
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
