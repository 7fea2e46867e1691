package tokenizer

import (
	"encoding/json"
)

// Kinds of BPE tokenizer, as exporters to other runtimes need to tell them.
const (
	// KindByteLevel: GPT-2-style byte-level BPE (GPT-2, Llama 3, Qwen2,
	// SmolLM2): every byte has a token in the byte-to-unicode alphabet.
	KindByteLevel = "byte-level"
	// KindSentencePiece: SentencePiece-style BPE with "▁" for spaces and
	// <0xNN> byte fallback (Llama 2, TinyLlama, Mistral).
	KindSentencePiece = "sentencepiece"
)

// Kind reports which family of BPE the tokenizer is.
func (t *Tokenizer) Kind() string {
	if t.opts.byteFallback {
		return KindSentencePiece
	}
	return KindByteLevel
}

// UnknownID is the id of the model's unk_token, or -1.
func (t *Tokenizer) UnknownID() int32 { return t.unkID }

// IsByteFallback reports whether id is one of the <0xNN> byte-fallback
// tokens.
func (t *Tokenizer) IsByteFallback(id int32) bool {
	if !t.opts.byteFallback {
		return false
	}
	for _, f := range t.fallback {
		if f == id {
			return true
		}
	}
	return false
}

// PreTokenizerJSON is the pre_tokenizer object of tokenizer.json ("null"
// when there is none), compacted: exporters map known ones to their
// runtime's names.
func (t *Tokenizer) PreTokenizerJSON() json.RawMessage {
	return append(json.RawMessage(nil), t.pipe.json.preTokenizer...)
}

// NormalizerJSON is the normalizer object of tokenizer.json ("null" for
// none), compacted.
func (t *Tokenizer) NormalizerJSON() json.RawMessage {
	return append(json.RawMessage(nil), t.pipe.json.normalizer...)
}
