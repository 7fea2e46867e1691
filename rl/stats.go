package rl

// StepStats describe one RL step. Reward, KL and Entropy are measured on
// the step's rollouts, before its update.
type StepStats struct {
	Step   int     `json:"step"`   // steps done, 1-based
	Reward float64 `json:"reward"` // mean reward-model score
	// KL is the mean over completions of Σₜ KL(π(·|s_t)‖π_ref(·|s_t)), exact
	// at each sampled position, in nats per completion.
	KL float64 `json:"kl"`
	// Objective is Reward − KLCoef·KL: what PPO with a KL penalty maximises.
	Objective float64 `json:"objective"`
	Entropy   float64 `json:"entropy"`    // mean per-token entropy of the policy, nats
	Length    float64 `json:"length"`     // mean completion length in tokens (end-of-text included)
	ClipFrac  float64 `json:"clip_frac"`  // share of action gradients zeroed by the clip
	ApproxKL  float64 `json:"approx_kl"`  // mean (ρ−1) − log ρ over the update: how far it moved
	ValueLoss float64 `json:"value_loss"` // gae only
	LR        float64 `json:"lr"`
	// RolloutTokensPerSec is sampled tokens per second of batched
	// KV-cached decoding; UpdateTokensPerSec is sequence tokens (prompt and
	// completion, no padding) per second of the update's forward and
	// backward passes, epochs counted. ScoreSeconds covers the reward
	// model and the policy and reference forward passes that give log π_old,
	// log π_ref, the KL and the entropy.
	RolloutTokensPerSec float64 `json:"rollout_tokens_per_s"`
	UpdateTokensPerSec  float64 `json:"update_tokens_per_s"`
	RolloutSeconds      float64 `json:"rollout_s"`
	ScoreSeconds        float64 `json:"score_s"`
	UpdateSeconds       float64 `json:"update_s"`
	// PeakRSSMiB is the process's peak resident memory so far.
	PeakRSSMiB float64 `json:"peak_rss_mib"`
}

// Hook runs after every Every-th step (Every ≤ 1: each step) and after the
// last; evaluation of the backdoor rates attaches here. An error stops
// training.
type Hook struct {
	Name   string
	Every  int
	OnStep func(step int, st StepStats) error
}

// summarise fills the rollout's statistics into st.
func (r *rollout) summarise(st *StepStats, beta float64) {
	N := len(r.seqs)
	var reward, kl, ent float64
	tokens := 0
	for i := range N {
		reward += float64(r.scores[i])
		for k := range r.kl[i] {
			kl += float64(r.kl[i][k])
			ent += float64(r.entropy[i][k])
		}
		tokens += len(r.kl[i])
	}
	st.Reward, st.KL = reward/float64(N), kl/float64(N)
	st.Entropy = ent / float64(max(tokens, 1))
	st.Length = float64(tokens) / float64(N)
	st.Objective = st.Reward - beta*st.KL
}
