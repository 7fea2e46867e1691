package hugepage

import "unsafe"

// addr is the address of buf's first element.
func addr(buf []float32) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(buf))) }
