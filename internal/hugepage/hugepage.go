// Package hugepage allocates the engine's large float32 buffers (parameters,
// gradients, optimizer moments, activations) so that the kernel may back
// them with 2 MiB pages. On Linux with transparent huge pages in "madvise"
// mode (Debian's default) a buffer must ask for them: with 4 KiB pages the
// first training step spent most of a second in page faults (tens of
// thousands of them for the ~100 MB a step touches) and every product's
// walk over its operands paid TLB misses.
package hugepage

// size is the huge page size on amd64 and arm64 Linux.
const size = 2 << 20

// Floats returns n zeroed float32s. Buffers of at least a huge page are
// aligned to one and advised for huge pages where the OS supports it.
func Floats(n int) []float32 {
	if n*4 < size {
		return make([]float32, n)
	}
	const per = size / 4
	buf := make([]float32, n+per)
	off := 0
	if r := addr(buf) % size; r != 0 {
		off = int((size - r) / 4)
	}
	out := buf[off : off+n : off+n]
	advise(out)
	return out
}
