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
	r := 0
	for ; r+4 <= len(dst); r += 4 {
		dotsx4AVX512(&x[0], &w[r*ld], ld, n, &dst[r])
	}
	for ; r < len(dst); r++ {
		dst[r] = dotAVX512Slice(x, w[r*ld:r*ld+n])
	}
}
