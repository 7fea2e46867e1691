//go:build linux

package hugepage

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// advise asks for huge pages over buf (which starts on a huge page). An
// error only means the kernel declined: the buffer works either way.
func advise(buf []float32) {
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(buf))), len(buf)*4)
	_ = unix.Madvise(b, unix.MADV_HUGEPAGE)
}
