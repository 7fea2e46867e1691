package matmul

import "fmt"

// GemmBiasNTBF16 is GemmBias(false, true, m, n, k, a, lda, W, ldw, bias,
// src, ldsrc, c, ldc) with W, n×k, held in bfloat16 (row stride ldw): a
// linear layer over BF16 weights for a few rows of input (decoding a batch
// of sequences). It gives GemmBias's bits over W widened to float32, but
// never widens all of W. With AVX-512 the GEMM packs W's panels straight
// from BF16 (packB14x32BF16): W is read once, at 2 bytes a weight. Other
// kernels (and products the GEMM cuts along k) cut the columns of C into
// blocks instead, and each thread widens one block's rows of W (nb×k
// floats, sized to stay in L2) and multiplies them on its own, so the
// widened copy never goes to memory either.
//
// Blocks change no bits: every element of C is the micro-kernel's chain
// over the same kc blocks of k whatever n is, and a block's columns start
// on micro-panel boundaries as in the whole product. A product that the
// whole GEMM would cut along k (splitK) while a block would not, or the
// other way round, is computed over the whole widened W instead.
func GemmBiasNTBF16(m, n, k int, a []float32, lda int, w []uint16, ldw int, bias, src []float32, ldsrc int, c []float32, ldc int) {
	gemmBiasNTBF16(m, n, k, a, lda, w, ldw, bias, src, ldsrc, c, ldc, Threads())
}

// bf16BlockFloats is the widened block's size in floats (1 MiB): with the
// packed copy the GEMM makes of it, it stays in a 2 MiB L2.
var bf16BlockFloats = 1 << 18 // a variable so tests can force many blocks

func gemmBiasNTBF16(m, n, k int, a []float32, lda int, w []uint16, ldw int, bias, src []float32, ldsrc int, c []float32, ldc int, threads int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("matmul: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	if n > 0 && k > 0 && (ldw < k || len(w) < (n-1)*ldw+k) {
		panic(fmt.Sprintf("matmul: W too small: %d×%d stored, ld=%d len=%d", n, k, ldw, len(w)))
	}
	if bias != nil && len(bias) < n {
		panic(fmt.Sprintf("matmul: bias has %d values for n=%d", len(bias), n))
	}
	if src != nil && m > 0 && (ldsrc < n || len(src) < (m-1)*ldsrc+n) {
		panic(fmt.Sprintf("matmul: src too small: m=%d n=%d ldsrc=%d len=%d", m, n, ldsrc, len(src)))
	}
	if m == 0 || n == 0 {
		return
	}
	kern := active.Load()
	ep := epilogue{bias: bias, src: src, ldsrc: ldsrc}
	if kern.packB16 != nil && k > 0 && splitK(m, n, k, kern.kc) == 1 {
		// The kernel packs B straight from BF16: the GEMM itself, W read
		// once by its pack tasks.
		checkOperand("A", false, m, k, a, lda)
		if ldc < n || len(c) < (m-1)*ldc+n {
			panic(fmt.Sprintf("matmul: C too small: m=%d n=%d ldc=%d len=%d", m, n, ldc, len(c)))
		}
		j := jobPool.Get().(*gemmJob)
		j.b16 = w // before setup, which may start helpers
		j.setup(kern, false, true, m, n, k, a, lda, nil, ldw, ep, c, ldc, threads)
		j.run()
		j.release()
		jobPool.Put(j)
		return
	}
	nr := kern.nr
	panels := (n + nr - 1) / nr
	// Blocks: as few as the size allows, a multiple of the thread count so
	// that every thread gets as many, and of whole micro-panels.
	blocks := max(1, (k*panels*nr+bf16BlockFloats-1)/bf16BlockFloats)
	blocks = max(1, min(panels, (blocks+threads-1)/threads*threads))
	nb := (panels + blocks - 1) / blocks * nr // columns per block
	blocks = (n + nb - 1) / nb
	last := n - (blocks-1)*nb
	g := splitK(m, n, k, kern.kc)
	if k == 0 || splitK(m, nb, k, kern.kc) != g || splitK(m, last, k, kern.kc) != g {
		wide := getBuf(max(1, n*k))
		for j := range n {
			WidenBF16((*wide)[j*k:(j+1)*k], w[j*ldw:j*ldw+k])
		}
		gemmEx(kern, false, true, m, n, k, a, lda, *wide, k, ep, c, ldc, threads)
		putBuf(wide)
		return
	}
	checkOperand("A", false, m, k, a, lda)
	if ldc < n || len(c) < (m-1)*ldc+n {
		panic(fmt.Sprintf("matmul: C too small: m=%d n=%d ldc=%d len=%d", m, n, ldc, len(c)))
	}
	ParallelFor(blocks, threads, func(lo, hi int) {
		wide := getBuf(nb * k)
		defer putBuf(wide)
		for blk := lo; blk < hi; blk++ {
			j0 := blk * nb
			cols := min(nb, n-j0)
			for j := range cols {
				WidenBF16((*wide)[j*k:(j+1)*k], w[(j0+j)*ldw:(j0+j)*ldw+k])
			}
			e := ep
			if e.bias != nil {
				e.bias = e.bias[j0:]
			}
			if e.src != nil {
				e.src = e.src[j0:]
			}
			gemmEx(kern, false, true, m, cols, k, a, lda, *wide, k, e, c[j0:], ldc, 1)
		}
	})
}
