package matmul

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPairRows checks pairRows (where the CPU has it) slot by slot against
// bf16Pair: panel widths around its 16-row halves, row counts from one to
// the width, step counts around its 32-step blocks (odd ones leave the
// last pair's partner zero), both pair orders, and values that round
// (ties, subnormals, infinities, NaN).
func TestPairRows(t *testing.T) {
	if pairRows == nil {
		t.Skip("no pairRows on this CPU")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	special := []float32{0, float32(math.Copysign(0, -1)), 1e-39, -1e-40, float32(math.Inf(1)), float32(math.NaN()),
		1 + 1.0/256, 1 + 3.0/256, 3.4e38}
	for _, width := range []int{1, 5, 14, 16, 17, 32} {
		for _, rows := range []int{1, width / 2, width - 1, width} {
			if rows < 1 {
				continue
			}
			for _, steps := range []int{1, 2, 15, 16, 17, 31, 32, 33, 64, 97} {
				for _, lowFirst := range []bool{false, true} {
					ld := steps + rng.IntN(5)
					x := make([]float32, (rows-1)*ld+steps)
					for i := range x {
						if rng.IntN(8) == 0 {
							x[i] = special[rng.IntN(len(special))]
						} else {
							x[i] = float32(rng.NormFloat64())
						}
					}
					used := (steps + 1) / 2
					got := make([]float32, used*width+3)
					for i := range got {
						got[i] = float32(math.NaN()) // every slot must be written
					}
					sentinel := got[used*width:]
					pairRows(got, width, x, ld, steps, rows, lowFirst)
					name := fmt.Sprintf("width %d rows %d steps %d lowFirst %v", width, rows, steps, lowFirst)
					for s := range used {
						for i := range width {
							var want float32
							if i < rows {
								x1 := float32(0)
								if 2*s+1 < steps {
									x1 = x[i*ld+2*s+1]
								}
								want = bf16Pair(x[i*ld+2*s], x1, lowFirst)
							}
							if g := got[s*width+i]; math.Float32bits(g) != math.Float32bits(want) {
								t.Fatalf("%s: slot (%d,%d) = %#08x, want %#08x", name, s, i, math.Float32bits(g), math.Float32bits(want))
							}
						}
					}
					for _, v := range sentinel {
						if !math.IsNaN(float64(v)) {
							t.Fatalf("%s: wrote past the panel", name)
						}
					}
				}
			}
		}
	}
}
