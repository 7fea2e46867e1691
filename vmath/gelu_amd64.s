//go:build amd64

#include "textflag.h"
#include "go_asm.h"
#include "exp_amd64.h"

// GELU forward and backward, one vector per iteration: the ~25 operations
// of the exp and the divide keep the FP pipes busy, and iterations are
// independent, so out-of-order execution overlaps them without unrolling.

// GELUFWD512: Z0 = x → gelu(x) = x/(1 + e^w). Scratch Z1-Z5.
#define GELUFWD512 \
	GELUW512(Z0, Z1, Z2); \
	EXP512(Z2, Z3, Z4, Z5); \
	VADDPS Z26, Z2, Z2; \
	VDIVPS Z2, Z0, Z0

// GELUBWD512: Z0 = x, Z1 = x² after GELUW512 → Z6 = gelu'(x) =
// σ − σ·x·kn·(1−σ) with σ = 1/(1+e^w), 1−σ = e^w·σ, kn = −2u'(x).
#define GELUBWD512 \
	GELUW512(Z0, Z1, Z2); \
	EXP512(Z2, Z3, Z4, Z5); \
	VADDPS       Z26, Z2, Z3; \
	VDIVPS       Z3, Z26, Z3; \
	VMULPS       Z3, Z2, Z2; \
	VMOVAPS      Z31, Z6; \
	VFMADD213PS  Z29, Z1, Z6; \
	VMULPS       Z6, Z0, Z6; \
	VMULPS       Z2, Z6, Z6; \
	VFNMADD213PS Z3, Z3, Z6

// func geluFwdAVX512(out, inp *float32, n int)
TEXT ·geluFwdAVX512(SB), NOSPLIT, $0-24
	MOVQ out+0(FP), DI
	MOVQ inp+8(FP), SI
	MOVQ n+16(FP), CX
	LOADEXP512
	LOADGELU512
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (SI), Z0
	GELUFWD512
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JGE     loop

tail:
	TESTQ     CX, CX
	JE        done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	GELUFWD512
	VMOVUPS   Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// func geluBwdAVX512(dinp, inp, dout *float32, n int)
TEXT ·geluBwdAVX512(SB), NOSPLIT, $0-32
	MOVQ dinp+0(FP), DI
	MOVQ inp+8(FP), SI
	MOVQ dout+16(FP), DX
	MOVQ n+24(FP), CX
	LOADEXP512
	LOADGELU512
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (SI), Z0
	GELUBWD512
	VMULPS  (DX), Z6, Z6
	VMOVUPS Z6, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JGE     loop

tail:
	TESTQ     CX, CX
	JE        done
	TAILMASK
	VMOVUPS.Z (SI), K1, Z0
	GELUBWD512
	VMOVUPS.Z (DX), K1, Z7
	VMULPS    Z7, Z6, Z6
	VMOVUPS   Z6, K1, (DI)

done:
	VZEROUPPER
	RET

// The AVX2 routines take any n: the last n mod 8 elements are one more
// vector, loaded and stored with VMASKMOVPS and computed by the same
// instructions, so an element's bits do not depend on where a caller's split
// puts it (a scalar Go tail would round differently).

// GELUFWD256: Y0 = x → gelu(x); needs Y14/Y15 = ∓geluClamp; scratch Y1-Y5.
#define GELUFWD256 \
	GELUW256(Y0, Y1, Y2); \
	EXP256(Y2, Y3, Y4, Y5); \
	VADDPS VC(const_cOne), Y2, Y2; \
	VDIVPS Y2, Y0, Y0

// GELUBWD256: Y0 = x → Y6 = gelu'(x) (see GELUBWD512); also needs Y13 = 1.
#define GELUBWD256 \
	GELUW256(Y0, Y1, Y2); \
	EXP256(Y2, Y3, Y4, Y5); \
	VADDPS       Y13, Y2, Y3; \
	VDIVPS       Y3, Y13, Y3; \
	VMULPS       Y3, Y2, Y2; \
	VMOVUPS      VC(const_cGeluM6SC), Y6; \
	VFMADD213PS  VC(const_cGeluM2S), Y1, Y6; \
	VMULPS       Y6, Y0, Y6; \
	VMULPS       Y2, Y6, Y6; \
	VFNMADD213PS Y3, Y3, Y6

// func geluFwdAVX2(out, inp *float32, n int)
TEXT ·geluFwdAVX2(SB), NOSPLIT, $0-24
	MOVQ    out+0(FP), DI
	MOVQ    inp+8(FP), SI
	MOVQ    n+16(FP), CX
	VMOVUPS VC(const_cGeluLo), Y14
	VMOVUPS VC(const_cGeluHi), Y15
	CMPQ    CX, $8
	JL      tail

loop:
	VMOVUPS (SI), Y0
	GELUFWD256
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	SUBQ    $8, CX
	CMPQ    CX, $8
	JGE     loop

tail:
	TESTQ      CX, CX
	JE         done
	TAILMASK256(Y11)
	VMASKMOVPS (SI), Y11, Y0
	GELUFWD256
	VMASKMOVPS Y0, Y11, (DI)

done:
	VZEROUPPER
	RET

// func geluBwdAVX2(dinp, inp, dout *float32, n int)
TEXT ·geluBwdAVX2(SB), NOSPLIT, $0-32
	MOVQ    dinp+0(FP), DI
	MOVQ    inp+8(FP), SI
	MOVQ    dout+16(FP), DX
	MOVQ    n+24(FP), CX
	VMOVUPS VC(const_cGeluLo), Y14
	VMOVUPS VC(const_cGeluHi), Y15
	VMOVUPS VC(const_cOne), Y13
	CMPQ    CX, $8
	JL      tail

loop:
	VMOVUPS (SI), Y0
	GELUBWD256
	VMULPS  (DX), Y6, Y6
	VMOVUPS Y6, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, DI
	SUBQ    $8, CX
	CMPQ    CX, $8
	JGE     loop

tail:
	TESTQ      CX, CX
	JE         done
	TAILMASK256(Y11)
	VMASKMOVPS (SI), Y11, Y0
	GELUBWD256
	VMASKMOVPS (DX), Y11, Y7
	VMULPS     Y7, Y6, Y6
	VMASKMOVPS Y6, Y11, (DI)

done:
	VZEROUPPER
	RET
