package matmul

// Dot returns Σ x[i]*y[i] over len(x) elements (y must be at least as long).
// The summation order is fixed for a given kernel and length.
func Dot(x, y []float32) float32 { return active.Load().dot(x, y) }

// Axpy computes y[i] += alpha*x[i] over len(x) elements.
func Axpy(alpha float32, x, y []float32) { active.Load().axpy(alpha, x, y) }

// ColSums adds the first rows rows of src (stride ld) into dst, column by
// column: dst[j] += src[i*ld+j] for i = 0, 1, …, rows-1 in turn, j <
// len(dst). Each addition is rounded as it is made, so the result is bit
// for bit that of Axpy(1, src[i*ld:i*ld+len(dst)], dst) row after row; the
// kernels keep each column's running sum in a register instead of storing
// and reloading dst for every row.
func ColSums(dst, src []float32, rows, ld int) {
	if rows <= 0 || len(dst) == 0 {
		return
	}
	if ld < len(dst) || len(src) < (rows-1)*ld+len(dst) {
		panic("matmul: ColSums: src too small")
	}
	k := active.Load()
	if k.colSums != nil {
		k.colSums(dst, src, rows, ld)
		return
	}
	n := len(dst)
	for i := range rows { // the kernel's Axpy, one row at a time
		k.axpy(1, src[i*ld:i*ld+n], dst)
	}
}
