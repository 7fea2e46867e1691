package gpt

import (
	"errors"
	"fmt"
)

// Hooks for scalar heads and reweighted losses. A reward model or a PPO
// value head is a linear map from the final hidden states (the output of
// ln_f, the features the tied unembedding reads, as in Hugging Face's
// GPT2ForSequenceClassification) to one number per position. Its loss needs
// the body's gradient from that map, which Backward alone cannot give: it
// starts at the LM loss. BackwardHidden starts from both.

// Hidden returns the (B,T,C) final hidden states of the last Forward: the
// output of the final LayerNorm. The slice is the model's own buffer, valid
// until the next Forward; callers must not modify it.
func (m *Model) Hidden() []float32 {
	if m.acts == nil {
		return nil
	}
	return m.acts.lnf
}

// BackwardHidden adds to m.Grads the gradient of the last Forward's LM loss
// (none if that Forward had no targets) plus the gradient of a head's loss
// whose derivative with respect to Hidden() is dhidden (B,T,C; nil: none).
// With targets and a nil dhidden it equals Backward. Like Backward it keeps
// the input-embedding gradient and overwrites the logits.
func (m *Model) BackwardHidden(dhidden []float32) error {
	if m.acts == nil {
		return errors.New("gpt: BackwardHidden needs a Forward first")
	}
	cfg := m.Config
	a, in := m.acts, m.inputs
	B, T, C, V := a.B, a.T, cfg.NEmbd, cfg.VocabSize
	BT := B * T
	if dhidden != nil && len(dhidden) != BT*C {
		return fmt.Errorf("gpt: hidden-state gradient has %d values, the last Forward's %dx%dx%d states %d", len(dhidden), B, T, C, BT*C)
	}
	if in.targets == nil && dhidden == nil {
		return errors.New("gpt: Backward needs a Forward with targets (or a hidden-state gradient) first")
	}
	if m.gradActs == nil {
		m.gradActs = newGradScratch(cfg, B, T, &m.gradBuf)
	}
	s := m.gradActs
	if in.targets != nil {
		crossEntropyBackward(a.logits, a.lse, in.targets, in.mask, in.scale, BT, V)
		dlogits := a.logits
		// logits = lnf·Wᵀ (W the unembedding: wte when tied):
		// dW += dlogitsᵀ·lnf, dlnf = dlogits·W.
		if gw := m.unembeddingGrad(); gw != nil { // nil: frozen (LoRA without a saved head)
			m.compute.Gemm(true, false, V, C, BT, dlogits, V, a.lnf, C, 1, gw, C)
		}
		m.compute.Gemm(false, false, BT, C, V, dlogits, V, m.weight(0, matUnembed), C, 0, s.dln, C)
		if dhidden != nil {
			addInto(s.dln, dhidden)
		}
	} else {
		copy(s.dln, dhidden)
	}
	m.backwardFromHidden()
	return nil
}

// backwardFromHidden propagates s.dln, the gradient of the final hidden
// states, through ln_f, the blocks (in reverse, each a chain of the layers'
// backward functions) and the embeddings.
func (m *Model) backwardFromHidden() {
	if m.Config.IsLlama() {
		m.llamaBackward()
		return
	}
	cfg := m.Config
	a, p, g, in, s, lo := m.acts, m.Params, m.gradViews(), m.inputs, m.gradActs, m.lora
	B, T, C := a.B, a.T, cfg.NEmbd
	BT := B * T
	hd := headsOf(cfg)
	clear(s.dres)
	layerNormBackward(s.dres, g.LNFW, g.LNFB, s.dln, a.residual(cfg.NLayer), p.LNFW, a.lnfMean, a.lnfRstd, BT, C)
	for l := cfg.NLayer - 1; l >= 0; l-- {
		la, lp, lg := &a.layers[l], &p.Layers[l], &g.Layers[l]
		residual := a.residual(l)
		linearBackward(m.compute, s.dfch, lg.FCProjW, lg.FCProjB, s.dres, la.fchGelu, m.weight(l, matDown), BT, 4*C, C, 0)
		lo.backward(l, siteDown, la.fchGelu, s.dres, BT, s.dfch)
		geluBackward(s.dfch, la.fch, s.dfch, BT*4*C)
		linearBackward(m.compute, s.dln, lg.FCW, lg.FCB, s.dfch, la.ln2, m.weight(l, matFC), BT, C, 4*C, 0)
		lo.backward(l, siteFC, la.ln2, s.dfch, BT, s.dln)
		layerNormBackward(s.dres, lg.LN2W, lg.LN2B, s.dln, la.res2, lp.LN2W, la.ln2Mean, la.ln2Rstd, BT, C)
		linearBackward(m.compute, s.datty, lg.AttProjW, lg.AttProjB, s.dres, la.atty, m.weight(l, matAttO), BT, C, C, 0)
		lo.backward(l, siteAttO, la.atty, s.dres, BT, s.datty)
		attendBackward(m.compute, s.dqkv, s.datt, s.datty, la.qkv, la.att, B, T, hd)
		linearBackward(m.compute, s.dln, lg.QKVW, lg.QKVB, s.dqkv, la.ln1, m.weight(l, matQKV), BT, C, 3*C, 0)
		lo.backward(l, siteQKV, la.ln1, s.dqkv, BT, s.dln)
		layerNormBackward(s.dres, lg.LN1W, lg.LN1B, s.dln, residual, lp.LN1W, la.ln1Mean, la.ln1Rstd, BT, C)
	}
	encoderBackward(g.WTE, g.WPE, s.dres, in.tokens, B, T, C)
}

// Reweight replaces the per-token loss weights of the last Forward (which
// must have had targets) before Backward: the loss becomes
// Σ mask·nll / norm, norm 0 meaning Σ mask. PPO needs it: its per-token
// gradient weight A·ratio depends on the ratio, which is read from the
// same Forward's logits, so without Reweight every update would cost a
// second forward pass. The model keeps mask until the next Forward. It does
// not change what the last Forward returned.
func (m *Model) Reweight(mask []float32, norm float32) error {
	if m.acts == nil || m.inputs.targets == nil {
		return errors.New("gpt: Reweight needs a Forward with targets first")
	}
	if n := m.acts.B * m.acts.T; len(mask) != n {
		return fmt.Errorf("gpt: %d loss weights for the last Forward's %dx%d batch", len(mask), m.acts.B, m.acts.T)
	}
	if norm == 0 {
		for _, w := range mask {
			norm += w
		}
	}
	m.inputs.mask, m.inputs.scale = mask, 0
	if norm != 0 {
		m.inputs.scale = 1 / norm
	}
	return nil
}
