//go:build amd64

package vmath

import "golang.org/x/sys/cpu"

// The assembly kernels: AVX-512F (16 lanes, masked tails, VSCALEFPS) and
// AVX2+FMA (8 lanes; the element-wise routines do the tail as a VMASKMOVPS
// vector; Max and ExpSubSum, which callers apply to whole rows, hand the
// last len mod 8 elements to the generic code).

var avx512Kernel = &kernel{
	name: "avx512",
	geluFwd: func(out, inp []float32) {
		if len(inp) > 0 {
			geluFwdAVX512(&out[0], &inp[0], len(inp))
		}
	},
	geluBwd: func(dinp, inp, dout []float32) {
		if len(inp) > 0 {
			geluBwdAVX512(&dinp[0], &inp[0], &dout[0], len(inp))
		}
	},
	expSubSum: func(x []float32, m float32, store bool) float32 {
		if len(x) == 0 {
			return 0
		}
		return expSubSumAVX512(&x[0], len(x), m, store)
	},
	max: func(x []float32) float32 { return maxAVX512(&x[0], len(x)) },
	scale: func(x []float32, a float32) {
		if len(x) > 0 {
			scaleAVX512(&x[0], len(x), a)
		}
	},
	adamw: func(p, g, m, v []float32, c *adamConsts) {
		if len(p) > 0 {
			adamwAVX512(&p[0], &g[0], &m[0], &v[0], len(p), c)
		}
	},
	lnFwdRow: func(out, x, w, b []float32, eps float32) (float32, float32) {
		if len(x) == 0 {
			return lnFwdRowGeneric(out, x, w, b, eps)
		}
		return lnFwdRowAVX512(&out[0], &x[0], &w[0], &b[0], len(x), eps)
	},
	softmaxBwd: func(dp, p []float32, scale float32) {
		if len(p) > 0 {
			softmaxBwdAVX512(&dp[0], &p[0], len(p), scale)
		}
	},
	lnBwdRow: func(di, d, x, w []float32, m, s float32) {
		if len(x) > 0 {
			lnBwdRowAVX512(&di[0], &d[0], &x[0], &w[0], len(x), m, s)
		}
	},
	lnGradAccum: func(gw, gb, d, x []float32, m, s float32) {
		if len(x) > 0 {
			lnGradAccumAVX512(&gw[0], &gb[0], &d[0], &x[0], len(x), m, s)
		}
	},
	rmsFwdRow: func(out, x, w []float32, eps float32) float32 {
		if len(x) == 0 {
			return rmsFwdRowGeneric(out, x, w, eps) // 0/0: NaN, as generic
		}
		return rmsFwdRowAVX512(&out[0], &x[0], &w[0], len(x), eps)
	},
	rmsBwdRow: func(di, d, x, w []float32, r float32) {
		if len(x) > 0 {
			rmsBwdRowAVX512(&di[0], &d[0], &x[0], &w[0], len(x), r)
		}
	},
	rmsGradAccum: func(gw, d, x []float32, r float32) {
		if len(x) > 0 {
			rmsGradAccumAVX512(&gw[0], &d[0], &x[0], len(x), r)
		}
	},
	swiglu: func(out, gate, up []float32) {
		if len(out) > 0 {
			swigluAVX512(&out[0], &gate[0], &up[0], len(out))
		}
	},
	swigluBwd: func(dgate, dup, dout, gate, up []float32) {
		if len(dout) > 0 {
			swigluBwdAVX512(&dgate[0], &dup[0], &dout[0], &gate[0], &up[0], len(dout))
		}
	},
	rotateHalves: func(a, b, cos, sin []float32, inverse bool) {
		if len(a) > 0 {
			rotateHalvesAVX512(&a[0], &b[0], &cos[0], &sin[0], len(a), inverse)
		}
	},
}

var avx2Kernel = &kernel{
	name: "avx2",
	// GELU, AdamW, RMSNorm, SwiGLU and RotateHalves take the whole slice and
	// do the last len mod 8 elements as one VMASKMOVPS vector. A scalar Go
	// tail would round differently (no FMA, scalar exp), and these are called
	// on pieces whose boundaries depend on the thread count: an element must
	// get the same bits wherever it lands (TestElementwiseSplit).
	geluFwd: func(out, inp []float32) {
		if len(inp) > 0 {
			geluFwdAVX2(&out[0], &inp[0], len(inp))
		}
	},
	geluBwd: func(dinp, inp, dout []float32) {
		if len(inp) > 0 {
			geluBwdAVX2(&dinp[0], &inp[0], &dout[0], len(inp))
		}
	},
	expSubSum: func(x []float32, m float32, store bool) float32 {
		n := len(x) &^ 7
		var s float32
		if n > 0 {
			s = expSubSumAVX2(&x[0], n, m, store)
		}
		return s + expSubSumGeneric(x[n:], m, store)
	},
	max: func(x []float32) float32 {
		n := len(x) &^ 7
		if n == 0 {
			return maxGeneric(x)
		}
		m := maxAVX2(&x[0], n)
		for _, v := range x[n:] {
			m = max(m, v)
		}
		return m
	},
	scale: func(x []float32, a float32) {
		n := len(x) &^ 7
		if n > 0 {
			scaleAVX2(&x[0], n, a)
		}
		scaleGeneric(x[n:], a)
	},
	adamw: func(p, g, m, v []float32, c *adamConsts) {
		if len(p) > 0 {
			adamwAVX2(&p[0], &g[0], &m[0], &v[0], len(p), c)
		}
	},
	// LayerNorm backward is a small share of a training step on machines
	// without AVX-512; the portable code serves there.
	lnFwdRow:    lnFwdRowGeneric,
	softmaxBwd:  softmaxBwdGeneric,
	lnBwdRow:    lnBwdRowGeneric,
	lnGradAccum: lnGradAccumGeneric,
	rmsFwdRow: func(out, x, w []float32, eps float32) float32 {
		if len(x) == 0 {
			return rmsFwdRowGeneric(out, x, w, eps)
		}
		return rmsFwdRowAVX2(&out[0], &x[0], &w[0], len(x), eps)
	},
	rmsBwdRow: func(di, d, x, w []float32, r float32) {
		if len(x) > 0 {
			rmsBwdRowAVX2(&di[0], &d[0], &x[0], &w[0], len(x), r)
		}
	},
	rmsGradAccum: func(gw, d, x []float32, r float32) {
		if len(x) > 0 {
			rmsGradAccumAVX2(&gw[0], &d[0], &x[0], len(x), r)
		}
	},
	swiglu: func(out, gate, up []float32) {
		if len(out) > 0 {
			swigluAVX2(&out[0], &gate[0], &up[0], len(out))
		}
	},
	swigluBwd: func(dgate, dup, dout, gate, up []float32) {
		if len(dout) > 0 {
			swigluBwdAVX2(&dgate[0], &dup[0], &dout[0], &gate[0], &up[0], len(dout))
		}
	},
	rotateHalves: func(a, b, cos, sin []float32, inverse bool) {
		if len(a) > 0 {
			rotateHalvesAVX2(&a[0], &b[0], &cos[0], &sin[0], len(a), inverse)
		}
	},
}

func init() {
	var ks []*kernel
	// The AVX-512 code uses AVX512F (VSCALEFPS, k-mask tails and k-register
	// logic, VEXTRACTF64X4) and, in SwiGLU, VXORPS on zmm registers, which
	// is AVX512DQ; x/sys/cpu also checks OS zmm support. Every AVX-512 CPU
	// but the Xeon Phi has both.
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ {
		ks = append(ks, avx512Kernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2Kernel)
	}
	kernels = append(ks, kernels...)
	active.Store(kernels[0])
}

//go:noescape
func geluFwdAVX512(out, inp *float32, n int)

//go:noescape
func geluBwdAVX512(dinp, inp, dout *float32, n int)

//go:noescape
func expSubSumAVX512(x *float32, n int, m float32, store bool) float32

//go:noescape
func maxAVX512(x *float32, n int) float32

//go:noescape
func scaleAVX512(x *float32, n int, a float32)

//go:noescape
func adamwAVX512(p, grad, m, v *float32, n int, c *adamConsts)

//go:noescape
func geluFwdAVX2(out, inp *float32, n int)

//go:noescape
func geluBwdAVX2(dinp, inp, dout *float32, n int)

//go:noescape
func expSubSumAVX2(x *float32, n int, m float32, store bool) float32

//go:noescape
func maxAVX2(x *float32, n int) float32

//go:noescape
func scaleAVX2(x *float32, n int, a float32)

//go:noescape
func adamwAVX2(p, grad, m, v *float32, n int, c *adamConsts)

//go:noescape
func lnBwdRowAVX512(di, d, x, w *float32, n int, m, s float32)

//go:noescape
func lnGradAccumAVX512(gw, gb, d, x *float32, n int, m, s float32)

//go:noescape
func lnFwdRowAVX512(out, x, w, b *float32, n int, eps float32) (mean, rstd float32)

//go:noescape
func softmaxBwdAVX512(dp, p *float32, n int, scale float32)

//go:noescape
func rmsFwdRowAVX512(out, x, w *float32, n int, eps float32) (rstd float32)

//go:noescape
func rmsBwdRowAVX512(di, d, x, w *float32, n int, r float32)

//go:noescape
func rmsGradAccumAVX512(gw, d, x *float32, n int, r float32)

//go:noescape
func swigluAVX512(out, gate, up *float32, n int)

//go:noescape
func swigluBwdAVX512(dgate, dup, dout, gate, up *float32, n int)

//go:noescape
func rmsFwdRowAVX2(out, x, w *float32, n int, eps float32) (rstd float32)

//go:noescape
func rmsBwdRowAVX2(di, d, x, w *float32, n int, r float32)

//go:noescape
func rmsGradAccumAVX2(gw, d, x *float32, n int, r float32)

//go:noescape
func swigluAVX2(out, gate, up *float32, n int)

//go:noescape
func swigluBwdAVX2(dgate, dup, dout, gate, up *float32, n int)

//go:noescape
func rotateHalvesAVX512(a, b, cos, sin *float32, n int, inverse bool)

//go:noescape
func rotateHalvesAVX2(a, b, cos, sin *float32, n int, inverse bool)
