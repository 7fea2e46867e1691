//go:build amd64

#include "textflag.h"

// Go's assembler knows neither the AMX instructions nor VCVTNEPS2BF16, so
// they are written as bytes; each line's comment is the instruction, as GNU
// as (binutils 2.40) encodes it and objdump reads it back. TestAMXEncoding
// disassembles these functions in the test binary and compares.

// func amxTiles(k16 int, a, b, t *float32, cfg *byte, rows, astride, ldt, tstep int)
TEXT ·amxTiles(SB), NOSPLIT, $0-72
	MOVQ k16+0(FP), R10
	MOVQ a+8(FP), R13
	MOVQ t+24(FP), DX
	MOVQ cfg+32(FP), AX
	MOVQ rows+40(FP), BX
	MOVQ ldt+56(FP), R8
	BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0x00 // ldtilecfg [rax]
	MOVQ $64, R11  // A tile stride: a row of 16 pairs
	MOVQ $128, R12 // B tile stride: a pair of 32 columns

panel:
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc0 // tilezero tmm0
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xc8 // tilezero tmm1
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd0 // tilezero tmm2
	BYTE $0xc4; BYTE $0xe2; BYTE $0x7b; BYTE $0x49; BYTE $0xd8 // tilezero tmm3
	MOVQ R13, SI
	MOVQ b+16(FP), DI
	MOVQ R10, CX
	TESTQ CX, CX
	JEQ  store

loop:
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x24; BYTE $0x1e                                     // tileloadd tmm4, [rsi+r11*1]
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0xac; BYTE $0x1e; BYTE $0x00; BYTE $0x04; BYTE $0x00; BYTE $0x00 // tileloadd tmm5, [rsi+r11*1+0x400]
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x34; BYTE $0x27                                     // tileloadd tmm6, [rdi+r12*1]
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7b; BYTE $0x4b; BYTE $0x7c; BYTE $0x27; BYTE $0x40                         // tileloadd tmm7, [rdi+r12*1+0x40]
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xc4 // tdpbf16ps tmm0, tmm4, tmm6
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xcc // tdpbf16ps tmm1, tmm4, tmm7
	BYTE $0xc4; BYTE $0xe2; BYTE $0x4a; BYTE $0x5c; BYTE $0xd5 // tdpbf16ps tmm2, tmm5, tmm6
	BYTE $0xc4; BYTE $0xe2; BYTE $0x42; BYTE $0x5c; BYTE $0xdd // tdpbf16ps tmm3, tmm5, tmm7
	ADDQ $2048, SI // next chunk: 32 rows × 64 bytes
	ADDQ $2048, DI // 16 pairs × 128 bytes
	DECQ CX
	JNE  loop

store:
	MOVQ R8, R9
	SHLQ $4, R9
	ADDQ DX, R9 // row 16 of T
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7a; BYTE $0x4b; BYTE $0x04; BYTE $0x02             // tilestored [rdx+r8*1], tmm0
	BYTE $0xc4; BYTE $0xa2; BYTE $0x7a; BYTE $0x4b; BYTE $0x4c; BYTE $0x02; BYTE $0x40 // tilestored [rdx+r8*1+0x40], tmm1
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x14; BYTE $0x01             // tilestored [r9+r8*1], tmm2
	BYTE $0xc4; BYTE $0x82; BYTE $0x7a; BYTE $0x4b; BYTE $0x5c; BYTE $0x01; BYTE $0x40 // tilestored [r9+r8*1+0x40], tmm3
	ADDQ astride+48(FP), R13
	ADDQ tstep+64(FP), DX
	DECQ BX
	JNE  panel
	BYTE $0xc4; BYTE $0xe2; BYTE $0x78; BYTE $0x49; BYTE $0xc0 // tilerelease
	RET

// func finishTile32AVX512(t *float32, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)
// C = (T + bias) + src for a 32×32 tile T (row-major), each part only when
// acc says so: the FMA kernels' epilogue, in their order.
TEXT ·finishTile32AVX512(SB), NOSPLIT, $0-56
	MOVQ t+0(FP), SI
	MOVQ c+8(FP), DI
	MOVQ ldc+16(FP), R8
	SHLQ $2, R8
	MOVQ acc+24(FP), AX
	MOVQ src+32(FP), R10
	MOVQ ldsrc+40(FP), R9
	SHLQ $2, R9
	MOVQ $32, CX
	TESTQ $2, AX
	JE   finrow
	MOVQ bias+48(FP), R11
	VMOVUPS (R11), Z2
	VMOVUPS 64(R11), Z3

finrow:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	TESTQ $2, AX
	JE   finnobias
	VADDPS Z2, Z0, Z0
	VADDPS Z3, Z1, Z1

finnobias:
	TESTQ $1, AX
	JE   finstore
	VADDPS (R10), Z0, Z0
	VADDPS 64(R10), Z1, Z1
	ADDQ R9, R10

finstore:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	ADDQ $128, SI
	ADDQ R8, DI
	DECQ CX
	JNE  finrow
	VZEROUPPER
	RET
