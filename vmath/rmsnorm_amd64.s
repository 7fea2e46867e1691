//go:build amd64

#include "textflag.h"
#include "go_asm.h"
#include "exp_amd64.h"

// RMSNorm rows (Llama). A row is short (576 to a few thousand columns) and
// sits in L1, so the sums are latency bound: they keep four accumulators and
// step 4 vectors at a time, then single vectors into the first accumulator,
// then the tail (masked, its empty lanes add zero). The accumulators are
// combined as (a0+a1)+(a2+a3) and then across lanes in a fixed tree, so the
// order of the sum depends only on n. Operation order otherwise follows the
// generic code (rmsnorm.go); the FMAs round once where Go rounds twice.

// SUM4_512 leaves Σ of the lanes of Z0..Z3 in X0 (scratch Y8/X8).
#define SUM4_512 \
	VADDPS        Z1, Z0, Z0; \
	VADDPS        Z3, Z2, Z2; \
	VADDPS        Z2, Z0, Z0; \
	VEXTRACTF64X4 $1, Z0, Y8; \
	VADDPS        Y8, Y0, Y0; \
	VEXTRACTF128  $1, Y0, X8; \
	VADDPS        X8, X0, X0; \
	VMOVHLPS      X0, X0, X8; \
	VADDPS        X8, X0, X0; \
	VPSHUFD       $0x55, X0, X8; \
	VADDSS        X8, X0, X0

// SUM4_256 is SUM4_512 for Y0..Y3.
#define SUM4_256 \
	VADDPS       Y1, Y0, Y0; \
	VADDPS       Y3, Y2, Y2; \
	VADDPS       Y2, Y0, Y0; \
	VEXTRACTF128 $1, Y0, X8; \
	VADDPS       X8, X0, X0; \
	VMOVHLPS     X0, X0, X8; \
	VADDPS       X8, X0, X0; \
	VPSHUFD      $0x55, X0, X8; \
	VADDSS       X8, X0, X0

// RSTD: X0 = Σx², X11 = eps → X0 = 1/√(Σx²/n + eps), as rmsFwdRowGeneric
// rounds it (a float64 square root rounded to float32 is the float32 square
// root).
#define RSTD \
	VCVTSI2SSQ BX, X9, X9; \
	VDIVSS     X9, X0, X0; \
	VADDSS     X11, X0, X0; \
	VSQRTSS    X0, X0, X0; \
	MOVL       $0x3f800000, DX; \
	VMOVD      DX, X10; \
	VDIVSS     X0, X10, X0

// KCOEF: X0 = Σg·x, X1 = r → X2 = r³·Σ(g·x)/n, multiplied in the
// generic's order.
#define KCOEF \
	VMULSS     X1, X1, X2; \
	VMULSS     X1, X2, X2; \
	VMULSS     X0, X2, X2; \
	VCVTSI2SSQ BX, X9, X9; \
	VDIVSS     X9, X2, X2

// func rmsFwdRowAVX512(out, x, w *float32, n int, eps float32) (rstd float32)
TEXT ·rmsFwdRowAVX512(SB), NOSPLIT, $0-44
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), R8
	MOVQ n+24(FP), BX
	MOVQ BX, CX
	ANDQ $15, CX
	JE   sums
	TAILMASK                    // K1: the last n mod 16 lanes, for both passes

sums:
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	XORQ   AX, AX               // byte offset
	MOVQ   BX, CX

sq64:
	CMPQ        CX, $64
	JL          sq16
	VMOVUPS     (SI)(AX*1), Z4
	VMOVUPS     64(SI)(AX*1), Z5
	VMOVUPS     128(SI)(AX*1), Z6
	VMOVUPS     192(SI)(AX*1), Z7
	VFMADD231PS Z4, Z4, Z0
	VFMADD231PS Z5, Z5, Z1
	VFMADD231PS Z6, Z6, Z2
	VFMADD231PS Z7, Z7, Z3
	ADDQ        $256, AX
	SUBQ        $64, CX
	JMP         sq64

sq16:
	CMPQ        CX, $16
	JL          sqtail
	VMOVUPS     (SI)(AX*1), Z4
	VFMADD231PS Z4, Z4, Z0
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         sq16

sqtail:
	TESTQ       CX, CX
	JE          rstd
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VFMADD231PS Z4, Z4, Z0

rstd:
	SUM4_512
	VMOVSS       eps+32(FP), X11
	RSTD
	VMOVSS       X0, rstd+40(FP)
	VBROADCASTSS X0, Z1

	// out = (x·rstd)·w. Each step loads before it stores and only writes
	// what it read, so out may be x.
	XORQ AX, AX
	MOVQ BX, CX

scale32:
	CMPQ    CX, $32
	JL      scale16
	VMULPS  (SI)(AX*1), Z1, Z4
	VMULPS  64(SI)(AX*1), Z1, Z5
	VMULPS  (R8)(AX*1), Z4, Z4
	VMULPS  64(R8)(AX*1), Z5, Z5
	VMOVUPS Z4, (DI)(AX*1)
	VMOVUPS Z5, 64(DI)(AX*1)
	ADDQ    $128, AX
	SUBQ    $32, CX
	JMP     scale32

scale16:
	CMPQ    CX, $16
	JL      scaletail
	VMULPS  (SI)(AX*1), Z1, Z4
	VMULPS  (R8)(AX*1), Z4, Z4
	VMOVUPS Z4, (DI)(AX*1)
	ADDQ    $64, AX
	SUBQ    $16, CX

scaletail:
	TESTQ     CX, CX
	JE        fwddone
	VMOVUPS.Z (SI)(AX*1), K1, Z4
	VMOVUPS.Z (R8)(AX*1), K1, Z5
	VMULPS    Z1, Z4, Z4
	VMULPS    Z5, Z4, Z4
	VMOVUPS   Z4, K1, (DI)(AX*1)

fwddone:
	VZEROUPPER
	RET

// func rmsBwdRowAVX512(di, d, x, w *float32, n int, r float32)
TEXT ·rmsBwdRowAVX512(SB), NOSPLIT, $0-44
	MOVQ di+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ x+16(FP), R8
	MOVQ w+24(FP), R9
	MOVQ n+32(FP), BX
	MOVQ BX, CX
	ANDQ $15, CX
	JE   sums
	TAILMASK

sums:
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	XORQ   AX, AX
	MOVQ   BX, CX

dot64:
	CMPQ        CX, $64
	JL          dot16
	VMOVUPS     (SI)(AX*1), Z4
	VMOVUPS     64(SI)(AX*1), Z5
	VMOVUPS     128(SI)(AX*1), Z6
	VMOVUPS     192(SI)(AX*1), Z7
	VMULPS      (R9)(AX*1), Z4, Z4      // g = d·w
	VMULPS      64(R9)(AX*1), Z5, Z5
	VMULPS      128(R9)(AX*1), Z6, Z6
	VMULPS      192(R9)(AX*1), Z7, Z7
	VFMADD231PS (R8)(AX*1), Z4, Z0      // Σ g·x
	VFMADD231PS 64(R8)(AX*1), Z5, Z1
	VFMADD231PS 128(R8)(AX*1), Z6, Z2
	VFMADD231PS 192(R8)(AX*1), Z7, Z3
	ADDQ        $256, AX
	SUBQ        $64, CX
	JMP         dot64

dot16:
	CMPQ        CX, $16
	JL          dottail
	VMOVUPS     (SI)(AX*1), Z4
	VMULPS      (R9)(AX*1), Z4, Z4
	VFMADD231PS (R8)(AX*1), Z4, Z0
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         dot16

dottail:
	TESTQ       CX, CX
	JE          coef
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VMOVUPS.Z   (R9)(AX*1), K1, Z5
	VMOVUPS.Z   (R8)(AX*1), K1, Z6
	VMULPS      Z5, Z4, Z4
	VFMADD231PS Z6, Z4, Z0

coef:
	SUM4_512
	VMOVSS       r+40(FP), X1
	KCOEF
	VBROADCASTSS X1, Z1         // r
	VBROADCASTSS X2, Z2         // k = r³·mean(g·x)

	// di += r·g − x·k
	XORQ AX, AX
	MOVQ BX, CX

upd16:
	CMPQ         CX, $16
	JL           updtail
	VMOVUPS      (SI)(AX*1), Z4
	VMULPS       (R9)(AX*1), Z4, Z4
	VMULPS       Z1, Z4, Z4
	VMOVUPS      (R8)(AX*1), Z5
	VFNMADD231PS Z2, Z5, Z4
	VADDPS       (DI)(AX*1), Z4, Z4
	VMOVUPS      Z4, (DI)(AX*1)
	ADDQ         $64, AX
	SUBQ         $16, CX
	JMP          upd16

updtail:
	TESTQ        CX, CX
	JE           bwddone
	VMOVUPS.Z    (SI)(AX*1), K1, Z4
	VMOVUPS.Z    (R9)(AX*1), K1, Z6
	VMOVUPS.Z    (R8)(AX*1), K1, Z5
	VMOVUPS.Z    (DI)(AX*1), K1, Z7
	VMULPS       Z6, Z4, Z4
	VMULPS       Z1, Z4, Z4
	VFNMADD231PS Z2, Z5, Z4
	VADDPS       Z7, Z4, Z4
	VMOVUPS      Z4, K1, (DI)(AX*1)

bwddone:
	VZEROUPPER
	RET

// func rmsGradAccumAVX512(gw, d, x *float32, n int, r float32)
TEXT ·rmsGradAccumAVX512(SB), NOSPLIT, $0-36
	MOVQ         gw+0(FP), DI
	MOVQ         d+8(FP), SI
	MOVQ         x+16(FP), R8
	MOVQ         n+24(FP), CX
	VBROADCASTSS r+32(FP), Z1
	XORQ         AX, AX

acc32:
	CMPQ        CX, $32
	JL          acc16
	VMULPS      (R8)(AX*1), Z1, Z4      // x·r
	VMULPS      64(R8)(AX*1), Z1, Z5
	VMOVUPS     (DI)(AX*1), Z6
	VMOVUPS     64(DI)(AX*1), Z7
	VFMADD231PS (SI)(AX*1), Z4, Z6      // gw += d·(x·r)
	VFMADD231PS 64(SI)(AX*1), Z5, Z7
	VMOVUPS     Z6, (DI)(AX*1)
	VMOVUPS     Z7, 64(DI)(AX*1)
	ADDQ        $128, AX
	SUBQ        $32, CX
	JMP         acc32

acc16:
	CMPQ        CX, $16
	JL          acctail
	VMULPS      (R8)(AX*1), Z1, Z4
	VMOVUPS     (DI)(AX*1), Z6
	VFMADD231PS (SI)(AX*1), Z4, Z6
	VMOVUPS     Z6, (DI)(AX*1)
	ADDQ        $64, AX
	SUBQ        $16, CX

acctail:
	TESTQ       CX, CX
	JE          accdone
	MOVQ        AX, DX
	TAILMASK
	MOVQ        DX, AX
	VMOVUPS.Z   (R8)(AX*1), K1, Z4
	VMOVUPS.Z   (SI)(AX*1), K1, Z5
	VMOVUPS.Z   (DI)(AX*1), K1, Z6
	VMULPS      Z1, Z4, Z4
	VFMADD231PS Z5, Z4, Z6
	VMOVUPS     Z6, K1, (DI)(AX*1)

accdone:
	VZEROUPPER
	RET

// The AVX2 versions: the same passes 8 lanes wide, four accumulators over
// 32 elements a step, and VMASKMOVPS tails (mask in Y15, built once).

// func rmsFwdRowAVX2(out, x, w *float32, n int, eps float32) (rstd float32)
TEXT ·rmsFwdRowAVX2(SB), NOSPLIT, $0-44
	MOVQ out+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ w+16(FP), R8
	MOVQ n+24(FP), BX
	MOVQ BX, CX
	ANDQ $7, CX
	JE   sums
	TAILMASK256(Y15)

sums:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ   AX, AX
	MOVQ   BX, CX

sq32:
	CMPQ        CX, $32
	JL          sq8
	VMOVUPS     (SI)(AX*1), Y4
	VMOVUPS     32(SI)(AX*1), Y5
	VMOVUPS     64(SI)(AX*1), Y6
	VMOVUPS     96(SI)(AX*1), Y7
	VFMADD231PS Y4, Y4, Y0
	VFMADD231PS Y5, Y5, Y1
	VFMADD231PS Y6, Y6, Y2
	VFMADD231PS Y7, Y7, Y3
	ADDQ        $128, AX
	SUBQ        $32, CX
	JMP         sq32

sq8:
	CMPQ        CX, $8
	JL          sqtail
	VMOVUPS     (SI)(AX*1), Y4
	VFMADD231PS Y4, Y4, Y0
	ADDQ        $32, AX
	SUBQ        $8, CX
	JMP         sq8

sqtail:
	TESTQ       CX, CX
	JE          rstd
	VMASKMOVPS  (SI)(AX*1), Y15, Y4
	VFMADD231PS Y4, Y4, Y0

rstd:
	SUM4_256
	VMOVSS       eps+32(FP), X11
	RSTD
	VMOVSS       X0, rstd+40(FP)
	VBROADCASTSS X0, Y1
	XORQ         AX, AX
	MOVQ         BX, CX

scale16:
	CMPQ    CX, $16
	JL      scale8
	VMULPS  (SI)(AX*1), Y1, Y4
	VMULPS  32(SI)(AX*1), Y1, Y5
	VMULPS  (R8)(AX*1), Y4, Y4
	VMULPS  32(R8)(AX*1), Y5, Y5
	VMOVUPS Y4, (DI)(AX*1)
	VMOVUPS Y5, 32(DI)(AX*1)
	ADDQ    $64, AX
	SUBQ    $16, CX
	JMP     scale16

scale8:
	CMPQ    CX, $8
	JL      scaletail
	VMULPS  (SI)(AX*1), Y1, Y4
	VMULPS  (R8)(AX*1), Y4, Y4
	VMOVUPS Y4, (DI)(AX*1)
	ADDQ    $32, AX
	SUBQ    $8, CX

scaletail:
	TESTQ      CX, CX
	JE         fwddone
	VMASKMOVPS (SI)(AX*1), Y15, Y4
	VMASKMOVPS (R8)(AX*1), Y15, Y5
	VMULPS     Y1, Y4, Y4
	VMULPS     Y5, Y4, Y4
	VMASKMOVPS Y4, Y15, (DI)(AX*1)

fwddone:
	VZEROUPPER
	RET

// func rmsBwdRowAVX2(di, d, x, w *float32, n int, r float32)
TEXT ·rmsBwdRowAVX2(SB), NOSPLIT, $0-44
	MOVQ di+0(FP), DI
	MOVQ d+8(FP), SI
	MOVQ x+16(FP), R8
	MOVQ w+24(FP), R9
	MOVQ n+32(FP), BX
	MOVQ BX, CX
	ANDQ $7, CX
	JE   sums
	TAILMASK256(Y15)

sums:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	XORQ   AX, AX
	MOVQ   BX, CX

dot32:
	CMPQ        CX, $32
	JL          dot8
	VMOVUPS     (SI)(AX*1), Y4
	VMOVUPS     32(SI)(AX*1), Y5
	VMOVUPS     64(SI)(AX*1), Y6
	VMOVUPS     96(SI)(AX*1), Y7
	VMULPS      (R9)(AX*1), Y4, Y4
	VMULPS      32(R9)(AX*1), Y5, Y5
	VMULPS      64(R9)(AX*1), Y6, Y6
	VMULPS      96(R9)(AX*1), Y7, Y7
	VFMADD231PS (R8)(AX*1), Y4, Y0
	VFMADD231PS 32(R8)(AX*1), Y5, Y1
	VFMADD231PS 64(R8)(AX*1), Y6, Y2
	VFMADD231PS 96(R8)(AX*1), Y7, Y3
	ADDQ        $128, AX
	SUBQ        $32, CX
	JMP         dot32

dot8:
	CMPQ        CX, $8
	JL          dottail
	VMOVUPS     (SI)(AX*1), Y4
	VMULPS      (R9)(AX*1), Y4, Y4
	VFMADD231PS (R8)(AX*1), Y4, Y0
	ADDQ        $32, AX
	SUBQ        $8, CX
	JMP         dot8

dottail:
	TESTQ       CX, CX
	JE          coef
	VMASKMOVPS  (SI)(AX*1), Y15, Y4
	VMASKMOVPS  (R9)(AX*1), Y15, Y5
	VMASKMOVPS  (R8)(AX*1), Y15, Y6
	VMULPS      Y5, Y4, Y4
	VFMADD231PS Y6, Y4, Y0

coef:
	SUM4_256
	VMOVSS       r+40(FP), X1
	KCOEF
	VBROADCASTSS X1, Y1
	VBROADCASTSS X2, Y2
	XORQ         AX, AX
	MOVQ         BX, CX

upd8:
	CMPQ         CX, $8
	JL           updtail
	VMOVUPS      (SI)(AX*1), Y4
	VMULPS       (R9)(AX*1), Y4, Y4
	VMULPS       Y1, Y4, Y4
	VMOVUPS      (R8)(AX*1), Y5
	VFNMADD231PS Y2, Y5, Y4
	VADDPS       (DI)(AX*1), Y4, Y4
	VMOVUPS      Y4, (DI)(AX*1)
	ADDQ         $32, AX
	SUBQ         $8, CX
	JMP          upd8

updtail:
	TESTQ        CX, CX
	JE           bwddone
	VMASKMOVPS   (SI)(AX*1), Y15, Y4
	VMASKMOVPS   (R9)(AX*1), Y15, Y6
	VMASKMOVPS   (R8)(AX*1), Y15, Y5
	VMASKMOVPS   (DI)(AX*1), Y15, Y7
	VMULPS       Y6, Y4, Y4
	VMULPS       Y1, Y4, Y4
	VFNMADD231PS Y2, Y5, Y4
	VADDPS       Y7, Y4, Y4
	VMASKMOVPS   Y4, Y15, (DI)(AX*1)

bwddone:
	VZEROUPPER
	RET

// func rmsGradAccumAVX2(gw, d, x *float32, n int, r float32)
TEXT ·rmsGradAccumAVX2(SB), NOSPLIT, $0-36
	MOVQ         gw+0(FP), DI
	MOVQ         d+8(FP), SI
	MOVQ         x+16(FP), R8
	MOVQ         n+24(FP), CX
	VBROADCASTSS r+32(FP), Y1
	XORQ         AX, AX

acc16:
	CMPQ        CX, $16
	JL          acc8
	VMULPS      (R8)(AX*1), Y1, Y4
	VMULPS      32(R8)(AX*1), Y1, Y5
	VMOVUPS     (DI)(AX*1), Y6
	VMOVUPS     32(DI)(AX*1), Y7
	VFMADD231PS (SI)(AX*1), Y4, Y6
	VFMADD231PS 32(SI)(AX*1), Y5, Y7
	VMOVUPS     Y6, (DI)(AX*1)
	VMOVUPS     Y7, 32(DI)(AX*1)
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         acc16

acc8:
	CMPQ        CX, $8
	JL          acctail
	VMULPS      (R8)(AX*1), Y1, Y4
	VMOVUPS     (DI)(AX*1), Y6
	VFMADD231PS (SI)(AX*1), Y4, Y6
	VMOVUPS     Y6, (DI)(AX*1)
	ADDQ        $32, AX
	SUBQ        $8, CX

acctail:
	TESTQ       CX, CX
	JE          accdone
	TAILMASK256(Y15)
	VMASKMOVPS  (R8)(AX*1), Y15, Y4
	VMASKMOVPS  (SI)(AX*1), Y15, Y5
	VMASKMOVPS  (DI)(AX*1), Y15, Y6
	VMULPS      Y1, Y4, Y4
	VFMADD231PS Y5, Y4, Y6
	VMASKMOVPS  Y6, Y15, (DI)(AX*1)

accdone:
	VZEROUPPER
	RET
