//go:build amd64

#include "textflag.h"
#include "go_asm.h"
#include "exp_amd64.h"

// SwiGLU forward and backward, one vector per iteration like GELU: the exp
// and the divide dominate and iterations are independent, so out-of-order
// execution overlaps them. σ(g) = 1/(1 + e^−g) uses the vector exp of
// exp_amd64.h with expf's clamp of −g to [expLo, expHi], so it differs from
// the generic sigmoid only by the exp's FMA rounding. The other operations
// follow swiglu.go in order; the backward's 1 + g·(1−σ) is one FMA.

// SIGMOID512: Z0 = g → Z1 = σ(g). Needs LOADEXP512, Z27/Z28 = expLo/expHi,
// Z29 = 0; scratch Z2-Z4. 0 − g is −g except for the sign of a zero, which
// e^x does not see.
#define SIGMOID512 \
	VSUBPS Z0, Z29, Z1; \
	CLAMP512(Z1, Z27, Z28); \
	EXP512(Z1, Z2, Z3, Z4); \
	VADDPS Z26, Z1, Z1; \
	VDIVPS Z1, Z26, Z1

#define LOADSIGMOID512 \
	LOADEXP512; \
	VBROADCASTSS ·vconst+const_cExpLo(SB), Z27; \
	VBROADCASTSS ·vconst+const_cExpHi(SB), Z28; \
	VXORPS       Z29, Z29, Z29

// SWIGLUBWD512: Z0 = g, Z5 = dout, Z6 = up → Z2 = dup = d·(g·σ),
// Z3 = dgate = (d·up)·(σ·(1 + g·(1−σ))).
#define SWIGLUBWD512 \
	SIGMOID512; \
	VMULPS      Z1, Z0, Z2; \
	VMULPS      Z5, Z2, Z2; \
	VSUBPS      Z1, Z26, Z3; \
	VFMADD213PS Z26, Z0, Z3; \
	VMULPS      Z1, Z3, Z3; \
	VMULPS      Z6, Z5, Z4; \
	VMULPS      Z3, Z4, Z3

// func swigluAVX512(out, gate, up *float32, n int)
TEXT ·swigluAVX512(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ gate+8(FP), SI
	MOVQ up+16(FP), DX
	MOVQ n+24(FP), CX
	LOADSIGMOID512
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (SI), Z0
	SIGMOID512
	VMULPS  Z1, Z0, Z0
	VMULPS  (DX), Z0, Z0
	VMOVUPS Z0, (DI)
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
	SIGMOID512
	VMOVUPS.Z (DX), K1, Z5
	VMULPS    Z1, Z0, Z0
	VMULPS    Z5, Z0, Z0
	VMOVUPS   Z0, K1, (DI)

done:
	VZEROUPPER
	RET

// All inputs of a vector are loaded before its outputs are stored.

// func swigluBwdAVX512(dgate, dup, dout, gate, up *float32, n int)
TEXT ·swigluBwdAVX512(SB), NOSPLIT, $0-48
	MOVQ dgate+0(FP), DI
	MOVQ dup+8(FP), R8
	MOVQ dout+16(FP), SI
	MOVQ gate+24(FP), R9
	MOVQ up+32(FP), R10
	MOVQ n+40(FP), CX
	LOADSIGMOID512
	CMPQ CX, $16
	JL   tail

loop:
	VMOVUPS (R9), Z0
	VMOVUPS (SI), Z5
	VMOVUPS (R10), Z6
	SWIGLUBWD512
	VMOVUPS Z2, (R8)
	VMOVUPS Z3, (DI)
	ADDQ    $64, R9
	ADDQ    $64, SI
	ADDQ    $64, R10
	ADDQ    $64, R8
	ADDQ    $64, DI
	SUBQ    $16, CX
	CMPQ    CX, $16
	JGE     loop

tail:
	TESTQ     CX, CX
	JE        done
	TAILMASK
	VMOVUPS.Z (R9), K1, Z0
	VMOVUPS.Z (SI), K1, Z5
	VMOVUPS.Z (R10), K1, Z6
	SWIGLUBWD512
	VMOVUPS   Z2, K1, (R8)
	VMOVUPS   Z3, K1, (DI)

done:
	VZEROUPPER
	RET

// AVX2: constants in Y12 = 0, Y13 = 1, Y14/Y15 = expLo/expHi (EXP256 takes
// the rest from memory); the tail is a VMASKMOVPS vector with its mask in
// Y11, computed like a full one.

// SIGMOID256: Y0 = g → Y1 = σ(g); scratch Y2-Y4.
#define SIGMOID256 \
	VSUBPS Y0, Y12, Y1; \
	VMAXPS Y1, Y14, Y1; \
	VMINPS Y1, Y15, Y1; \
	EXP256(Y1, Y2, Y3, Y4); \
	VADDPS Y13, Y1, Y1; \
	VDIVPS Y1, Y13, Y1

#define LOADSIGMOID256 \
	VXORPS  Y12, Y12, Y12; \
	VMOVUPS VC(const_cOne), Y13; \
	VMOVUPS VC(const_cExpLo), Y14; \
	VMOVUPS VC(const_cExpHi), Y15

// SWIGLUBWD256: SWIGLUBWD512 on Y registers.
#define SWIGLUBWD256 \
	SIGMOID256; \
	VMULPS      Y1, Y0, Y2; \
	VMULPS      Y5, Y2, Y2; \
	VSUBPS      Y1, Y13, Y3; \
	VFMADD213PS Y13, Y0, Y3; \
	VMULPS      Y1, Y3, Y3; \
	VMULPS      Y6, Y5, Y4; \
	VMULPS      Y3, Y4, Y3

// func swigluAVX2(out, gate, up *float32, n int)
TEXT ·swigluAVX2(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ gate+8(FP), SI
	MOVQ up+16(FP), DX
	MOVQ n+24(FP), CX
	LOADSIGMOID256
	CMPQ CX, $8
	JL   tail

loop:
	VMOVUPS (SI), Y0
	SIGMOID256
	VMULPS  Y1, Y0, Y0
	VMULPS  (DX), Y0, Y0
	VMOVUPS Y0, (DI)
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
	SIGMOID256
	VMASKMOVPS (DX), Y11, Y5
	VMULPS     Y1, Y0, Y0
	VMULPS     Y5, Y0, Y0
	VMASKMOVPS Y0, Y11, (DI)

done:
	VZEROUPPER
	RET

// func swigluBwdAVX2(dgate, dup, dout, gate, up *float32, n int)
TEXT ·swigluBwdAVX2(SB), NOSPLIT, $0-48
	MOVQ dgate+0(FP), DI
	MOVQ dup+8(FP), R8
	MOVQ dout+16(FP), SI
	MOVQ gate+24(FP), R9
	MOVQ up+32(FP), R10
	MOVQ n+40(FP), CX
	LOADSIGMOID256
	CMPQ CX, $8
	JL   tail

loop:
	VMOVUPS (R9), Y0
	VMOVUPS (SI), Y5
	VMOVUPS (R10), Y6
	SWIGLUBWD256
	VMOVUPS Y2, (R8)
	VMOVUPS Y3, (DI)
	ADDQ    $32, R9
	ADDQ    $32, SI
	ADDQ    $32, R10
	ADDQ    $32, R8
	ADDQ    $32, DI
	SUBQ    $8, CX
	CMPQ    CX, $8
	JGE     loop

tail:
	TESTQ      CX, CX
	JE         done
	TAILMASK256(Y11)
	VMASKMOVPS (R9), Y11, Y0
	VMASKMOVPS (SI), Y11, Y5
	VMASKMOVPS (R10), Y11, Y6
	SWIGLUBWD256
	VMASKMOVPS Y2, Y11, (R8)
	VMASKMOVPS Y3, Y11, (DI)

done:
	VZEROUPPER
	RET
