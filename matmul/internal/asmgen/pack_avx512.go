package main

import (
	"bytes"
	"fmt"
)

// genTranspose emits
//
//	func transposeAVX512(dst *float32, dstStride int, src *float32, srcStride int, cols int, rows int, mask int)
//
// which transposes the rows×cols block at src (rows <= 16, row stride
// srcStride) into cols rows at dst (stride dstStride), storing the lanes in
// mask: output row c lane r = src[r][c], and 0 for r >= rows. Strides are in
// floats. It works in 16-column blocks; the last, partial block reads its
// columns with a zero-masking load, which never touches memory outside the
// mask.
//
// The transpose is the classic 4-stage one, 64 shuffles per 16×16 block:
// unpck{l,h}ps and unpck{l,h}pd transpose the 4×4 sub-blocks inside each
// 128-bit lane, then two rounds of vshuff32x4 move the 128-bit lanes.
// Z0-Z15 and Z16-Z31 alternate as source and destination of the stages.
func genTranspose(w *bytes.Buffer) { genTransposeOf(w, transposeF32) }

// genTransposeBF16 emits transposeBF16AVX512: transposeAVX512 with src
// in bfloat16 (src *uint16, srcStride in elements), each value widened to
// float32 as it is loaded (VPMOVZXWD, then a 16-bit shift), so a BF16
// operand is packed straight into float32 panels.
func genTransposeBF16(w *bytes.Buffer) { genTransposeOf(w, transposeBF16) }

// genPairRows emits
//
//	func pairRowsAVX512(dst *float32, dstStride int, src *float32, srcStride int, steps int, rows int, mask int, swap int)
//
// which packs rows whose k steps are contiguous into a panel of k pairs in
// one pass (steps > 0, rows <= 16): per block of 32 steps it loads each
// row's steps with zero-masking loads (a short last block touches no
// memory past its steps), rounds them to bfloat16 (VCVTNEPS2BF16, as
// bytes), so that 32-bit lane s holds the pair (2s, 2s+1) with step 2s in
// its low half, rotates the halves when swap is nonzero (step 2s high:
// VDPBF16PS's order), and transposes the 16×16 block of pairs into up to
// 16 panel rows (one per pair step, the lanes in mask).
func genPairRows(w *bytes.Buffer) { genTransposeOf(w, transposePairs) }

const (
	transposeF32   = iota // float32 in, float32 out
	transposeBF16         // bfloat16 in, widened
	transposePairs        // float32 in, rounded and paired (pairRowsAVX512)
)

func genTransposeOf(w *bytes.Buffer, mode int) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	z := func(i int) string { return fmt.Sprintf("Z%d", i) }
	name, srcType, elemShift, block, prefix := "transposeAVX512", "float32", 2, 64, ""
	switch mode {
	case transposeBF16:
		name, srcType, elemShift, block, prefix = "transposeBF16AVX512", "uint16", 1, 32, "b"
	case transposePairs:
		name, block, prefix = "pairRowsAVX512", 128, "p"
	}
	label := func(l string) { fmt.Fprintf(w, "%s%s:\n", prefix, l) }
	jmp := func(op, l string) { p("%s %s%s", op, prefix, l) }
	if mode == transposePairs {
		fmt.Fprintf(w, "\n// func %s(dst *float32, dstStride int, src *float32, srcStride int, steps int, rows int, mask int, swap int)\n", name)
		fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-64\n", name)
	} else {
		fmt.Fprintf(w, "\n// func %s(dst *float32, dstStride int, src *%s, srcStride int, cols int, rows int, mask int)\n", name, srcType)
		fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-56\n", name)
	}
	p("MOVQ dst+0(FP), DI")
	p("MOVQ dstStride+8(FP), R8")
	p("SHLQ $2, R8")
	p("MOVQ src+16(FP), SI")
	p("MOVQ srcStride+24(FP), R9")
	p("SHLQ $%d, R9", elemShift)
	p("MOVQ %s+32(FP), CX", map[bool]string{true: "steps", false: "cols"}[mode == transposePairs])
	p("MOVQ rows+40(FP), DX")
	p("MOVQ mask+48(FP), AX")
	p("KMOVW AX, K1")
	if mode == transposePairs {
		p("MOVQ swap+56(FP), R10")
	} else {
		p("MOVL $0xffff, AX")
		p("KMOVW AX, K2")
	}
	label("block")
	p("CMPQ CX, $0")
	jmp("JLE", "done")
	if mode == transposePairs {
		// K2, K3: the block's steps among its first and last 16; BX: its
		// pairs, the panel rows it stores.
		p("MOVL $0xffff, AX")
		p("KMOVW AX, K2")
		p("KMOVW AX, K3")
		p("MOVQ $16, BX")
		p("CMPQ CX, $32")
		jmp("JGE", "full")
		p("MOVQ CX, BX")
		p("INCQ BX")
		p("SHRQ $1, BX")
		p("CMPQ CX, $16")
		jmp("JGE", "high")
		p("MOVL $1, AX")
		p("SHLL CX, AX")
		p("DECL AX")
		p("KMOVW AX, K2")
		p("KXORW K3, K3, K3")
		jmp("JMP", "full")
		label("high")
		p("SUBQ $16, CX")
		p("MOVL $1, AX")
		p("SHLL CX, AX")
		p("DECL AX")
		p("KMOVW AX, K3")
		p("ADDQ $16, CX")
	} else {
		p("MOVQ $16, BX") // output rows of this block
		p("CMPQ CX, $16")
		jmp("JGE", "full")
		p("MOVQ CX, BX")
		p("MOVL $1, AX")
		p("SHLL CX, AX")
		p("DECL AX")
		p("KMOVW AX, K2")
	}
	label("full")
	// Load rows 0..rows-1; fall into the zeroing chain at the first
	// missing row.
	p("MOVQ SI, AX")
	for r := 0; r < 16; r++ {
		p("CMPQ DX, $%d", r)
		jmp("JLE", fmt.Sprintf("zero%d", r))
		switch mode {
		case transposeBF16:
			p("VPMOVZXWD.Z (AX), K2, %s", z(r))
			p("VPSLLD $16, %s, %s", z(r), z(r))
		case transposePairs:
			// Steps 0-15 rounded in place, 16-31 through Z16/Y17, the
			// two halves joined: 16 pairs, step 2s in the low half.
			p("VMOVUPS.Z (AX), K2, %s", z(r))
			p("VMOVUPS.Z 64(AX), K3, Z16")
			p("%s", vcvtneps2bf16(r, r))
			p("%s", vcvtneps2bf16(17, 16))
			p("VINSERTI64X4 $1, Y17, %s, %s", z(r), z(r))
		default:
			p("VMOVUPS.Z (AX), K2, %s", z(r))
		}
		p("ADDQ R9, AX")
	}
	jmp("JMP", "loaded")
	for r := 0; r < 16; r++ {
		label(fmt.Sprintf("zero%d", r))
		p("VPXORD %s, %s, %s", z(r), z(r), z(r))
	}
	label("loaded")
	if mode == transposePairs {
		p("TESTQ R10, R10")
		jmp("JZ", "transpose")
		for r := 0; r < 16; r++ {
			p("VPRORD $16, %s, %s", z(r), z(r))
		}
		label("transpose")
	}
	// Stage 1: t[2i], t[2i+1] = unpck{l,h}ps(r[2i], r[2i+1]).
	for i := 0; i < 8; i++ {
		p("VUNPCKLPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i))
		p("VUNPCKHPS %s, %s, %s", z(2*i+1), z(2*i), z(16+2*i+1))
	}
	// Stage 2: per group g of 4 rows, r[4g+c] = column c of the 4×4 blocks.
	for g := 0; g < 4; g++ {
		t := 16 + 4*g
		p("VUNPCKLPD %s, %s, %s", z(t+2), z(t), z(4*g+0))
		p("VUNPCKHPD %s, %s, %s", z(t+2), z(t), z(4*g+1))
		p("VUNPCKLPD %s, %s, %s", z(t+3), z(t+1), z(4*g+2))
		p("VUNPCKHPD %s, %s, %s", z(t+3), z(t+1), z(4*g+3))
	}
	// Stage 3: pair row groups 0/1 and 2/3, even lanes (0x88) and odd
	// lanes (0xdd).
	for i := 0; i < 4; i++ {
		p("VSHUFF32X4 $0x88, %s, %s, %s", z(4+i), z(i), z(16+i))
		p("VSHUFF32X4 $0xdd, %s, %s, %s", z(4+i), z(i), z(20+i))
		p("VSHUFF32X4 $0x88, %s, %s, %s", z(12+i), z(8+i), z(24+i))
		p("VSHUFF32X4 $0xdd, %s, %s, %s", z(12+i), z(8+i), z(28+i))
	}
	// Stage 4: output column 4L+i goes to register 4L+i.
	for i := 0; i < 4; i++ {
		p("VSHUFF32X4 $0x88, %s, %s, %s", z(24+i), z(16+i), z(i))    // L=0
		p("VSHUFF32X4 $0x88, %s, %s, %s", z(28+i), z(20+i), z(4+i))  // L=1
		p("VSHUFF32X4 $0xdd, %s, %s, %s", z(24+i), z(16+i), z(8+i))  // L=2
		p("VSHUFF32X4 $0xdd, %s, %s, %s", z(28+i), z(20+i), z(12+i)) // L=3
	}
	for c := 0; c < 16; c++ {
		p("VMOVUPS %s, K1, (DI)", z(c))
		p("ADDQ R8, DI")
		if c < 15 {
			p("DECQ BX")
			jmp("JZ", "done")
		}
	}
	p("ADDQ $%d, SI", block)
	p("SUBQ $%d, CX", map[bool]int{true: 32, false: 16}[mode == transposePairs])
	jmp("JMP", "block")
	label("done")
	p("VZEROUPPER")
	p("RET")
}

// vcvtneps2bf16 encodes VCVTNEPS2BF16 ymm(dst), zmm(src) (registers, no
// mask), which Go's assembler does not know, as bytes: EVEX.512.F3.0F38.W0
// 72 /r. Each float32 lane is rounded to bfloat16 (to nearest even,
// subnormals to zero) into the 16-bit lanes of the ymm.
func vcvtneps2bf16(dst, src int) string {
	inv := func(r, bit int) byte { return byte(^(r >> bit) & 1) }
	p0 := inv(dst, 3)<<7 | inv(src, 4)<<6 | inv(src, 3)<<5 | inv(dst, 4)<<4 | 0b010 // R X B R' 0 mmm=0F38
	modrm := byte(0b11)<<6 | byte(dst&7)<<3 | byte(src&7)
	return fmt.Sprintf("BYTE $0x62; BYTE $0x%02x; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0x%02x // VCVTNEPS2BF16 Z%d, Y%d", p0, modrm, src, dst)
}

// genCopyRows emits
//
//	func copyRowsAVX512(dst *float32, dstStride int, src *float32, srcStride int, n int, lmask int, smask int)
//
// which copies n rows of up to 32 floats: lanes in lmask are loaded (the
// others read as zero and are never touched in memory, so a short last
// row may end the slice), lanes in smask are stored. Strides in floats.
func genCopyRows(w *bytes.Buffer) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	fmt.Fprintf(w, "\n// func copyRowsAVX512(dst *float32, dstStride int, src *float32, srcStride int, n int, lmask int, smask int)\n")
	fmt.Fprintf(w, "TEXT ·copyRowsAVX512(SB), NOSPLIT, $0-56\n")
	// Masked stores are slow on some AVX-512 CPUs (AMD's in particular),
	// and the common stores need no mask: whole 32-float rows (B panels),
	// and rows of w ≤ 16 floats packed back to back (A panels, dstStride
	// = w), where a 16-lane store's extra lanes land on the next row before
	// that row is written; only the last row needs the mask there.
	p("MOVQ dst+0(FP), DI")
	p("MOVQ src+16(FP), SI")
	p("MOVQ srcStride+24(FP), R9")
	p("SHLQ $2, R9")
	p("MOVQ lmask+40(FP), AX")
	p("KMOVW AX, K1")
	p("SHRQ $16, AX")
	p("KMOVW AX, K2")
	p("MOVQ smask+48(FP), AX")
	p("KMOVW AX, K3")
	p("MOVQ AX, DX")
	p("SHRQ $16, DX")
	p("KMOVW DX, K4")
	p("MOVQ dstStride+8(FP), CX")
	p("MOVQ CX, R8")
	p("SHLQ $2, R8")
	p("MOVL $0xFFFFFFFF, BX")
	p("CMPQ AX, BX")
	p("JE full")
	p("CMPQ CX, $16")
	p("JA masked")
	p("MOVL $1, BX")
	p("SHLQ CX, BX")
	p("DECQ BX")
	p("CMPQ AX, BX")
	p("JE dense")
	fmt.Fprintf(w, "masked:\n")
	p("MOVQ n+32(FP), CX")
	p("TESTQ CX, CX")
	p("JE done")
	fmt.Fprintf(w, "loop:\n")
	p("VMOVUPS.Z (SI), K1, Z0")
	p("VMOVUPS.Z 64(SI), K2, Z1")
	p("VMOVUPS Z0, K3, (DI)")
	p("VMOVUPS Z1, K4, 64(DI)")
	p("ADDQ R9, SI")
	p("ADDQ R8, DI")
	p("DECQ CX")
	p("JNZ loop")
	p("JMP done")
	fmt.Fprintf(w, "full:\n")
	p("MOVQ n+32(FP), CX")
	p("TESTQ CX, CX")
	p("JE done")
	fmt.Fprintf(w, "fullloop:\n")
	p("VMOVUPS.Z (SI), K1, Z0")
	p("VMOVUPS.Z 64(SI), K2, Z1")
	p("VMOVUPS Z0, (DI)")
	p("VMOVUPS Z1, 64(DI)")
	p("ADDQ R9, SI")
	p("ADDQ R8, DI")
	p("DECQ CX")
	p("JNZ fullloop")
	p("JMP done")
	fmt.Fprintf(w, "dense:\n")
	p("MOVQ n+32(FP), CX")
	p("TESTQ CX, CX")
	p("JE done")
	p("DECQ CX")
	p("JE denselast")
	fmt.Fprintf(w, "denseloop:\n")
	p("VMOVUPS.Z (SI), K1, Z0")
	p("VMOVUPS Z0, (DI)")
	p("ADDQ R9, SI")
	p("ADDQ R8, DI")
	p("DECQ CX")
	p("JNZ denseloop")
	fmt.Fprintf(w, "denselast:\n")
	p("VMOVUPS.Z (SI), K1, Z0")
	p("VMOVUPS Z0, K3, (DI)")
	fmt.Fprintf(w, "done:\n")
	p("VZEROUPPER")
	p("RET")
}
