package matmul

import (
	"runtime"
	"testing"
)

// TestPeakLoops runs each throughput loop this CPU has and checks its
// accumulators (runLoop): n iterations of 12 chains leave n·perLane in
// every one, 0 for n = 0. MeasurePeak then reports a positive rate, and
// none for a kind the CPU lacks.
func TestPeakLoops(t *testing.T) {
	if runtime.GOARCH == "amd64" && len(peakLoops) == 0 && Kernel() != "generic" {
		t.Fatalf("kernel %s but no fp32 peak loop", Kernel())
	}
	for _, loop := range allPeakLoops {
		for _, n := range []int{0, 1, 7, 1000} {
			var out [12]float32
			loop.run(n, &out)
			for i, v := range out {
				if want := float32(n) * loop.perLane; v != want {
					t.Fatalf("%s, n=%d: accumulator %d = %g, want %g", loop.name, n, i, v, want)
				}
			}
		}
	}
	for kind, loop := range peakLoops {
		p, ok, err := MeasurePeak(kind, 2, 1)
		if err != nil || !ok || p.GFLOPs <= 0 || p.Threads != 2 || p.Instruction != loop.name {
			t.Fatalf("MeasurePeak(%s) = %+v, %v, %v", kind, p, ok, err)
		}
		t.Logf("%s: %.1f GFLOP/s on 2 threads (%s)", kind, p.GFLOPs, p.Instruction)
	}
	if _, ok, err := MeasurePeak("fp64", 1, 1); ok || err != nil {
		t.Fatalf("MeasurePeak(fp64): ok=%v err=%v, want neither", ok, err)
	}
}
