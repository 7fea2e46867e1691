//go:build amd64

package matmul

// Assembly packing for the AVX-512 (14×32) and AVX2 (6×16) kernels. The Go
// packing moves one float per iteration (~1 ns/float), which cost as much
// as the arithmetic itself for shapes like 2048×256×256 or the attention
// products; these move 8 or 16 lanes at a time (pack_*_amd64.s, generated
// by internal/asmgen). Gathers across rows (A untransposed into row panels,
// B transposed into column panels) go through register transposes (16×16
// or 8×8); the other layouts are row copies. Edges use masked loads: lanes
// past the last row or column are not read and come out as the zero
// padding. The slices passed to the assembly span exactly the elements it
// reads or writes, so Go's bounds checks on them vouch for its accesses.

//go:noescape
func transposeAVX512(dst *float32, dstStride int, src *float32, srcStride int, cols int, rows int, mask int)

//go:noescape
func copyRowsAVX512(dst *float32, dstStride int, src *float32, srcStride int, n int, lmask int, smask int)

// copyStrip is how many k steps of a transposed A block are copied per
// panel before moving to the next panel: with a power-of-two lda every row
// maps to the same L1 set, and 8 rows × a few lines per row stay within
// the 12 ways, so lines shared by neighbouring panels are still cached.
const copyStrip = 8

func packA14x32(dst []float32, transA bool, a []float32, lda, i0, mb, p0, kb, mr int) {
	const w = 14
	panels := (mb + w - 1) / w
	for s0 := 0; transA && s0 < kb; s0 += copyStrip {
		n := min(copyStrip, kb-s0)
		for r := 0; r < panels; r++ {
			rows := min(w, mb-r*w)
			d := dst[r*kb*w+s0*w : r*kb*w+(s0+n)*w]
			src := a[(p0+s0)*lda+i0+r*w : (p0+s0+n-1)*lda+i0+r*w+rows]
			copyRowsAVX512(&d[0], w, &src[0], lda, n, 1<<rows-1, 1<<w-1)
		}
	}
	for r := 0; !transA && r < panels; r++ {
		rows := min(w, mb-r*w)
		d := dst[r*kb*w : (r+1)*kb*w]
		src := a[(i0+r*w)*lda+p0 : (i0+r*w+rows-1)*lda+p0+kb]
		transposeAVX512(&d[0], w, &src[0], lda, kb, rows, 1<<w-1)
	}
}

func packB14x32(dst []float32, transB bool, b []float32, ldb, j0, nb, p0, k, nr int) {
	const w = 32
	for q := 0; q*w < nb; q++ {
		d := dst[q*k*w : (q+1)*k*w]
		cols := min(w, nb-q*w)
		base := j0 + q*w
		if !transB {
			src := b[p0*ldb+base : (p0+k-1)*ldb+base+cols]
			copyRowsAVX512(&d[0], w, &src[0], ldb, k, 1<<cols-1, 1<<w-1)
			continue
		}
		// Two 16-row transposes fill the two halves of each k step;
		// a half past the last column transposes zero rows (all zeros).
		lo := min(cols, 16)
		src := b[base*ldb+p0 : (base+lo-1)*ldb+p0+k]
		transposeAVX512(&d[0], w, &src[0], ldb, k, lo, 1<<16-1)
		if hi := cols - 16; hi > 0 {
			src = b[(base+16)*ldb+p0 : (base+cols-1)*ldb+p0+k]
			transposeAVX512(&d[16], w, &src[0], ldb, k, hi, 1<<16-1)
		} else {
			transposeAVX512(&d[16], w, &d[0], 0, k, 0, 1<<16-1)
		}
	}
}

//go:noescape
func transposeAVX2(dst *float32, dstStride int, src *float32, srcStride int, cols int, rows int, width int)

//go:noescape
func copyRowsAVX2(dst *float32, dstStride int, src *float32, srcStride int, n int, valid int, width int)

// packA6x16 and packB6x16 are the AVX2 packers for the 6×16 kernel, with
// 8×8 transposes and masked-load copies (AVX2 has no masked stores worth
// using, so rows are stored whole: 6 floats as 4+2, 16 as 2×8).
func packA6x16(dst []float32, transA bool, a []float32, lda, i0, mb, p0, kb, mr int) {
	const w = 6
	panels := (mb + w - 1) / w
	for s0 := 0; transA && s0 < kb; s0 += copyStrip {
		n := min(copyStrip, kb-s0)
		for r := 0; r < panels; r++ {
			rows := min(w, mb-r*w)
			d := dst[r*kb*w+s0*w : r*kb*w+(s0+n)*w]
			src := a[(p0+s0)*lda+i0+r*w : (p0+s0+n-1)*lda+i0+r*w+rows]
			copyRowsAVX2(&d[0], w, &src[0], lda, n, rows, w)
		}
	}
	for r := 0; !transA && r < panels; r++ {
		rows := min(w, mb-r*w)
		d := dst[r*kb*w : (r+1)*kb*w]
		src := a[(i0+r*w)*lda+p0 : (i0+r*w+rows-1)*lda+p0+kb]
		transposeAVX2(&d[0], w, &src[0], lda, kb, rows, w)
	}
}

func packB6x16(dst []float32, transB bool, b []float32, ldb, j0, nb, p0, k, nr int) {
	const w = 16
	for q := 0; q*w < nb; q++ {
		d := dst[q*k*w : (q+1)*k*w]
		cols := min(w, nb-q*w)
		base := j0 + q*w
		if !transB {
			src := b[p0*ldb+base : (p0+k-1)*ldb+base+cols]
			copyRowsAVX2(&d[0], w, &src[0], ldb, k, cols, w)
			continue
		}
		lo := min(cols, 8)
		src := b[base*ldb+p0 : (base+lo-1)*ldb+p0+k]
		transposeAVX2(&d[0], w, &src[0], ldb, k, lo, 8)
		if hi := cols - 8; hi > 0 {
			src = b[(base+8)*ldb+p0 : (base+cols-1)*ldb+p0+k]
			transposeAVX2(&d[8], w, &src[0], ldb, k, hi, 8)
		} else {
			transposeAVX2(&d[8], w, &d[0], 0, k, 0, 8)
		}
	}
}

//go:noescape
func transposeBF16AVX512(dst *float32, dstStride int, src *uint16, srcStride int, cols int, rows int, mask int)

// packB14x32BF16 is packB14x32 for a transposed B held in bfloat16 (the
// [out, in] weight of a linear layer): the same panels, each value widened
// as the transpose loads it, so the GEMM over a BF16 weight reads it once,
// at 2 bytes a value, and computes what it computes over the widened copy.
func packB14x32BF16(dst []float32, b []uint16, ldb, j0, nb, p0, k int) {
	const w = 32
	for q := 0; q*w < nb; q++ {
		d := dst[q*k*w : (q+1)*k*w]
		cols := min(w, nb-q*w)
		base := j0 + q*w
		lo := min(cols, 16)
		src := b[base*ldb+p0 : (base+lo-1)*ldb+p0+k]
		transposeBF16AVX512(&d[0], w, &src[0], ldb, k, lo, 1<<16-1)
		if hi := cols - 16; hi > 0 {
			src = b[(base+16)*ldb+p0 : (base+cols-1)*ldb+p0+k]
			transposeBF16AVX512(&d[16], w, &src[0], ldb, k, hi, 1<<16-1)
		} else {
			transposeAVX512(&d[16], w, &d[0], 0, k, 0, 1<<16-1) // zero rows: the padding
		}
	}
}

// transposeAVX512Slice is Transpose in 16-row strips, each one call of the
// register transpose storing only the strip's rows (Transpose has checked
// the extents; the slices below span exactly what the assembly touches).
func transposeAVX512Slice(dst []float32, ldd int, src []float32, lds, rows, cols int) {
	for r0 := 0; r0 < rows; r0 += 16 {
		n := min(16, rows-r0)
		d := dst[r0 : (cols-1)*ldd+r0+n]
		s := src[r0*lds : (r0+n-1)*lds+cols]
		transposeAVX512(&d[0], ldd, &s[0], lds, cols, n, 1<<n-1)
	}
}
