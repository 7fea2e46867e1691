package progress

import (
	"bytes"
	"strings"
	"testing"
)

// TestPlainLines: off a terminal, a line every `every` steps and at the
// last, each with the step, the stage's figures and an ETA; nothing else.
func TestPlainLines(t *testing.T) {
	var b bytes.Buffer
	bar := New(&b, "stage", 10, 0, 4)
	for step := 1; step <= 10; step++ {
		if err := bar.Set(step, "short", "long figures"); err != nil {
			t.Fatal(err)
		}
	}
	if err := bar.Finish(10); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "stage step 4/10 long figures elapsed ") || !strings.Contains(lines[0], " eta ") ||
		!strings.HasPrefix(lines[2], "stage step 10/10 ") || strings.Contains(b.String(), "short") {
		t.Fatalf("lines:\n%s", b.String())
	}
}
