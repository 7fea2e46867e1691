package memtest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestLimitStopsLargeAllocation: in the child, allocating beyond the limit
// kills it, and Run reports that as the test's failure. The failing case
// runs as a separate test binary invocation so that this test can observe
// the failure instead of failing itself.
func TestLimitStopsLargeAllocation(t *testing.T) {
	if !supported {
		t.Skip("address-space limits are set on Linux only")
	}
	if os.Getenv("MEMTEST_INNER") == "1" {
		Run(t, 2<<30, func(t *testing.T) {
			b := make([]byte, 8<<30)
			b[len(b)-1] = 1
			t.Log(len(b))
		})
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLimitStopsLargeAllocation$", "-test.count=1")
	cmd.Env = append(os.Environ(), "MEMTEST_INNER=1")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "out of memory") {
		t.Fatalf("an 8 GiB allocation under a 2 GiB limit: err %v\n%s", err, out)
	}
}

// TestSmallAllocationPasses: a body within the limit passes.
func TestSmallAllocationPasses(t *testing.T) {
	Run(t, 2<<30, func(t *testing.T) {
		b := make([]byte, 64<<20)
		for i := range b {
			b[i] = byte(i)
		}
	})
}
