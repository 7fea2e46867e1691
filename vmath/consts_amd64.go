//go:build amd64

package vmath

import "math"

// Byte offsets of the rows of vconst, exported to the assembly as
// const_cXxx through go_asm.h. Each row is one constant repeated 8 times, so
// AVX2 code can use it directly as a 256-bit memory operand and AVX-512 code
// broadcasts its first element.
const (
	cLog2e = iota * 32
	cMagic
	cNLn2Hi // −ln2Hi
	cNLn2Lo // −ln2Lo
	cP0
	cP1
	cP2
	cP3
	cP4
	cP5
	cOne
	cExpLo
	cExpHi
	cGeluLo
	cGeluHi
	cGeluM2S
	cGeluM2SC
	cGeluM6SC
	cNegInf
	// Two adjacent rows for the AVX2 masked tails: eight all-ones words,
	// then eight zero words. The 8 words starting at cTailZero − 4·k are k
	// all-ones followed by 8−k zeros, a VMASKMOVPS mask for the first k lanes.
	cTailOnes
	cTailZero
	cRows = iota
)

var vconst = func() (t [cRows][8]float32) {
	set := func(off int, v float32) {
		for i := range t[off/32] {
			t[off/32][i] = v
		}
	}
	set(cLog2e, log2e)
	set(cMagic, roundMagic)
	set(cNLn2Hi, -ln2Hi)
	set(cNLn2Lo, -ln2Lo)
	set(cP0, expP0)
	set(cP1, expP1)
	set(cP2, expP2)
	set(cP3, expP3)
	set(cP4, expP4)
	set(cP5, expP5)
	set(cOne, 1)
	set(cExpLo, expLo)
	set(cExpHi, expHi)
	set(cGeluLo, -geluClamp)
	set(cGeluHi, geluClamp)
	set(cGeluM2S, geluM2S)
	set(cGeluM2SC, geluM2SC)
	set(cGeluM6SC, geluM6SC)
	set(cNegInf, float32(math.Inf(-1)))
	set(cTailOnes, math.Float32frombits(0xffffffff))
	set(cTailZero, 0)
	return t
}()
