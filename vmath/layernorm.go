package vmath

import "math"

// LayerNormRow normalises one row: out = (x − mean)·rstd·w + b, and
// returns the row's mean and reciprocal standard deviation 1/√(var + eps)
// (the biased variance, as GPT-2's LayerNorm) for the backward pass. The
// sums run in an order fixed by len(x) and the kernel.
func LayerNormRow(out, x, w, b []float32, eps float32) (mean, rstd float32) {
	n := len(x)
	out, w, b = out[:n], w[:n], b[:n]
	return active.Load().lnFwdRow(out, x, w, b, eps)
}

// LayerNormBackwardRow adds one row's input gradient of a LayerNorm into
// di, given the output gradient d, the input x, the gain w, and the row's
// saved mean m and reciprocal standard deviation s:
//
//	norm = (x − m)·s;  g = d·w
//	di += (g − mean(g) − norm·mean(g·norm))·s
//
// The two means are sums in an order fixed by len(x) and the kernel, so a
// row gives the same bits whichever thread does it.
func LayerNormBackwardRow(di, d, x, w []float32, m, s float32) {
	n := len(x)
	di, d, w = di[:n], d[:n], w[:n]
	active.Load().lnBwdRow(di, d, x, w, m, s)
}

// LayerNormGradAccum adds one row's contribution to the gain and bias
// gradients of a LayerNorm: gw += d·(x − m)·s, gb += d. Each element is one
// sum over rows, so callers that split gw by columns and walk rows in order
// get bits that do not depend on the split.
func LayerNormGradAccum(gw, gb, d, x []float32, m, s float32) {
	n := len(x)
	gw, gb, d = gw[:n], gb[:n], d[:n]
	active.Load().lnGradAccum(gw, gb, d, x, m, s)
}

func lnBwdRowGeneric(di, d, x, w []float32, m, s float32) {
	var gMean, gNormMean float32
	for c, v := range d {
		norm := (x[c] - m) * s
		g := v * w[c]
		gMean += g
		gNormMean += g * norm
	}
	gMean /= float32(len(x))
	gNormMean /= float32(len(x))
	for c, v := range d {
		norm := (x[c] - m) * s
		di[c] += (v*w[c] - gMean - norm*gNormMean) * s
	}
}

func lnGradAccumGeneric(gw, gb, d, x []float32, m, s float32) {
	for c, v := range d {
		gw[c] += v * ((x[c] - m) * s)
		gb[c] += v
	}
}

func lnFwdRowGeneric(out, x, w, b []float32, eps float32) (float32, float32) {
	var m float32
	for _, v := range x {
		m += v
	}
	m /= float32(len(x))
	var variance float32
	for _, v := range x {
		d := v - m
		variance += d * d
	}
	variance /= float32(len(x))
	s := 1 / float32(math.Sqrt(float64(variance+eps)))
	for c, v := range x {
		out[c] = (v-m)*s*w[c] + b[c]
	}
	return m, s
}
