package gpt

// ShareBase returns a model that computes with m's base weights, shared
// and not copied, and with state of its own: activations, KV caches made by
// its NewKVCache, and adapters (none at first; AttachLoRA gives it some
// without touching m). It has no gradient buffer. m's own adapters and
// the copies of its saved modules, if any, are not part of the view.
//
// Views and m may then run forward passes and decode on different
// goroutines at once: they only read the shared weights. What must not
// run concurrently with them is anything that writes the weights (a
// training step of m, MergeLoRA on any of them), and ShareBase itself,
// which computes m's lazily made tables (the rotary embedding's) once
// here, so that every view reads the same table instead of making its own.
func (m *Model) ShareBase() *Model {
	if m.Config.IsLlama() {
		m.rope()
	}
	return &Model{Config: m.Config, Params: m.baseParams(), ropeTab: m.ropeTab}
}
