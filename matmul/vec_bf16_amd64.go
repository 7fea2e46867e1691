//go:build amd64

package matmul

//go:noescape
func dotBF16AVX512(x *float32, y, tail *uint16, n int) float32

//go:noescape
func dotBF16AVX2(x *float32, y *uint16, n int) float32

// dotBF16AVX512Slice hands the assembly the last n mod 16 elements of y
// zero-padded to a whole vector: its masked tail then reads no byte past y.
func dotBF16AVX512Slice(x []float32, y []uint16) float32 {
	if len(x) == 0 {
		return 0
	}
	y = y[:len(x)]
	var tail [16]uint16
	copy(tail[:], y[len(x)&^15:])
	return dotBF16AVX512(&x[0], &y[0], &tail[0], len(x))
}

func dotBF16AVX2Slice(x []float32, y []uint16) float32 {
	if len(x) == 0 {
		return 0
	}
	y = y[:len(x)]
	return dotBF16AVX2(&x[0], &y[0], len(x))
}
