package matmul

import "math"

// Rounding runs of float32 to bfloat16 for the BF16 packers. Each is a
// variable: the amd64 init swaps in VCVTNEPS2BF16 (AVX512-BF16), which
// rounds exactly as toBF16 does (to nearest even, subnormal inputs to zero
// of the same sign; NaN stays a NaN).

// cvtBF16 rounds src to bfloat16 into dst (RoundBF16's bits).
var cvtBF16 = cvtBF16Go

func cvtBF16Go(dst []uint16, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = toBF16(v)
	}
}

// pairBF16 packs pairs from two runs: dst[i] holds bf16(hi[i]) in its
// high half and bf16(lo[i]) in its low half (bf16Pair's bits).
var pairBF16 = pairBF16Go

func pairBF16Go(dst, hi, lo []float32) {
	dst, lo = dst[:len(hi)], lo[:len(hi)]
	for i, v := range hi {
		dst[i] = math.Float32frombits(uint32(toBF16(v))<<16 | uint32(toBF16(lo[i])))
	}
}

// pairSteps, where set, is pairBF16 over a whole panel in one call: for
// each pair step s < steps, slots d[s*width : s*width+rows] get the pairs
// of hi and lo's elements at s*xstride floats on, and the slots up to
// width zeros (width ≤ 32). nil: packPairs calls pairBF16 per step.
var pairSteps func(d []float32, hi, lo []float32, steps, xstride, rows, width int)

// cvtChunks, where set, rounds one row of an AMX A panel in one call: for
// c < chunks, the 32 bfloat16 at d[c*dstride:] are src[32c:32c+32]
// rounded, the last chunk's past last (1–32) zeros. nil: packAMXA rounds
// chunk by chunk with cvtBF16.
var cvtChunks func(d []uint16, src []float32, chunks, dstride, last int)

// pairRows, where set, packs a panel of rows whose k steps are contiguous
// in one pass: for each pair step s < (steps+1)/2, slot d[s*width+i] gets
// the pair (2s, 2s+1) of row i (x[i*ld+2s], x[i*ld+2s+1]; the odd last
// step's partner zero) for i < rows, and zero for rows ≤ i < width (≤ 32);
// step 2s in the low half when lowFirst, else the high. nil: packPairs
// rounds each row's piece with cvtBF16 and transposes the pieces.
var pairRows func(d []float32, width int, x []float32, ld, steps, rows int, lowFirst bool)

// swapHalves swaps the 16-bit halves of each slot of x: pairs with step
// 2s in the low half (as rounding a run of k steps lays them out) become
// pairs with it in the high half, the VDPBF16PS kernels' order.
var swapHalves = swapHalvesGo

func swapHalvesGo(x []float32) {
	for s, v := range x {
		b := math.Float32bits(v)
		x[s] = math.Float32frombits(b<<16 | b>>16)
	}
}

// roundBF16s rounds x to bfloat16 values in place (RoundBF16).
var roundBF16s = roundBF16sGo

func roundBF16sGo(x []float32) {
	for i, v := range x {
		x[i] = RoundBF16(v)
	}
}
