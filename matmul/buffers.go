package matmul

import (
	"math/bits"
	"sync"
)

// Pack buffers are recycled through sync.Pools so that the thousands of
// multiplications in a training step allocate nothing once warm.

// workspace is one goroutine's private scratch: the packed mc×kc block of A
// and a tile for edge results.
type workspace struct {
	kern *kernel
	a    []float32
	tmp  []float32
}

var wsPool sync.Pool

func getWorkspace(k *kernel) *workspace {
	rows := (k.mc + k.mr - 1) / k.mr * k.mr
	// Any kernel's workspace will do if it is large enough: FP32 and BF16
	// products alternate in mixed-precision training.
	if w, ok := wsPool.Get().(*workspace); ok && len(w.a) >= rows*k.kc && len(w.tmp) >= rows*k.nr {
		return w
	}
	return &workspace{kern: k, a: make([]float32, rows*k.kc), tmp: make([]float32, rows*k.nr)}
}

// bufPools holds packed-operand buffers by size class: class c holds
// buffers of capacity 2^c floats. One pool for all sizes handed a request
// whatever buffer came first, and a too-small one was dropped, so a
// training step, whose products alternate between a few sizes, kept
// allocating (and page-faulting) megabytes.
var bufPools [48]sync.Pool

// getBuf returns a buffer of n floats (n ≥ 1).
func getBuf(n int) *[]float32 {
	c := bits.Len(uint(n - 1))
	if p, ok := bufPools[c].Get().(*[]float32); ok {
		*p = (*p)[:n]
		return p
	}
	s := make([]float32, n, 1<<c)
	return &s
}

func putBuf(p *[]float32) { bufPools[bits.Len(uint(cap(*p)-1))].Put(p) }
