//go:build amd64

#include "textflag.h"
#include "go_asm.h"
#include "exp_amd64.h"

// RotateHalves: x = a, y = b, c = cos, s = sin (XORed with the sign bit for
// the inverse, which is Go's −s), then
//
//	a' = (x·c) − (y·s);  b' = (y·c) + (x·s)
//
// with VMULPS, VSUBPS and VADDPS: the same roundings, in the same order, as
// rotateHalvesGeneric, so the results are bit-identical to it. Every input
// of a vector is loaded before its outputs are stored. Only AVX512F
// instructions on zmm (VPXORD, VPBROADCASTD, masked moves).

// ROTATE(R): R0 = x, R1 = y, R2 = c, R3 = s → R4 = a', R5 = b'; scratch R6.
#define ROTATE(R0, R1, R2, R3, R4, R5, R6) \
	VMULPS R2, R0, R4; \
	VMULPS R3, R1, R6; \
	VSUBPS R6, R4, R4; \
	VMULPS R2, R1, R5; \
	VMULPS R3, R0, R6; \
	VADDPS R6, R5, R5

// func rotateHalvesAVX512(a, b, cos, sin *float32, n int, inverse bool)
TEXT ·rotateHalvesAVX512(SB), NOSPLIT, $0-41
	MOVQ   a+0(FP), DI
	MOVQ   b+8(FP), SI
	MOVQ   cos+16(FP), DX
	MOVQ   sin+24(FP), R8
	MOVQ   n+32(FP), CX
	VPXORD Z7, Z7, Z7
	CMPB   inverse+40(FP), $0
	JE     start
	MOVL   $0x80000000, AX
	VPBROADCASTD AX, Z7

start:
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (DI), Z0
	VMOVUPS (SI), Z1
	VMOVUPS (DX), Z2
	VPXORD  (R8), Z7, Z3
	ROTATE(Z0, Z1, Z2, Z3, Z4, Z5, Z6)
	VMOVUPS Z4, (DI)
	VMOVUPS Z5, (SI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, R8
	SUBQ    $16, CX
	CMPQ    CX, $16
	JGE     loop

tail:
	TESTQ     CX, CX
	JE        done
	TAILMASK
	VMOVUPS.Z (DI), K1, Z0
	VMOVUPS.Z (SI), K1, Z1
	VMOVUPS.Z (DX), K1, Z2
	VMOVUPS.Z (R8), K1, Z3
	VPXORD    Z3, Z7, Z3
	ROTATE(Z0, Z1, Z2, Z3, Z4, Z5, Z6)
	VMOVUPS   Z4, K1, (DI)
	VMOVUPS   Z5, K1, (SI)

done:
	VZEROUPPER
	RET

// func rotateHalvesAVX2(a, b, cos, sin *float32, n int, inverse bool)
// The tail is one VMASKMOVPS vector (mask in Y11), computed like a full one.
TEXT ·rotateHalvesAVX2(SB), NOSPLIT, $0-41
	MOVQ   a+0(FP), DI
	MOVQ   b+8(FP), SI
	MOVQ   cos+16(FP), DX
	MOVQ   sin+24(FP), R8
	MOVQ   n+32(FP), CX
	VPXOR  Y7, Y7, Y7
	CMPB   inverse+40(FP), $0
	JE     start
	MOVL   $0x80000000, AX
	MOVL   AX, X7
	VPBROADCASTD X7, Y7

start:
	CMPQ CX, $8
	JL   tail

loop:
	VMOVUPS (DI), Y0
	VMOVUPS (SI), Y1
	VMOVUPS (DX), Y2
	VXORPS  (R8), Y7, Y3
	ROTATE(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, (SI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	SUBQ    $8, CX
	CMPQ    CX, $8
	JGE     loop

tail:
	TESTQ      CX, CX
	JE         done
	TAILMASK256(Y11)
	VMASKMOVPS (DI), Y11, Y0
	VMASKMOVPS (SI), Y11, Y1
	VMASKMOVPS (DX), Y11, Y2
	VMASKMOVPS (R8), Y11, Y3
	VXORPS     Y3, Y7, Y3
	ROTATE(Y0, Y1, Y2, Y3, Y4, Y5, Y6)
	VMASKMOVPS Y4, Y11, (DI)
	VMASKMOVPS Y5, Y11, (SI)

done:
	VZEROUPPER
	RET
