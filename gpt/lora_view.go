package gpt

import "slices"

// FrozenView is a model computing what m computes now — m's base weights,
// shared, and a frozen copy of m's adapters — without gradients: the
// reference policy of RL that continues training adapters an earlier stage
// trained, at the cost of a copy of the adapters, not of the base.
func (m *Model) FrozenView() *Model {
	v := m.BaseView()
	if l := m.lora; l != nil {
		v.lora = &LoRA{Config: l.Config, Params: slices.Clone(l.Params), Enabled: l.Enabled,
			sites: l.sites, nsites: l.nsites, offsets: l.offsets, tensors: l.tensors, seed: l.seed}
	}
	return v
}

// MergedCopy is an independent model computing what m computes: a copy of
// its weights with its adapters merged in. m is unchanged.
func (m *Model) MergedCopy() (*Model, error) {
	c, err := FromParams(m.Config, slices.Clone(m.Params.Data))
	if err != nil {
		return nil, err
	}
	c.lora = m.lora
	c.MergeLoRA() // reads the shared adapters, writes only c's weights
	return c, nil
}
