package matmul

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks report GFLOP/s (2·M·N·K flops per call) per kernel:
//
//	go test ./matmul -run '^$' -bench . -count 3
//	go test ./matmul -run '^$' -bench 'Gemm/avx512/NN/1024' -count 5
//	go test -tags openblas ./matmul -run '^$' -bench .   # with OpenBLAS
//
// The machine is often shared: compare the best of several counts.

// Shapes (M, K, N) of a GPT-2-small-like training step: BT = 2048 rows,
// channels 256 or 1024, plus the classic square 1024³. NN is the forward
// matmul out = inp·W, NT the input gradient dinp = dout·Wᵀ. TN is the
// weight gradient dW = inpᵀ·dout, whose reduction runs over BT: it gets
// the same four shapes plus the ones it really has in training, with
// K = BT = 2048.
var benchShapes = [][3]int{{2048, 256, 256}, {2048, 256, 1024}, {2048, 1024, 256}, {1024, 1024, 1024}}

var weightGradShapes = [][3]int{{256, 2048, 256}, {256, 2048, 1024}, {1024, 2048, 256}}

// benchForms are the transpose forms of benchGemm with their shapes.
var benchForms = []struct {
	name           string
	transA, transB bool
	shapes         [][3]int
}{
	{"NN", false, false, benchShapes},
	{"NT", false, true, benchShapes},
	{"TN", true, false, append(benchShapes[:len(benchShapes):len(benchShapes)], weightGradShapes...)},
}

// gemmFunc is Gemm or GemmSerial (or OpenBLAS, in the openblas benchmarks).
type gemmFunc func(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// benchGemm times f on C[m×n] = op(A)[m×k]·op(B)[k×n] with packed leading
// dimensions and reports GFLOP/s (2·m·n·k flops per call).
func benchGemm(b *testing.B, f gemmFunc, transA, transB bool, m, k, n int) {
	rng := rand.New(rand.NewPCG(1, 1))
	a := randSlice(rng, m*k)
	bb := randSlice(rng, k*n)
	c := make([]float32, m*n)
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	f(transA, transB, m, n, k, a, lda, bb, ldb, 0, c, n) // warm the pools
	b.ResetTimer()
	for b.Loop() {
		f(transA, transB, m, n, k, a, lda, bb, ldb, 0, c, n)
	}
	b.ReportMetric(2*float64(m)*float64(n)*float64(k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// forEachKernelB runs a benchmark per kernel (all kernels this CPU has).
func forEachKernelB(b *testing.B, fn func(b *testing.B)) {
	defer SetKernel("")
	for _, name := range Kernels() {
		b.Run(name, func(b *testing.B) {
			if err := SetKernel(name); err != nil {
				b.Fatal(err)
			}
			fn(b)
		})
	}
}

func BenchmarkGemm(b *testing.B) {
	forEachKernelB(b, func(b *testing.B) {
		for _, f := range benchForms {
			for _, s := range f.shapes {
				b.Run(fmt.Sprintf("%s/%dx%dx%d", f.name, s[0], s[1], s[2]), func(b *testing.B) {
					benchGemm(b, Gemm, f.transA, f.transB, s[0], s[1], s[2])
				})
			}
		}
	})
}

// attentionShapes are GemmSerial calls of one attention head (T = 128,
// head size 64): scores q·kᵀ (NT, M=128 K=64 N=128) and p·v (NN, M=128
// K=128 N=64).
var attentionShapes = []struct {
	name           string
	transA, transB bool
	m, k, n        int
}{{"NT/128x64x128", false, true, 128, 64, 128}, {"NN/128x128x64", false, false, 128, 128, 64}}

func BenchmarkGemmSerial(b *testing.B) {
	forEachKernelB(b, func(b *testing.B) {
		for _, s := range attentionShapes {
			b.Run(s.name, func(b *testing.B) {
				benchGemm(b, GemmSerial, s.transA, s.transB, s.m, s.k, s.n)
			})
		}
	})
}

func BenchmarkDot(b *testing.B) {
	forEachKernelB(b, func(b *testing.B) {
		rng := rand.New(rand.NewPCG(2, 2))
		x, y := randSlice(rng, 4096), randSlice(rng, 4096)
		var s float32
		for b.Loop() {
			s += Dot(x, y)
		}
		b.ReportMetric(2*4096*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

func BenchmarkAxpy(b *testing.B) {
	forEachKernelB(b, func(b *testing.B) {
		rng := rand.New(rand.NewPCG(3, 3))
		x, y := randSlice(rng, 4096), randSlice(rng, 4096)
		for b.Loop() {
			Axpy(1e-3, x, y)
		}
		b.ReportMetric(2*4096*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	})
}

// BenchmarkBF16 times BF16.Gemm per BF16 path on the benchmark shapes (NN),
// beside which Gemm/<kernel>/NN is the FP32 rate.
func BenchmarkBF16(b *testing.B) {
	defer SetBF16Kernel("")
	for _, name := range BF16Kernels() {
		b.Run(name, func(b *testing.B) {
			if err := SetBF16Kernel(name); err != nil {
				b.Fatal(err)
			}
			for _, s := range benchShapes {
				b.Run(fmt.Sprintf("NN/%dx%dx%d", s[0], s[1], s[2]), func(b *testing.B) {
					benchGemm(b, BF16.Gemm, false, false, s[0], s[1], s[2])
				})
			}
		})
	}
}

// BenchmarkMicro times one micro-kernel call on panels resident in L1 (k =
// 256 steps), one thread: the arithmetic peak the kernel reaches, without
// packing or memory traffic. For avx512bf16 a step is a pair of k.
func BenchmarkMicro(b *testing.B) {
	bf16Kernel() // the AMX probe, which may add a path
	var ks []*kernel
	for _, k := range bf16Kernels {
		if k.pairs { // the others are the FP32 micro-kernels, listed next
			ks = append(ks, k)
		}
	}
	ks = append(ks, kernels...)
	for _, k := range ks {
		name := k.name
		if k.pairs {
			name += "-pairs"
		}
		b.Run(name, func(b *testing.B) {
			const steps = 256
			a := make([]float32, steps*k.mr)
			bb := make([]float32, steps*k.nr)
			for i := range a {
				a[i] = bf16Pair(0.5, 0.25, false)
			}
			for i := range bb {
				bb[i] = bf16Pair(0.5, 0.25, false)
			}
			c := make([]float32, k.mr*k.nr)
			for b.Loop() {
				k.micro(steps, &a[0], &bb[0], &c[0], k.nr, 0, &c[0], k.nr, &c[0])
			}
			flops := 2 * float64(k.mr*k.nr*steps)
			if k.pairs {
				flops *= 2
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
