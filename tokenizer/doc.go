// Package tokenizer implements BPE tokenizers as Hugging Face's tokenizers
// library runs them, for the tokenizer.json files of GPT-2 and of
// open-weight chat models (Llama-2/3, Qwen2, SmolLM2, Mistral, TinyLlama):
//
//   - added tokens (special or not, normalized or not, lstrip/rstrip,
//     single_word), matched before the rest of the pipeline;
//   - normalizers NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend, Replace,
//     Sequence (normalizer.go);
//   - pre-tokenizers ByteLevel (GPT-2's alphabet and regex), Split with a
//     literal or an Oniguruma regex, Digits, Metaspace, Sequence
//     (pretokenizer.go); the regexes run on the package's own
//     backtracking engine, since Go's regexp has no lookahead
//     (regex_parse.go, regex_exec.go);
//   - the BPE model with rank-ordered merges, ignore_merges, unk_token,
//     fuse_unk and byte_fallback (encode.go, bpe.go);
//   - the TemplateProcessing post-processor (EncodeWithSpecialTokens);
//   - decoders ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip,
//     Sequence (decoder.go).
//
// Whatever a file asks for outside this set is refused with an error
// naming the field, rather than encoded differently from Hugging Face.
// The package also trains byte-level BPE (Train) and reads GPT-2's
// vocab.json + merges.txt pair.
//
// Token ids are int32: vocabularies are far below 2^31 entries and a
// tokenized corpus of int32 takes half the memory of []int.
//
// The package is a file format and a text transform only: it has no compute
// and imports no model code.
package tokenizer
