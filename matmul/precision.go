package matmul

import "fmt"

// Precision is the arithmetic of a product: FP32 (the default, bit for bit
// the package's Gemm) or BF16 (operands rounded to bfloat16, sums in
// float32: see bf16.go), for mixed-precision training.
type Precision uint8

const (
	FP32 Precision = iota
	BF16
)

// ParsePrecision reads a precision's name: "f32" (or "fp32", "float32", ""
// for the default) or "bf16".
func ParsePrecision(s string) (Precision, error) {
	switch s {
	case "", "f32", "fp32", "float32":
		return FP32, nil
	case "bf16", "bfloat16":
		return BF16, nil
	}
	return FP32, fmt.Errorf("unknown compute precision %q (want f32 or bf16)", s)
}

func (p Precision) String() string {
	if p == BF16 {
		return "bf16"
	}
	return "f32"
}

func (p Precision) kernel() *kernel {
	if p == BF16 {
		return bf16Kernel()
	}
	return active.Load()
}

// Gemm is the package's Gemm in precision p.
func (p Precision) Gemm(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmEx(p.kernel(), transA, transB, m, n, k, a, lda, b, ldb, epilogue{beta: beta}, c, ldc, Threads())
}

// GemmSerial is GemmSerial in precision p.
func (p Precision) GemmSerial(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmEx(p.kernel(), transA, transB, m, n, k, a, lda, b, ldb, epilogue{beta: beta}, c, ldc, 1)
}

// GemmBias is GemmBias in precision p (bias and src are added in float32).
func (p Precision) GemmBias(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, bias, src []float32, ldsrc int, c []float32, ldc int) {
	gemmEx(p.kernel(), transA, transB, m, n, k, a, lda, b, ldb, epilogue{bias: bias, src: src, ldsrc: ldsrc}, c, ldc, Threads())
}
