package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesWholeFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	if err := Write(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(p, []byte("new contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "new contents" {
		t.Fatalf("got %q", got)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
}

func TestFailedWriteKeepsOldFileAndLeavesNoTemp(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.txt")
	if err := Write(p, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := WriteFunc(p, 0o644, func(w io.Writer) error {
		w.Write([]byte("partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want boom", err)
	}
	got, _ := os.ReadFile(p)
	if string(got) != "old" {
		t.Fatalf("old file changed to %q", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left: %v", entries)
	}
}

// TestRemoveStale: the temporary files a killed writer of a path left are
// removed; the target, other files' temporaries and look-alike names stay.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ck.safetensors")
	if err := Write(p, []byte("complete"), 0o644); err != nil {
		t.Fatal(err)
	}
	// What os.CreateTemp made before the kill: the same pattern WriteFunc uses.
	var stale []string
	for range 2 {
		f, err := os.CreateTemp(dir, tempPrefix(p)+"*")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteString("half a checkpoint")
		f.Close()
		stale = append(stale, f.Name())
	}
	keep := []string{".other.safetensors.tmp-123", ".ck.safetensors.tmp-12x", "ck.safetensors.tmp-1"}
	for _, k := range keep {
		os.WriteFile(filepath.Join(dir, k), nil, 0o644)
	}
	removed, err := RemoveStale(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != len(stale) {
		t.Fatalf("removed %v, want %v", removed, stale)
	}
	for _, s := range stale {
		if _, err := os.Stat(s); !os.IsNotExist(err) {
			t.Errorf("%s still there (%v)", s, err)
		}
	}
	for _, k := range append(keep, filepath.Base(p)) {
		if _, err := os.Stat(filepath.Join(dir, k)); err != nil {
			t.Errorf("%s removed: %v", k, err)
		}
	}
	if removed, err := RemoveStale(filepath.Join(t.TempDir(), "none", "x")); err != nil || removed != nil {
		t.Fatalf("missing directory: %v, %v", removed, err)
	}
}
