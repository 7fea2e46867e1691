//go:build amd64

#include "textflag.h"

// Go's assembler does not know VCVTNEPS2BF16 (AVX512-BF16): it is written
// as bytes, each line's comment the instruction as GNU as encodes it
// (TestAMXEncoding reads the functions back with objdump).

// PAIRS01 turns 16 floats of hi in Z0 and 16 of lo in Z1 into 16 pairs
// bf16(hi)<<16 | bf16(lo) in Z0; PAIRS23 the same over Z2, Z3 into Z2.
#define PAIRS01 \
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0; /* vcvtneps2bf16 ymm0, zmm0 */ \
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc9; /* vcvtneps2bf16 ymm1, zmm1 */ \
	VPMOVZXWD Y0, Z0; \
	VPMOVZXWD Y1, Z1; \
	VPSLLD    $16, Z0, Z0; \
	VPORD     Z1, Z0, Z0

#define PAIRS23 \
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xd2; /* vcvtneps2bf16 ymm2, zmm2 */ \
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xdb; /* vcvtneps2bf16 ymm3, zmm3 */ \
	VPMOVZXWD Y2, Z2; \
	VPMOVZXWD Y3, Z3; \
	VPSLLD    $16, Z2, Z2; \
	VPORD     Z3, Z2, Z2

// func cvtBF16AVX512(dst *uint16, src *float32, n int)
// n is a positive multiple of 16.
TEXT ·cvtBF16AVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	SHRQ $4, CX

cvtloop:
	VMOVUPS (SI), Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0 // vcvtneps2bf16 ymm0, zmm0
	VMOVDQU Y0, (DI)
	ADDQ $64, SI
	ADDQ $32, DI
	DECQ CX
	JNE  cvtloop
	VZEROUPPER
	RET

// func pairBF16AVX512(dst, hi, lo *float32, n int)
// dst[i] = bf16(hi[i])<<16 | bf16(lo[i]); n is positive. Groups of 16,
// then the last n%16 under a mask (masked loads do not fault past the
// end): the A panels of a weight gradient are 14 rows wide.
TEXT ·pairBF16AVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ hi+8(FP), SI
	MOVQ lo+16(FP), DX
	MOVQ n+24(FP), BX
	MOVQ BX, CX
	ANDQ $15, CX // the tail, under a mask
	SHRQ $4, BX  // whole groups of 16
	JEQ  pairtail

pairloop:
	VMOVUPS (SI), Z0
	VMOVUPS (DX), Z1
	PAIRS01
	VMOVDQU32 Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ BX
	JNE  pairloop

pairtail:
	TESTQ CX, CX
	JEQ   pairdone
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	PAIRS01
	VMOVDQU32 Z0, K1, (DI)

pairdone:
	VZEROUPPER
	RET

// func roundBF16AVX512(x *float32, n int)
// x[i] = RoundBF16(x[i]) in place; n is a positive multiple of 16.
TEXT ·roundBF16AVX512(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), CX
	SHRQ $4, CX

roundloop:
	VMOVUPS (DI), Z0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0 // vcvtneps2bf16 ymm0, zmm0
	VPMOVZXWD Y0, Z0
	VPSLLD $16, Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ $64, DI
	DECQ CX
	JNE  roundloop
	VZEROUPPER
	RET

// func pairStepsAVX512(dst, hi, lo *float32, steps, xstride, dstride int, lm0, lm1, sm0, sm1 uint16)
// For each of steps pair steps: the first width ≤ 32 slots of a row of
// dst = bf16(hi)<<16 | bf16(lo) over up to 32 elements, read under the
// load masks lm0 (elements 0–15) and lm1 (16–31) and written under the
// store masks sm0, sm1, so that the slots past the rows read get zeros;
// then hi and lo advance xstride bytes and dst dstride bytes. One call
// per packed panel, not one per step: a weight gradient's A panels are 14
// slots wide and have as many steps as half the batch's tokens.
TEXT ·pairStepsAVX512(SB), NOSPLIT, $0-56
	MOVQ    dst+0(FP), DI
	MOVQ    hi+8(FP), SI
	MOVQ    lo+16(FP), DX
	MOVQ    steps+24(FP), CX
	MOVQ    xstride+32(FP), R8
	MOVQ    dstride+40(FP), R9
	KMOVW   lm0+48(FP), K1
	KMOVW   lm1+50(FP), K2
	KMOVW   sm0+52(FP), K3
	KMOVW   sm1+54(FP), K4
	MOVWQZX sm1+54(FP), AX

stepsloop:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	PAIRS01
	VMOVDQU32 Z0, K3, (DI)
	TESTQ     AX, AX
	JEQ       stepsnext
	VMOVUPS.Z 64(SI), K2, Z2
	VMOVUPS.Z 64(DX), K2, Z3
	PAIRS23
	VMOVDQU32 Z2, K4, 64(DI)

stepsnext:
	ADDQ R8, SI
	ADDQ R8, DX
	ADDQ R9, DI
	DECQ CX
	JNE  stepsloop
	VZEROUPPER
	RET

// func swapHalvesAVX512(x *float32, n int)
// Swaps the 16-bit halves of each of x's n 32-bit slots (n positive):
// pairs with step 2s in the low half become pairs with it in the high
// half. Groups of 16, then the tail under a mask.
TEXT ·swapHalvesAVX512(SB), NOSPLIT, $0-16
	MOVQ x+0(FP), DI
	MOVQ n+8(FP), BX
	MOVQ BX, CX
	ANDQ $15, CX
	SHRQ $4, BX
	JEQ  swaptail

swaploop:
	VMOVDQU32 (DI), Z0
	VPRORD    $16, Z0, Z0
	VMOVDQU32 Z0, (DI)
	ADDQ      $64, DI
	DECQ      BX
	JNE       swaploop

swaptail:
	TESTQ       CX, CX
	JEQ         swapdone
	MOVQ        $1, AX
	SHLQ        CX, AX
	DECQ        AX
	KMOVW       AX, K1
	VMOVDQU32.Z (DI), K1, Z0
	VPRORD      $16, Z0, Z0
	VMOVDQU32   Z0, K1, (DI)

swapdone:
	VZEROUPPER
	RET

// func cvtChunksAVX512(dst *uint16, src *float32, chunks, dstride int, lm0, lm1 uint16)
// One row of an AMX A panel: for c < chunks (positive), the 32 bfloat16
// at dst + c·dstride bytes are src[32c : 32c+32] rounded; the last chunk
// reads under the masks lm0 (its floats 0–15) and lm1 (16–31) and stores
// zeros past them.
TEXT ·cvtChunksAVX512(SB), NOSPLIT, $0-36
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  chunks+16(FP), CX
	MOVQ  dstride+24(FP), R8
	KMOVW lm0+32(FP), K1
	KMOVW lm1+34(FP), K2
	DECQ  CX
	JEQ   chunklast

chunkloop:
	VMOVUPS (SI), Z0
	VMOVUPS 64(SI), Z1
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0 // vcvtneps2bf16 ymm0, zmm0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc9 // vcvtneps2bf16 ymm1, zmm1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ    $128, SI
	ADDQ    R8, DI
	DECQ    CX
	JNE     chunkloop

chunklast:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K2, Z1
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0 // vcvtneps2bf16 ymm0, zmm0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc9 // vcvtneps2bf16 ymm1, zmm1
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	VZEROUPPER
	RET
