package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// savedCase is a family with modules to save, and which matrices the
// adapted model computes with, by PEFT's rules: in and out say whether the
// input embedding and the unembedding read a trained copy, shared whether
// it is one copy.
type savedCase struct {
	cfg         string
	modules     []string
	tie         bool
	in, out     bool
	shared      bool
	wantUntied  bool // the merged model's config
	wantModules []string
}

func savedCases() map[string]savedCase {
	return map[string]savedCase{
		"gpt2/wte":                {cfg: "gpt2", modules: []string{"wte"}, in: true, out: true, shared: true, wantModules: []string{"lm_head", "wte"}},
		"gpt2/lm_head":            {cfg: "gpt2", modules: []string{"lm_head"}, in: true, out: true, shared: true, wantModules: []string{"lm_head", "wte"}},
		"llama/both":              {cfg: "llama", modules: []string{"embed_tokens", "lm_head"}, in: true, out: true, wantUntied: true, wantModules: []string{"embed_tokens", "lm_head"}},
		"llama/lm_head":           {cfg: "llama", modules: []string{"lm_head"}, out: true, wantUntied: true, wantModules: []string{"lm_head"}},
		"llama-tied/embed":        {cfg: "llama-tied", modules: []string{"model.embed_tokens"}, in: true, wantUntied: true, wantModules: []string{"embed_tokens"}},
		"llama-tied/lm_head":      {cfg: "llama-tied", modules: []string{"lm_head"}, out: true, wantUntied: true, wantModules: []string{"lm_head"}},
		"llama-tied/both":         {cfg: "llama-tied", modules: []string{"embed_tokens", "lm_head"}, in: true, out: true, wantUntied: true, wantModules: []string{"embed_tokens", "lm_head"}},
		"llama-tied/embed+tie":    {cfg: "llama-tied", modules: []string{"embed_tokens"}, tie: true, in: true, out: true, shared: true, wantModules: []string{"embed_tokens", "lm_head"}},
		"llama-tied/lm_head+tie":  {cfg: "llama-tied", modules: []string{"lm_head"}, tie: true, in: true, out: true, shared: true, wantModules: []string{"embed_tokens", "lm_head"}},
		"llama/embed+tie-ignored": {cfg: "llama", modules: []string{"embed_tokens"}, tie: true, in: true, wantUntied: true, wantModules: []string{"embed_tokens"}},
	}
}

func (c savedCase) attach(t *testing.T, seed uint64) (*Model, *LoRA) {
	t.Helper()
	m := testModelOf(t, loraFamilies()[c.cfg], seed)
	l, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4, Targets: DefaultLoRATargets(m.Config)[:1], ModulesToSave: c.modules, EnsureWeightTying: c.tie}, seed+1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(l.Config.ModulesToSave, c.wantModules) {
		t.Fatalf("modules recorded as %v, want %v", l.Config.ModulesToSave, c.wantModules)
	}
	return m, l
}

// perturbCopies moves every saved copy away from the base, as training
// would.
func perturbCopies(l *LoRA, rng *rand.Rand) {
	for i := 2 * len(l.offsets); i < len(l.tensors)-1; i++ {
		for j := l.tensors[i]; j < l.tensors[i+1]; j++ {
			l.Params[j] += float32(rng.NormFloat64() * 0.3)
		}
	}
}

// TestLoRAModulesSemantics: the adapted model computes with the matrices
// PEFT's rules give (a tied model's other role keeps the original matrix
// unless the copy is shared), checked against a model built by hand with
// those matrices; the base is untouched and BaseView computes with it.
func TestLoRAModulesSemantics(t *testing.T) {
	for name, c := range savedCases() {
		t.Run(name, func(t *testing.T) {
			m, l := c.attach(t, 3)
			orig := slices.Clone(m.baseParams().Data)
			perturbCopies(l, rand.New(rand.NewPCG(1, 2)))
			if m.Grads != nil {
				t.Fatal("the base has a gradient buffer")
			}
			VC := m.Config.VocabSize * m.Config.NEmbd
			var copies [][]float32
			for i := 2 * len(l.offsets); i < len(l.tensors)-1; i++ {
				copies = append(copies, l.Params[l.tensors[i]:l.tensors[i+1]])
			}
			if want := map[bool]int{true: 1, false: 0}; len(copies) != want[c.in]+want[c.out && !c.shared] {
				t.Fatalf("%d saved tensors", len(copies))
			}
			// The model by hand: untied, embedding and unembedding chosen
			// by the rules.
			cfg := m.Config
			base := m.BaseView()
			inW, outW := base.Params.WTE, base.Params.Unembedding()
			if c.in {
				inW = copies[0]
			}
			if c.out {
				outW = copies[len(copies)-1]
			}
			var want *Model
			if cfg.IsLlama() {
				ucfg := cfg
				ucfg.Untied = true
				want = testModelOf(t, ucfg, 1)
				copy(want.Params.Data, base.Params.Data)
				copy(want.Params.WTE, inW)
				copy(want.Params.LMHead, outW)
			} else { // GPT-2 is tied: the copy is one matrix
				if &inW[0] != &outW[0] {
					t.Fatal("GPT-2's saved embedding and unembedding are not one matrix")
				}
				want = testModelOf(t, cfg, 1)
				copy(want.Params.Data, base.Params.Data)
				copy(want.Params.WTE, inW)
			}
			if len(inW) != VC || len(outW) != VC {
				t.Fatal("wrong matrix sizes")
			}
			b := loraBatch(rand.New(rand.NewPCG(3, 4)), cfg)
			b.Targets, b.Mask = nil, nil
			logits := func(m *Model) []float32 {
				if _, err := m.Forward(b); err != nil {
					t.Fatal(err)
				}
				return slices.Clone(m.Logits())
			}
			got, ref := logits(m), logits(want)
			if d := maxAbsDiff(got, ref); d != 0 {
				t.Errorf("adapted model vs the model by hand: max |logit diff| %.3g", d)
			}
			if !slices.Equal(m.baseParams().Data, orig) {
				t.Error("the base's parameters changed")
			}
			plain := testModelOf(t, loraFamilies()[c.cfg], 3)
			if d := maxAbsDiff(logits(base), logits(plain)); d != 0 {
				t.Errorf("BaseView vs the original model: max |logit diff| %.3g", d)
			}
			if maxAbsDiff(got, logits(plain)) < 1e-3 {
				t.Fatal("the saved modules do not change the logits: the test would see nothing")
			}
			// KV-cached decoding reads the same matrices.
			g1, err1 := m.Generate([][]int32{{1, 2, 3}}, GenerateOptions{MaxNewTokens: 4})
			g2, err2 := want.Generate([][]int32{{1, 2, 3}}, GenerateOptions{MaxNewTokens: 4})
			if err1 != nil || err2 != nil || !slices.Equal(g1[0].Tokens, g2[0].Tokens) {
				t.Errorf("generation %v (%v), by hand %v (%v)", g1, err1, g2, err2)
			}
		})
	}
}

// TestLoRAModulesGradients checks by finite differences the gradient of
// every adapter and saved-module element, tied and untied, shared or not;
// the base keeps no gradient buffer.
func TestLoRAModulesGradients(t *testing.T) {
	for name, c := range savedCases() {
		t.Run(name, func(t *testing.T) {
			m, l := c.attach(t, 5)
			rng := rand.New(rand.NewPCG(3, 4))
			randomizeB(l, rng)
			perturbCopies(l, rng)
			J := lossOf(t, m, loraBatch(rng, m.Config), nil)
			checkTensorGrads(t, m, J, l.TensorNames(), l.Offsets(), l.Params, func() []float32 { return l.Grads })
			if m.Grads != nil {
				t.Fatal("Backward gave the base a gradient buffer")
			}
		})
	}
}

// TestLoRAModulesMerge: merging writes the copies into the base (untying
// a tied model whose roles differ) and gives the unmerged logits to
// float32 rounding.
func TestLoRAModulesMerge(t *testing.T) {
	for name, c := range savedCases() {
		t.Run(name, func(t *testing.T) {
			m, l := c.attach(t, 7)
			rng := rand.New(rand.NewPCG(5, 6))
			randomizeB(l, rng)
			perturbCopies(l, rng)
			b := loraBatch(rng, m.Config)
			b.Targets, b.Mask = nil, nil
			m.Forward(b)
			adapted := slices.Clone(m.Logits())
			m.MergeLoRA()
			if m.LoRA() != nil {
				t.Fatal("MergeLoRA left the adapters attached")
			}
			if m.Config.Untied != c.wantUntied {
				t.Fatalf("merged config untied = %v, want %v", m.Config.Untied, c.wantUntied)
			}
			if err := m.Config.Validate(); err != nil {
				t.Fatal(err)
			}
			if len(m.Params.Data) != m.Config.NumParams() {
				t.Fatal("merged parameters do not match the merged config")
			}
			m.Forward(b)
			d := maxAbsDiff(m.Logits(), adapted)
			t.Logf("merged vs unmerged: max |logit diff| %.2g", d)
			if d > 1e-5 {
				t.Fatalf("merged logits differ from the adapted model's by %.3g", d)
			}
		})
	}
}

// TestLoRAModulesDetach: detaching restores the base, bit for bit.
func TestLoRAModulesDetach(t *testing.T) {
	c := savedCases()["llama-tied/both"]
	m, l := c.attach(t, 2)
	b := loraBatch(rand.New(rand.NewPCG(8, 9)), m.Config)
	perturbCopies(l, rand.New(rand.NewPCG(1, 1)))
	m.DetachLoRA()
	plain := testModelOf(t, m.Config, 2)
	l1, _ := m.Forward(b)
	l2, _ := plain.Forward(b)
	if math.Float32bits(l1) != math.Float32bits(l2) {
		t.Fatalf("loss %v after detaching, %v of the base", l1, l2)
	}
}

func TestLoRAModulesErrors(t *testing.T) {
	for _, tc := range []struct {
		cfg, module string
	}{{"gpt2", "embed_tokens"}, {"llama", "wte"}, {"llama", "q_proj"}, {"llama", "norm"}} {
		t.Run(fmt.Sprintf("%s/%s", tc.cfg, tc.module), func(t *testing.T) {
			m := testModelOf(t, loraFamilies()[tc.cfg], 1)
			_, err := m.AttachLoRA(LoRAConfig{Rank: 2, Alpha: 4, ModulesToSave: []string{tc.module}}, 1)
			if err == nil || !strings.Contains(err.Error(), "modules_to_save") || !strings.Contains(err.Error(), tc.module) {
				t.Fatalf("error %v should name modules_to_save and %q", err, tc.module)
			}
			if m.LoRA() != nil || m.Grads == nil {
				t.Fatal("a refused config changed the model")
			}
		})
	}
}
