package matmul

// Dots sets dst[r] = Dot(x, w[r*ld : r*ld+len(x)]) for every r < len(dst):
// DotsBF16 over float32 rows, each with Dot's bits.
func Dots(dst, x, w []float32, ld int) {
	rows, n := len(dst), len(x)
	if rows == 0 {
		return
	}
	if ld < n {
		panic("matmul: Dots row stride shorter than x")
	}
	if n > 0 {
		_ = w[(rows-1)*ld+n-1]
	}
	active.Load().dots(dst, x, w, ld)
}

// dotsRows is Dots one Dot at a time.
func dotsRows(dot func(x, y []float32) float32) func(dst, x, w []float32, ld int) {
	return func(dst, x, w []float32, ld int) {
		for r := range dst {
			dst[r] = dot(x, w[r*ld:r*ld+len(x)])
		}
	}
}
