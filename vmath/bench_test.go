package vmath

import (
	"math/rand/v2"
	"testing"
)

// Benchmarks at n = 2²⁰ elements (4 MiB per array: beyond L2, in L3), one
// sub-benchmark per kernel plus "scalar", the Go code vmath replaces.
// SetBytes counts the bytes read and written, so MB/s is memory traffic;
// ns/elem is the per-element cost. Keep -benchtime short on a shared box:
//
//	go test ./vmath -run '^$' -bench . -benchtime 200ms
const benchN = 1 << 20

// benchKernels runs fn per kernel and then the scalar baseline.
func benchKernels(b *testing.B, bytesPerElem int, fn func(b *testing.B), scalar func(b *testing.B)) {
	defer SetKernel("")
	run := func(name string, f func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(bytesPerElem * benchN))
			f(b)
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchN, "ns/elem")
		})
	}
	for _, name := range Kernels() {
		if err := SetKernel(name); err != nil {
			b.Fatal(err)
		}
		run(name, fn)
	}
	run("scalar", scalar)
}

func benchData(seed uint64, lo, hi float64) []float32 {
	return uniform(rand.New(rand.NewPCG(seed, seed)), benchN, lo, hi)
}

func BenchmarkGeluForward(b *testing.B) {
	x, out := benchData(1, -5, 5), make([]float32, benchN)
	benchKernels(b, 8, func(b *testing.B) {
		for b.Loop() {
			GeluForward(out, x)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			baseGeluForward(out, x)
		}
	})
}

func BenchmarkGeluBackward(b *testing.B) {
	x, dout, dinp := benchData(2, -5, 5), benchData(3, -1, 1), make([]float32, benchN)
	benchKernels(b, 12, func(b *testing.B) {
		for b.Loop() {
			GeluBackward(dinp, x, dout)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			baseGeluBackward(dinp, x, dout)
		}
	})
}

// ExpSubSum overwrites its input, so every pass exponentiates the previous
// result: with m = 1, values in [−20, 0] map into (0, e⁻¹] and from then on
// stay in [−1, 0] after the subtraction, a softmax-like range, with no
// refill inside the timed loop.
func BenchmarkExpSubSum(b *testing.B) {
	x := benchData(4, -20, 0)
	var sink float32
	benchKernels(b, 8, func(b *testing.B) {
		for b.Loop() {
			sink += ExpSubSum(x, 1)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			sink += baseExpSubSum(x, 1)
		}
	})
	_ = sink
}

func BenchmarkSumExpSub(b *testing.B) {
	x := benchData(5, -20, 0)
	var sink float32
	benchKernels(b, 4, func(b *testing.B) {
		for b.Loop() {
			sink += SumExpSub(x, 0)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			var s float32
			for _, v := range x {
				s += baseExpf(v)
			}
			sink += s
		}
	})
	_ = sink
}

func BenchmarkAdamW(b *testing.B) {
	p, g := benchData(6, -1, 1), benchData(7, -1e-3, 1e-3)
	m, v := make([]float32, benchN), make([]float32, benchN)
	const lr, b1, b2, eps, wd = 1e-4, 0.9, 0.95, 1e-8, 0.1
	benchKernels(b, 28, func(b *testing.B) {
		for b.Loop() {
			AdamW(p, g, m, v, lr, b1, b2, eps, wd, 0.5, 0.3)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			baseAdamW(p, g, m, v, lr, b1, b2, eps, wd, 0.5, 0.3)
		}
	})
}

func BenchmarkMax(b *testing.B) {
	x := benchData(8, -10, 10)
	var sink float32
	benchKernels(b, 4, func(b *testing.B) {
		for b.Loop() {
			sink += Max(x)
		}
	}, func(b *testing.B) {
		for b.Loop() {
			m := x[0]
			for _, v := range x[1:] {
				m = max(m, v)
			}
			sink += m
		}
	})
	_ = sink
}

// Row kernels at the sizes of a small Llama (SmolLM2-135M: hidden 576, MLP
// 1536): one row per op, in L1, so these measure compute rather than memory.
// One sub-benchmark per kernel; SetBytes counts each array read or written
// once, so MB/s compares across kernels and ns/op is the time per row.
func benchRow(b *testing.B, n, bytesPerElem int, fn func()) {
	defer SetKernel("")
	for _, name := range Kernels() {
		b.Run(name, func(b *testing.B) {
			if err := SetKernel(name); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(bytesPerElem * n))
			for b.Loop() {
				fn()
			}
		})
	}
}

func rowData(seed uint64, n int, lo, hi float64) []float32 {
	return uniform(rand.New(rand.NewPCG(seed, seed)), n, lo, hi)
}

func BenchmarkRMSNormRow(b *testing.B) {
	const n = 576
	x, w, out := rowData(11, n, -2, 2), rowData(12, n, 0.5, 1.5), make([]float32, n)
	var sink float32
	benchRow(b, n, 12, func() { sink += RMSNormRow(out, x, w, 1e-5) })
	_ = sink
}

func BenchmarkRMSNormBackwardRow(b *testing.B) {
	const n = 576
	x, w, d := rowData(13, n, -2, 2), rowData(14, n, 0.5, 1.5), rowData(15, n, -1, 1)
	di := make([]float32, n)
	benchRow(b, n, 20, func() { RMSNormBackwardRow(di, d, x, w, 0.9) })
}

func BenchmarkRMSNormGradAccum(b *testing.B) {
	const n = 576
	x, d, gw := rowData(16, n, -2, 2), rowData(17, n, -1, 1), make([]float32, n)
	benchRow(b, n, 16, func() { RMSNormGradAccum(gw, d, x, 0.9) })
}

func BenchmarkSwiGLU(b *testing.B) {
	const n = 1536
	gate, up, out := rowData(18, n, -6, 6), rowData(19, n, -2, 2), make([]float32, n)
	benchRow(b, n, 12, func() { SwiGLU(out, gate, up) })
}

func BenchmarkSwiGLUBackward(b *testing.B) {
	const n = 1536
	gate, up, d := rowData(20, n, -6, 6), rowData(21, n, -2, 2), rowData(22, n, -1, 1)
	dgate, dup := make([]float32, n), make([]float32, n)
	benchRow(b, n, 20, func() { SwiGLUBackward(dgate, dup, d, gate, up) })
}
