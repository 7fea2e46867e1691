//go:build amd64

package matmul

import "golang.org/x/sys/cpu"

//go:noescape
func fmaLoopAVX512(n int, out *[12]float32)

//go:noescape
func fmaLoopAVX2(n int, out *[12]float32)

//go:noescape
func dpbf16LoopAVX512(n int, out *[12]float32)

func init() {
	fma512 := peakLoop{"VFMADD231PS zmm", 12 * 16 * 2, 1, fmaLoopAVX512}
	fma256 := peakLoop{"VFMADD231PS ymm", 12 * 8 * 2, 1, fmaLoopAVX2}
	// Each lane of VDPBF16PS adds two products: 4 FLOPs per lane.
	dpbf16 := peakLoop{"VDPBF16PS zmm", 12 * 16 * 4, 2, dpbf16LoopAVX512}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		peakLoops["fp32"] = fma256
		allPeakLoops = append(allPeakLoops, fma256)
	}
	if cpu.X86.HasAVX512F {
		peakLoops["fp32"] = fma512
		allPeakLoops = append(allPeakLoops, fma512)
	}
	if cpu.X86.HasAVX512F && cpu.X86.HasAVX512BF16 {
		peakLoops["bf16"] = dpbf16
		allPeakLoops = append(allPeakLoops, dpbf16)
	}
}
