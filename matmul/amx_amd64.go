//go:build amd64

package matmul

import (
	"errors"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// amxKernel is the AMX path: amx.go has the layout, amx_amd64.s the tiles.
var amxKernel = newAMXKernel("amx", microAMX, amxTilesAsm)

// microAMX computes the 32×32 tile with AMX into a stack tile, then applies
// the epilogue.
func microAMX(k int, a, b, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
	var t [amxTileN]float32
	amxTiles(k/amxChunk, a, b, &t[0], amxConfig, 1, 0, amxNR*4, 0)
	finishTile32(&t[0], c, ldc, acc, src, ldsrc, bias)
}

// amxTiles: LDTILECFG cfg; for each of rows (≥ 1) A panels: zero tmm0–3,
// k16 chunks of TDPBF16PS, store the four tiles (amxTileFunc has the
// layout); TILERELEASE. Everything happens in one call, so the goroutine
// cannot move to another thread between the configuration and its use,
// and the thread leaves with the tiles released.
//
//go:noescape
func amxTiles(k16 int, a, b, t *float32, cfg *byte, rows, astride, ldt, tstep int)

// amxTilesAsm is amxTiles as an amxTileFunc.
func amxTilesAsm(k16 int, a, b, t *float32, rows, astride, ldt, tstep int) {
	if rows > 0 {
		amxTiles(k16, a, b, t, amxConfig, rows, astride, ldt, tstep)
	}
}

// amxConfig points at the 64-byte tile configuration (palette 1; tiles 0–7
// each 16 rows of 64 bytes), aligned to 64 bytes.
var amxConfig = func() *byte {
	buf := make([]byte, 128)
	off := (64 - int(uintptr(unsafe.Pointer(&buf[0]))%64)) % 64
	cfg := buf[off : off+64]
	cfg[0] = 1 // palette 1
	for i := 0; i < 8; i++ {
		cfg[16+2*i] = 64 // colsb[i], little-endian uint16
		cfg[48+i] = 16   // rows[i]
	}
	return &cfg[0]
}()

func init() { amxProbe = probeAMX }

// finishTile32 is the tile epilogue: AVX-512 where the CPU has it (every
// CPU with AMX does). Direct calls, not a function variable, so that the
// micro-kernels' stack tile stays on the stack.
func finishTile32(t *float32, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32) {
	if cpu.X86.HasAVX512F {
		finishTile32AVX512(t, c, ldc, acc, src, ldsrc, bias)
		return
	}
	finishTile32Go(t, c, ldc, acc, src, ldsrc, bias)
}

//go:noescape
func finishTile32AVX512(t *float32, c *float32, ldc int, acc int, src *float32, ldsrc int, bias *float32)

// probeAMX: CPUID's AMX-TILE and AMX-BF16 bits, the kernel's permission
// for the tile data, then one awkward product through the assembly checked
// against amxTilesGo.
func probeAMX() (*kernel, error) {
	if !cpu.X86.HasAMXTile || !cpu.X86.HasAMXBF16 {
		return nil, errors.New("this CPU has no AMX-BF16 (CPUID)")
	}
	if err := requestAMX(); err != nil {
		return nil, err
	}
	same, err := checkAMX(amxKernel)
	if err != nil {
		return nil, err
	}
	amxSameBits = same
	return amxKernel, nil
}
