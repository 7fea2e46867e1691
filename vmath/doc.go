// Package vmath holds vectorized float32 element-wise kernels for training:
// GELU forward/backward, the exp passes of softmax and cross-entropy, max,
// scaling, the fused AdamW update, LayerNorm and softmax-backward rows, and
// Llama's RMSNorm rows, SwiGLU gate and rotary position embedding.
//
// On amd64 the work is done by AVX-512 (16 lanes) or AVX2+FMA (8 lanes)
// assembly chosen at run time; elsewhere, or when forced with SetKernel,
// by a scalar Go fallback that evaluates the same formulas. Every kernel is
// deterministic: element-wise results depend only on the element, and the
// sums of ExpSubSum/SumExpSub only on the slice passed in (its values and
// length), so callers that split work per row or per fixed chunk get the same
// bits for any thread count. The kernels round differently from each other in
// the last bit; a run should stick to one (see SetKernel).
//
// Accuracy (see the tests): exp is Cephes' expf, within a few ulp on
// [-87.3, 88.3] (inputs are clamped to that range, so exp(-∞) is about
// 1.2e-38, not 0); GELU and its derivative are within 2e-7·max(1,|x|)
// of the tanh-approximation formula evaluated in float64. SwiGLU's silu is
// within 4.4e-7 relative for gates above −87 (its σ uses the same exp; below,
// σ is clamped or denormal and the error is under 5e-39·(1+|g|)), its
// derivative within the bound derived in swiglu_test.go; RMSNorm within
// first-order rounding bounds that grow with the row length (rmsnorm_test.go).
// RotateHalves rounds each product and the sum separately, without FMA, in
// every kernel, so its results are the same bits everywhere (rope_test.go).
package vmath
