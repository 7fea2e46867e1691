package gguf

import "fmt"

// Well-known metadata keys (ggml docs/gguf.md; llama.cpp's llama-arch.cpp).
const (
	KeyArchitecture = "general.architecture" // string: "gpt2"
	KeyName         = "general.name"         // string
	KeyAlignment    = "general.alignment"    // u32, power of two; default 32
	KeyFileType     = "general.file_type"    // u32: 0 all F32, 1 mostly F16

	// GPT-2 hyper-parameters (architecture prefix "gpt2.").
	KeyGPT2ContextLength    = "gpt2.context_length"               // u32, n_ctx
	KeyGPT2EmbeddingLength  = "gpt2.embedding_length"             // u32, n_embd
	KeyGPT2FeedForwardLen   = "gpt2.feed_forward_length"          // u32, 4·n_embd
	KeyGPT2BlockCount       = "gpt2.block_count"                  // u32, n_layer
	KeyGPT2HeadCount        = "gpt2.attention.head_count"         // u32, n_head
	KeyGPT2LayerNormEpsilon = "gpt2.attention.layer_norm_epsilon" // f32, 1e-5

	// Llama-family hyper-parameters: the architecture name ("llama" or
	// "qwen2") then these suffixes (see ArchKey).
	KeyContextLength   = "context_length"                   // u32
	KeyEmbeddingLength = "embedding_length"                 // u32
	KeyFeedForwardLen  = "feed_forward_length"              // u32, intermediate_size
	KeyBlockCount      = "block_count"                      // u32
	KeyHeadCount       = "attention.head_count"             // u32
	KeyHeadCountKV     = "attention.head_count_kv"          // u32
	KeyRMSEpsilon      = "attention.layer_norm_rms_epsilon" // f32
	KeyRopeDimCount    = "rope.dimension_count"             // u32, head size
	KeyRopeFreqBase    = "rope.freq_base"                   // f32, rope_theta
	KeyRopeScalingType = "rope.scaling.type"                // string: "linear"
	KeyRopeScaleFactor = "rope.scaling.factor"              // f32
	KeyVocabSize       = "vocab_size"                       // u32
	TensorRopeFreqs    = "rope_freqs.weight"                // per-frequency divisors (Llama 3.1 scaling)

	// Tokenizer.
	KeyTokenizerModel = "tokenizer.ggml.model"        // string: "gpt2" for byte-level BPE
	KeyTokenizerPre   = "tokenizer.ggml.pre"          // string: pre-tokenizer name, "gpt-2"
	KeyTokens         = "tokenizer.ggml.tokens"       // []string, by id
	KeyTokenType      = "tokenizer.ggml.token_type"   // []int32, TokenType per id
	KeyMerges         = "tokenizer.ggml.merges"       // []string, "a b" by rank
	KeyBOSTokenID     = "tokenizer.ggml.bos_token_id" // u32
	KeyEOSTokenID     = "tokenizer.ggml.eos_token_id" // u32
	KeyUnknownTokenID = "tokenizer.ggml.unknown_token_id"
	KeyPaddingTokenID = "tokenizer.ggml.padding_token_id"
	KeyAddBOSToken    = "tokenizer.ggml.add_bos_token" // bool
	KeyChatTemplate   = "tokenizer.chat_template"      // string (Jinja)
	KeyScores         = "tokenizer.ggml.scores"        // []float32, SentencePiece piece scores
	KeyAddEOSToken    = "tokenizer.ggml.add_eos_token" // bool
)

// ArchKey is an architecture's hyper-parameter key, e.g.
// ArchKey("llama", KeyBlockCount) is "llama.block_count".
func ArchKey(arch, key string) string { return arch + "." + key }

// Limits of the format as llama.cpp enforces them.
const (
	DefaultAlignment   = 32 // when general.alignment is absent
	MaxTensorNameBytes = 63 // GGML_MAX_NAME is 64 with the NUL
	MaxDims            = 4  // GGML_MAX_DIMS
)

// TokenType values for tokenizer.ggml.token_type (llama.cpp's
// llama_token_type).
const (
	TokenNormal      int32 = 1
	TokenUnknown     int32 = 2
	TokenControl     int32 = 3 // special tokens such as <|endoftext|>
	TokenUserDefined int32 = 4
	TokenUnused      int32 = 5
	TokenByte        int32 = 6
)

// GPT-2 tensor names in llama.cpp's convention.
const (
	TensorTokenEmbd    = "token_embd.weight"    // wte, [vocab, n_embd] in PyTorch order
	TensorPositionEmbd = "position_embd.weight" // wpe, [n_ctx, n_embd]
	TensorOutputNorm   = "output_norm"          // ln_f: + ".weight" / ".bias"
	TensorOutput       = "output.weight"        // lm_head; absent when tied to token_embd
)

// BlockTensor names a tensor of transformer block n, e.g.
// BlockTensor(0, "attn_qkv", "weight") is "blk.0.attn_qkv.weight". GPT-2's
// parts are attn_norm, attn_qkv, attn_output, ffn_norm, ffn_up, ffn_down.
func BlockTensor(n int, part, kind string) string {
	return fmt.Sprintf("blk.%d.%s.%s", n, part, kind)
}
