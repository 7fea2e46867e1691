// Package memstat reads the process's peak resident memory, which stages
// report in their metrics and the memory benchmark compares.
package memstat

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// PeakRSS is the process's peak resident set size in bytes (Linux's VmHWM),
// or 0 where the system does not say.
func PeakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			fields := strings.Fields(rest)
			if len(fields) >= 1 {
				kb, err := strconv.ParseInt(fields[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// PeakRSSMiB is PeakRSS in MiB.
func PeakRSSMiB() float64 { return float64(PeakRSS()) / (1 << 20) }
