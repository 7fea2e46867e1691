package memstat

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// Available is the memory the process can still take in bytes: Linux's
// MemAvailable, lowered to what is left under the cgroup's (v2) memory.max
// when a container sets one. The cgroup's page cache counts as free, as
// MemAvailable counts it: the kernel drops it under pressure, and a model
// just read from disk sits in it. It is 0 where the system does not say,
// and callers then skip budget checks rather than refuse.
func Available() int64 {
	avail := meminfo("MemAvailable:")
	if limit := cgroupFile("memory.max"); limit > 0 {
		left := max(limit-cgroupFile("memory.current")+cgroupStat("file"), 0)
		if avail == 0 || left < avail {
			avail = left
		}
	}
	return avail
}

// meminfo reads one "Key: N kB" line of /proc/meminfo in bytes.
func meminfo(key string) int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			if fields := strings.Fields(rest); len(fields) >= 1 {
				if kb, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// cgroupFile reads a number from the process's cgroup v2 directory, 0 when
// absent or "max".
func cgroupFile(name string) int64 {
	data, err := os.ReadFile("/sys/fs/cgroup/" + name)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// cgroupStat reads one "key N" line of the cgroup's memory.stat (bytes).
func cgroupStat(key string) int64 {
	data, err := os.ReadFile("/sys/fs/cgroup/memory.stat")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, key+" "); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
			if err == nil {
				return n
			}
		}
	}
	return 0
}
