package vmath

import "math"

// RMSNormRow normalises one row by its root mean square, as Llama's RMSNorm
// does: out = x·rstd·w with rstd = 1/√(mean(x²) + eps), and returns rstd for
// the backward pass. The sum of squares runs in an order fixed by len(x) and
// the kernel, so a row gives the same bits whichever thread computes it. out
// may be x.
func RMSNormRow(out, x, w []float32, eps float32) (rstd float32) {
	n := len(x)
	out, w = out[:n], w[:n]
	return active.Load().rmsFwdRow(out, x, w, eps)
}

// RMSNormBackwardRow adds one row's input gradient of an RMSNorm into di,
// given the output gradient d, the input x, the gain w and the saved rstd r:
//
//	g = d·w;  di += r·g − x·r³·mean(g·x)
//
// The mean is a sum in an order fixed by len(x) and the kernel.
func RMSNormBackwardRow(di, d, x, w []float32, r float32) {
	n := len(x)
	di, d, w = di[:n], d[:n], w[:n]
	active.Load().rmsBwdRow(di, d, x, w, r)
}

// RMSNormGradAccum adds one row's contribution to an RMSNorm's gain gradient:
// gw += d·x·r. Every kernel computes an element the same way wherever it sits
// in the slice (the vector kernels use masked tails, not scalar ones), so
// callers that split gw by columns and walk rows in order get bits that do
// not depend on the split.
func RMSNormGradAccum(gw, d, x []float32, r float32) {
	n := len(x)
	gw, d = gw[:n], d[:n]
	active.Load().rmsGradAccum(gw, d, x, r)
}

// rmsFwdRowGeneric sums in index order. The square root is taken in float64
// and rounded, which is the correctly rounded float32 square root (VSQRTSS).
func rmsFwdRowGeneric(out, x, w []float32, eps float32) float32 {
	var ss float32
	for _, v := range x {
		ss += v * v
	}
	rstd := 1 / float32(math.Sqrt(float64(ss/float32(len(x))+eps)))
	for c, v := range x {
		out[c] = v * rstd * w[c]
	}
	return rstd
}

func rmsBwdRowGeneric(di, d, x, w []float32, r float32) {
	var dot float32
	for c, v := range d {
		dot += v * w[c] * x[c]
	}
	k := r * r * r * dot / float32(len(x))
	for c, v := range d {
		di[c] += r*(v*w[c]) - x[c]*k
	}
}

func rmsGradAccumGeneric(gw, d, x []float32, r float32) {
	for c, v := range d {
		gw[c] += v * (x[c] * r)
	}
}
