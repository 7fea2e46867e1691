package vmath

import "math"

// RMSNormRow normalises one row by its root mean square, as Llama's RMSNorm
// does: out = x·rstd·w with rstd = 1/√(mean(x²) + eps), and returns rstd for
// the backward pass. The sum runs in index order, so a row gives the same bits
// whichever thread computes it. out may be x.
func RMSNormRow(out, x, w []float32, eps float32) (rstd float32) {
	n := len(x)
	out, w = out[:n], w[:n]
	var ss float32
	for _, v := range x {
		ss += v * v
	}
	rstd = 1 / float32(math.Sqrt(float64(ss/float32(n)+eps)))
	for c, v := range x {
		out[c] = v * rstd * w[c]
	}
	return rstd
}

// RMSNormBackwardRow adds one row's input gradient of an RMSNorm into di,
// given the output gradient d, the input x, the gain w and the saved rstd r:
//
//	g = d·w;  di += r·g − x·r³·mean(g·x)
func RMSNormBackwardRow(di, d, x, w []float32, r float32) {
	n := len(x)
	di, d, w = di[:n], d[:n], w[:n]
	var dot float32
	for c, v := range d {
		dot += v * w[c] * x[c]
	}
	k := r * r * r * dot / float32(n)
	for c, v := range d {
		di[c] += r*(v*w[c]) - x[c]*k
	}
}

// RMSNormGradAccum adds one row's contribution to an RMSNorm's gain gradient:
// gw += d·x·r. Callers that split gw by columns and walk rows in order get
// bits that do not depend on the split.
func RMSNormGradAccum(gw, d, x []float32, r float32) {
	n := len(x)
	gw, d = gw[:n], d[:n]
	for c, v := range d {
		gw[c] += v * (x[c] * r)
	}
}
