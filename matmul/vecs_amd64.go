//go:build amd64

package matmul

//go:noescape
func dotsx4AVX512(x *float32, w *float32, ld int, n int, out *float32)

// dotsAVX512Slice is dotsBF16AVX512Slice over float32 rows.
func dotsAVX512Slice(dst, x, w []float32, ld int) {
	n := len(x)
	if n == 0 {
		clear(dst)
		return
	}
	g := len(dst) / 4 // rows r, r+g, r+2g, r+3g per call: dotsBF16AVX512Slice
	var t [4]float32
	for r := 0; r < g; r++ {
		dotsx4AVX512(&x[0], &w[r*ld], g*ld, n, &t[0])
		dst[r], dst[r+g], dst[r+2*g], dst[r+3*g] = t[0], t[1], t[2], t[3]
	}
	for r := 4 * g; r < len(dst); r++ {
		dst[r] = dotAVX512Slice(x, w[r*ld:r*ld+n])
	}
}
