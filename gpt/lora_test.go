package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// loraFamilies are one model per family for the adapter tests: GPT-2
// (Conv1D, fused c_attn) and a Llama with grouped-query attention, Q/K/V
// biases and an untied lm_head.
func loraFamilies() map[string]Config {
	return map[string]Config{
		"gpt2": {NLayer: 2, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 11, LayerNormEps: 1e-5},
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 8, NInner: 12, BlockSize: 8, VocabSize: 11,
			LayerNormEps: 1e-5, RopeTheta: 10000, QKVBias: true, Untied: true},
		"llama-tied": {Arch: ArchLlama, NLayer: 1, NHead: 2, NEmbd: 8, NInner: 12, BlockSize: 8, VocabSize: 11,
			LayerNormEps: 1e-5, RopeTheta: 10000},
	}
}

func loraBatch(rng *rand.Rand, cfg Config) *Batch { return randomBatch(rng, cfg.VocabSize, 2, 5) }

// TestLoRAZeroBIsBase: a fresh adapter (B = 0) leaves the logits bit for
// bit, in the full forward pass and in KV-cached decoding.
func TestLoRAZeroBIsBase(t *testing.T) {
	for name, cfg := range loraFamilies() {
		t.Run(name, func(t *testing.T) {
			m := testModelOf(t, cfg, 3)
			rng := rand.New(rand.NewPCG(1, 2))
			b := loraBatch(rng, cfg)
			if _, err := m.Forward(b); err != nil {
				t.Fatal(err)
			}
			base := slices.Clone(m.Logits())
			gBase, _ := m.Generate([][]int32{{1, 2, 3}}, GenerateOptions{MaxNewTokens: 4})
			if _, err := m.AttachLoRA(LoRAConfig{Rank: 4, Alpha: 8}, 1); err != nil {
				t.Fatal(err)
			}
			if m.Grads != nil {
				t.Fatal("the base still has a gradient buffer after AttachLoRA")
			}
			if _, err := m.Forward(b); err != nil {
				t.Fatal(err)
			}
			for i, v := range m.Logits() {
				if math.Float32bits(v) != math.Float32bits(base[i]) {
					t.Fatalf("logit %d: %v with a zero adapter, %v without", i, v, base[i])
				}
			}
			gLoRA, _ := m.Generate([][]int32{{1, 2, 3}}, GenerateOptions{MaxNewTokens: 4})
			if !slices.Equal(gLoRA[0].Tokens, gBase[0].Tokens) {
				t.Fatalf("generation %v with a zero adapter, %v without", gLoRA[0].Tokens, gBase[0].Tokens)
			}
		})
	}
}

// randomizeB gives every adapter a non-zero B, so that gradients flow
// through both factors.
func randomizeB(l *LoRA, rng *rand.Rand) {
	for i := range l.offsets {
		for j, b := 0, l.B(i); j < len(b); j++ {
			b[j] = float32(rng.NormFloat64() * 0.1)
		}
	}
}

// TestLoRAGradients checks by finite differences the gradient of the loss
// with respect to every adapter element, for every site of each family,
// with the base frozen; and, with dropout, that backward uses the mask of
// the forward pass it follows.
func TestLoRAGradients(t *testing.T) {
	for name, cfg := range loraFamilies() {
		for _, dropout := range []float64{0, 0.3} {
			t.Run(fmt.Sprintf("%s/dropout=%g", name, dropout), func(t *testing.T) {
				m := testModelOf(t, cfg, 5)
				l, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4, Dropout: dropout}, 9)
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(3, 4))
				randomizeB(l, rng)
				b := loraBatch(rng, cfg)
				// The same dropout mask for every evaluation.
				J := lossOf(t, m, b, func() { l.step, l.Training = 41, true })
				checkTensorGrads(t, m, J, l.TensorNames(), l.Offsets(), l.Params, func() []float32 { return l.Grads })
			})
		}
	}
}

// TestLoRAMerge: folding the adapters into the weights gives the logits of
// the unmerged model to float32 rounding, for Conv1D (GPT-2) and nn.Linear
// (Llama) layouts, tied and untied.
func TestLoRAMerge(t *testing.T) {
	for name, cfg := range loraFamilies() {
		t.Run(name, func(t *testing.T) {
			m := testModelOf(t, cfg, 7)
			l, err := m.AttachLoRA(LoRAConfig{Rank: 3, Alpha: 6}, 2)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 6))
			randomizeB(l, rng)
			b := loraBatch(rng, cfg)
			b.Targets, b.Mask = nil, nil
			if _, err := m.Forward(b); err != nil {
				t.Fatal(err)
			}
			adapted := slices.Clone(m.Logits())
			l.Enabled = false
			m.Forward(b)
			if maxAbsDiff(m.Logits(), adapted) < 1e-3 {
				t.Fatal("the adapter does not change the logits: the test would not see a wrong merge")
			}
			l.Enabled = true
			m.MergeLoRA()
			if m.LoRA() != nil {
				t.Fatal("MergeLoRA left the adapters attached")
			}
			m.Forward(b)
			d := maxAbsDiff(m.Logits(), adapted)
			t.Logf("merged vs unmerged: max |logit diff| %.2g", d)
			if d > 1e-5 {
				t.Fatalf("merged logits differ from the adapted model's by %.3g", d)
			}
		})
	}
}

// TestLoRAKVCache: decoding with adapters matches the full forward pass.
func TestLoRAKVCache(t *testing.T) {
	for name, cfg := range familyConfigs() {
		t.Run(name, func(t *testing.T) {
			m := testModelOf(t, cfg, 1)
			l, err := m.AttachLoRA(LoRAConfig{Rank: 4, Alpha: 8, Dropout: 0.1}, 3)
			if err != nil {
				t.Fatal(err)
			}
			randomizeB(l, rand.New(rand.NewPCG(7, 8)))
			testKVCacheMatchesForward(t, m) // dropout is off outside training
		})
	}
}
