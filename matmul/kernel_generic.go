package matmul

import "unsafe"

// genericKernel is the portable fallback: plain Go, no SIMD. A 4×4 register
// tile keeps the 16 accumulators plus 4 B values and one A value within the
// 16-32 floating-point registers of common targets, so the compiler can keep
// the k loop free of loads/stores to the accumulators.
var genericKernel = &kernel{
	name:      "generic",
	mr:        4,
	nr:        4,
	kc:        256,
	mc:        128,
	micro:     microGeneric,
	packA:     packA,
	packB:     packB,
	dot:       dotGeneric,
	dotBF16:   dotBF16Generic,
	dotsBF16:  dotsBF16Rows(dotBF16Generic),
	dots:      dotsRows(dotGeneric),
	widenBF16: widenBF16Generic,
	axpy:      axpyGeneric,
	direct:    genericDirect,
	panel:     genericDirect,
}

var genericDirect = []directKernel{{4, 4, dirGeneric(4, 4)}, {2, 4, dirGeneric(2, 4)}, {1, 4, dirGeneric(1, 4)}}

func microGeneric(k int, ap, bp, cp *float32, ldc int, acc int, srcp *float32, ldsrc int, biasp *float32) {
	a := unsafe.Slice(ap, 4*k)
	b := unsafe.Slice(bp, 4*k)
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for p := 0; p < k; p++ {
		aa := a[4*p : 4*p+4 : 4*p+4]
		bb := b[4*p : 4*p+4 : 4*p+4]
		b0, b1, b2, b3 := bb[0], bb[1], bb[2], bb[3]
		a0 := aa[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := aa[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a2 := aa[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		a3 := aa[3]
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	if acc&accBias != 0 {
		bias := unsafe.Slice(biasp, 4)
		c00, c01, c02, c03 = c00+bias[0], c01+bias[1], c02+bias[2], c03+bias[3]
		c10, c11, c12, c13 = c10+bias[0], c11+bias[1], c12+bias[2], c13+bias[3]
		c20, c21, c22, c23 = c20+bias[0], c21+bias[1], c22+bias[2], c23+bias[3]
		c30, c31, c32, c33 = c30+bias[0], c31+bias[1], c32+bias[2], c33+bias[3]
	}
	if acc&accSrc != 0 {
		s := unsafe.Slice(srcp, 3*ldsrc+4)
		s0 := s[0:4:4]
		s1 := s[ldsrc : ldsrc+4 : ldsrc+4]
		s2 := s[2*ldsrc : 2*ldsrc+4 : 2*ldsrc+4]
		s3 := s[3*ldsrc : 3*ldsrc+4 : 3*ldsrc+4]
		c00, c01, c02, c03 = c00+s0[0], c01+s0[1], c02+s0[2], c03+s0[3]
		c10, c11, c12, c13 = c10+s1[0], c11+s1[1], c12+s1[2], c13+s1[3]
		c20, c21, c22, c23 = c20+s2[0], c21+s2[1], c22+s2[2], c23+s2[3]
		c30, c31, c32, c33 = c30+s3[0], c31+s3[1], c32+s3[2], c33+s3[3]
	}
	c := unsafe.Slice(cp, 3*ldc+4)
	r0 := c[0:4:4]
	r1 := c[ldc : ldc+4 : ldc+4]
	r2 := c[2*ldc : 2*ldc+4 : 2*ldc+4]
	r3 := c[3*ldc : 3*ldc+4 : 3*ldc+4]
	r0[0], r0[1], r0[2], r0[3] = c00, c01, c02, c03
	r1[0], r1[1], r1[2], r1[3] = c10, c11, c12, c13
	r2[0], r2[1], r2[2], r2[3] = c20, c21, c22, c23
	r3[0], r3[1], r3[2], r3[3] = c30, c31, c32, c33
}

// dotGeneric uses four partial sums (lanes i mod 4) so that the loop is not
// one long dependency chain; the final combination order is fixed.
func dotGeneric(x, y []float32) float32 {
	y = y[:len(x)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(x); i += 4 {
		s0 += x[i] * y[i]
		s1 += x[i+1] * y[i+1]
		s2 += x[i+2] * y[i+2]
		s3 += x[i+3] * y[i+3]
	}
	for ; i < len(x); i++ {
		s0 += x[i] * y[i]
	}
	return (s0 + s1) + (s2 + s3)
}

func axpyGeneric(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}
