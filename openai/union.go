package openai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
)

// StopList is the "stop" field: a string or an array of strings on the
// wire (null or absent: none).
type StopList []string

// UnmarshalJSON accepts a string, an array of strings or null.
func (s *StopList) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*s = nil
		return nil
	}
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = StopList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return &FieldError{Field: "stop", Code: "invalid_type", Msg: "stop must be a string or an array of strings"}
	}
	*s = many
	return nil
}

// Content is a message's text. Requests may send a string or an array of
// content parts; only "text" parts are accepted (this is a text model).
// It is always written as a string.
type Content string

// UnmarshalJSON accepts a string, null or an array of text parts.
func (c *Content) UnmarshalJSON(b []byte) error {
	if isNull(b) {
		*c = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*c = Content(s)
		return nil
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if err := json.Unmarshal(b, &parts); err != nil {
		return &FieldError{Field: "messages", Code: "invalid_type", Msg: "content must be a string or an array of text parts"}
	}
	var sb strings.Builder
	for _, p := range parts {
		if p.Type != "text" {
			return &FieldError{Field: "messages", Code: "unsupported", Msg: fmt.Sprintf("content part of type %q is not supported (text only)", p.Type)}
		}
		sb.WriteString(p.Text)
	}
	*c = Content(sb.String())
	return nil
}

// PromptList is the "prompt" field of /v1/completions: a string or an array
// of strings. Token-id prompts (an array of integers, or of arrays of
// them) are refused: clients of other tokenizers would send ids that mean
// nothing to this model.
type PromptList []string

// UnmarshalJSON accepts a string or an array of strings.
func (p *PromptList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*p = PromptList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err == nil {
		*p = many
		return nil
	}
	var ids []json.Number
	var idLists [][]json.Number
	if json.Unmarshal(b, &ids) == nil || json.Unmarshal(b, &idLists) == nil {
		return &FieldError{Field: "prompt", Code: "unsupported",
			Msg: "token-id prompts are not supported: send the prompt as text (a string or an array of strings)"}
	}
	return &FieldError{Field: "prompt", Code: "invalid_type", Msg: "prompt must be a string or an array of strings"}
}

// FieldError is a request field that decodes but cannot be accepted; a
// server answers it with a 400 naming the field.
type FieldError struct {
	Field, Code, Msg string
}

func (e *FieldError) Error() string { return e.Msg }

// MarshalJSON writes one prompt as a plain string, as most clients do.
func (p PromptList) MarshalJSON() ([]byte, error) {
	if len(p) == 1 {
		return json.Marshal(p[0])
	}
	return json.Marshal([]string(p))
}

func isNull(b []byte) bool { return bytes.Equal(bytes.TrimSpace(b), []byte("null")) }
