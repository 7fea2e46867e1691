package gpt

import (
	"slices"
	"testing"
)

// TestFrozenViewAndMergedCopy: a frozen view computes the same logits as
// the model it was taken from, shares its base and keeps its adapters as
// they were when the model's adapters train on; a merged copy computes the
// same logits (to float32 rounding) without touching the model.
func TestFrozenViewAndMergedCopy(t *testing.T) {
	llama := Config{Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 16, NInner: 32, BlockSize: 16, VocabSize: 40, LayerNormEps: 1e-5, RopeTheta: 10000}
	for _, tc := range []struct {
		cfg     Config
		modules []string
		tying   bool
	}{
		{Config{NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 16, VocabSize: 40, LayerNormEps: 1e-5}, nil, false},
		{llama, nil, false},
		{llama, []string{"embed_tokens"}, false}, // a saved embedding: the view reads a frozen copy of it
		{llama, []string{"embed_tokens"}, true},  // one copy for both roles: merging writes the base's matrix
	} {
		cfg := tc.cfg
		m, err := New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		l, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4, ModulesToSave: tc.modules, EnsureWeightTying: tc.tying}, 2)
		if err != nil {
			t.Fatal(err)
		}
		for i := range l.Params {
			l.Params[i] += 0.05 * float32(i%7-3) // B nonzero: the adapters matter
		}
		b := &Batch{B: 1, T: 8, Tokens: []int32{1, 4, 9, 16, 25, 36, 7, 2}}
		logits := func(x *Model) []float32 {
			if _, err := x.Forward(b); err != nil {
				t.Fatal(err)
			}
			return slices.Clone(x.Logits())
		}
		want := logits(m)
		v := m.FrozenView()
		if got := logits(v); !slices.Equal(got, want) {
			t.Fatalf("%s: frozen view's logits differ", cfg.Arch)
		}
		if &v.Params.Data[0] != &m.Params.Data[0] || v.Grads != nil {
			t.Fatalf("%s: the view copies the base or has gradients", cfg.Arch)
		}
		c, err := m.MergedCopy()
		if err != nil {
			t.Fatal(err)
		}
		got := logits(c)
		for i := range got {
			if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%s: merged copy's logit %d is %g, want %g", cfg.Arch, i, got[i], want[i])
			}
		}
		if !slices.Equal(logits(m), want) || m.LoRA() != l || c.LoRA() != nil || &c.Params.Data[0] == &m.Params.Data[0] {
			t.Fatalf("%s: MergedCopy changed the model or shares its weights", cfg.Arch)
		}
		// The model's adapters train on; the view keeps the old ones.
		for i := range l.Params {
			l.Params[i] *= 2
		}
		if got := logits(v); !slices.Equal(got, want) {
			t.Fatalf("%s: the frozen view followed the model's adapters", cfg.Arch)
		}
	}
}

// TestMergedCopyOfBF16Base: the merged copy of a model whose base is held
// in BF16 is a float32 model computing the same logits (to float32
// rounding), and the BF16 model is unchanged.
func TestMergedCopyOfBF16Base(t *testing.T) {
	m, err := New(Config{Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 16, NInner: 32, BlockSize: 16, VocabSize: 40, LayerNormEps: 1e-5, RopeTheta: 10000}, 1)
	if err != nil {
		t.Fatal(err)
	}
	l, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Params {
		l.Params[i] += 0.05 * float32(i%7-3)
	}
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	b := &Batch{B: 1, T: 8, Tokens: []int32{1, 4, 9, 16, 25, 36, 7, 2}}
	logits := func(x *Model) []float32 {
		if _, err := x.Forward(b); err != nil {
			t.Fatal(err)
		}
		return slices.Clone(x.Logits())
	}
	want := logits(m)
	c, err := m.MergedCopy()
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseDType() == "bf16" || m.BaseDType() != "bf16" {
		t.Fatalf("copy base %q, model base %q", c.BaseDType(), m.BaseDType())
	}
	for i, v := range logits(c) {
		if d := v - want[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("logit %d: merged copy %g, model %g", i, v, want[i])
		}
	}
	if !slices.Equal(logits(m), want) {
		t.Fatal("MergedCopy changed the model")
	}
}
