//go:build amd64

#include "textflag.h"

// Dots' AVX-512 kernel: dotsBF16x4AVX512 (vecs_bf16_amd64.s) over float32
// rows. Each row gets dotAVX512's accumulators, FMAs and reduction in the
// same order, so each result is Dot's bits; four rows share each x load,
// and, as there, the four rows are a quarter of the matrix apart.

#define FMA4M(src, a0, a1, a2, a3) \
	VFMADD231PS (src), Z16, a0; \
	VFMADD231PS 64(src), Z17, a1; \
	VFMADD231PS 128(src), Z18, a2; \
	VFMADD231PS 192(src), Z19, a3

#define REDUCE(a0, a1, a2, a3, y0, y1, x0, x1, off) \
	VADDPS        a1, a0, a0; \
	VADDPS        a3, a2, a2; \
	VADDPS        a2, a0, a0; \
	VEXTRACTF64X4 $1, a0, y1; \
	VADDPS        y1, y0, y0; \
	VEXTRACTF128  $1, y0, x1; \
	VADDPS        x1, x0, x0; \
	VMOVHLPS      x0, x0, x1; \
	VADDPS        x1, x0, x0; \
	VPSHUFD       $0x55, x0, x1; \
	VADDSS        x1, x0, x0; \
	VMOVSS        x0, off(DX)

// func dotsx4AVX512(x *float32, w *float32, ld int, n int, out *float32)
TEXT ·dotsx4AVX512(SB), NOSPLIT, $0-40
	MOVQ   x+0(FP), SI
	MOVQ   w+8(FP), DI
	MOVQ   ld+16(FP), R8
	MOVQ   n+24(FP), CX
	MOVQ   out+32(FP), DX
	SHLQ   $2, R8
	LEAQ   (DI)(R8*1), R9
	LEAQ   (R9)(R8*1), R10
	LEAQ   (R10)(R8*1), R11
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	VPXORD Z12, Z12, Z12
	VPXORD Z13, Z13, Z13
	VPXORD Z14, Z14, Z14
	VPXORD Z15, Z15, Z15
	CMPQ   CX, $64
	JL     tail16

loop64:
	VMOVUPS (SI), Z16
	VMOVUPS 64(SI), Z17
	VMOVUPS 128(SI), Z18
	VMOVUPS 192(SI), Z19
	FMA4M(DI, Z0, Z1, Z2, Z3)
	FMA4M(R9, Z4, Z5, Z6, Z7)
	FMA4M(R10, Z8, Z9, Z10, Z11)
	FMA4M(R11, Z12, Z13, Z14, Z15)
	ADDQ    $256, SI
	ADDQ    $256, DI
	ADDQ    $256, R9
	ADDQ    $256, R10
	ADDQ    $256, R11
	SUBQ    $64, CX
	CMPQ    CX, $64
	JGE     loop64

tail16:
	CMPQ        CX, $16
	JL          tailmask
	VMOVUPS     (SI), Z16
	VFMADD231PS (DI), Z16, Z0
	VFMADD231PS (R9), Z16, Z4
	VFMADD231PS (R10), Z16, Z8
	VFMADD231PS (R11), Z16, Z12
	ADDQ        $64, SI
	ADDQ        $64, DI
	ADDQ        $64, R9
	ADDQ        $64, R10
	ADDQ        $64, R11
	SUBQ        $16, CX
	JMP         tail16

tailmask:
	TESTQ       CX, CX
	JE          reduce
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1
	VMOVUPS.Z   (SI), K1, Z16
	VMOVUPS.Z   (DI), K1, Z20
	VMOVUPS.Z   (R9), K1, Z21
	VMOVUPS.Z   (R10), K1, Z22
	VMOVUPS.Z   (R11), K1, Z23
	VFMADD231PS Z20, Z16, Z1
	VFMADD231PS Z21, Z16, Z5
	VFMADD231PS Z22, Z16, Z9
	VFMADD231PS Z23, Z16, Z13

reduce:
	REDUCE(Z0, Z1, Z2, Z3, Y0, Y1, X0, X1, 0)
	REDUCE(Z4, Z5, Z6, Z7, Y4, Y5, X4, X5, 4)
	REDUCE(Z8, Z9, Z10, Z11, Y8, Y9, X8, X9, 8)
	REDUCE(Z12, Z13, Z14, Z15, Y12, Y13, X12, X13, 12)
	VZEROUPPER
	RET
