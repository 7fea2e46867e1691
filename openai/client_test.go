package openai

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A failing attempt (429, 5xx, a dropped connection) is retried with
// back-off; a client error (4xx) is not.
func TestClientRetries(t *testing.T) {
	var calls atomic.Int32
	fail := map[int32]int{1: 503, 2: 429} // attempt → status
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n == 3 { // drop the connection mid-response
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"id\""))
			conn.Close()
			return
		}
		if st, ok := fail[n]; ok {
			w.WriteHeader(st)
			fmt.Fprintf(w, `{"error":{"message":"try later","type":"server_error","param":null,"code":null}}`)
			return
		}
		fmt.Fprintf(w, `{"id":"cmpl-1","object":"text_completion","choices":[{"index":0,"text":"ok","finish_reason":"stop"}]}`)
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, Backoff: time.Millisecond}
	resp, err := c.Complete(context.Background(), CompletionRequest{Model: "m", Prompt: PromptList{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Text != "ok" || calls.Load() != 4 {
		t.Errorf("got %+v after %d calls, want ok after 4", resp, calls.Load())
	}

	calls.Store(0)
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":{"message":"bad","type":"invalid_request_error","param":"n","code":null}}`)
	}))
	defer bad.Close()
	_, err = (&Client{BaseURL: bad.URL + "/v1/", Backoff: time.Millisecond}).Complete(context.Background(), CompletionRequest{Model: "m"})
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.Status != 400 || *apiErr.Param != "n" || calls.Load() != 1 {
		t.Errorf("a 400 should fail at once with the server's error: %v after %d calls", err, calls.Load())
	}
}

// Retries stop at MaxRetries, and at once when the context ends.
func TestClientGivesUp(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(500)
	}))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, Backoff: time.Millisecond, MaxRetries: 2}
	if _, err := c.Models(context.Background()); err == nil || calls.Load() != 3 {
		t.Errorf("err %v after %d calls, want an error after 3", err, calls.Load())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := (&Client{BaseURL: srv.URL, Backoff: time.Hour}).Models(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
}

func TestStreamErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n")
		if !strings.HasPrefix(r.URL.Path, "/cut/") {
			io.WriteString(w, "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\",\"param\":null,\"code\":\"timeout\"}}\n\ndata: [DONE]\n\n")
		}
	}))
	defer srv.Close()
	for _, cut := range []bool{false, true} {
		c := &Client{BaseURL: srv.URL + "/v1"}
		if cut {
			c.BaseURL = srv.URL + "/cut/v1"
		}
		st, err := c.ChatStream(context.Background(), ChatRequest{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		ch, err := st.Next()
		if err != nil || *ch.Choices[0].Delta.Content != "hi" {
			t.Fatalf("first chunk %+v, %v", ch, err)
		}
		_, err = st.Next()
		var apiErr *Error
		switch {
		case cut && !errors.Is(err, io.ErrUnexpectedEOF):
			t.Errorf("a stream without [DONE] should end in ErrUnexpectedEOF, got %v", err)
		case !cut && !(errors.As(err, &apiErr) && *apiErr.Code == "timeout"):
			t.Errorf("an error event should be an *Error, got %v", err)
		}
		st.Close()
	}
}
