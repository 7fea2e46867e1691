package hf

import (
	"encoding/json"
	"testing"
)

// FuzzParseIndex: any bytes as model.safetensors.index.json parse or fail
// with an error, never panic, and an accepted index names only plain
// .safetensors files in the directory.
func FuzzParseIndex(f *testing.F) {
	f.Add([]byte(`{"metadata":{"total_size":8},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}`))
	f.Add([]byte(`{"weight_map":{"a":"../x.safetensors"}}`))
	f.Add([]byte(`{"weight_map":{}}`))
	f.Add([]byte(`{"weight_map":{"a":7}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		idx, err := parseIndex(data, "index.json")
		if err != nil {
			return
		}
		for _, file := range idx.WeightMap {
			if file == "" || file == ".." || len(file) < len(".safetensors") {
				t.Fatalf("accepted shard name %q", file)
			}
		}
	})
}

// FuzzLlamaConfig: any config.json body converts or fails with an error,
// never panics, and an accepted config is valid.
func FuzzLlamaConfig(f *testing.F) {
	f.Add([]byte(`{"model_type":"llama","hidden_size":32,"intermediate_size":48,"num_attention_heads":4,"num_key_value_heads":2,"num_hidden_layers":2,"vocab_size":97,"max_position_embeddings":64,"rope_scaling":{"rope_type":"llama3","factor":8,"low_freq_factor":1,"high_freq_factor":4,"original_max_position_embeddings":32}}`))
	f.Add([]byte(`{"hidden_size":1,"intermediate_size":1,"num_attention_heads":1,"num_hidden_layers":1000000000,"vocab_size":1,"max_position_embeddings":1}`))
	f.Add([]byte(`{"rope_scaling":{"type":"linear"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var lc LlamaConfig
		if json.Unmarshal(data, &lc) != nil {
			return
		}
		c, err := lc.toGPT("config.json", "LlamaForCausalLM", 0)
		if err != nil {
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("accepted an invalid config: %v", err)
		}
		_ = checkSize("config.json", c)
	})
}
