package memstat

import (
	"runtime"
	"testing"
)

// TestPeakRSSGrows: touching 64 MiB raises the peak by about that much.
func TestPeakRSSGrows(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("VmHWM is Linux's")
	}
	before := PeakRSS()
	if before <= 0 {
		t.Fatal("no peak RSS read from /proc/self/status")
	}
	buf := make([]byte, 64<<20)
	for i := range buf {
		buf[i] = byte(i)
	}
	after := PeakRSS()
	runtime.KeepAlive(buf)
	if after-before < 48<<20 {
		t.Fatalf("peak RSS rose by %d bytes after touching 64 MiB", after-before)
	}
}

// TestAvailable: on Linux the available memory is known, positive and
// below the machine's total.
func TestAvailable(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("MemAvailable is Linux's")
	}
	a, total := Available(), meminfo("MemTotal:")
	if a <= 0 || total <= 0 || a > total {
		t.Fatalf("Available() = %d bytes, MemTotal %d", a, total)
	}
}
