package matmul

// DotsBF16 sets dst[r] = DotBF16(x, w[r*ld : r*ld+len(x)]) for every r <
// len(dst): the products of x with len(dst) rows of a row-major BF16
// matrix of row stride ld, each with DotBF16's bits. A matrix-vector
// product over BF16 weights (decoding's) reads each weight once, and the
// AVX-512 kernel does several rows per pass over x, which keeps the
// weights streaming at memory bandwidth.
func DotsBF16(dst, x []float32, w []uint16, ld int) {
	rows, n := len(dst), len(x)
	if rows == 0 {
		return
	}
	if ld < n {
		panic("matmul: DotsBF16 row stride shorter than x")
	}
	if n > 0 {
		_ = w[(rows-1)*ld+n-1] // w holds every row (an index: a slice bound would check cap)
	}
	active.Load().dotsBF16(dst, x, w, ld)
}

// dotsBF16Rows is DotsBF16 one DotBF16 at a time, for kernels without a
// multi-row version.
func dotsBF16Rows(dot func(x []float32, y []uint16) float32) func(dst, x []float32, w []uint16, ld int) {
	return func(dst, x []float32, w []uint16, ld int) {
		for r := range dst {
			dst[r] = dot(x, w[r*ld:r*ld+len(x)])
		}
	}
}

// WidenBF16 sets dst[i] to src[i] as a float32 (exact: a bfloat16's bits are
// the top half of a float32's) for every i < len(src); dst must be at least
// as long.
func WidenBF16(dst []float32, src []uint16) {
	if len(dst) < len(src) {
		panic("matmul: WidenBF16 destination shorter than its source")
	}
	active.Load().widenBF16(dst, src)
}

func widenBF16Generic(dst []float32, src []uint16) {
	dst = dst[:len(src)]
	for i, h := range src {
		dst[i] = bf16(h)
	}
}
