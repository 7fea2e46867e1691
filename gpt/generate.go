package gpt

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
)

// GenerateOptions control decoding.
type GenerateOptions struct {
	MaxNewTokens int     // most tokens to add per sequence (also capped by the context)
	Temperature  float32 // 0: greedy
	TopK         int     // 0: no cut
	TopP         float32 // 0 or 1: no cut
	// Seed makes sampling reproducible. Sequence i draws from its own
	// generator seeded by (Seed, i), so a sequence's output does not depend on
	// what else is in the batch.
	Seed uint64
	// SeedOffset is added to the sequence index: a caller that splits one
	// set of prompts into batches passes each batch's start, so prompt j
	// always draws from (Seed, j).
	SeedOffset uint64
	// StopTokens end a sequence when generated (e.g. end-of-text); the stop
	// token is not included in the output.
	StopTokens []int32
	// StopStrings end a sequence once its decoded text contains one; the text
	// is cut before it. They need Decode.
	StopStrings []string
	Decode      func([]int32) string
	// OnToken, if set, is called after each sequence's new token (streaming).
	OnToken func(seq int, token int32)
}

// Generation is one sequence's result.
type Generation struct {
	Tokens       []int32 // new tokens, without the prompt
	Text         string  // Decode(Tokens) cut at a stop string; empty without Decode
	FinishReason string  // "stop" (stop token or string) or "length"
	// StopToken is the stop token sampled when one ended the sequence, else
	// -1: a model with several (a chat model's EOS and end-of-turn tokens)
	// learns which one it wrote.
	StopToken int32
}

// Generate continues each prompt with KV-cached decoding, all sequences in
// one batch per step.
func (m *Model) Generate(prompts [][]int32, opts GenerateOptions) ([]Generation, error) {
	if len(opts.StopStrings) > 0 && opts.Decode == nil {
		return nil, errors.New("gpt: stop strings need a Decode function")
	}
	for i, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("gpt: prompt %d is empty", i)
		}
		if len(p) > m.Config.BlockSize {
			return nil, fmt.Errorf("gpt: prompt %d has %d tokens, more than the context (%d)", i, len(p), m.Config.BlockSize)
		}
	}
	N, V := len(prompts), m.Config.VocabSize
	// Room for the longest sequence this call can make: its prompt, then
	// at most max(1, MaxNewTokens) tokens, of which the last is never cached.
	maxT := 0
	for _, p := range prompts {
		maxT = max(maxT, len(p)+max(1, opts.MaxNewTokens))
	}
	kv := m.generationCache(N, min(maxT, m.Config.BlockSize))
	defer m.releaseCache(kv)
	out := make([]Generation, N)
	for i := range out {
		out[i].StopToken = -1
	}
	rngs := make([]*rand.Rand, N)
	for i := range rngs {
		rngs[i] = rand.New(rand.NewPCG(opts.Seed, opts.SeedOffset+uint64(i)))
	}
	step := Step{Sampler: &Sampler{Temperature: opts.Temperature, TopK: opts.TopK, TopP: opts.TopP},
		MaxNewTokens: opts.MaxNewTokens, Context: m.Config.BlockSize, StopTokens: opts.StopTokens}
	logits := make([]float32, N*V)
	cut := make([]bool, N) // Text already set by a stop string

	active := make([]int, N)
	for i := range active {
		active[i] = i
	}
	next := prompts
	for len(active) > 0 {
		if err := m.Extend(kv, active, next, logits); err != nil {
			return nil, err
		}
		var still []int
		var nextToks [][]int32
		for k, i := range active {
			g := &out[i]
			tok, finish := step.Next(logits[k*V:(k+1)*V], rngs[i], len(g.Tokens), kv.Len[i], func(tok int32) bool {
				g.Tokens = append(g.Tokens, tok)
				if opts.OnToken != nil {
					opts.OnToken(i, tok)
				}
				cut[i] = len(opts.StopStrings) > 0 && cutAtStop(g, opts)
				return cut[i]
			})
			if finish != "" {
				g.FinishReason = finish
				if finish == FinishStop && !cut[i] {
					g.StopToken = tok
				}
				continue
			}
			still = append(still, i)
			nextToks = append(nextToks, []int32{tok})
		}
		active, next = still, nextToks
	}
	if opts.Decode != nil {
		for i := range out {
			if !cut[i] {
				out[i].Text = opts.Decode(out[i].Tokens)
			}
		}
	}
	return out, nil
}

// cutAtStop decodes the sequence so far and, if a stop string occurs, keeps
// the text before the earliest one.
func cutAtStop(g *Generation, opts GenerateOptions) bool {
	text := opts.Decode(g.Tokens)
	cut := -1
	for _, s := range opts.StopStrings {
		if s == "" {
			continue
		}
		if i := strings.Index(text, s); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	if cut < 0 {
		return false
	}
	g.Text = text[:cut]
	return true
}
