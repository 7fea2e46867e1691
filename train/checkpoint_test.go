package train

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"testing"
)

// TestResumeIsBitIdentical: a run stopped after 17 of 40 steps and resumed
// from its checkpoint produces exactly the losses of an uninterrupted run.
func TestResumeIsBitIdentical(t *testing.T) {
	const steps, stopAt = 40, 17
	full := toyTrainer(t, steps)
	var want []float32
	full.Hooks = []Hook{{Name: "rec", OnStep: func(_ *Trainer, s StepStats) error { want = append(want, s.Loss); return nil }}}
	if err := full.Run(context.Background()); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	first := toyTrainer(t, steps)
	var got []float32
	stop := errors.New("killed")
	first.Hooks = []Hook{
		{Name: "rec", OnStep: func(_ *Trainer, s StepStats) error { got = append(got, s.Loss); return nil }},
		CheckpointHook(path, "toy", stopAt, nil),
		{Name: "kill", OnStep: func(_ *Trainer, s StepStats) error {
			if s.Step == stopAt {
				return stop
			}
			return nil
		}},
	}
	if err := first.Run(context.Background()); !errors.Is(err, stop) {
		t.Fatalf("run ended with %v, want the simulated kill", err)
	}
	resumed, err := Resume(path, first.batches.data, first.Config)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Step != stopAt {
		t.Fatalf("resumed at step %d, want %d", resumed.Step, stopAt)
	}
	resumed.Hooks = []Hook{{Name: "rec", OnStep: func(_ *Trainer, s StepStats) error { got = append(got, s.Loss); return nil }}}
	if err := resumed.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d losses after resume, want %d", len(got), len(want))
	}
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("step %d: resumed loss %v, uninterrupted %v", i+1, got[i], want[i])
		}
	}
	// Parameters match too.
	for i, v := range full.Model.Params.Data {
		if math.Float32bits(v) != math.Float32bits(resumed.Model.Params.Data[i]) {
			t.Fatalf("parameter %d differs after resume", i)
		}
	}
}

func TestResumeRejectsOtherSeed(t *testing.T) {
	tr := toyTrainer(t, 5)
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	tr.Hooks = []Hook{CheckpointHook(path, "toy", 5, nil)}
	if err := tr.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	cfg := tr.Config
	cfg.Seed++
	if _, err := Resume(path, tr.batches.data, cfg); err == nil {
		t.Fatal("resuming with another data seed should fail")
	}
}

// TestCancelSavesCheckpoint: a run whose context is cancelled (a signal)
// saves its state at the step it reached, and the resumed run continues
// from there to the uninterrupted run's bits.
func TestCancelSavesCheckpoint(t *testing.T) {
	const steps, stopAt = 30, 13
	full := toyTrainer(t, steps)
	if err := full.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	first := toyTrainer(t, steps)
	ctx, cancel := context.WithCancel(context.Background())
	first.Hooks = []Hook{
		CheckpointHook(path, "toy", 100, nil), // no regular checkpoint before the end
		{Name: "signal", OnStep: func(_ *Trainer, s StepStats) error {
			if s.Step == stopAt {
				cancel()
			}
			return nil
		}},
	}
	if err := first.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("run ended with %v, want the cancellation", err)
	}
	resumed, err := Resume(path, first.batches.data, first.Config)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.Step != stopAt {
		t.Fatalf("resumed at step %d, want the step the signal came at, %d", resumed.Step, stopAt)
	}
	if err := resumed.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, v := range full.Model.Params.Data {
		if math.Float32bits(v) != math.Float32bits(resumed.Model.Params.Data[i]) {
			t.Fatalf("parameter %d differs after a cancelled and resumed run", i)
		}
	}
}
