//go:build amd64

#include "textflag.h"
#include "exp_amd64.h"

// func softmaxBwdAVX512(dp, p *float32, n int, scale float32)
TEXT ·softmaxBwdAVX512(SB), NOSPLIT, $0-28
	MOVQ         dp+0(FP), DI
	MOVQ         p+8(FP), SI
	MOVQ         n+16(FP), BX
	VBROADCASTSS scale+24(FP), Z1
	MOVQ         BX, CX
	ANDQ         $15, CX
	JE           nomask
	TAILMASK

nomask:
	VXORPS Z2, Z2, Z2
	XORQ   AX, AX
	MOVQ   BX, CX

dot16:
	CMPQ        CX, $16
	JL          dottail
	VMOVUPS     (SI)(AX*1), Z4
	VFMADD231PS (DI)(AX*1), Z4, Z2
	ADDQ        $64, AX
	SUBQ        $16, CX
	JMP         dot16

dottail:
	TESTQ       CX, CX
	JE          reduce
	VMOVUPS.Z   (SI)(AX*1), K1, Z4
	VMOVUPS.Z   (DI)(AX*1), K1, Z5
	VFMADD231PS Z5, Z4, Z2

reduce:
	VEXTRACTF64X4 $1, Z2, Y8
	VADDPS        Y8, Y2, Y2
	VEXTRACTF128  $1, Y2, X8
	VADDPS        X8, X2, X2
	VMOVHLPS      X2, X2, X8
	VADDPS        X8, X2, X2
	VPSHUFD       $0x55, X2, X8
	VADDSS        X8, X2, X2
	VBROADCASTSS  X2, Z2
	XORQ          AX, AX
	MOVQ          BX, CX

upd16:
	CMPQ    CX, $16
	JL      updtail
	VMOVUPS (DI)(AX*1), Z5
	VSUBPS  Z2, Z5, Z5
	VMULPS  (SI)(AX*1), Z5, Z5
	VMULPS  Z1, Z5, Z5
	VMOVUPS Z5, (DI)(AX*1)
	ADDQ    $64, AX
	SUBQ    $16, CX
	JMP     upd16

updtail:
	TESTQ     CX, CX
	JE        done
	VMOVUPS.Z (DI)(AX*1), K1, Z5
	VMOVUPS.Z (SI)(AX*1), K1, Z4
	VSUBPS    Z2, Z5, Z5
	VMULPS    Z4, Z5, Z5
	VMULPS    Z1, Z5, Z5
	VMOVUPS   Z5, K1, (DI)(AX*1)

done:
	VZEROUPPER
	RET
