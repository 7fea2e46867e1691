package matmul

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

func BenchmarkSmallGemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	a := randSlice(rng, 128*768)
	bb := randSlice(rng, 128*768)
	c := make([]float32, 128*768)
	for _, s := range [][3]int{{28, 56, 64}, {28, 128, 64}, {28, 64, 56}, {28, 64, 128}, {128, 128, 64}} {
		m, n, k := s[0], s[1], s[2]
		b.Run(fmt.Sprintf("%dx%dx%d", m, n, k), func(b *testing.B) {
			for b.Loop() {
				GemmSerial(false, false, m, n, k, a, 768, bb, 128, 0, c, 128)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("acc-%dx%dx%d", n, k, m), func(b *testing.B) {
			for b.Loop() {
				GemmAccSerial(true, n, k, m, a, 128, bb, 768, c, 128)
			}
			b.ReportMetric(2*float64(m*n*k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
