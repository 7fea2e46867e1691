package chat

import (
	"fmt"
	"strings"
)

// Encoder turns text into token ids, recognising special tokens (such as
// "<|eot_id|>" or "\n\nHuman:") in the text as their single ids and adding
// no BOS of its own: the template writes bos_token where the model wants
// it, as apply_chat_template(tokenize=True) relies on.
type Encoder interface {
	Encode(text string) []int32
}

// Example is one supervised chat example.
type Example struct {
	System     string // optional system message
	Prompt     string // the user's message
	Completion string // the assistant's reply
}

// Sequence is a tokenized training example.
type Sequence struct {
	IDs []int32
	// Mask is true exactly on the assistant's reply and the end-of-turn
	// marker after it: the tokens the loss trains.
	Mask []bool
	// PromptLen is the number of tokens before the reply (the prompt the
	// model sees at inference, generation header included) and End the
	// index after the end-of-turn marker; Mask is true on [PromptLen, End).
	PromptLen, End int
}

// Sequence renders ex as a conversation and tokenizes it for training.
//
// The prompt is rendered with add_generation_prompt, exactly as at
// inference, and must be a prefix of the rendering of the whole
// conversation (templates that alter earlier turns once a reply follows
// fail here, with an error). The rest is the reply: the assistant's text
// and the end-of-turn marker are trained; anything the template writes
// after the marker must be white space (ChatML's newline) and is not. The
// prompt, reply and trailing text are encoded separately, so the prompt's
// tokens are the ones inference feeds.
func (f *Format) Sequence(enc Encoder, ex Example) (Sequence, error) {
	var msgs []Message
	if ex.System != "" {
		msgs = append(msgs, Message{Role: "system", Content: ex.System})
	}
	msgs = append(msgs, Message{Role: "user", Content: ex.Prompt})
	prompt, trained, trailing, err := f.Reply(msgs, "", ex.Completion)
	if err != nil {
		return Sequence{}, err
	}
	if want := strings.TrimSpace(ex.Completion); !strings.Contains(trained, want) {
		return Sequence{}, fmt.Errorf("chat: %s: the reply renders as %q, which does not contain the completion %q", f.Name, trained, want)
	}
	p, r, t := enc.Encode(prompt), enc.Encode(trained), enc.Encode(trailing)
	s := Sequence{PromptLen: len(p), End: len(p) + len(r)}
	s.IDs = append(append(append(make([]int32, 0, len(p)+len(r)+len(t)), p...), r...), t...)
	s.Mask = make([]bool, len(s.IDs))
	for i := s.PromptLen; i < s.End; i++ {
		s.Mask[i] = true
	}
	return s, nil
}

// Reply renders the conversation msgs followed by the assistant's message
// content, and splits it where inference and training need it: prompt is
// msgs rendered with the generation prompt, followed by opened (the start
// of the reply that the prompt already holds, such as an opened
// scratchpad; "" for none); reply is the rest of the assistant's turn
// through the end-of-turn marker; trailing is what the template writes
// after the marker, which must be white space. A template whose prompt is
// not a prefix of the whole conversation is an error: the reply's tokens
// could not be told apart.
func (f *Format) Reply(msgs []Message, opened, content string) (prompt, reply, trailing string, err error) {
	gen, err := f.Render(msgs, true)
	if err != nil {
		return "", "", "", err
	}
	prompt = gen + opened
	full, err := f.Render(append(msgs[:len(msgs):len(msgs)], Message{Role: "assistant", Content: content}), false)
	if err != nil {
		return "", "", "", err
	}
	if !strings.HasPrefix(full, prompt) {
		return "", "", "", fmt.Errorf("chat: %s: the prompt rendered with add_generation_prompt is not a prefix of the conversation with the reply "+
			"(they differ from byte %d: %q vs %q), so the reply's tokens cannot be told apart", f.Name, commonPrefix(prompt, full),
			snippet(prompt, commonPrefix(prompt, full)), snippet(full, commonPrefix(prompt, full)))
	}
	rest := full[len(prompt):]
	eot := f.EndOfTurnMarker()
	if eot == "" {
		return "", "", "", fmt.Errorf("chat: %s: no end-of-turn marker: set Format.EndOfTurn or an eos_token", f.Name)
	}
	i := strings.LastIndex(rest, eot)
	if i < 0 {
		return "", "", "", fmt.Errorf("chat: %s: the template writes no end-of-turn marker %q after the assistant's reply (reply renders as %q)", f.Name, eot, rest)
	}
	reply, trailing = rest[:i+len(eot)], rest[i+len(eot):]
	if strings.TrimSpace(trailing) != "" {
		return "", "", "", fmt.Errorf("chat: %s: the template writes %q after the end-of-turn marker %q", f.Name, trailing, eot)
	}
	return prompt, reply, trailing, nil
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// snippet is up to 40 bytes of s from i.
func snippet(s string, i int) string {
	return s[i:min(len(s), i+40)]
}
