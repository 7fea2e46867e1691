package matmul

import (
	"fmt"
	"sync/atomic"
)

// microKernel computes one mr×nr tile of C from a packed A micro-panel
// (k×mr, see packA) and a packed B micro-panel (k×nr, see packB):
// T[i][j] = Σ_p a[p*mr+i]·b[p*nr+j], summed for p = 0,1,…,k-1 in that order,
// then C[i*ldc+j] = (T + bias[j]) + src[i*ldsrc+j], where the bias is added
// when acc&accBias != 0 and src when acc&accSrc != 0 (src may be C itself:
// acc = accSrc, src = c, ldsrc = ldc accumulates). The tile must lie
// entirely inside C (and src); gemm routes edge tiles through a scratch tile.
type microKernel func(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)

// rowsKernel is microKernel over a column of rows whole mr×nr tiles: tile r
// uses the A panel astride floats after a's previous one and the C, src
// rows mr·r further down; tmp holds rows·mr·nr floats of scratch. For a
// kernel whose set-up costs (the AMX tile configuration) are worth sharing
// between tiles.
type rowsKernel func(k int, a *float32, astride int, b *float32, rows int, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32, tmp []float32)

// The micro-kernel's acc bits.
const (
	accSrc  = 1
	accBias = 2
)

// kernel is one implementation of the compute primitives plus the blocking
// parameters tuned for it.
type kernel struct {
	name   string
	mr, nr int // register tile of the micro-kernel
	// kc is the depth of one packed block. It is part of the summation order
	// (C accumulates the kc-long partial sums block after block), so it
	// must not depend on the thread count or on the shape's partition.
	kc    int
	mc    int // rows of A packed at once, sized so mc×kc floats sit in L2
	micro microKernel
	// rows, when set, computes a column of whole tiles in one call.
	rows rowsKernel
	// pairs: the packed panels hold k in pairs, one 32-bit slot per pair
	// of bfloat16 values (the BF16 dot-product kernels); micro then gets
	// the number of pairs as its k. kc is even for such a kernel.
	pairs bool
	// pairPad, when above 1, rounds the pairs of a packed block up to a
	// multiple of itself (zero pairs): AMX tiles hold 16 pairs per row.
	// kc/2 is a multiple of it, so blocks start on whole tiles.
	pairPad int
	// packA and packB lay out op(A) and op(B) for micro (see pack.go).
	packA, packB packFunc
	// packB16, when not nil, is packB for a transposed B in bfloat16
	// (GemmBiasNTBF16), giving packB's panels of the widened values.
	packB16   func(dst []float32, b []uint16, ldb, j0, nb, p0, k int)
	dot       func(x, y []float32) float32
	dotBF16   func(x []float32, y []uint16) float32
	dotsBF16  func(dst, x []float32, w []uint16, ld int)
	dots      func(dst, x, w []float32, ld int)
	widenBF16 func(dst []float32, src []uint16)
	axpy      func(alpha float32, x, y []float32)
	colSums   func(dst, src []float32, rows, ld int) // nil: rows Axpy calls
	// transpose writes dst[c*ldd+r] = src[r*lds+c] (Transpose); nil: the
	// portable loop.
	transpose func(dst []float32, ldd int, src []float32, lds, rows, cols int)
	// direct and panel are the direct kernels (direct.go), most rows
	// first: direct for B read in place, panel (nc = nr) for B packed.
	direct, panel []directKernel
	// rowsNT, when set, computes 16 elements of a one-row product with B
	// stored n×k in place (see gemvNT).
	rowsNT func(k int, a, b *float32, ldb int, t *float32)
	// packRows, when set, packs rows of op(A) for the direct kernels (as
	// packA with mb = mr, p0 = 0), faster than the portable packA.
	packRows func(dst []float32, transA bool, a []float32, lda, i0, mr, k int)
}

// steps is the number of packed k steps (slots per panel row) for k.
func (k *kernel) steps(n int) int {
	if !k.pairs {
		return n
	}
	return padPairs(n, max(1, k.pairPad))
}

// padPairs is the number of k pairs for n steps, rounded up to a multiple
// of pad.
func padPairs(n, pad int) int { return (n + 2*pad - 1) / (2 * pad) * pad }

// kernels lists the implementations usable on this machine, best first.
// The amd64 init adds the assembly ones in front of the generic kernel.
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
// the best. It exists for tests and benchmarks: all kernels compute the same
// products but round differently, so a run should stick to one. It is not
// meant to be called while other goroutines multiply.
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
	return fmt.Errorf("matmul: kernel %q not available on this CPU (have %v)", name, Kernels())
}
