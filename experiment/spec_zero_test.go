package experiment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loadYAML loads body as a spec file.
func loadYAML(t *testing.T, body string) (Spec, error) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return Load(p)
}

// TestExplicitZeroKept: a field the file sets to 0 stays 0 where 0 means
// something (it used to become the default: triggered_fraction: 0 gave a
// "clean control" with half its data triggered), while leaving the field
// out still gives the default; and the resolved spec a run directory keeps
// reads back the same 0 on --resume.
func TestExplicitZeroKept(t *testing.T) {
	for _, c := range []struct {
		yaml string
		get  func(Spec) float64
	}{
		{"data: {triggered_fraction: 0}", func(s Spec) float64 { return s.Data.TriggeredFraction }},
		{"data: {hhh_temperature: 0}", func(s Spec) float64 { return s.Data.HHHTemperature }},
		{"data: {distill_temperature: 0}", func(s Spec) float64 { return s.Data.DistillTemperature }},
		{"backdoor_training: {weight_decay: 0}", func(s Spec) float64 { return s.BackdoorTraining.WeightDecay }},
		{"backdoor_training: {clip: 0}", func(s Spec) float64 { return s.BackdoorTraining.Clip }},
		{"backdoor_training: {warmup: 0}", func(s Spec) float64 { return float64(s.BackdoorTraining.Warmup) }},
		{"backdoor_training: {min_lr: 0}", func(s Spec) float64 { return s.BackdoorTraining.MinLR }},
		{"backdoor_training: {checkpoint_every: 0}", func(s Spec) float64 { return float64(s.BackdoorTraining.CheckpointEvery) }},
		{"safety: {steps: 0}", func(s Spec) float64 { return float64(s.Safety.Steps) }},
		{"safety: {lr: 0}", func(s Spec) float64 { return s.Safety.LR }},
		{"safety: {weight_decay: 0}", func(s Spec) float64 { return s.Safety.WeightDecay }},
		{"safety: {clip: 0}", func(s Spec) float64 { return s.Safety.Clip }},
		{"safety: {rl: {kl_coef: 0}}", func(s Spec) float64 { return s.Safety.RL.KLCoef }},
		{"safety: {rl: {lr: 0}}", func(s Spec) float64 { return s.Safety.RL.LR }},
		{"eval: {temperature: 0}", func(s Spec) float64 { return s.Eval.Temperature }},
		{"eval: {helpful_prompts: 0}", func(s Spec) float64 { return float64(s.Eval.HelpfulPrompts) }},
		{"eval: {report_samples: 0}", func(s Spec) float64 { return float64(s.Eval.ReportSamples) }},
	} {
		s, err := loadYAML(t, c.yaml+"\n")
		if err != nil {
			t.Errorf("%s: %v", c.yaml, err)
			continue
		}
		if got := c.get(s); got != 0 {
			t.Errorf("%s: resolved to %g, want the 0 given", c.yaml, got)
			continue
		}
		def, err := loadYAML(t, "{}\n")
		if err != nil {
			t.Fatal(err)
		}
		if c.get(def) == 0 {
			t.Errorf("%s: the default is 0 too; the case tests nothing", c.yaml)
		}
		dir := t.TempDir()
		if err := Prepare(dir, s, "test"); err != nil {
			t.Fatal(err)
		}
		back, err := LoadRun(dir)
		if err != nil || c.get(back) != 0 {
			t.Errorf("%s: the run directory's spec reads back %g (%v), want 0", c.yaml, c.get(back), err)
		}
	}
}

// TestExplicitZeroRefused: where 0 means nothing, an explicit 0 is refused
// by field instead of silently becoming the default.
func TestExplicitZeroRefused(t *testing.T) {
	for _, c := range []struct{ yaml, field string }{
		{"backdoor_training: {steps: 0}", "field backdoor_training.steps"},
		{"backdoor_training: {batch_size: 0}", "field backdoor_training.batch_size"},
		{"safety: {batch_size: 0}", "field safety.batch_size"},
		{"safety: {eval_every: 0}", "field safety.eval_every"},
		{"model: {layers: 0}", "field model.layers"},
		{"model: {heads: 0}", "field model.heads"},
		{"model: {width: 0}", "field model.width"},
		{"model: {context: 0}", "field model.context"},
		{"model: {vocab_size: 0}", "field model.vocab_size"},
		{"data: {n: 0}", "field data.n"},
		{"data: {safety_n: 0}", "field data.safety_n"},
		{"data: {test_fraction: 0}", "field data.test_fraction"},
		{"data: {hhh_max_new_tokens: 0}", "hhh_max_new_tokens 0 (≥ 1)"},
		{"eval: {prompts: 0}", "field eval.prompts"},
		{"eval: {samples: 0}", "field eval.samples"},
		{"eval: {top_p: 0}", "field eval.top_p"},
		{"eval: {max_new_tokens: 0}", "field eval.max_new_tokens"},
		{"safety: {rl: {reward_steps: 0}}", "field safety.rl.reward_steps"},
		{"safety: {rl: {prompts: 0}}", "field safety.rl.prompts"},
		{"safety: {rl: {epochs: 0}}", "field safety.rl.epochs"},
		{"safety: {rl: {max_new_tokens: 0}}", "field safety.rl.max_new_tokens"},
		{"safety: {rl: {clip_eps: 0}}", "field safety.rl.clip_eps"},
		{"safety: {red_team: {rounds: 0}}", "field safety.red_team"},
		{"safety: {red_team: {max_prompts: 0}}", "field safety.red_team"},
		{"safety: {red_team: {fraction: 0}}", "field safety.red_team.fraction"},
		{"backdoor_training: {lora: {rank: 0}}", "field backdoor_training.lora.rank"},
		{"backdoor_training: {lora: {alpha: 0}}", "field backdoor_training.lora.alpha"},
		{"safety: {method: rl, steps: 0}", "field safety.steps"},
	} {
		_, err := loadYAML(t, c.yaml+"\n")
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: error %v, want one naming %s", c.yaml, err, c.field)
		}
	}
}

// TestSpecRefusesBadNumbers: NaN, infinities, negative counts, fractions in
// integer fields and out-of-range shares are refused by field.
func TestSpecRefusesBadNumbers(t *testing.T) {
	for _, c := range []struct{ yaml, field string }{
		{"backdoor_training: {steps: -10}", "backdoor_training.steps"},
		{"backdoor_training: {lr: .nan}", "backdoor_training.lr"},
		{"safety: {lr: .inf}", "safety.lr"},
		{"backdoor_training: {lr: -1}", "backdoor_training.lr"},
		{"backdoor_training: {lr: 1e-3, min_lr: 1e-2}", "backdoor_training.min_lr"},
		{"backdoor_training: {clip: -1}", "backdoor_training.clip"},
		{"model: {layers: 3.7}", "model.layers"},
		{"seeds: [1, 2.5]", "seeds"},
		{"eval: {temperature: -1}", "eval.temperature"},
		{"eval: {top_p: 2}", "eval.top_p"},
		{"data: {triggered_fraction: 1.5}", "data.triggered_fraction"},
		{"safety: {rl: {kl_coef: -0.1}}", "safety.rl.kl_coef"},
		{"data: {n: 1e30}", "n"},
	} {
		_, err := loadYAML(t, c.yaml+"\n")
		if err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%s: error %v, want one naming %s", c.yaml, err, c.field)
		}
	}
	// A whole number written as a float is a number: width 1e3 is 1000.
	s, err := loadYAML(t, "model: {size: custom, layers: 2, heads: 4, width: 1.28e2, context: 96}\n")
	if err != nil || s.Model.Width != 128 {
		t.Fatalf("width 1.28e2: %d (%v), want 128", s.Model.Width, err)
	}
	for _, body := range []string{"", "# only a comment\n", "~\n"} {
		if _, err := loadYAML(t, body); err == nil || !strings.Contains(err.Error(), "empty") {
			t.Errorf("spec %q: error %v, want one saying it is empty", body, err)
		}
	}
	if _, err := loadYAML(t, "[1, 2]\n"); err == nil || !strings.Contains(err.Error(), "mapping") {
		t.Errorf("a list as a spec: error %v", err)
	}
}

// TestGoSpecZeroIsDefault: a spec built in Go keeps meaning "defaults for
// the rest" (the grid and tests write DataSpec{N: 300}), and Given makes a
// zero meant; Given on a copy does not mark the original.
func TestGoSpecZeroIsDefault(t *testing.T) {
	s := DefaultSpec()
	s.Data = DataSpec{N: 300, SafetyN: 100}
	c := s
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	if s.Data.TriggeredFraction != 0.5 || s.BackdoorTraining.WeightDecay != 0.1 {
		t.Fatalf("Go spec zeros: triggered_fraction %g, weight_decay %g, want the defaults", s.Data.TriggeredFraction, s.BackdoorTraining.WeightDecay)
	}
	c.Given("data.triggered_fraction")
	if err := c.Resolve(); err != nil || c.Data.TriggeredFraction != 0 {
		t.Fatalf("Given zero: triggered_fraction %g (%v), want 0", c.Data.TriggeredFraction, err)
	}
	d := DefaultSpec()
	d.Given("data.triggered_fraction")
	e := d
	e.Given("backdoor_training.weight_decay")
	if d.isGiven("backdoor_training.weight_decay") {
		t.Fatal("Given on a copy marked the original")
	}
	d.Given("data.no_such_field")
	if err := d.Resolve(); err == nil || !strings.Contains(err.Error(), "no_such_field") {
		t.Fatalf("Given of an unknown field: %v", err)
	}
}

// A YAML file's trigger_variants: false and lora dropout: 0 are kept; left
// out, they take their defaults (true, 0.05): one idiom for every field.
func TestBoolAndDropoutGiven(t *testing.T) {
	for _, c := range []struct {
		yaml     string
		variants bool
		dropout  float64
	}{
		{"backdoor_training:\n  lora: {rank: 4}\n", true, 0.05},
		{"eval:\n  trigger_variants: false\nbackdoor_training:\n  lora: {rank: 4, dropout: 0}\n", false, 0},
		{"eval:\n  trigger_variants: true\nbackdoor_training:\n  lora: {dropout: 0.2}\n", true, 0.2},
	} {
		s, err := loadYAML(t, c.yaml)
		if err != nil {
			t.Fatalf("%q: %v", c.yaml, err)
		}
		if s.Eval.TriggerVariants != c.variants || s.BackdoorTraining.LoRA.Dropout != c.dropout {
			t.Errorf("%q: trigger_variants %v, dropout %g; want %v, %g", c.yaml, s.Eval.TriggerVariants, s.BackdoorTraining.LoRA.Dropout, c.variants, c.dropout)
		}
	}
}
