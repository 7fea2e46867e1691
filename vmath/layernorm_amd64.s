//go:build amd64

#include "textflag.h"
#include "exp_amd64.h"

// LayerNorm backward, AVX-512: 16 columns a step, the last len mod 16 under
// a mask (zeroed lanes add nothing to the sums). The row kernel keeps its two
// sums in one register each and reduces them at the end.

// func lnBwdRowAVX512(di, d, x, w *float32, n int, m, s float32)
TEXT ·lnBwdRowAVX512(SB), NOSPLIT, $0-48
	MOVQ         di+0(FP), DI
	MOVQ         d+8(FP), SI
	MOVQ         x+16(FP), R8
	MOVQ         w+24(FP), R9
	MOVQ         n+32(FP), BX
	VBROADCASTSS m+40(FP), Z0
	VBROADCASTSS s+44(FP), Z1
	VXORPS       Z2, Z2, Z2     // Σ g
	VXORPS       Z3, Z3, Z3     // Σ g·norm
	XORQ         AX, AX         // byte offset
	MOVQ         BX, CX

sums16:
	CMPQ        CX, $16
	JL          sumstail
	VMOVUPS     (SI)(AX*1), Z4
	VMULPS      (R9)(AX*1), Z4, Z6 // g = d·w
	VMOVUPS     (R8)(AX*1), Z7
	VSUBPS      Z0, Z7, Z7
	VMULPS      Z1, Z7, Z7         // norm
	VADDPS      Z6, Z2, Z2
	VFMADD231PS Z7, Z6, Z3
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         sums16

sumstail:
	TESTQ       CX, CX
	JE          reduce
	MOVQ        AX, DX
	TAILMASK
	MOVQ        DX, AX
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VMOVUPS.Z   (R9)(AX*1), K1, Z5
	VMOVUPS.Z   (R8)(AX*1), K1, Z7
	VMULPS      Z5, Z4, Z6
	VSUBPS      Z0, Z7, Z7
	VMULPS      Z1, Z7, Z7
	VADDPS      Z6, Z2, Z2
	VFMADD231PS Z7, Z6, Z3

reduce:
	VEXTRACTF64X4 $1, Z2, Y8
	VADDPS        Y8, Y2, Y2
	VEXTRACTF128  $1, Y2, X8
	VADDPS        X8, X2, X2
	VMOVHLPS      X2, X2, X8
	VADDPS        X8, X2, X2
	VPSHUFD       $0x55, X2, X8
	VADDSS        X8, X2, X2
	VEXTRACTF64X4 $1, Z3, Y8
	VADDPS        Y8, Y3, Y3
	VEXTRACTF128  $1, Y3, X8
	VADDPS        X8, X3, X3
	VMOVHLPS      X3, X3, X8
	VADDPS        X8, X3, X3
	VPSHUFD       $0x55, X3, X8
	VADDSS        X8, X3, X3
	VCVTSI2SSQ    BX, X9, X9
	VDIVSS        X9, X2, X2
	VDIVSS        X9, X3, X3
	VBROADCASTSS  X2, Z2        // mean(g)
	VBROADCASTSS  X3, Z3        // mean(g·norm)

	XORQ AX, AX
	MOVQ BX, CX

write16:
	CMPQ         CX, $16
	JL           writetail
	VMOVUPS      (SI)(AX*1), Z4
	VMULPS       (R9)(AX*1), Z4, Z6
	VMOVUPS     (R8)(AX*1), Z7
	VSUBPS      Z0, Z7, Z7
	VMULPS       Z1, Z7, Z7
	VSUBPS       Z2, Z6, Z6         // g − mean(g)
	VFNMADD231PS Z3, Z7, Z6         // − norm·mean(g·norm)
	VMOVUPS      (DI)(AX*1), Z5
	VFMADD231PS  Z1, Z6, Z5         // di += (…)·s
	VMOVUPS      Z5, (DI)(AX*1)
	ADDQ         $64, AX
	SUBQ         $16, CX
	JMP          write16

writetail:
	TESTQ        CX, CX
	JE           done
	VMOVUPS.Z    (SI)(AX*1), K1, Z4
	VMOVUPS.Z    (R9)(AX*1), K1, Z5
	VMOVUPS.Z    (R8)(AX*1), K1, Z7
	VMULPS       Z5, Z4, Z6
	VSUBPS       Z0, Z7, Z7
	VMULPS       Z1, Z7, Z7
	VSUBPS       Z2, Z6, Z6
	VFNMADD231PS Z3, Z7, Z6
	VMOVUPS.Z    (DI)(AX*1), K1, Z5
	VFMADD231PS  Z1, Z6, Z5
	VMOVUPS      Z5, K1, (DI)(AX*1)

done:
	VZEROUPPER
	RET

// func lnGradAccumAVX512(gw, gb, d, x *float32, n int, m, s float32)
TEXT ·lnGradAccumAVX512(SB), NOSPLIT, $0-48
	MOVQ         gw+0(FP), DI
	MOVQ         gb+8(FP), R10
	MOVQ         d+16(FP), SI
	MOVQ         x+24(FP), R8
	MOVQ         n+32(FP), CX
	VBROADCASTSS m+40(FP), Z0
	VBROADCASTSS s+44(FP), Z1
	XORQ         AX, AX

acc16:
	CMPQ        CX, $16
	JL          acctail
	VMOVUPS     (SI)(AX*1), Z4
	VMOVUPS     (R8)(AX*1), Z7
	VSUBPS      Z0, Z7, Z7
	VMULPS      Z1, Z7, Z7
	VMOVUPS     (DI)(AX*1), Z5
	VFMADD231PS Z7, Z4, Z5
	VMOVUPS     Z5, (DI)(AX*1)
	VADDPS      (R10)(AX*1), Z4, Z6
	VMOVUPS     Z6, (R10)(AX*1)
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         acc16

acctail:
	TESTQ       CX, CX
	JE          accdone
	MOVQ        AX, DX
	TAILMASK
	MOVQ        DX, AX
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VMOVUPS.Z   (R8)(AX*1), K1, Z7
	VSUBPS      Z0, Z7, Z7
	VMULPS      Z1, Z7, Z7
	VMOVUPS.Z   (DI)(AX*1), K1, Z5
	VFMADD231PS Z7, Z4, Z5
	VMOVUPS     Z5, K1, (DI)(AX*1)
	VMOVUPS.Z   (R10)(AX*1), K1, Z6
	VADDPS      Z4, Z6, Z6
	VMOVUPS     Z6, K1, (R10)(AX*1)

accdone:
	VZEROUPPER
	RET

// HSUM reduces Z to its lane sum in the low lane of X (Y, X the same
// register's halves), using Y8/X8 as scratch.
#define HSUM(Z, Y, X) \
	VEXTRACTF64X4 $1, Z, Y8; \
	VADDPS        Y8, Y, Y; \
	VEXTRACTF128  $1, Y, X8; \
	VADDPS        X8, X, X; \
	VMOVHLPS      X, X, X8; \
	VADDPS        X8, X, X; \
	VPSHUFD       $0x55, X, X8; \
	VADDSS        X8, X, X

// func lnFwdRowAVX512(out, x, w, b *float32, n int, eps float32) (mean, rstd float32)
TEXT ·lnFwdRowAVX512(SB), NOSPLIT, $0-56
	MOVQ   out+0(FP), DI
	MOVQ   x+8(FP), SI
	MOVQ   w+16(FP), R8
	MOVQ   b+24(FP), R9
	MOVQ   n+32(FP), BX
	VCVTSI2SSQ BX, X9, X9      // n as float32
	MOVQ   BX, CX
	ANDQ   $15, CX
	JE     nomask
	TAILMASK                   // K1: the last n mod 16 lanes

nomask:
	// Pass 1: Σx.
	VXORPS Z2, Z2, Z2
	XORQ   AX, AX
	MOVQ   BX, CX

sum16:
	CMPQ    CX, $16
	JL      sumtail
	VADDPS  (SI)(AX*1), Z2, Z2
	ADDQ    $64, AX
	SUBQ    $16, CX
	JMP     sum16

sumtail:
	TESTQ     CX, CX
	JE        mean
	VMOVUPS.Z (SI)(AX*1), K1, Z4
	VADDPS    Z4, Z2, Z2

mean:
	HSUM(Z2, Y2, X2)
	VDIVSS       X9, X2, X2
	VMOVSS       X2, mean+48(FP)
	VBROADCASTSS X2, Z0        // mean

	// Pass 2: Σ(x − mean)².
	VXORPS Z3, Z3, Z3
	XORQ   AX, AX
	MOVQ   BX, CX

var16:
	CMPQ        CX, $16
	JL          vartail
	VMOVUPS     (SI)(AX*1), Z4
	VSUBPS      Z0, Z4, Z4
	VFMADD231PS Z4, Z4, Z3
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         var16

vartail:
	TESTQ       CX, CX
	JE          rstd
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VSUBPS.Z    Z0, Z4, K1, Z4
	VFMADD231PS Z4, Z4, Z3

rstd:
	HSUM(Z3, Y3, X3)
	VDIVSS       X9, X3, X3
	VADDSS       eps+40(FP), X3, X3
	VSQRTSS      X3, X3, X3
	MOVL         $0x3f800000, DX   // 1.0
	VMOVD        DX, X10
	VDIVSS       X3, X10, X3
	VMOVSS       X3, rstd+52(FP)
	VBROADCASTSS X3, Z1        // rstd

	// Pass 3: out = (x − mean)·rstd·w + b.
	XORQ AX, AX
	MOVQ BX, CX

out16:
	CMPQ        CX, $16
	JL          outtail
	VMOVUPS     (SI)(AX*1), Z4
	VSUBPS      Z0, Z4, Z4
	VMULPS      Z1, Z4, Z4
	VMOVUPS     (R9)(AX*1), Z5
	VFMADD231PS (R8)(AX*1), Z4, Z5
	VMOVUPS     Z5, (DI)(AX*1)
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         out16

outtail:
	TESTQ       CX, CX
	JE          outdone
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VSUBPS      Z0, Z4, Z4
	VMULPS      Z1, Z4, Z4
	VMOVUPS.Z   (R9)(AX*1), K1, Z5
	VMOVUPS.Z   (R8)(AX*1), K1, Z6
	VFMADD231PS Z6, Z4, Z5
	VMOVUPS     Z5, K1, (DI)(AX*1)

outdone:
	VZEROUPPER
	RET
