package chat

import "fmt"

// Format is a model's chat format: its template and the special tokens the
// template writes.
type Format struct {
	Name     string
	Template *Template
	Tokens   SpecialTokens
	// EndOfTurn is the marker the template writes after an assistant
	// message, which training must teach the model to emit; empty means
	// Tokens.EOS (true of Llama 3 Instruct's <|eot_id|>, ChatML's
	// <|im_end|>, Mistral's and TinyLlama's </s>, the paper's
	// <|endoftext|>).
	EndOfTurn string
	// Vars are extra template variables for every rendering (see Input).
	Vars map[string]any
}

// Load reads the chat format of a Hugging Face model directory.
func Load(dir string) (*Format, error) {
	c, err := ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	t, err := ParseTemplate(c.Template)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.TemplateSource, err)
	}
	return &Format{Name: dir, Template: t, Tokens: c.Tokens}, nil
}

// EndOfTurnMarker is the marker ending an assistant turn: EndOfTurn, or
// the EOS token.
func (f *Format) EndOfTurnMarker() string {
	if f.EndOfTurn != "" {
		return f.EndOfTurn
	}
	return f.Tokens.EOS
}

// Render renders messages, with the assistant's header after them when
// addGenerationPrompt is set.
func (f *Format) Render(msgs []Message, addGenerationPrompt bool) (string, error) {
	return f.Template.Render(Input{
		Messages: msgs, AddGenerationPrompt: addGenerationPrompt,
		Tokens: f.Tokens, Vars: f.Vars,
	})
}
