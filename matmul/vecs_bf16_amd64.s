//go:build amd64

#include "textflag.h"

// DotsBF16's AVX-512 kernel: four weight rows against one x per call.
// Each row gets dotBF16AVX512's four accumulators, FMAs and reduction in
// the same order (so each result is DotBF16's bits), but the four x
// vectors loaded per 64 elements serve four rows, and the four rows'
// independent chains keep the load ports streaming weights instead of
// waiting on one row's reduction. Row r's accumulators are Z(4r)..Z(4r+3);
// x is in Z16-Z19; Z20-Z27 hold widened weights.
//
// The four rows are ld elements apart, any ld: dotsBF16AVX512Slice hands
// it rows a quarter of the matrix apart, so that a pass over the matrix is
// four long sequential streams, which the hardware prefetchers follow,
// rather than four 18-line streams per group of adjacent rows, which they
// picked up late (an earlier version prefetched the next group's lines by
// hand instead: 10 GB/s from memory on one Zen 4 core, against 30 GB/s
// for four long streams without prefetching; docs/PERFORMANCE.md).
//
// The masked tail reads lanes past n only under a zeroing mask; masked-off
// lanes of an EVEX load are not accessed (no fault past the last row).

#define WIDEN4(src, off, t0, t1, t2, t3) \
	VPMOVZXWD off(src), t0; \
	VPMOVZXWD off+32(src), t1; \
	VPMOVZXWD off+64(src), t2; \
	VPMOVZXWD off+96(src), t3; \
	VPSLLD    $16, t0, t0; \
	VPSLLD    $16, t1, t1; \
	VPSLLD    $16, t2, t2; \
	VPSLLD    $16, t3, t3

#define FMA4(t0, t1, t2, t3, a0, a1, a2, a3) \
	VFMADD231PS t0, Z16, a0; \
	VFMADD231PS t1, Z17, a1; \
	VFMADD231PS t2, Z18, a2; \
	VFMADD231PS t3, Z19, a3

// REDUCE is dotAVX512's reduction of a0..a3 (a1 is scratch), stored at
// off(DX).
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

// func dotsBF16x4AVX512(x *float32, w *uint16, ld int, n int, out *float32)
TEXT ·dotsBF16x4AVX512(SB), NOSPLIT, $0-40
	MOVQ   x+0(FP), SI
	MOVQ   w+8(FP), DI
	MOVQ   ld+16(FP), R8
	MOVQ   n+24(FP), CX
	MOVQ   out+32(FP), DX
	SHLQ   $1, R8
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
	WIDEN4(DI, 0, Z20, Z21, Z22, Z23)
	WIDEN4(R9, 0, Z24, Z25, Z26, Z27)
	FMA4(Z20, Z21, Z22, Z23, Z0, Z1, Z2, Z3)
	FMA4(Z24, Z25, Z26, Z27, Z4, Z5, Z6, Z7)
	WIDEN4(R10, 0, Z20, Z21, Z22, Z23)
	WIDEN4(R11, 0, Z24, Z25, Z26, Z27)
	FMA4(Z20, Z21, Z22, Z23, Z8, Z9, Z10, Z11)
	FMA4(Z24, Z25, Z26, Z27, Z12, Z13, Z14, Z15)
	ADDQ    $256, SI
	ADDQ    $128, DI
	ADDQ    $128, R9
	ADDQ    $128, R10
	ADDQ    $128, R11
	SUBQ    $64, CX
	CMPQ    CX, $64
	JGE     loop64

tail16:
	CMPQ        CX, $16
	JL          tailmask
	VMOVUPS     (SI), Z16
	VPMOVZXWD   (DI), Z20
	VPMOVZXWD   (R9), Z21
	VPMOVZXWD   (R10), Z22
	VPMOVZXWD   (R11), Z23
	VPSLLD      $16, Z20, Z20
	VPSLLD      $16, Z21, Z21
	VPSLLD      $16, Z22, Z22
	VPSLLD      $16, Z23, Z23
	VFMADD231PS Z20, Z16, Z0
	VFMADD231PS Z21, Z16, Z4
	VFMADD231PS Z22, Z16, Z8
	VFMADD231PS Z23, Z16, Z12
	ADDQ        $64, SI
	ADDQ        $32, DI
	ADDQ        $32, R9
	ADDQ        $32, R10
	ADDQ        $32, R11
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
	VPMOVZXWD.Z (DI), K1, Z20
	VPMOVZXWD.Z (R9), K1, Z21
	VPMOVZXWD.Z (R10), K1, Z22
	VPMOVZXWD.Z (R11), K1, Z23
	VPSLLD      $16, Z20, Z20
	VPSLLD      $16, Z21, Z21
	VPSLLD      $16, Z22, Z22
	VPSLLD      $16, Z23, Z23
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

// func widenBF16AVX512(dst *float32, src *uint16, n int)
// dst[i] = src[i] widened (the 16 bits as a float32's top half), 64 at a
// time, then 16, then a masked tail that touches nothing past n.
TEXT ·widenBF16AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	CMPQ CX, $64
	JL   wtail16

wloop64:
	WIDEN4(SI, 0, Z0, Z1, Z2, Z3)
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $128, SI
	ADDQ    $256, DI
	SUBQ    $64, CX
	CMPQ    CX, $64
	JGE     wloop64

wtail16:
	CMPQ      CX, $16
	JL        wtailmask
	VPMOVZXWD (SI), Z0
	VPSLLD    $16, Z0, Z0
	VMOVUPS   Z0, (DI)
	ADDQ      $32, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JMP       wtail16

wtailmask:
	TESTQ       CX, CX
	JE          wdone
	MOVL        $1, AX
	SHLL        CX, AX
	DECL        AX
	KMOVW       AX, K1
	VPMOVZXWD.Z (SI), K1, Z0
	VPSLLD      $16, Z0, Z0
	VMOVUPS     Z0, K1, (DI)

wdone:
	VZEROUPPER
	RET

