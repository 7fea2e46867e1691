//go:build amd64

#include "textflag.h"

// DotBF16: dotAVX512 and dotAVX2 of vec_amd64.s with y widened from
// bfloat16 as it is loaded (VPMOVZXWD, then a 16-bit shift puts the bits
// in a float32's top half). The FMAs, accumulators and reduction are the
// same, in the same order, so the result is Dot's over the widened y.

// func dotBF16AVX512(x *float32, y, tail *uint16, n int) float32
TEXT ·dotBF16AVX512(SB), NOSPLIT, $0-36
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   tail+16(FP), R8
	MOVQ   n+24(FP), CX
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	CMPQ   CX, $64
	JL     tail16

loop64:
	VMOVUPS     (SI), Z4
	VMOVUPS     64(SI), Z5
	VMOVUPS     128(SI), Z6
	VMOVUPS     192(SI), Z7
	VPMOVZXWD   (DI), Z8
	VPMOVZXWD   32(DI), Z9
	VPMOVZXWD   64(DI), Z10
	VPMOVZXWD   96(DI), Z11
	VPSLLD      $16, Z8, Z8
	VPSLLD      $16, Z9, Z9
	VPSLLD      $16, Z10, Z10
	VPSLLD      $16, Z11, Z11
	VFMADD231PS Z8, Z4, Z0
	VFMADD231PS Z9, Z5, Z1
	VFMADD231PS Z10, Z6, Z2
	VFMADD231PS Z11, Z7, Z3
	ADDQ        $256, SI
	ADDQ        $128, DI
	SUBQ        $64, CX
	CMPQ        CX, $64
	JGE         loop64

tail16:
	CMPQ        CX, $16
	JL          tailmask
	VMOVUPS     (SI), Z4
	VPMOVZXWD   (DI), Z8
	VPSLLD      $16, Z8, Z8
	VFMADD231PS Z8, Z4, Z0
	ADDQ        $64, SI
	ADDQ        $32, DI
	SUBQ        $16, CX
	JMP         tail16

tailmask:
	TESTQ       CX, CX
	JE          reduce
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1
	VMOVUPS.Z   (SI), K1, Z4
	VPMOVZXWD   (R8), Z5
	VPSLLD      $16, Z5, Z5
	VFMADD231PS Z5, Z4, Z1

reduce:
	VADDPS        Z1, Z0, Z0
	VADDPS        Z3, Z2, Z2
	VADDPS        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPS        X1, X0, X0
	VMOVHLPS      X0, X0, X1
	VADDPS        X1, X0, X0
	VPSHUFD       $0x55, X0, X1
	VADDSS        X1, X0, X0
	VMOVSS        X0, ret+32(FP)
	VZEROUPPER
	RET

// func dotBF16AVX2(x *float32, y *uint16, n int) float32
TEXT ·dotBF16AVX2(SB), NOSPLIT, $0-28
	MOVQ   x+0(FP), SI
	MOVQ   y+8(FP), DI
	MOVQ   n+16(FP), CX
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	CMPQ   CX, $32
	JL     tail8

loop32:
	VMOVUPS     (SI), Y4
	VMOVUPS     32(SI), Y5
	VMOVUPS     64(SI), Y6
	VMOVUPS     96(SI), Y7
	VPMOVZXWD   (DI), Y8
	VPMOVZXWD   16(DI), Y9
	VPMOVZXWD   32(DI), Y10
	VPMOVZXWD   48(DI), Y11
	VPSLLD      $16, Y8, Y8
	VPSLLD      $16, Y9, Y9
	VPSLLD      $16, Y10, Y10
	VPSLLD      $16, Y11, Y11
	VFMADD231PS Y8, Y4, Y0
	VFMADD231PS Y9, Y5, Y1
	VFMADD231PS Y10, Y6, Y2
	VFMADD231PS Y11, Y7, Y3
	ADDQ        $128, SI
	ADDQ        $64, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         loop32

tail8:
	CMPQ        CX, $8
	JL          reduce
	VMOVUPS     (SI), Y4
	VPMOVZXWD   (DI), Y8
	VPSLLD      $16, Y8, Y8
	VFMADD231PS Y8, Y4, Y0
	ADDQ        $32, SI
	ADDQ        $16, DI
	SUBQ        $8, CX
	JMP         tail8

reduce:
	VADDPS       Y1, Y0, Y0
	VADDPS       Y3, Y2, Y2
	VADDPS       Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS       X1, X0, X0
	VMOVHLPS     X0, X0, X1
	VADDPS       X1, X0, X0
	VPSHUFD      $0x55, X0, X1
	VADDSS       X1, X0, X0

	// The last n mod 8 products are added one by one.
tail1:
	TESTQ       CX, CX
	JE          done
	VMOVSS      (SI), X4
	MOVWLZX     (DI), AX
	SHLL        $16, AX
	VMOVD       AX, X5
	VFMADD231SS X5, X4, X0
	ADDQ        $4, SI
	ADDQ        $2, DI
	DECQ        CX
	JMP         tail1

done:
	VMOVSS X0, ret+24(FP)
	VZEROUPPER
	RET
