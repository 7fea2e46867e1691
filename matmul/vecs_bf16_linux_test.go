//go:build linux

package matmul

import (
	"math"
	"math/rand/v2"
	"syscall"
	"testing"
	"unsafe"
)

// TestDotsBF16GuardPage: x and the last weight row end exactly where an
// unreadable page begins, with a ragged tail (n mod 16 ≠ 0), so a kernel
// that touched a lane past them would fault instead of passing; the masked
// tail loads must not. WidenBF16's masked tail is checked the same way.
func TestDotsBF16GuardPage(t *testing.T) {
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 4*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skip("mmap:", err)
	}
	defer syscall.Munmap(mem)
	for _, off := range []int{page, 3 * page} {
		if err := syscall.Mprotect(mem[off:off+page], syscall.PROT_NONE); err != nil {
			t.Skip("mprotect:", err)
		}
	}
	const n, rows, ld = 37, 8, 40
	xs := unsafe.Slice((*float32)(unsafe.Pointer(&mem[page-4*n])), n)
	wEnd := 3 * page
	wStart := wEnd - 2*((rows-1)*ld+n)
	w := unsafe.Slice((*uint16)(unsafe.Pointer(&mem[wStart])), (rows-1)*ld+n)
	rng := rand.New(rand.NewPCG(35, 36))
	copy(xs, randSlice(rng, n))
	copy(w, randBF16(rng, len(w)))
	forEachKernel(t, func(t *testing.T) {
		dst := make([]float32, rows)
		DotsBF16(dst, xs, w, ld)
		for r := range rows {
			want := DotBF16(xs, w[r*ld:r*ld+n])
			if math.Float32bits(dst[r]) != math.Float32bits(want) {
				t.Errorf("row %d: %v, DotBF16 %v", r, dst[r], want)
			}
		}
		// WidenBF16 of the last row into the float32 page's end.
		row := w[(rows-1)*ld:]
		out := unsafe.Slice((*float32)(unsafe.Pointer(&mem[page-4*len(row)])), len(row))
		WidenBF16(out, row)
		for i, h := range row {
			if out[i] != bf16(h) {
				t.Fatalf("widened [%d] = %v, want %v", i, out[i], bf16(h))
			}
		}
	})
}
