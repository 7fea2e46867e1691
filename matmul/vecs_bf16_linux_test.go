//go:build linux

package matmul

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// guarded returns n bytes that end exactly where an unreadable page begins.
func guarded(t *testing.T, n int) []byte {
	t.Helper()
	page := syscall.Getpagesize()
	size := (n + page - 1) / page * page
	mem, err := syscall.Mmap(-1, 0, size+page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	t.Cleanup(func() { syscall.Munmap(mem) })
	if err := syscall.Mprotect(mem[size:], syscall.PROT_NONE); err != nil {
		t.Skip("mprotect:", err)
	}
	return mem[size-n : size]
}

// TestDotsGuardPage: x and the last weight row end exactly where an
// unreadable page begins, with a ragged tail (n mod 16 ≠ 0) and the last
// row in a four-row group, so a kernel that touched a lane past them would
// fault instead of passing; the masked tail loads must not. WidenBF16's
// masked tail and GemmBiasNTBF16's packing are checked the same way.
func TestDotsGuardPage(t *testing.T) {
	const n, rows, ld = 37, 8, 40
	rng := rand.New(rand.NewPCG(35, 36))
	xs := unsafe.Slice((*float32)(unsafe.Pointer(&guarded(t, 4*n)[0])), n)
	copy(xs, randSlice(rng, n))
	size := (rows-1)*ld + n
	w16 := unsafe.Slice((*uint16)(unsafe.Pointer(&guarded(t, 2*size)[0])), size)
	copy(w16, randBF16(rng, size))
	w32 := unsafe.Slice((*float32)(unsafe.Pointer(&guarded(t, 4*size)[0])), size)
	copy(w32, randSlice(rng, size))
	row := w16[(rows-1)*ld:]
	wide := unsafe.Slice((*float32)(unsafe.Pointer(&guarded(t, 4*len(row))[0])), len(row))
	forEachKernel(t, func(t *testing.T) {
		dst := make([]float32, rows)
		DotsBF16(dst, xs, w16, ld)
		for r := range rows {
			if want := DotBF16(xs, w16[r*ld:r*ld+n]); math.Float32bits(dst[r]) != math.Float32bits(want) {
				t.Errorf("DotsBF16 row %d: %v, DotBF16 %v", r, dst[r], want)
			}
		}
		Dots(dst, xs, w32, ld)
		for r := range rows {
			if want := Dot(xs, w32[r*ld:r*ld+n]); math.Float32bits(dst[r]) != math.Float32bits(want) {
				t.Errorf("Dots row %d: %v, Dot %v", r, dst[r], want)
			}
		}
		// The GEMM over the BF16 matrix (W: rows × n, stride ld) packs
		// its last row's ragged tail with masked loads too.
		c, want := make([]float32, 3*rows), make([]float32, 3*rows)
		a := randSlice(rng, 3*n)
		wideW := make([]float32, rows*n)
		for r := range rows {
			for i := range n {
				wideW[r*n+i] = bf16(w16[r*ld+i])
			}
		}
		GemmBiasNTBF16(3, rows, n, a, n, w16, ld, nil, nil, 0, c, rows)
		GemmBias(false, true, 3, rows, n, a, n, wideW, n, nil, nil, 0, want, rows)
		for i := range c {
			if math.Float32bits(c[i]) != math.Float32bits(want[i]) {
				t.Fatalf("GemmBiasNTBF16 C[%d] = %v, want %v", i, c[i], want[i])
			}
		}
		WidenBF16(wide, row)
		for i, h := range row {
			if wide[i] != bf16(h) {
				t.Fatalf("widened [%d] = %v, want %v", i, wide[i], bf16(h))
			}
		}
	})
}
