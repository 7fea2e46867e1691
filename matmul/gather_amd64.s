//go:build amd64

#include "textflag.h"

// func gatherNT64(k int, a, b *float32, ldb int, t *float32)
//
// t[j] = Σ_p a[p]·b[j*ldb+p] for j = 0..63, each one FMA chain over
// p = 0,1,…,k-1 (the micro-kernel's order): B stored n×k is read in place,
// sixteen rows per gather, instead of being transposed into panels first.
TEXT ·gatherNT64(SB), NOSPLIT, $0-40
	MOVQ k+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), R10
	MOVQ ldb+24(FP), R9
	MOVQ t+32(FP), DX
	// Z8 = 0, ldb, 2·ldb, …, 15·ldb: the element offsets of 16 rows.
	VPBROADCASTD R9, Z9
	VPMOVZXBD    lanes<>(SB), Z8
	VPMULLD      Z9, Z8, Z8
	SHLQ $2, R9
	MOVQ R9, AX
	SHLQ $4, AX           // 16 rows in bytes
	LEAQ (R10)(AX*1), R11
	LEAQ (R11)(AX*1), R12
	LEAQ (R12)(AX*1), R13
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	TESTQ CX, CX
	JE    done

loop:
	VBROADCASTSS (SI), Z10
	KXNORW       K1, K1, K1
	VGATHERDPS   (R10)(Z8*4), K1, Z4
	KXNORW       K2, K2, K2
	VGATHERDPS   (R11)(Z8*4), K2, Z5
	KXNORW       K3, K3, K3
	VGATHERDPS   (R12)(Z8*4), K3, Z6
	KXNORW       K4, K4, K4
	VGATHERDPS   (R13)(Z8*4), K4, Z7
	VFMADD231PS  Z4, Z10, Z0
	VFMADD231PS  Z5, Z10, Z1
	VFMADD231PS  Z6, Z10, Z2
	VFMADD231PS  Z7, Z10, Z3
	ADDQ $4, SI
	ADDQ $4, R10
	ADDQ $4, R11
	ADDQ $4, R12
	ADDQ $4, R13
	DECQ CX
	JNZ  loop

done:
	VMOVUPS Z0, (DX)
	VMOVUPS Z1, 64(DX)
	VMOVUPS Z2, 128(DX)
	VMOVUPS Z3, 192(DX)
	VZEROUPPER
	RET

DATA lanes<>+0(SB)/8, $0x0706050403020100
DATA lanes<>+8(SB)/8, $0x0f0e0d0c0b0a0908
GLOBL lanes<>(SB), RODATA|NOPTR, $16
