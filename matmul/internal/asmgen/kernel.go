package main

import (
	"bytes"
	"fmt"
)

// A micro-kernel has the Go signature
//
//	func name(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)
//
// and computes the MR×NR tile T = Σ_p a[p*MR+i]·b[p*NR+j] (packed panels,
// see pack.go) with one FMA chain per accumulator, p = 0,1,…,k-1 in order,
// then stores C[i*ldc+j] = (T + bias[j]) + src[i*ldsrc+j], the bias added
// when acc&2 != 0 and src when acc&1 != 0 (src may be C itself).
type cfg struct {
	name   string
	mr, nr int
	width  int    // floats per vector: 16 (zmm) or 8 (ymm)
	reg    string // "Z" or "Y"
	unroll int    // k steps per loop iteration
	// dpbf16: the k steps are pairs of bfloat16 (one 32-bit slot per
	// pair and row/column, see matmul/bf16.go), multiplied and added by
	// VDPBF16PS instead of VFMADD231PS; everything else is the same.
	dpbf16 bool
}

// avx512 is 14×32: 28 zmm accumulators + 2 B vectors + 2 broadcast
// registers = all 32. Tried on Zen 5 with k=256 in L1: 14×32, 12×32, 6×64,
// 8×48 and 9×48 all run at ~97% of the FMA peak; embedded-broadcast FMAs
// (VFMADD231PS.BCST, one load per FMA) instead of VBROADCASTSS were 10-35%
// slower, and unrolling by 8 or prefetching A gained nothing. 14×32 has
// the most accumulators, i.e. the fewest loads and C updates per flop.
var avx512 = cfg{name: "kernAVX512", mr: 14, nr: 32, width: 16, reg: "Z", unroll: 4}

// avx2 is the classic 6×16: 12 ymm accumulators + 2 + 2 = all 16.
// avx512bf16 is avx512's 14×32 tile over k pairs: each VDPBF16PS does two
// k steps of 16 columns, twice the work of an FMA.
var avx512bf16 = cfg{name: "kernBF16AVX512", mr: 14, nr: 32, width: 16, reg: "Z", unroll: 4, dpbf16: true}

var avx2 = cfg{name: "kernAVX2", mr: 6, nr: 16, width: 8, reg: "Y", unroll: 4}

// genKernel emits one kernel. Register plan: the nv = NR/width vectors of a B row
// occupy registers 0..nv-1, two broadcast registers alternate so that the
// broadcast of row i+1 does not wait for the FMAs of row i, and the MR·nv
// accumulators take the rest, from register nv+2 upwards.
func genKernel(w *bytes.Buffer, c cfg) {
	nv := c.nr / c.width
	nacc := c.mr * nv
	total := 32
	if c.reg == "Y" {
		total = 16
	}
	if nv+2+nacc > total {
		panic(fmt.Sprintf("%s: %d registers needed", c.name, nv+2+nacc))
	}
	vb := func(j int) string { return fmt.Sprintf("%s%d", c.reg, j) }
	bc := func(i int) string { return fmt.Sprintf("%s%d", c.reg, nv+i%2) }
	acc := func(i, j int) string { return fmt.Sprintf("%s%d", c.reg, nv+2+i*nv+j) }
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	vbytes := c.width * 4

	fmt.Fprintf(w, "\n// func %s(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)\n", c.name)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-72\n", c.name)
	p("MOVQ k+0(FP), CX")
	p("MOVQ a+8(FP), SI")
	p("MOVQ b+16(FP), DI")
	p("MOVQ c+24(FP), DX")
	p("MOVQ ldc+32(FP), R8")
	p("SHLQ $2, R8")
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			if c.reg == "Z" {
				p("VPXORD %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
			} else {
				p("VXORPS %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
			}
		}
	}
	// Touch the C tile now so its lines arrive while the k loop runs.
	p("MOVQ DX, R10")
	for i := 0; i < c.mr; i++ {
		for off := 0; off < c.nr*4; off += 64 {
			p("PREFETCHT0 %d(R10)", off)
		}
		if i < c.mr-1 {
			p("ADDQ R8, R10")
		}
	}
	step := func(s int) {
		for j := 0; j < nv; j++ {
			p("VMOVUPS %d(DI), %s", (s*c.nr)*4+j*vbytes, vb(j))
		}
		for i := 0; i < c.mr; i++ {
			p("VBROADCASTSS %d(SI), %s", (s*c.mr+i)*4, bc(i))
			for j := 0; j < nv; j++ {
				if c.dpbf16 {
					p("%s", vdpbf16ps(nv+2+i*nv+j, j, nv+i%2))
				} else {
					p("VFMADD231PS %s, %s, %s", vb(j), bc(i), acc(i, j))
				}
			}
		}
	}
	u := c.unroll
	p("CMPQ CX, $%d", u)
	p("JL tail")
	fmt.Fprintf(w, "loop:\n")
	for s := 0; s < u; s++ {
		step(s)
	}
	p("ADDQ $%d, SI", u*c.mr*4)
	p("ADDQ $%d, DI", u*c.nr*4)
	p("SUBQ $%d, CX", u)
	p("CMPQ CX, $%d", u)
	p("JGE loop")
	fmt.Fprintf(w, "tail:\n")
	p("TESTQ CX, CX")
	p("JE store")
	fmt.Fprintf(w, "tail1:\n")
	step(0)
	p("ADDQ $%d, SI", c.mr*4)
	p("ADDQ $%d, DI", c.nr*4)
	p("DECQ CX")
	p("JNZ tail1")
	fmt.Fprintf(w, "store:\n")
	p("MOVQ acc+40(FP), AX")
	p("TESTQ $2, AX")
	p("JE nobias")
	// The B registers are free now: they hold the bias row.
	p("MOVQ bias+64(FP), R11")
	for j := 0; j < nv; j++ {
		p("VMOVUPS %d(R11), %s", j*vbytes, vb(j))
	}
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			p("VADDPS %s, %s, %s", vb(j), acc(i, j), acc(i, j))
		}
	}
	fmt.Fprintf(w, "nobias:\n")
	p("TESTQ $1, AX")
	p("JE overwrite")
	p("MOVQ src+48(FP), R11")
	p("MOVQ ldsrc+56(FP), R9")
	p("SHLQ $2, R9")
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			p("VADDPS %d(R11), %s, %s", j*vbytes, acc(i, j), acc(i, j))
			p("VMOVUPS %s, %d(DX)", acc(i, j), j*vbytes)
		}
		if i < c.mr-1 {
			p("ADDQ R9, R11")
			p("ADDQ R8, DX")
		}
	}
	p("VZEROUPPER")
	p("RET")
	fmt.Fprintf(w, "overwrite:\n")
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			p("VMOVUPS %s, %d(DX)", acc(i, j), j*vbytes)
		}
		if i < c.mr-1 {
			p("ADDQ R8, DX")
		}
	}
	p("VZEROUPPER")
	p("RET")
}

// vdpbf16ps encodes VDPBF16PS zmm(dst), zmm(src1), zmm(src2) (register
// operands only, no mask), which Go's assembler does not know, as bytes:
// EVEX.512.F3.0F38.W0 52 /r. For each 32-bit lane i it does
// dst[i] += src1.hi[i]·src2.hi[i], then dst[i] += src1.lo[i]·src2.lo[i]
// (float32, round to nearest even, subnormals flushed).
func vdpbf16ps(dst, src1, src2 int) string {
	inv := func(r, bit int) byte { return byte(^(r >> bit) & 1) }
	p0 := inv(dst, 3)<<7 | inv(src2, 4)<<6 | inv(src2, 3)<<5 | inv(dst, 4)<<4 | 0b010 // R X B R' 0 mmm=0F38
	p1 := byte(^src1&15)<<3 | 1<<2 | 0b10                                             // W=0 vvvv 1 pp=F3
	p2 := byte(0b10)<<5 | inv(src1, 4)<<3                                             // z=0 L'L=512 b=0 V' aaa=0
	modrm := byte(0b11)<<6 | byte(dst&7)<<3 | byte(src2&7)
	return fmt.Sprintf("BYTE $0x62; BYTE $0x%02x; BYTE $0x%02x; BYTE $0x%02x; BYTE $0x52; BYTE $0x%02x // VDPBF16PS Z%d, Z%d, Z%d",
		p0, p1, p2, modrm, src2, src1, dst)
}
