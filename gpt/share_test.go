package gpt

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestShareBase: views made by ShareBase read the base's weights in place
// (the same backing array, the same rotary table), an adapter attached to
// one view changes neither the base nor the other view, and the base, a
// plain view and an adapted view decoding at the same time on their own
// goroutines give exactly the tokens separate copies give decoding one
// after the other. Run it with -race: nothing may write what they share.
func TestShareBase(t *testing.T) {
	for name, cfg := range familyConfigs() {
		t.Run(name, func(t *testing.T) {
			base := testModelOf(t, cfg, 5)
			before := slices.Clone(base.Params.Data)
			plain, adapted := base.ShareBase(), base.ShareBase()
			l, err := adapted.AttachLoRA(LoRAConfig{Rank: 4, Alpha: 8}, 2)
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(3, 4))
			for i := range l.Params { // B nonzero too, so the adapter acts
				l.Params[i] = float32(rng.NormFloat64() * 0.3)
			}
			for _, v := range []*Model{plain, adapted} {
				if &v.Params.Data[0] != &base.Params.Data[0] || len(v.Params.Data) != len(base.Params.Data) {
					t.Fatal("a view holds a copy of the base's parameters")
				}
				if v.Grads != nil {
					t.Error("a view has a gradient buffer")
				}
				if cfg.IsLlama() && (v.ropeTab == nil || v.ropeTab != base.ropeTab) {
					t.Error("a view does not share the base's rotary table")
				}
			}
			if base.LoRA() != nil || plain.LoRA() != nil {
				t.Fatal("an adapter attached to one view reached the base or another view")
			}

			// The references: separate copies, decoding one after the other.
			copyBase, err := FromParams(cfg, slices.Clone(base.Params.Data))
			if err != nil {
				t.Fatal(err)
			}
			copyAdapted, _ := FromParams(cfg, slices.Clone(base.Params.Data))
			cl, _ := copyAdapted.AttachLoRA(l.Config, 0)
			copy(cl.Params, l.Params)
			prompts := [][]int32{{1, 2, 3}, {4, 5}, {6}}
			opts := []GenerateOptions{{MaxNewTokens: 8}, {MaxNewTokens: 8, Temperature: 1, Seed: 9}}
			decode := func(m *Model) [][]int32 {
				var out [][]int32
				for _, o := range opts {
					gens, err := m.Generate(prompts, o)
					if err != nil {
						t.Error(err)
						return nil
					}
					for _, g := range gens {
						out = append(out, g.Tokens)
					}
				}
				return out
			}
			wantBase, wantAdapted := decode(copyBase), decode(copyAdapted)
			if slices.EqualFunc(wantBase, wantAdapted, slices.Equal) {
				t.Fatal("the adapter does not change what the model generates: the test would prove nothing")
			}

			models := []*Model{base, plain, adapted, base.ShareBase()}
			want := [][][]int32{wantBase, wantBase, wantAdapted, wantBase}
			got := make([][][]int32, len(models))
			var wg sync.WaitGroup
			for i, m := range models {
				wg.Go(func() {
					for range 3 { // several rounds, so that the decoders overlap
						got[i] = decode(m)
					}
				})
			}
			wg.Wait()
			for i := range models {
				if !slices.EqualFunc(got[i], want[i], slices.Equal) {
					t.Errorf("model %d decoded %v beside the others, a separate copy %v", i, got[i], want[i])
				}
			}
			for i, v := range base.Params.Data {
				if math.Float32bits(v) != math.Float32bits(before[i]) {
					t.Fatalf("parameter %d changed from %v to %v", i, before[i], v)
				}
			}
		})
	}
}
