package eval

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cache survives a reopen, and a line cut by a kill is ignored.
func TestCache(t *testing.T) {
	path := filepath.Join(t.TempDir(), "progress.jsonl")
	c, err := OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	k1, k2 := CacheKey("m", ModeCompletions, "p", 1, 1, 8, 7, 0), CacheKey("m", ModeCompletions, "p", 1, 1, 8, 7, 1)
	if k1 == k2 || k1 == CacheKey("m2", ModeCompletions, "p", 1, 1, 8, 7, 0) {
		t.Fatal("keys must tell sample indices and models apart")
	}
	c.Put(k1, "m", 0, "one\nwith newline")
	c.Close()
	f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"key":"` + k2 + `","model":"m","ind`) // killed mid-write
	f.Close()
	c, err = OpenCache(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, ok := c.Get(k1); !ok || v != "one\nwith newline" || c.Len() != 1 {
		t.Errorf("reopened cache: %q %v, len %d", v, ok, c.Len())
	}
	c.Put(k2, "m", 1, "two")
	c.Close()
	c, _ = OpenCache(path)
	defer c.Close()
	if v, _ := c.Get(k2); v != "two" || c.Len() != 2 {
		t.Errorf("a record after a cut line is lost: %q, len %d", v, c.Len())
	}
	b, _ := os.ReadFile(path)
	if strings.Count(string(b), "\n") != 3 {
		t.Errorf("file:\n%s", b)
	}
}
