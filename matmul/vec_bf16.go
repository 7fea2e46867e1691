package matmul

import "math"

// DotBF16 is Dot(x, y) with y in bfloat16 (the top half of each float32's
// bits): the same summation, so the same bits as Dot over y widened to
// float32, for each kernel. Decoding reads a weight held in BF16 with it
// and so moves half the bytes of the float32 weight.
func DotBF16(x []float32, y []uint16) float32 { return active.Load().dotBF16(x, y) }

// dotBF16Generic is dotGeneric over widened y.
func dotBF16Generic(x []float32, y []uint16) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * bf16(y[i])
		s1 += x[i+1] * bf16(y[i+1])
		s2 += x[i+2] * bf16(y[i+2])
		s3 += x[i+3] * bf16(y[i+3])
	}
	for ; i < len(x); i++ {
		s0 += x[i] * bf16(y[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func bf16(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
