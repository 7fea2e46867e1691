package experiment

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// RunStatus is where one seed's run stands: read from its run directory,
// and, when it was submitted to Slurm, from the scheduler.
type RunStatus struct {
	Name string
	Dir  string
	Seed uint64
	// Stage is "done", "safety", "backdoor" or "" (not started).
	Stage string
	// Step of Steps is the last step the stage logged; a killed run
	// resumes from its last checkpoint at or before it.
	Step, Steps int
	// Job is the Slurm task that runs it (12_3) and JobState its state in
	// squeue (or sacct), both empty when the scheduler does not know it.
	Job, JobState string
}

// Status reads the state of every run under dir: a grid's (GridFile, or
// every subdirectory with a spec) or one spec's. With ctx's scheduler
// available (squeue), it adds each run's Slurm task and state from the last
// submission.
func Status(ctx context.Context, dir string) ([]RunStatus, error) {
	dir, err := filepath.Abs(dir) // the submission names absolute directories
	if err != nil {
		return nil, err
	}
	var specs []Spec
	var dirs []string
	switch {
	case exists(filepath.Join(dir, GridFile)):
		g, err := LoadGrid(dir)
		if err != nil {
			return nil, err
		}
		for _, sp := range g.Specs {
			specs, dirs = append(specs, sp), append(dirs, filepath.Join(dir, sp.Name))
		}
	case exists(filepath.Join(dir, SpecFile)):
		sp, err := LoadRun(dir)
		if err != nil {
			return nil, err
		}
		specs, dirs = []Spec{sp}, []string{dir}
	default:
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			sub := filepath.Join(dir, e.Name())
			if e.IsDir() && exists(filepath.Join(sub, SpecFile)) {
				sp, err := LoadRun(sub)
				if err != nil {
					return nil, err
				}
				specs, dirs = append(specs, sp), append(dirs, sub)
			}
		}
		if len(specs) == 0 {
			return nil, fmt.Errorf("%s holds no run (no %s, no %s)", dir, GridFile, SpecFile)
		}
	}
	var out []RunStatus
	for i, sp := range specs {
		for _, seed := range sp.Seeds {
			st, err := seedStatus(sp, dirs[i], seed)
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
	}
	return out, addJobs(ctx, dir, out)
}

// seedStatus reads one seed's state.json and the last line of its
// metrics.jsonl.
func seedStatus(sp Spec, dir string, seed uint64) (RunStatus, error) {
	rs := RunStatus{Name: sp.Name, Dir: dir, Seed: seed}
	sd := filepath.Join(dir, fmt.Sprintf("seed-%d", seed))
	var st seedState
	if err := readJSONIfExists(filepath.Join(sd, "state.json"), &st); err != nil {
		return rs, err
	}
	switch {
	case st.SafetyDone:
		rs.Stage = "done"
		return rs, nil
	case st.BackdoorDone:
		rs.Stage, rs.Steps = "safety", sp.Safety.Steps
	}
	f, err := os.Open(filepath.Join(sd, "metrics.jsonl"))
	if errors.Is(err, os.ErrNotExist) {
		return rs, nil
	}
	if err != nil {
		return rs, err
	}
	defer f.Close()
	var last struct {
		Stage string `json:"stage"`
		Step  int    `json:"step"`
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	for sc.Scan() {
		_ = json.Unmarshal(sc.Bytes(), &last) // a line cut by a kill keeps the one before
	}
	if last.Stage == "backdoor" && !st.BackdoorDone {
		rs.Stage, rs.Step, rs.Steps = "backdoor", last.Step, sp.BackdoorTraining.Steps
	} else if strings.HasPrefix(last.Stage, "safety") && st.BackdoorDone {
		rs.Step = last.Step
	}
	return rs, sc.Err()
}

// addJobs fills in each run's Slurm task from dir's last submission and
// the scheduler's queue (and its accounting, where that runs). Without
// Slurm or a submission it adds nothing.
func addJobs(ctx context.Context, dir string, runs []RunStatus) error {
	var sub Submission
	if err := readJSONIfExists(filepath.Join(dir, "slurm", SubmissionFile), &sub); err != nil || sub.Report == "" {
		return err
	}
	idx := map[string]int{} // "dir\x00seed" -> runs index
	for i, r := range runs {
		idx[fmt.Sprintf("%s\x00%d", filepath.Clean(r.Dir), r.Seed)] = i
	}
	byTask := map[string]int{} // "12_3" -> runs index
	for _, a := range sub.Arrays {
		for t, r := range a.Runs {
			if i, ok := idx[fmt.Sprintf("%s\x00%d", filepath.Clean(r.Dir), r.Seed)]; ok {
				id := fmt.Sprintf("%s_%d", a.Job, t)
				runs[i].Job, byTask[id] = id, i
			}
		}
	}
	queue, err := SlurmQueue(ctx)
	if errors.Is(err, ErrNoSlurm) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, q := range queue {
		for _, id := range expandTasks(q.ID) {
			if i, ok := byTask[id]; ok {
				runs[i].JobState = q.State
			}
		}
	}
	// Tasks no longer queued: their end state, where accounting runs.
	var ended []string
	for id, i := range byTask {
		if runs[i].JobState == "" {
			ended = append(ended, id)
		}
	}
	for id, state := range slurmAccounting(ctx, ended) {
		if i, ok := byTask[id]; ok {
			runs[i].JobState = state
		}
	}
	return nil
}

// expandTasks turns squeue's 12_[3-5,7%2] into 12_3 12_4 12_5 12_7, and
// returns any other id as it is.
func expandTasks(id string) []string {
	job, rest, ok := strings.Cut(id, "_[")
	if !ok {
		return []string{id}
	}
	rest, _, _ = strings.Cut(strings.TrimSuffix(rest, "]"), "%")
	var out []string
	for _, part := range strings.Split(rest, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil || b-a > 1<<20 {
			continue
		}
		for t := a; t <= b; t++ {
			out = append(out, fmt.Sprintf("%s_%d", job, t))
		}
	}
	return out
}

// slurmAccounting asks sacct for the states of the given tasks. A cluster
// without accounting (sacct missing, failing, or saying accounting storage
// is disabled) gives nothing.
func slurmAccounting(ctx context.Context, ids []string) map[string]string {
	if len(ids) == 0 {
		return nil
	}
	if _, err := exec.LookPath("sacct"); err != nil {
		return nil
	}
	out, err := exec.CommandContext(ctx, "sacct", "-n", "-P", "-X", "-o", "JobID,State", "-j", strings.Join(ids, ",")).CombinedOutput()
	if err != nil || bytes.Contains(out, []byte("disabled")) {
		return nil
	}
	states := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if id, state, ok := strings.Cut(line, "|"); ok {
			states[id], _, _ = strings.Cut(state, " ") // "CANCELLED by 0"
		}
	}
	return states
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
