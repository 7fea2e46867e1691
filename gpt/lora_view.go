package gpt

import "slices"

// FrozenView is a model computing what m computes now — m's base weights,
// shared, and a frozen copy of m's adapters — without gradients: the
// reference policy of RL that continues training adapters an earlier stage
// trained, at the cost of a copy of the adapters, not of the base.
func (m *Model) FrozenView() *Model {
	v := m.BaseView()
	if l := m.lora; l != nil {
		c := &LoRA{Config: l.Config, Params: slices.Clone(l.Params), Enabled: l.Enabled,
			sites: l.sites, nsites: l.nsites, offsets: l.offsets, tensors: l.tensors, names: l.names,
			base: l.base, embedOff: l.embedOff, headOff: l.headOff, shared: l.shared, vocab: l.vocab, width: l.width, seed: l.seed}
		if c.base != nil { // saved modules: the view reads the frozen copies
			v.Params = c.view(c.Params, m.Config)
		}
		v.lora = c
	}
	return v
}

// MergedCopy is an independent model computing what m computes: a copy of
// its weights (in float32, a BF16 base widened exactly) with its adapters
// merged in. m is unchanged.
func (m *Model) MergedCopy() (*Model, error) {
	var c *Model
	var err error
	if bp := m.baseParams(); bp.half == nil {
		c, err = FromParams(m.Config, slices.Clone(bp.Data))
	} else {
		if c, err = FromParams(m.Config, make([]float32, m.Config.NumParams())); err == nil {
			for i := range bp.specs {
				if h := bp.TensorBF16(i); h != nil {
					widenBF16(c.Params.Tensor(i), h)
				} else {
					copy(c.Params.Tensor(i), bp.Tensor(i))
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if l := m.lora; l != nil {
		lc := *l // reads m's adapters and copies; merges into c's base
		if lc.base != nil {
			lc.base = c.Params
		}
		c.lora = &lc
		c.MergeLoRA()
	}
	return c, nil
}
