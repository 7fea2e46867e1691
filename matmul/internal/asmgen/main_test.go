package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGeneratedUpToDate: the assembly in matmul is what the generator
// writes now, so an edit to either side alone fails here (run
// `go generate ./matmul`).
func TestGeneratedUpToDate(t *testing.T) {
	files := generate()
	if len(files) == 0 {
		t.Fatal("the generator writes nothing")
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("matmul/%s differs from what internal/asmgen generates: run go generate ./matmul", name)
		}
	}
}
