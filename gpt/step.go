package gpt

import (
	"math/rand/v2"
	"slices"
)

// Finish reasons of a generated sequence.
const (
	FinishStop   = "stop"   // a stop token or stop string ended it
	FinishLength = "length" // it reached its token budget or the context
)

// Step is the per-token decision of decoding, the one Generate and the
// server's engine both make: sample from the row of logits, end at a stop
// token, keep the token, end at a stop string, end at the length budget
// or the context.
type Step struct {
	Sampler      *Sampler
	MaxNewTokens int     // most new tokens per sequence
	Context      int     // the model's context (Config.BlockSize)
	StopTokens   []int32 // end a sequence when sampled; not kept
	// Adjust, if set, changes the row before sampling, and Sampled sees
	// every sampled token, stop tokens included (the server's logit_bias
	// and penalties).
	Adjust  func(row []float32)
	Sampled func(tok int32)
}

// Next decides one step of a sequence that has kept n tokens and holds
// cached positions in its KV cache. keep is called with a sampled token
// that is not a stop token, once it is kept, and reports whether the text
// now holds a stop string. Next returns the sampled token (-1 when the
// budget was already spent) and the finish reason, "" to go on.
func (st *Step) Next(row []float32, rng *rand.Rand, n, cached int, keep func(tok int32) (stop bool)) (int32, string) {
	if n >= st.MaxNewTokens {
		return -1, FinishLength
	}
	if st.Adjust != nil {
		st.Adjust(row)
	}
	tok := st.Sampler.Sample(row, rng)
	if st.Sampled != nil {
		st.Sampled(tok)
	}
	if slices.Contains(st.StopTokens, tok) {
		return tok, FinishStop
	}
	if keep(tok) {
		return tok, FinishStop
	}
	if n+1 >= st.MaxNewTokens || cached >= st.Context {
		return tok, FinishLength
	}
	return tok, ""
}
