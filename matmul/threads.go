package matmul

import (
	"runtime"
	"sync"
	"sync/atomic"
)

var threads atomic.Int64

// SetThreads sets how many goroutines Gemm and ParallelFor use; n <= 0
// restores the default, runtime.GOMAXPROCS(0).
func SetThreads(n int) {
	if n <= 0 {
		n = 0
	}
	threads.Store(int64(n))
}

// Threads reports the number of goroutines parallel kernels use.
func Threads() int {
	if n := int(threads.Load()); n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// ParallelFor splits [0,n) into contiguous chunks and runs fn(lo, hi) on
// each, some on the calling goroutine and the rest on up to workers-1
// helpers, whichever claims a chunk first. The chunks depend only on n and
// workers (two per worker, so that a helper that starts late or is slowed
// down leaves its share to the others), so any per-chunk arithmetic is
// reproducible; fn must not care which goroutine runs a chunk.
func ParallelFor(n, workers int, fn func(lo, hi int)) {
	if n <= 0 {
		return
	}
	if workers > n {
		workers = n
	}
	if workers <= 1 {
		fn(0, n)
		return
	}
	f := forPool.Get().(*forJob)
	f.fn, f.n, f.chunks = fn, n, min(n, forChunks*workers)
	f.next.Store(0)
	f.reset()
	startHelpers(f, workers-1)
	f.work()
	f.wait()
	f.fn = nil
	forPool.Put(f)
}

// forChunks is how many chunks per worker ParallelFor makes.
// Two, not more: loops split over channels (layer norm's and the
// embedding's weight gradients) sweep every row once per chunk, and
// narrower chunks cost the tiny models' RL update about 15% (measured
// 2026-12-04, docs/PERFORMANCE.md).
const forChunks = 2

// forJob is one ParallelFor call, shared with the helpers that join it.
type forJob struct {
	fn        func(lo, hi int)
	n, chunks int
	next      atomic.Int64
	crew      // the helpers in the call
}

var forPool = sync.Pool{New: func() any { return new(forJob) }}

func (f *forJob) work() {
	for {
		c := int(f.next.Add(1) - 1)
		if c >= f.chunks {
			return
		}
		f.fn(split(f.n, f.chunks, c))
	}
}
