package experiment

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestSortJobsSourcesFirst: in the local pool's order every run comes
// after the runs it waits for (its cot run, the run whose stage 1 it
// copies), and every run that waits comes after all that do not, of every
// seed, so no worker idles while an independent run is left.
func TestSortJobsSourcesFirst(t *testing.T) {
	g, err := PaperGrid([]string{"tiny"}, []uint64{1, 2, 3}, []string{"sft", "rl"}, false)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := linkDistilled(&g, dir); err != nil {
		t.Fatal(err)
	}
	var jobs []job
	for _, sp := range g.Specs {
		for _, seed := range sp.Seeds {
			jobs = append(jobs, job{sp, seed, filepath.Join(dir, sp.Name)})
		}
	}
	siblings := stage1Siblings(g, dir)
	sortJobs(jobs, siblings)
	at := map[string]int{}
	key := func(d string, seed uint64) string { return fmt.Sprintf("%s/%d", d, seed) }
	for i, j := range jobs {
		at[key(j.dir, j.seed)] = i
	}
	waiting := false
	for i, j := range jobs {
		deps := []string{siblings[j.spec.Name]}
		if f := j.spec.Data.DistillFrom; f != DistillNone {
			deps = append(deps, f)
		}
		waits := false
		for _, d := range deps {
			if d == "" {
				continue
			}
			waits = true
			if k, ok := at[key(d, j.seed)]; !ok || k > i {
				t.Errorf("%s seed %d comes before %s, which it waits for", j.spec.Name, j.seed, d)
			}
		}
		if waiting && !waits {
			t.Errorf("%s seed %d waits for nothing but comes after runs that wait", j.spec.Name, j.seed)
		}
		waiting = waiting || waits
	}
}
