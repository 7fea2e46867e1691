package matmul

// splitK returns into how many k ranges a product is cut (1: not cut).
//
// A small C with a long k (the weight gradients, inputᵀ·dout with k =
// batch×time) has little C to split between threads, and whatever way C
// is split, both cores pack and stream the same long panels of A and B:
// the packed buffers then bounce between the cores' caches, and two
// threads ran such products barely faster than one. Cutting k instead
// gives each range its own private packing; the partial products are added
// in range order. The cut depends only on the shape and the kernel, never
// on the thread count, so results stay the same on any number of threads.
func splitK(m, n, k, kc int) int {
	if m*n > 1<<18 || k < 4*kc {
		return 1
	}
	return min(4, k/(2*kc))
}

// gemmSplitK computes the product as the sum of g partial products over
// equal k ranges K_g, computed in parallel, then adds them in order
// g = 0, 1, … and applies the epilogue to the sum.
func gemmSplitK(kern *kernel, g int, transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, ep epilogue, c []float32, ldc int, threads int) {
	parts := getBuf(g * m * n)
	p := *parts
	ParallelFor(g, threads, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			k0, k1 := split(k, g, i)
			// The k range starts k0 columns (stored untransposed) or k0
			// rows (transposed) in; zero-size operands stay empty.
			sa, sb := a, b
			switch {
			case transA && len(a) > 0:
				sa = a[k0*lda:]
			case len(a) > 0:
				sa = a[k0:]
			}
			switch {
			case transB && len(b) > 0:
				sb = b[k0:]
			case len(b) > 0:
				sb = b[k0*ldb:]
			}
			gemmEx(kern, transA, transB, m, n, k1-k0, sa, lda, sb, ldb, epilogue{}, p[i*m*n:(i+1)*m*n], n, max(1, threads/g))
		}
	})
	ParallelFor(m, threads, func(lo, hi int) {
		for q := 1; q < g; q++ {
			for i := lo; i < hi; i++ {
				Axpy(1, p[q*m*n+i*n:q*m*n+(i+1)*n], p[i*n:(i+1)*n])
			}
		}
		finishRows(c, ldc, p, m*n, n, lo, hi, ep)
	})
	putBuf(parts)
}
