//go:build amd64

#include "textflag.h"
#include "go_asm.h"
#include "exp_amd64.h"

// Fused AdamW: one pass reads p, g, m, v and writes p, m, v (28 bytes per
// element), so it runs at memory speed; the one divide and square root per
// element hide behind the loads. Operation order matches adamwGeneric:
//   m' = b1·m + (1−b1)·g            v' = b2·v + ((1−b2)·g)·g
//   p' = p·decay − (lrbc1·m') / (√(v'·ibc2) + eps)

#define ADAM_LOAD512 \
	MOVQ         c+40(FP), AX; \
	VBROADCASTSS adamConsts_b1(AX), Z16; \
	VBROADCASTSS adamConsts_omb1(AX), Z17; \
	VBROADCASTSS adamConsts_b2(AX), Z18; \
	VBROADCASTSS adamConsts_omb2(AX), Z19; \
	VBROADCASTSS adamConsts_lrbc1(AX), Z20; \
	VBROADCASTSS adamConsts_ibc2(AX), Z21; \
	VBROADCASTSS adamConsts_eps(AX), Z22; \
	VBROADCASTSS adamConsts_decay(AX), Z23

// ADAM512: Z0 = g, Z1 = m, Z2 = v, Z5 = p in; Z3 = m', Z4 = v', Z5 = p' out.
#define ADAM512 \
	VMULPS      Z17, Z0, Z3; \
	VFMADD231PS Z16, Z1, Z3; \
	VMULPS      Z19, Z0, Z4; \
	VMULPS      Z0, Z4, Z4; \
	VFMADD231PS Z18, Z2, Z4; \
	VMULPS      Z21, Z4, Z6; \
	VSQRTPS     Z6, Z6; \
	VADDPS      Z22, Z6, Z6; \
	VMULPS      Z20, Z3, Z7; \
	VDIVPS      Z6, Z7, Z7; \
	VMULPS      Z23, Z5, Z5; \
	VSUBPS      Z7, Z5, Z5

// func adamwAVX512(p, grad, m, v *float32, n int, c *adamConsts)
TEXT ·adamwAVX512(SB), NOSPLIT, $0-48
	MOVQ p+0(FP), DI
	MOVQ grad+8(FP), SI
	MOVQ m+16(FP), R8
	MOVQ v+24(FP), R9
	MOVQ n+32(FP), CX
	ADAM_LOAD512
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (SI), Z0
	VMOVUPS (R8), Z1
	VMOVUPS (R9), Z2
	VMOVUPS (DI), Z5
	ADAM512
	VMOVUPS Z3, (R8)
	VMOVUPS Z4, (R9)
	VMOVUPS Z5, (DI)
	ADDQ    $64, SI
	ADDQ    $64, R8
	ADDQ    $64, R9
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JGE     loop

tail:
	TESTQ     CX, CX
	JE        done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (R8), K1, Z1
	VMOVUPS.Z (R9), K1, Z2
	VMOVUPS.Z (DI), K1, Z5
	ADAM512
	VMOVUPS   Z3, K1, (R8)
	VMOVUPS   Z4, K1, (R9)
	VMOVUPS   Z5, K1, (DI)

done:
	VZEROUPPER
	RET

// func adamwAVX2(p, grad, m, v *float32, n int, c *adamConsts)
// Any n: the last n mod 8 elements are a VMASKMOVPS vector (mask in Y1)
// computed like the others, so a parameter's update does not depend on how
// the optimizer splits the slice among threads.
TEXT ·adamwAVX2(SB), NOSPLIT, $0-48
	MOVQ         p+0(FP), DI
	MOVQ         grad+8(FP), SI
	MOVQ         m+16(FP), R8
	MOVQ         v+24(FP), R9
	MOVQ         n+32(FP), CX
	MOVQ         c+40(FP), AX
	VBROADCASTSS adamConsts_b1(AX), Y8
	VBROADCASTSS adamConsts_omb1(AX), Y9
	VBROADCASTSS adamConsts_b2(AX), Y10
	VBROADCASTSS adamConsts_omb2(AX), Y11
	VBROADCASTSS adamConsts_lrbc1(AX), Y12
	VBROADCASTSS adamConsts_ibc2(AX), Y13
	VBROADCASTSS adamConsts_eps(AX), Y14
	VBROADCASTSS adamConsts_decay(AX), Y15
	CMPQ         CX, $8
	JL           tail

loop:
	VMOVUPS     (SI), Y0
	VMULPS      Y9, Y0, Y3
	VFMADD231PS (R8), Y8, Y3
	VMULPS      Y11, Y0, Y4
	VMULPS      Y0, Y4, Y4
	VFMADD231PS (R9), Y10, Y4
	VMOVUPS     Y3, (R8)
	VMOVUPS     Y4, (R9)
	VMULPS      Y13, Y4, Y6
	VSQRTPS     Y6, Y6
	VADDPS      Y14, Y6, Y6
	VMULPS      Y12, Y3, Y7
	VDIVPS      Y6, Y7, Y7
	VMULPS      (DI), Y15, Y5
	VSUBPS      Y7, Y5, Y5
	VMOVUPS     Y5, (DI)
	ADDQ        $32, SI
	ADDQ        $32, R8
	ADDQ        $32, R9
	ADDQ        $32, DI
	SUBQ        $8, CX
	CMPQ        CX, $8
	JGE         loop

tail:
	TESTQ       CX, CX
	JE          done
	TAILMASK256(Y1)
	VMASKMOVPS  (SI), Y1, Y0
	VMASKMOVPS  (R8), Y1, Y2
	VMULPS      Y9, Y0, Y3
	VFMADD231PS Y2, Y8, Y3
	VMASKMOVPS  (R9), Y1, Y2
	VMULPS      Y11, Y0, Y4
	VMULPS      Y0, Y4, Y4
	VFMADD231PS Y2, Y10, Y4
	VMASKMOVPS  Y3, Y1, (R8)
	VMASKMOVPS  Y4, Y1, (R9)
	VMULPS      Y13, Y4, Y6
	VSQRTPS     Y6, Y6
	VADDPS      Y14, Y6, Y6
	VMULPS      Y12, Y3, Y7
	VDIVPS      Y6, Y7, Y7
	VMASKMOVPS  (DI), Y1, Y2
	VMULPS      Y2, Y15, Y5
	VSUBPS      Y7, Y5, Y5
	VMASKMOVPS  Y5, Y1, (DI)

done:
	VZEROUPPER
	RET
