package memtest

import "syscall"

const supported = true

func setLimit(limit uint64) error {
	return syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
}
