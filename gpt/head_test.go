package gpt

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// headTestModel is TestGradModel's tiny GPT with enlarged weights, and a
// random batch with targets and 0/1 weights.
func headTestModel(t *testing.T) (*Model, *Batch, *rand.Rand) {
	t.Helper()
	cfg := Config{NLayer: 2, NHead: 2, NEmbd: 8, BlockSize: 6, VocabSize: 11, LayerNormEps: 1e-5}
	m, err := New(cfg, 43)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(15, 16))
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.3)
	}
	B, T := 2, 5
	b := &Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T), Mask: make([]float32, B*T)}
	for i := range b.Tokens {
		b.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
		b.Targets[i] = int32(rng.IntN(cfg.VocabSize))
		b.Mask[i] = float32(rng.IntN(2))
	}
	b.Mask[0] = 1
	return m, b, rng
}

// TestBackwardHiddenGrad checks, by finite differences on every parameter,
// the gradient of J = LM loss + Σ R·hidden (a linear head on the final
// hidden states), and of the head term alone (Forward without targets).
func TestBackwardHiddenGrad(t *testing.T) {
	for _, withLM := range []bool{true, false} {
		m, b, rng := headTestModel(t)
		if !withLM {
			b.Targets, b.Mask = nil, nil
		}
		R := randSlice(rng, b.B*b.T*m.Config.NEmbd, 1)
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
		grads := slices.Clone(m.Grads.Data)
		for i, s := range m.Params.Specs() {
			g := grads[m.Params.Offsets()[i]:m.Params.Offsets()[i+1]]
			checkGrad(t, s.Name, m.Params.Tensor(i), g, J)
		}
	}
}

// TestBackwardHiddenNil: with no head gradient BackwardHidden is Backward,
// bit for bit.
func TestBackwardHiddenNil(t *testing.T) {
	m, b, _ := headTestModel(t)
	if _, err := m.Forward(b); err != nil {
		t.Fatal(err)
	}
	m.ZeroGrad()
	if err := m.Backward(); err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(m.Grads.Data)
	if _, err := m.Forward(b); err != nil {
		t.Fatal(err)
	}
	m.ZeroGrad()
	if err := m.BackwardHidden(nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(want, m.Grads.Data) {
		t.Fatal("BackwardHidden(nil) differs from Backward")
	}
	if err := m.BackwardHidden(make([]float32, 3)); err == nil {
		t.Fatal("a hidden gradient of the wrong size was accepted")
	}
}

// TestReweight: Forward with one set of weights, Reweight to another,
// Backward gives the same bits as a Forward with the second set, including
// negative weights (policy-gradient advantages) and an explicit norm.
func TestReweight(t *testing.T) {
	m, b, rng := headTestModel(t)
	w := make([]float32, len(b.Mask))
	for i := range w {
		w[i] = float32(rng.NormFloat64())
	}
	for _, norm := range []float32{0, 7} {
		ref := *b
		ref.Mask, ref.Norm = w, norm
		if _, err := m.Forward(&ref); err != nil {
			t.Fatal(err)
		}
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(m.Grads.Data)
		if _, err := m.Forward(b); err != nil {
			t.Fatal(err)
		}
		if err := m.Reweight(w, norm); err != nil {
			t.Fatal(err)
		}
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(want, m.Grads.Data) {
			t.Fatalf("norm %g: Reweight+Backward differs from Forward with the weights", norm)
		}
	}
	if err := m.Reweight(w[:3], 1); err == nil {
		t.Fatal("weights of the wrong size were accepted")
	}
}

// A hidden-states-only pass gives the full pass's hidden states and, from a
// head's gradient, the same parameter gradients, bit for bit, for both
// families; it refuses targets and leaves no logits to misread.
func TestHiddenOnlyForward(t *testing.T) {
	for fam, cfg := range familyConfigs() {
		t.Run(fam, func(t *testing.T) {
			m := testModelOf(t, cfg, 8)
			rng := rand.New(rand.NewPCG(3, 4))
			B, T := 3, 7
			full := &Batch{B: B, T: T, Tokens: make([]int32, B*T)}
			for i := range full.Tokens {
				full.Tokens[i] = int32(rng.IntN(cfg.VocabSize))
			}
			dh := make([]float32, B*T*cfg.NEmbd)
			for i := range dh {
				dh[i] = float32(rng.NormFloat64())
			}
			run := func(b *Batch) (hidden, grads []float32) {
				t.Helper()
				if _, err := m.Forward(b); err != nil {
					t.Fatal(err)
				}
				hidden = slices.Clone(m.Hidden())
				m.ZeroGrad()
				if err := m.BackwardHidden(dh); err != nil {
					t.Fatal(err)
				}
				return hidden, slices.Clone(m.Grads.Data)
			}
			wantH, wantG := run(full)
			if m.Logits() == nil {
				t.Fatal("a full pass left no logits")
			}
			only := *full
			only.HiddenOnly = true
			gotH, gotG := run(&only)
			if len(gotH) != len(wantH) || bitsDiffer(gotH, wantH) >= 0 || bitsDiffer(gotG, wantG) >= 0 {
				t.Error("hidden states or gradients differ from the full pass's")
			}
			if m.Logits() != nil || m.Losses() != nil {
				t.Error("logits or losses readable after a hidden-states-only pass")
			}
			only.Targets = make([]int32, B*T)
			if _, err := m.Forward(&only); err == nil {
				t.Error("a hidden-states-only batch with targets was accepted")
			}
		})
	}
}
