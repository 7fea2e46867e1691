//go:build !linux && amd64

package matmul

import "errors"

// requestAMX: only Linux's permission request is implemented.
func requestAMX() error {
	return errors.New("AMX needs Linux's tile-state permission request (arch_prctl); not on this OS")
}
