package matmul

import (
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"
)

// The AMX BF16 path, laid out so that every part but the tile instructions
// themselves runs (and is tested) on any CPU.
//
// One micro-kernel call computes a 32×32 tile of C as four 16×16 FP32 tiles
// (tmm0–3), loading per chunk of 16 k pairs two A tiles (rows 0–15 and
// 16–31, tmm4–5) and two B tiles (columns 0–15 and 16–31, tmm6–7), then
// four TDPBF16PS. The packed panels are what TILELOADD reads:
//
//   - A (packAMXA): per chunk, 32 rows of 16 pairs, row-major (64 bytes a
//     row, so one A tile is 16 consecutive rows with stride 64);
//   - B (packAMXB): per pair s, 32 columns (128 bytes a pair), so a B tile
//     is 16 pairs with stride 128, columns 16–31 starting 64 bytes in.
//
// Within a pair, step 2s is the low half: TDPBF16PS adds the low halves'
// product first (Intel SDM, TDPBF16PS pseudo-code). With that order each
// element is one float32 chain over k in order, as on every other BF16
// path, so if the hardware rounds as the SDM's pseudo-code says, AMX gives
// their bits. amxTilesGo is that pseudo-code over the same memory; the
// tests run whole products through it on every CPU (TestBF16Gemm's "amxgo"
// path), and the assembly's bytes are checked against a disassembler
// (TestAMXEncoding).

const (
	amxMR    = 32
	amxNR    = 32
	amxChunk = 16                   // k pairs per tile row
	amxTileN = amxMR * amxNR        // floats in the micro-kernel's result tile
	amxBytes = amxChunk * 4 * amxMR // bytes of one chunk of an A (or B) panel
)

// amxPairs is the number of packed pairs for kb steps: whole chunks.
func amxPairs(kb int) int { return padPairs(kb, amxChunk) }

// bf16Slots views packed float32 slots as the bfloat16 values they hold
// (two per slot, the low half first in memory).
func bf16Slots(d []float32) []uint16 {
	if len(d) == 0 {
		return nil
	}
	return unsafe.Slice((*uint16)(unsafe.Pointer(unsafe.SliceData(d))), 2*len(d))
}

// packAMXA packs rows [i0, i0+mb) of op(A), k steps [p0, p0+kb), into
// panels of mr rows and amxPairs(kb) pairs (that many times mr slots). In
// bfloat16 units a panel is a run of chunks of 32 k steps; a chunk is its
// mr rows of 32 steps each, row-major: step p of row i is element
// (p/32)*32*mr + i*32 + p%32. Missing rows and steps are zero.
func packAMXA(dst []float32, transA bool, a []float32, lda, i0, mb, p0, kb, mr int) {
	ks := amxPairs(kb)
	var blk []float32 // transA: a chunk's 16 pairs × mr rows, k-major
	if transA {
		buf := getBuf(amxChunk * mr)
		defer putBuf(buf)
		blk = *buf
	}
	for r := 0; r*mr < mb; r++ {
		dp := dst[r*ks*mr : (r+1)*ks*mr]
		rows := min(mr, mb-r*mr)
		base := i0 + r*mr
		if !transA && cvtChunks != nil && kb > 0 {
			// A row's k steps are contiguous: one call rounds them into
			// its 32-step run of every chunk.
			chunks := ks / amxChunk
			d := bf16Slots(dp)
			for i := 0; i < rows; i++ {
				cvtChunks(d[i*2*amxChunk:], a[(base+i)*lda+p0:][:kb], chunks, 2*amxChunk*mr, kb-(chunks-1)*2*amxChunk)
			}
			if rows < mr {
				for c := 0; c < chunks; c++ {
					clear(dp[c*amxChunk*mr+rows*amxChunk : (c+1)*amxChunk*mr])
				}
			}
			continue
		}
		for c := 0; c*2*amxChunk < kb; c++ {
			dc := dp[c*amxChunk*mr : (c+1)*amxChunk*mr] // mr rows of 16 pairs
			n := min(2*amxChunk, kb-c*2*amxChunk)       // k steps in this chunk
			if transA {
				// Step p is a contiguous run over the rows: pair the
				// chunk's runs (k-major, step 2s low), then transpose
				// the 16×rows block into rows of 16 pairs.
				step := func(p int) []float32 { return a[(p0+c*2*amxChunk+p)*lda+base:][:rows] }
				for s := 0; s < amxChunk; s++ {
					t := blk[s*mr : s*mr+rows]
					switch {
					case 2*s+1 < n:
						pairBF16(t, step(2*s+1), step(2*s))
					case 2*s < n:
						for i, v := range step(2 * s) {
							t[i] = bf16Pair(v, 0, true)
						}
					default:
						clear(t)
					}
				}
				Transpose(dc, amxChunk, blk, mr, amxChunk, rows)
			} else {
				d := bf16Slots(dc)
				for i := 0; i < rows; i++ {
					row := d[i*2*amxChunk : (i+1)*2*amxChunk]
					cvtBF16(row[:n], a[(base+i)*lda+p0+c*2*amxChunk:][:n])
					clear(row[n:])
				}
			}
			clear(dc[rows*amxChunk:])
		}
	}
}

// packAMXB packs columns [j0, j0+nb) of op(B), k steps [p0, p0+k), into
// panels of nr columns and amxPairs(k) pairs: slot s*nr+j holds steps 2s
// (low half) and 2s+1 of column j.
func packAMXB(dst []float32, transB bool, b []float32, ldb, j0, nb, p0, k, nr int) {
	packPairs(dst, !transB, b, ldb, j0, nb, p0, k, nr, amxPairs(k), true)
}

// amxTileFunc computes rows 32×32 tiles against one B panel (k16 chunks):
// tile r is A panel a + r·astride bytes times B, stored from zero at t +
// r·tstep bytes, its rows ldt bytes apart. amxTiles (the assembly, which
// also configures and releases the tiles) and amxTilesGo have this form.
type amxTileFunc func(k16 int, a, b, t *float32, rows, astride, ldt, tstep int)

// amxTilesGo is TDPBF16PS's pseudo-code (Intel SDM) run over the packed
// chunks exactly as the assembly's tile loads read them. Inputs are
// already bfloat16 (subnormals flushed by the packers); partial sums that
// fall below the normal range are flushed to zero as the instruction
// does.
func amxTilesGo(k16 int, ap, bp, tp *float32, rows, astride, ldt, tstep int) {
	b := unsafe.Slice((*uint32)(unsafe.Pointer(bp)), k16*amxBytes/4)
	var t [amxTileN]float32
	for r := range rows {
		a := unsafe.Slice((*uint32)(unsafe.Add(unsafe.Pointer(ap), r*astride)), k16*amxBytes/4)
		clear(t[:])
		for c := 0; c < k16; c++ {
			ac := a[c*amxBytes/4 : (c+1)*amxBytes/4]
			bc := b[c*amxBytes/4 : (c+1)*amxBytes/4]
			for m := 0; m < amxMR; m++ {
				row := t[m*amxNR : (m+1)*amxNR]
				for kk := 0; kk < amxChunk; kk++ {
					av := ac[m*amxChunk+kk]
					alo, ahi := math.Float32frombits(av<<16), math.Float32frombits(av&0xffff0000)
					for n, bv := range bc[kk*amxNR : (kk+1)*amxNR] {
						blo, bhi := math.Float32frombits(bv<<16), math.Float32frombits(bv&0xffff0000)
						s := ftz(row[n] + float32(alo*blo))
						row[n] = ftz(s + float32(ahi*bhi))
					}
				}
			}
		}
		base := unsafe.Add(unsafe.Pointer(tp), r*tstep)
		for m := 0; m < amxMR; m++ {
			copy(unsafe.Slice((*float32)(unsafe.Add(base, m*ldt)), amxNR), t[m*amxNR:(m+1)*amxNR])
		}
	}
}

// amxRows is the rows kernel around a tile function. Without bias or src
// (acc 0) the tiles are stored straight into C, which is then exactly T;
// otherwise into tmp, and the epilogue adds them, tile by tile, as the
// micro-kernel does. Either way C gets the micro-kernel's bits, and the
// tile configuration is loaded once for all rows rather than per tile.
func amxRows(tiles amxTileFunc) rowsKernel {
	return func(k int, a *float32, astride int, b *float32, rows int, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32, tmp []float32) {
		if acc == 0 {
			tiles(k/amxChunk, a, b, c, rows, astride*4, ldc*4, amxMR*ldc*4)
			return
		}
		t := tmp[:rows*amxTileN]
		tiles(k/amxChunk, a, b, &t[0], rows, astride*4, amxNR*4, amxTileN*4)
		for r := range rows {
			cr := (*float32)(unsafe.Add(unsafe.Pointer(c), r*amxMR*ldc*4))
			sr := src
			if acc&accSrc != 0 {
				sr = (*float32)(unsafe.Add(unsafe.Pointer(src), r*amxMR*ldsrc*4))
			}
			finishTile32(&t[r*amxTileN], cr, ldc, acc, sr, ldsrc, bias)
		}
	}
}

// ftz flushes a subnormal to zero of the same sign.
func ftz(x float32) float32 {
	if b := math.Float32bits(x); b&0x7f800000 == 0 {
		return math.Float32frombits(b & 0x80000000)
	}
	return x
}

// finishTile32Go is the micro-kernel contract's epilogue for a full 32×32
// tile T: C = (T + bias) + src, each part when acc says so. finishTile32
// (per architecture) calls it or its AVX-512 twin: the AMX tiles leave a
// whole tile to add per call.
func finishTile32Go(tp *float32, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
	t := unsafe.Slice(tp, amxTileN)
	cs := unsafe.Slice(c, (amxMR-1)*ldc+amxNR)
	var ss, bs []float32
	if acc&accSrc != 0 {
		ss = unsafe.Slice(src, (amxMR-1)*ldsrc+amxNR)
	}
	if acc&accBias != 0 {
		bs = unsafe.Slice(bias, amxNR)
	}
	mergeTile(cs, ldc, t, amxNR, amxMR, amxNR, ss, ldsrc, bs)
}

// microAMXGo is the AMX micro-kernel with amxTilesGo for the tiles: k
// counts pairs, a multiple of amxChunk.
func microAMXGo(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
	var t [amxTileN]float32
	amxTilesGo(k/amxChunk, a, b, &t[0], 1, 0, amxNR*4, 0)
	finishTile32(&t[0], c, ldc, acc, src, ldsrc, bias)
}

// newAMXKernel is the AMX path's kernel around a micro-kernel: the
// assembly one (amx_amd64.go) or microAMXGo (amxGoKernel).
func newAMXKernel(name string, micro microKernel, tiles amxTileFunc) *kernel {
	return &kernel{
		name:    name,
		rows:    amxRows(tiles),
		mr:      amxMR,
		nr:      amxNR,
		kc:      bf16KC,
		mc:      amxMR * 8, // 256 rows × 256 pairs × 4 bytes = 256 KiB of A in L2
		micro:   micro,
		pairs:   true,
		pairPad: amxChunk,
		packA:   packAMXA,
		packB:   packAMXB,
	}
}

// amxGoKernel is the AMX path computed in Go: for tests (it is registered
// as the "amxgo" BF16 path by the package's tests only) and for checking
// the assembly on a machine with AMX.
var amxGoKernel = newAMXKernel("amxgo", microAMXGo, amxTilesGo)

// amxProbe, set by the amd64 code, asks for the AMX kernel: it returns it
// when the CPU has AMX-BF16, the OS grants the tile state and a product
// checks out, else why not. Called once, on the first BF16 product.
var amxProbe func() (*kernel, error)

// AMXSameBits reports, once the AMX path has been probed and found usable,
// whether the hardware's products equal the SDM pseudo-code's (amxTilesGo)
// bit for bit on the probe's check; false otherwise.
func AMXSameBits() bool { bf16Kernel(); return amxSameBits }

var amxSameBits bool

// checkAMX multiplies a 70×45 by 45×1100 product (edge tiles, two kc
// blocks and a ragged chunk) with kern and with amxGoKernel: an error when
// any element is off by more than accumulation order can explain (2⁻¹⁶ of
// the sum of the absolute products), else whether the bits are the same.
func checkAMX(kern *kernel) (same bool, err error) {
	const m, n, k = 70, 45, 1100
	rng := rand.New(rand.NewPCG(1, 2))
	a := make([]float32, m*k)
	b := make([]float32, k*n)
	// Rounded up front: the products are the same (rounding is
	// idempotent) and the tolerance below needs the rounded values.
	for i := range a {
		a[i] = RoundBF16(float32(rng.NormFloat64()))
	}
	for i := range b {
		b[i] = RoundBF16(float32(rng.NormFloat64()))
	}
	got := make([]float32, m*n)
	want := make([]float32, m*n)
	gemmEx(kern, false, false, m, n, k, a, k, b, n, epilogue{}, got, n, 1)
	gemmEx(amxGoKernel, false, false, m, n, k, a, k, b, n, epilogue{}, want, n, 1)
	same = true
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var mag float64
			for p := 0; p < k; p++ {
				mag += math.Abs(float64(a[i*k+p] * b[p*n+j]))
			}
			g, w := got[i*n+j], want[i*n+j]
			if math.Float32bits(g) != math.Float32bits(w) {
				same = false
			}
			if d := math.Abs(float64(g - w)); !(d <= mag*0x1p-16) {
				return false, fmt.Errorf("AMX self-check failed: C[%d][%d] = %g, the SDM's pseudo-code gives %g", i, j, g, w)
			}
		}
	}
	return same, nil
}
