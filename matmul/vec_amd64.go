//go:build amd64

package matmul

// Slice wrappers around the Dot/Axpy assembly in vec_amd64.s.

//go:noescape
func dotAVX512(x, y *float32, n int) float32

//go:noescape
func axpyAVX512(alpha float32, x, y *float32, n int)

//go:noescape
func colSumsAVX512(dst, src *float32, n, rows, ld int)

//go:noescape
func dotAVX2(x, y *float32, n int) float32

//go:noescape
func axpyAVX2(alpha float32, x, y *float32, n int)

func dotAVX512Slice(x, y []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	y = y[:len(x)]
	return dotAVX512(&x[0], &y[0], len(x))
}

func axpyAVX512Slice(alpha float32, x, y []float32) {
	if len(x) == 0 {
		return
	}
	y = y[:len(x)]
	axpyAVX512(alpha, &x[0], &y[0], len(x))
}

func dotAVX2Slice(x, y []float32) float32 {
	if len(x) == 0 {
		return 0
	}
	y = y[:len(x)]
	return dotAVX2(&x[0], &y[0], len(x))
}

func axpyAVX2Slice(alpha float32, x, y []float32) {
	if len(x) == 0 {
		return
	}
	y = y[:len(x)]
	axpyAVX2(alpha, &x[0], &y[0], len(x))
}

func colSumsAVX512Slice(dst, src []float32, rows, ld int) {
	if len(dst) == 0 || rows == 0 {
		return
	}
	_ = src[(rows-1)*ld+len(dst)-1] // the last element read
	colSumsAVX512(&dst[0], &src[0], len(dst), rows, ld)
}
