//go:build amd64

#include "textflag.h"

// Go's assembler does not know VCVTNEPS2BF16 (AVX512-BF16): it is written
// as bytes, each line's comment the instruction as GNU as encodes it
// (TestAMXEncoding reads the functions back with objdump).

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
// dst[i] = bf16(hi[i])<<16 | bf16(lo[i]); n is a positive multiple of 16.
TEXT ·pairBF16AVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ hi+8(FP), SI
	MOVQ lo+16(FP), DX
	MOVQ n+24(FP), CX
	SHRQ $4, CX

pairloop:
	VMOVUPS (SI), Z0
	VMOVUPS (DX), Z1
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc0 // vcvtneps2bf16 ymm0, zmm0
	BYTE $0x62; BYTE $0xf2; BYTE $0x7e; BYTE $0x48; BYTE $0x72; BYTE $0xc9 // vcvtneps2bf16 ymm1, zmm1
	VPMOVZXWD Y0, Z0
	VPMOVZXWD Y1, Z1
	VPSLLD $16, Z0, Z0
	VPORD Z1, Z0, Z0
	VMOVDQU32 Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DX
	ADDQ $64, DI
	DECQ CX
	JNE  pairloop
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
