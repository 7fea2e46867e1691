package vmath

import (
	"fmt"
	"sync/atomic"
)

// kernel is one implementation of every routine. The public functions check
// slice lengths and then call through the active kernel, so implementations
// may assume len(out) >= len(inp) etc.
type kernel struct {
	name        string
	geluFwd     func(out, inp []float32)
	geluBwd     func(dinp, inp, dout []float32)
	expSubSum   func(x []float32, m float32, store bool) float32 // store: ExpSubSum, else SumExpSub
	max         func(x []float32) float32
	scale       func(x []float32, a float32)
	adamw       func(p, g, m, v []float32, c *adamConsts)
	lnFwdRow    func(out, x, w, b []float32, eps float32) (float32, float32)
	softmaxBwd  func(dp, p []float32, scale float32)
	lnBwdRow    func(di, d, x, w []float32, m, s float32)
	lnGradAccum func(gw, gb, d, x []float32, m, s float32)

	// Llama's RMSNorm rows and SwiGLU gate (rmsnorm.go, swiglu.go).
	rmsFwdRow    func(out, x, w []float32, eps float32) float32
	rmsBwdRow    func(di, d, x, w []float32, r float32)
	rmsGradAccum func(gw, d, x []float32, r float32)
	swiglu       func(out, gate, up []float32)
	swigluBwd    func(dgate, dup, dout, gate, up []float32)

	// Llama's rotary position embedding of one head (rope.go).
	rotateHalves func(a, b, cos, sin []float32, inverse bool)
}

// kernels lists the implementations usable on this machine, best first.
// The amd64 init puts the assembly ones in front of the generic kernel.
var kernels = []*kernel{genericKernel}

var active atomic.Pointer[kernel]

func init() { active.Store(kernels[0]) }

// Kernel names the implementation in use: "avx512", "avx2" or "generic".
func Kernel() string { return active.Load().name }

// Kernels lists the implementations this CPU supports, best first.
func Kernels() []string {
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
	}
	return names
}

// SetKernel selects an implementation by name (one of Kernels()); "" picks
// the best. It exists for tests and benchmarks (for instance to force the
// generic path): the kernels round differently in the last bit, so a run
// should stick to one. It is not meant to be called while other goroutines
// use the package.
func SetKernel(name string) error {
	if name == "" {
		active.Store(kernels[0])
		return nil
	}
	for _, k := range kernels {
		if k.name == name {
			active.Store(k)
			return nil
		}
	}
	return fmt.Errorf("vmath: kernel %q not available on this CPU (have %v)", name, Kernels())
}
