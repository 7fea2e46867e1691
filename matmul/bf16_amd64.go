//go:build amd64

package matmul

import "golang.org/x/sys/cpu"

// The amd64 BF16 paths. avx512bf16 is the AVX-512 kernel's 14×32 tile
// with VDPBF16PS (kernel_bf16_amd64.s): one instruction does two k steps
// for 16 columns. Where the CPU lacks AVX512-BF16, the FP32 FMA kernels
// compute the same bits from panels rounded to bfloat16 as they are packed
// (at FP32 speed, without the Go kernel's slowness).
var avx512BF16Kernel = &kernel{
	name:  "avx512bf16",
	mr:    14,
	nr:    32,
	kc:    bf16KC,
	mc:    14 * 9,
	micro: kernBF16AVX512,
	pairs: true,
	packA: packAPairs,
	packB: packBPairs,
}

var avx512RoundKernel = &kernel{
	name:  "avx512",
	mr:    14,
	nr:    32,
	kc:    bf16KC,
	mc:    14 * 9,
	micro: kernAVX512,
	packA: roundPacked(packA14x32),
	packB: roundPacked(packB14x32),
}

var avx2RoundKernel = &kernel{
	name:  "avx2",
	mr:    6,
	nr:    16,
	kc:    bf16KC,
	mc:    6 * 24,
	micro: kernAVX2,
	packA: roundPacked(packA6x16),
	packB: roundPacked(packB6x16),
}

func init() {
	var ks []*kernel
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BF16 {
		ks = append(ks, avx512BF16Kernel)
	}
	if cpu.X86.HasAVX512F {
		ks = append(ks, avx512RoundKernel)
	}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		ks = append(ks, avx2RoundKernel)
	}
	bf16Kernels = append(ks, bf16Kernels...)
}

// kernBF16AVX512 is a microKernel over pair-packed panels: k counts pairs.
//
//go:noescape
func kernBF16AVX512(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)
