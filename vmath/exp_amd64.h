// Shared macros of the vmath assembly: the vector exp (Cephes expf, see
// expCore in exp_generic.go for the scalar twin) and the GELU exponent.
// Constants come from the Go table vconst (consts_amd64.go) at the byte
// offsets go_asm.h exports as const_cXxx.

// AVX-512: the exp constants live in Z16-Z26 for the whole routine.
#define LOADEXP512 \
	VBROADCASTSS ·vconst+const_cLog2e(SB), Z16; \
	VBROADCASTSS ·vconst+const_cMagic(SB), Z17; \
	VBROADCASTSS ·vconst+const_cNLn2Hi(SB), Z18; \
	VBROADCASTSS ·vconst+const_cNLn2Lo(SB), Z19; \
	VBROADCASTSS ·vconst+const_cP0(SB), Z20; \
	VBROADCASTSS ·vconst+const_cP1(SB), Z21; \
	VBROADCASTSS ·vconst+const_cP2(SB), Z22; \
	VBROADCASTSS ·vconst+const_cP3(SB), Z23; \
	VBROADCASTSS ·vconst+const_cP4(SB), Z24; \
	VBROADCASTSS ·vconst+const_cP5(SB), Z25; \
	VBROADCASTSS ·vconst+const_cOne(SB), Z26

// EXP512 replaces X (already clamped) by e^X; N, R2, P are scratch.
// n = (X·log2e + magic) − magic rounds to nearest; r = X − n·ln2 in two
// FMAs; y = p(r)·r² + r + 1; VSCALEFPS multiplies by 2ⁿ exactly.
#define EXP512(X, N, R2, P) \
	VMOVAPS      Z17, N; \
	VFMADD231PS  Z16, X, N; \
	VSUBPS       Z17, N, N; \
	VFMADD231PS  Z18, N, X; \
	VFMADD231PS  Z19, N, X; \
	VMOVAPS      Z20, P; \
	VFMADD213PS  Z21, X, P; \
	VFMADD213PS  Z22, X, P; \
	VFMADD213PS  Z23, X, P; \
	VFMADD213PS  Z24, X, P; \
	VFMADD213PS  Z25, X, P; \
	VMULPS       X, X, R2; \
	VFMADD213PS  X, R2, P; \
	VADDPS       Z26, P, P; \
	VSCALEFPS    N, P, X

// CLAMP512 clamps X to [LO, HI]. The operand order makes VMAXPS/VMINPS
// return X when X is NaN, so NaN propagates like in the Go code.
#define CLAMP512(X, LO, HI) \
	VMAXPS X, LO, X; \
	VMINPS X, HI, X

// GELUW512 sets X2 = X² and W = clamp(X·(−2s − 2sc·X²)), the exponent of
// gelu(x) = x/(1 + e^W). Needs Z27/Z28 = ∓geluClamp, Z29 = −2s, Z30 = −2sc.
#define GELUW512(X, X2, W) \
	VMULPS      X, X, X2; \
	VMOVAPS     Z30, W; \
	VFMADD213PS Z29, X2, W; \
	VMULPS      X, W, W; \
	CLAMP512(W, Z27, Z28)

#define LOADGELU512 \
	VBROADCASTSS ·vconst+const_cGeluLo(SB), Z27; \
	VBROADCASTSS ·vconst+const_cGeluHi(SB), Z28; \
	VBROADCASTSS ·vconst+const_cGeluM2S(SB), Z29; \
	VBROADCASTSS ·vconst+const_cGeluM2SC(SB), Z30; \
	VBROADCASTSS ·vconst+const_cGeluM6SC(SB), Z31

// TAILMASK sets K1 to the low CX bits (0 < CX < 16).
#define TAILMASK \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// AVX2 has only 16 ymm registers, so its constants are 256-bit memory
// operands (rows of vconst) instead.
#define VC(off) ·vconst+off(SB)

// EXP256 replaces X (already clamped) by e^X; T, N, P are scratch. Without
// VSCALEFPS, 2ⁿ is built in the exponent field: the low bits of
// T = X·log2e + magic hold n, T<<23 wraps to n<<23, adding the bits of 1.0
// gives the float 2ⁿ. Multiplying by it (rather than adding n<<23 to the
// bits of y) keeps a NaN input a NaN whatever its payload.
#define EXP256(X, T, N, P) \
	VMOVUPS      VC(const_cMagic), T; \
	VFMADD231PS  VC(const_cLog2e), X, T; \
	VSUBPS       VC(const_cMagic), T, N; \
	VFMADD231PS  VC(const_cNLn2Hi), N, X; \
	VFMADD231PS  VC(const_cNLn2Lo), N, X; \
	VMOVUPS      VC(const_cP0), P; \
	VFMADD213PS  VC(const_cP1), X, P; \
	VFMADD213PS  VC(const_cP2), X, P; \
	VFMADD213PS  VC(const_cP3), X, P; \
	VFMADD213PS  VC(const_cP4), X, P; \
	VFMADD213PS  VC(const_cP5), X, P; \
	VMULPS       X, X, N; \
	VFMADD213PS  X, N, P; \
	VADDPS       VC(const_cOne), P, P; \
	VPSLLD       $23, T, T; \
	VPADDD       VC(const_cOne), T, T; \
	VMULPS       T, P, X

// GELUW256 is GELUW512 for AVX2; Y14/Y15 must hold ∓geluClamp.
#define GELUW256(X, X2, W) \
	VMULPS      X, X, X2; \
	VMOVUPS     VC(const_cGeluM2SC), W; \
	VFMADD213PS VC(const_cGeluM2S), X2, W; \
	VMULPS      X, W, W; \
	VMAXPS      W, Y14, W; \
	VMINPS      W, Y15, W

// TAILMASK256 sets M to a VMASKMOVPS mask of the low CX lanes (0 < CX < 8):
// the eight words at cTailZero − 4·CX in vconst. Clobbers R11, R12. The AVX2
// kernels that use it treat a tail with the same instructions as a full
// vector, so an element's bits do not depend on where it sits in the slice.
#define TAILMASK256(M) \
	MOVQ    CX, R12; \
	SHLQ    $2, R12; \
	NEGQ    R12; \
	LEAQ    ·vconst+const_cTailZero(SB), R11; \
	VMOVUPS (R11)(R12*1), M
