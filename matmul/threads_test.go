package matmul

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestParallelForCovers: every index of [0,n) is handed to fn exactly once,
// in chunks that depend only on n and workers, for awkward n and worker
// counts, including more workers than indices.
func TestParallelForCovers(t *testing.T) {
	for _, workers := range []int{1, 2, 3, 8} {
		for _, n := range []int{0, 1, 2, 3, 7, 8, 31, 64, 1000} {
			hits := make([]atomic.Int32, n)
			var mu sync.Mutex
			chunks := map[[2]int]bool{}
			ParallelFor(n, workers, func(lo, hi int) {
				if lo >= hi {
					t.Errorf("n=%d workers=%d: empty chunk [%d,%d)", n, workers, lo, hi)
				}
				mu.Lock()
				chunks[[2]int{lo, hi}] = true
				mu.Unlock()
				for i := lo; i < hi; i++ {
					hits[i].Add(1)
				}
			})
			for i := range hits {
				if h := hits[i].Load(); h != 1 {
					t.Fatalf("n=%d workers=%d: index %d run %d times", n, workers, i, h)
				}
			}
			want := min(n, max(1, workers))
			if workers > 1 {
				want = min(n, forChunks*workers)
			}
			if len(chunks) != want {
				t.Errorf("n=%d workers=%d: %d chunks, want %d", n, workers, len(chunks), want)
			}
		}
	}
}

// TestParallelForReusesHelpers: back-to-back ParallelFor calls, and Gemm
// calls between them, share the idle helpers instead of starting new
// goroutines.
func TestParallelForReusesHelpers(t *testing.T) {
	var sum atomic.Int64
	ParallelFor(100, 3, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	before := helpers.Load()
	for range 500 {
		ParallelFor(100, 3, func(lo, hi int) { sum.Add(int64(hi - lo)) })
	}
	if grew := helpers.Load() - before; grew > 2 {
		t.Errorf("%d helper goroutines started by 500 sequential calls", grew)
	}
	if got := sum.Load(); got != 501*100 {
		t.Errorf("covered %d indices, want %d", got, 501*100)
	}
}

// TestParallelForConcurrentNested: ParallelFor called from many goroutines
// at once, and from inside its own chunks (a helper then hands out work in
// turn), still runs every index exactly once and returns.
func TestParallelForConcurrentNested(t *testing.T) {
	const callers, n, inner = 8, 37, 19
	var wg sync.WaitGroup
	counts := make([][]atomic.Int32, callers)
	for g := range callers {
		counts[g] = make([]atomic.Int32, n*inner)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ParallelFor(n, 3, func(lo, hi int) {
				for i := lo; i < hi; i++ {
					ParallelFor(inner, 2, func(a, b int) {
						for j := a; j < b; j++ {
							counts[g][i*inner+j].Add(1)
						}
					})
				}
			})
		}()
	}
	wg.Wait()
	for g := range counts {
		for k := range counts[g] {
			if c := counts[g][k].Load(); c != 1 {
				t.Fatalf("caller %d: index %d run %d times", g, k, c)
			}
		}
	}
}
