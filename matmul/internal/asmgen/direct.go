package main

import (
	"bytes"
	"fmt"
)

// A direct kernel has the Go signature
//
//	func name(k int, a, b *float32, ldb int, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)
//
// and computes the MR×NC tile T = Σ_p a[p*MR+i]·b[p*ldb+j]: A packed as for
// the micro-kernels, but B read in place, row p at b+p*ldb. Every
// accumulator is one FMA chain over p = 0,1,…,k-1, exactly as in the
// micro-kernels, so a product computed with either has the same bits. It
// serves products with few rows (decoding), where packing B would copy
// every weight once more than the product reads it, and a 14-row tile
// would compute mostly padding. The store is the micro-kernel's, plus
// acc&4: the accumulators start from C's tile instead of zero and C is
// overwritten with them (one chain continued over several calls).
type dcfg struct {
	name   string
	mr, nc int
	width  int
	reg    string
	unroll int
	// pf > 0 prefetches B's row pf steps ahead: decoding streams B (the
	// weights) from beyond L2 with a row stride the hardware prefetchers
	// miss (measured on Sapphire Rapids: 16 rows 1.7× faster, one row 1.2×).
	pf int
}

// The shapes: one, two, four or eight rows. One and two rows are as wide
// as the registers allow, so that eight or more independent chains hide
// the FMA latency; the 32-wide (16-wide with AVX2) ones also read B's
// packed micro-panels (ldb = nr), for products whose B must be transposed.
var directAVX512 = []dcfg{
	{name: "dirAVX512x1x128", mr: 1, nc: 128, pf: 8},
	{name: "dirAVX512x1x256", mr: 1, nc: 256, pf: 8},
	{name: "dirAVX512x2x64", mr: 2, nc: 64, pf: 8},
	{name: "dirAVX512x4x64", mr: 4, nc: 64, pf: 8},
	{name: "dirAVX512x1x32", mr: 1, nc: 32},
	{name: "dirAVX512x2x32", mr: 2, nc: 32},
	{name: "dirAVX512x4x32", mr: 4, nc: 32},
	{name: "dirAVX512x8x32", mr: 8, nc: 32, pf: 8},
}

var directAVX2 = []dcfg{
	{name: "dirAVX2x1x48", mr: 1, nc: 48},
	{name: "dirAVX2x1x16", mr: 1, nc: 16},
	{name: "dirAVX2x2x16", mr: 2, nc: 16},
	{name: "dirAVX2x4x16", mr: 4, nc: 16},
	{name: "dirAVX2x6x16", mr: 6, nc: 16},
}

func genDirectAll(w *bytes.Buffer, cs []dcfg, width int, reg string) {
	for _, c := range cs {
		c.width, c.reg, c.unroll = width, reg, 4
		if c.pf == 0 {
			c.pf = -1
		}
		genDirect(w, c)
	}
}

func genDirect(w *bytes.Buffer, c dcfg) {
	nv := c.nc / c.width
	nacc := c.mr * nv
	total := 32
	if c.reg == "Y" {
		total = 16
	}
	memB := c.mr == 1 // one row: B's values are used once, FMA from memory
	if memB && nacc+2 > total || !memB && nv+2+nacc > total {
		panic(fmt.Sprintf("%s: %d registers needed", c.name, nv+2+nacc))
	}
	vb := func(j int) string { return fmt.Sprintf("%s%d", c.reg, j) }
	bc := func(i int) string { return fmt.Sprintf("%s%d", c.reg, nv+i%2) }
	acc := func(i, j int) string { return fmt.Sprintf("%s%d", c.reg, nv+2+i*nv+j) }
	if memB {
		bc = func(int) string { return c.reg + "0" }
		acc = func(i, j int) string { return fmt.Sprintf("%s%d", c.reg, 1+j) }
	}
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	vbytes := c.width * 4
	l := func(s string) string { return c.name + "_" + s }

	fmt.Fprintf(w, "\n// func %s(k int, a, b *float32, ldb int, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)\n", c.name)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-80\n", c.name)
	p("MOVQ k+0(FP), CX")
	p("MOVQ a+8(FP), SI")
	p("MOVQ b+16(FP), DI")
	p("MOVQ ldb+24(FP), R9")
	p("SHLQ $2, R9")
	p("MOVQ c+32(FP), DX")
	p("MOVQ ldc+40(FP), R8")
	p("SHLQ $2, R8")
	if c.pf > 0 {
		p("IMUL3Q $%d, R9, R12", c.pf)
	}
	p("MOVQ acc+48(FP), AX")
	p("TESTQ $4, AX")
	p("JNE %s", l("init"))
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			if c.reg == "Z" {
				p("VPXORD %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
			} else {
				p("VXORPS %s, %s, %s", acc(i, j), acc(i, j), acc(i, j))
			}
		}
	}
	p("JMP %s", l("start"))
	fmt.Fprintf(w, "%s:\n", l("init"))
	p("MOVQ DX, R10")
	for i := 0; i < c.mr; i++ {
		for j := 0; j < nv; j++ {
			p("VMOVUPS %d(R10), %s", j*vbytes, acc(i, j))
		}
		if i < c.mr-1 {
			p("ADDQ R8, R10")
		}
	}
	fmt.Fprintf(w, "%s:\n", l("start"))
	step := func(s int) {
		if c.pf > 0 {
			for off := 0; off < c.nc*4; off += 64 {
				p("PREFETCHT0 %d(DI)(R12*1)", off)
			}
		}
		if memB {
			p("VBROADCASTSS %d(SI), %s", s*4, bc(0))
			for j := 0; j < nv; j++ {
				p("VFMADD231PS %d(DI), %s, %s", j*vbytes, bc(0), acc(0, j))
			}
			p("ADDQ R9, DI")
			return
		}
		for j := 0; j < nv; j++ {
			p("VMOVUPS %d(DI), %s", j*vbytes, vb(j))
		}
		p("ADDQ R9, DI")
		for i := 0; i < c.mr; i++ {
			p("VBROADCASTSS %d(SI), %s", (s*c.mr+i)*4, bc(i))
			for j := 0; j < nv; j++ {
				p("VFMADD231PS %s, %s, %s", vb(j), bc(i), acc(i, j))
			}
		}
	}
	u := c.unroll
	p("CMPQ CX, $%d", u)
	p("JL %s", l("tail"))
	fmt.Fprintf(w, "%s:\n", l("loop"))
	for s := 0; s < u; s++ {
		step(s)
	}
	p("ADDQ $%d, SI", u*c.mr*4)
	p("SUBQ $%d, CX", u)
	p("CMPQ CX, $%d", u)
	p("JGE %s", l("loop"))
	fmt.Fprintf(w, "%s:\n", l("tail"))
	p("TESTQ CX, CX")
	p("JE %s", l("store"))
	fmt.Fprintf(w, "%s:\n", l("tail1"))
	step(0)
	p("ADDQ $%d, SI", c.mr*4)
	p("DECQ CX")
	p("JNZ %s", l("tail1"))
	fmt.Fprintf(w, "%s:\n", l("store"))
	p("TESTQ $4, AX")
	p("JNE %s", l("overwrite"))
	p("TESTQ $2, AX")
	p("JE %s", l("nobias"))
	p("MOVQ bias+72(FP), R11")
	if memB {
		for j := 0; j < nv; j++ {
			p("VADDPS %d(R11), %s, %s", j*vbytes, acc(0, j), acc(0, j))
		}
	} else {
		for j := 0; j < nv; j++ {
			p("VMOVUPS %d(R11), %s", j*vbytes, vb(j))
		}
		for i := 0; i < c.mr; i++ {
			for j := 0; j < nv; j++ {
				p("VADDPS %s, %s, %s", vb(j), acc(i, j), acc(i, j))
			}
		}
	}
	fmt.Fprintf(w, "%s:\n", l("nobias"))
	p("TESTQ $1, AX")
	p("JE %s", l("overwrite"))
	p("MOVQ src+56(FP), R11")
	p("MOVQ ldsrc+64(FP), R9")
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
	fmt.Fprintf(w, "%s:\n", l("overwrite"))
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
