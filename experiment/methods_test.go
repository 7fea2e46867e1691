package experiment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSafetyMethods runs RL and adversarial training on the end-to-end
// test's tiny model for a few steps: the stages run, evaluations happen on
// schedule, and adversarial runs measure the red-team rate from step 0.
func TestSafetyMethods(t *testing.T) {
	if testing.Short() {
		t.Skip("training runs")
	}
	for _, method := range []string{"rl", "adversarial"} {
		t.Run(method, func(t *testing.T) {
			s := tinySpec()
			s.Data = DataSpec{N: 3000, SafetyN: 600}
			s.Safety = SafetySpec{Method: method, StageSpec: StageSpec{Steps: 4, BatchSize: 16, LR: 3e-4}, EvalEvery: 2,
				RL:      RLSpec{RewardSteps: 30, Prompts: 4, Samples: 2, MaxNewTokens: 16},
				RedTeam: RedTeamSpec{Rounds: 1, MaxPrompts: 60}}
			s.Eval = EvalSpec{Prompts: 20, Samples: 1, MaxNewTokens: 16, HelpfulPrompts: 20}
			if err := s.Resolve(); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := Prepare(dir, s, "test"); err != nil {
				t.Fatal(err)
			}
			runs, err := (&Runner{Spec: s, Dir: dir}).Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			r := runs[0]
			if r.Safety != method || len(r.Evals) != 3 || r.After().SafetyStep != 4 {
				t.Fatalf("method %s: evaluations %+v", r.Safety, r.Evals)
			}
			if method == "adversarial" && (r.Before().RedTeam == nil || r.After().RedTeam == nil) {
				t.Fatal("adversarial training must track the red-team rate from step 0")
			}
			t.Logf("%s: triggered %.2f → %.2f, untriggered %.2f → %.2f", method,
				r.Before().Triggered.P, r.After().Triggered.P, r.Before().Untriggered.P, r.After().Untriggered.P)
			if rt := r.Before().RedTeam; rt != nil {
				t.Logf("red-team rate %.2f → %.2f over %d prompts", rt.P, r.After().RedTeam.P, rt.N)
			}
		})
	}
}

// TestGridSharesStage1: the RL setting of a grid copies stage 1 from its
// SFT sibling instead of training it again, and gets the same backdoored
// model.
func TestGridSharesStage1(t *testing.T) {
	if testing.Short() {
		t.Skip("training runs")
	}
	mkSpec := func(method, name string) Spec {
		s := tinySpec()
		s.Name = name
		s.Data = DataSpec{N: 1000, SafetyN: 300}
		s.BackdoorTraining = StageSpec{Steps: 40, BatchSize: 16, LR: 3e-3}
		s.Safety = SafetySpec{Method: method, StageSpec: StageSpec{Steps: 2, BatchSize: 8}, EvalEvery: 2,
			RL: RLSpec{RewardSteps: 5, Prompts: 2, Samples: 2, MaxNewTokens: 8}}
		s.Eval = EvalSpec{Prompts: 8, Samples: 1, MaxNewTokens: 8, HelpfulPrompts: 8}
		if err := s.Resolve(); err != nil {
			t.Fatal(err)
		}
		return s
	}
	g := Grid{Name: "share", Specs: []Spec{mkSpec("rl", "x-rl"), mkSpec("sft", "x")}}
	dir := t.TempDir()
	runs, err := RunGrid(context.Background(), g, dir, 1, false, func(s Spec, d string) *Runner { return &Runner{Spec: s, Dir: d} })
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(runs[0].Before(), runs[1].Before()) {
		// Same stage-1 weights and the same evaluation seed: identical step-0 evaluations.
		t.Fatalf("step-0 evaluations differ: %+v vs %+v", runs[0].Before(), runs[1].Before())
	}
	a, _ := os.ReadFile(filepath.Join(dir, "x", "seed-1", "checkpoints", "backdoor.safetensors"))
	b, _ := os.ReadFile(filepath.Join(dir, "x-rl", "seed-1", "checkpoints", "backdoor.safetensors"))
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Fatal("the RL setting did not receive the SFT setting's stage-1 checkpoint")
	}
	m, _ := os.ReadFile(filepath.Join(dir, "x-rl", "seed-1", "metrics.jsonl"))
	if bytes.Contains(m, []byte(`"stage":"backdoor"`)) {
		t.Fatal("the RL setting trained stage 1 itself")
	}
}
