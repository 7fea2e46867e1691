//go:build linux && amd64

package matmul

import (
	"fmt"
	"syscall"
	"unsafe"
)

// requestAMX asks Linux (5.16 and later) for the AMX tile data state, which
// it keeps disabled for a process until asked (arch_prctl
// ARCH_REQ_XCOMP_PERM), then reads the permitted set back to be sure. The
// permission is for the whole process and every thread it starts.
func requestAMX() error {
	const (
		archGetXcompPerm  = 0x1022
		archReqXcompPerm  = 0x1023
		xfeatureXtiledata = 18
	)
	if _, _, e := syscall.Syscall(syscall.SYS_ARCH_PRCTL, archReqXcompPerm, xfeatureXtiledata, 0); e != 0 {
		return fmt.Errorf("the kernel refused the AMX tile state (arch_prctl ARCH_REQ_XCOMP_PERM: %v; it takes Linux 5.16 or later on a CPU with AMX)", e)
	}
	var perm uint64
	if _, _, e := syscall.Syscall(syscall.SYS_ARCH_PRCTL, archGetXcompPerm, uintptr(unsafe.Pointer(&perm)), 0); e != 0 {
		return fmt.Errorf("arch_prctl ARCH_GET_XCOMP_PERM: %v", e)
	}
	if perm&(1<<xfeatureXtiledata) == 0 {
		return fmt.Errorf("the kernel did not grant the AMX tile state (permitted features %#x)", perm)
	}
	return nil
}
