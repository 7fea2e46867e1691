package matmul

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"
)

// The measured peak: what the cores' multiply-add units deliver at the
// clock they actually run at, from a loop of independent chains with no
// memory traffic. A nominal peak (cores × cpuinfo's MHz × FLOPs per cycle)
// misses turbo under a hypervisor, which reports the base clock, and the
// width of the datapath (Zen 4 runs AVX-512 on 256-bit units); this is the
// ceiling a kernel's GFLOP/s is honestly compared with.

// peakLoop is one throughput loop: run(n, out) does n iterations of
// flops floating-point operations each and leaves lane 0 of its 12
// accumulators in out, each equal to n·perLane.
type peakLoop struct {
	name    string  // the instruction, for the report
	flops   float64 // per iteration
	perLane float32 // each accumulator's gain per iteration
	run     func(n int, out *[12]float32)
}

// peakLoops maps "fp32" and "bf16" to the widest loop this CPU runs
// (peak_amd64.go); absent where there is none.
var peakLoops = map[string]peakLoop{}

// allPeakLoops holds every loop the CPU can run, the narrower ones too,
// for the tests.
var allPeakLoops []peakLoop

// Peak is a measured peak.
type Peak struct {
	GFLOPs      float64 // all threads together
	Instruction string  // e.g. "VFMADD231PS zmm"
	Threads     int
}

// MeasurePeak times the throughput loop of kind ("fp32" or "bf16") on
// threads OS threads at once and returns the best of reps runs (the
// peak is a capacity, and noise only ever slows a run down). ok is false
// where the CPU has no such loop (BF16 without AVX512-BF16; any kind off
// amd64; AMX is not measured, its nominal rate stands).
func MeasurePeak(kind string, threads, reps int) (p Peak, ok bool, err error) {
	loop, ok := peakLoops[kind]
	if !ok {
		return Peak{}, false, nil
	}
	threads, reps = max(1, threads), max(1, reps)
	// One call does at most 2^22/perLane iterations, so its counts stay
	// exact in float32; calibrate the calls for about 20 ms on one thread.
	n := int(float32(1<<22) / loop.perLane)
	calls := 1
	for {
		t0 := time.Now()
		if err := runLoop(loop, n, calls); err != nil {
			return Peak{}, true, err
		}
		if d := time.Since(t0); d > 5*time.Millisecond {
			calls = max(1, int(float64(calls)*float64(20*time.Millisecond)/float64(d)+0.5))
			break
		}
		calls *= 4
	}
	var best float64
	for range reps {
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make([]error, threads)
		for t := range threads {
			wg.Go(func() {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				<-start
				errs[t] = runLoop(loop, n, calls)
			})
		}
		t0 := time.Now()
		close(start)
		wg.Wait()
		d := time.Since(t0)
		if err := errors.Join(errs...); err != nil {
			return Peak{}, true, err
		}
		best = max(best, float64(threads*calls*n)*loop.flops/d.Seconds()/1e9)
	}
	return Peak{GFLOPs: best, Instruction: loop.name, Threads: threads}, true, nil
}

// runLoop makes calls calls of n iterations, checking after each that
// every accumulator holds n·perLane: the loop did the work it is timed for.
func runLoop(loop peakLoop, n, calls int) error {
	want := float32(n) * loop.perLane // exact: below 2^24
	for range calls {
		var out [12]float32
		loop.run(n, &out)
		if i := slices.IndexFunc(out[:], func(v float32) bool { return v != want }); i >= 0 {
			return fmt.Errorf("matmul: %s peak loop: accumulator %d holds %g after %d iterations, want %g", loop.name, i, out[i], n, want)
		}
	}
	return nil
}
