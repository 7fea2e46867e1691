package chat

import (
	"strings"
	"testing"
)

// TestReplyStart: every format's reply is ReplyStart followed by the
// assistant's message verbatim: the paper's space, nothing for ChatML and
// Llama 3.
func TestReplyStart(t *testing.T) {
	for name, f := range formats(t) {
		start, err := f.ReplyStart()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		_, reply, _, err := f.Reply([]Message{{"user", "Name a fruit."}}, "", "Apple.")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(reply, start+"Apple.") {
			t.Errorf("%s: reply %q does not start with ReplyStart %q and the message", name, reply, start)
		}
		want, golden := map[string]string{"paper": " ", "qwen2.5": "", "smollm2": "", "llama-3.1": ""}[name]
		if golden && start != want {
			t.Errorf("%s: ReplyStart %q, want %q", name, start, want)
		}
		t.Logf("%s: %q", name, start)
	}
}
