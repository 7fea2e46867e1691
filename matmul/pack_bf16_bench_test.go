package matmul

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkPackBF16 times the BF16 packers on one block (256 rows × 512 k
// steps, as the GEMM packs per kc block) in both layouts of the source:
// ns per element packed. The AMX packers run on any CPU.
func BenchmarkPackBF16(b *testing.B) {
	const rows, k = 256, 512
	rng := rand.New(rand.NewPCG(1, 2))
	src := randSlice(rng, rows*k)
	for _, p := range []struct {
		name   string
		width  int
		steps  int
		pack   packFunc
		transp bool
		isB    bool // op(B) (k×n) is stored k×n untransposed: ld = n
	}{
		{"amxA", amxMR, amxPairs(k), packAMXA, false, false},
		{"amxA/T", amxMR, amxPairs(k), packAMXA, true, false},
		{"amxB", amxNR, amxPairs(k), packAMXB, false, true},
		{"amxB/T", amxNR, amxPairs(k), packAMXB, true, true},
		{"pairsA", 14, (k + 1) / 2, packAPairs, false, false},
		{"pairsA/T", 14, (k + 1) / 2, packAPairs, true, false},
		{"pairsB", 32, (k + 1) / 2, packBPairs, false, true},
		{"pairsB/T", 32, (k + 1) / 2, packBPairs, true, true},
	} {
		b.Run(p.name, func(b *testing.B) {
			panels := (rows + p.width - 1) / p.width
			dst := make([]float32, panels*p.width*p.steps)
			ld := k // op(A) is rows×k: stored rows×k, or k×rows when transposed
			if p.transp != p.isB {
				ld = rows
			}
			for b.Loop() {
				p.pack(dst, p.transp, src, ld, 0, rows, 0, k, p.width)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows*k), "ns/elem")
		})
	}
}
