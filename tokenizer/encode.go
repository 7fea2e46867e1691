package tokenizer

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Encode tokenizes text without the post-processor's special tokens, as
// Hugging Face's encode(text, add_special_tokens=False).
func (t *Tokenizer) Encode(text string) []int32 { return t.AppendEncode(nil, text) }

// EncodeWithSpecialTokens tokenizes text and applies the post-processor's
// template, as encode(text, add_special_tokens=True): Llama-3 prepends
// <|begin_of_text|>, Llama-2 <s>; GPT-2 adds nothing.
func (t *Tokenizer) EncodeWithSpecialTokens(text string) []int32 {
	ids := t.Encode(text)
	for _, tp := range t.templates {
		ids = tp.apply(ids)
	}
	return ids
}

// encodeScratch holds the buffers one encoding reuses between segments.
type encodeScratch struct {
	pieces, next []piece
	spans        []span
}

var scratchPool = sync.Pool{New: func() any { return new(encodeScratch) }}

// AppendEncode appends the ids of text to dst, so a corpus can be tokenized
// into one growing slice. Like Encode it adds no template tokens.
func (t *Tokenizer) AppendEncode(dst []int32, text string) []int32 {
	sc := scratchPool.Get().(*encodeScratch)
	first := true
	t.rawMatcher.scan(text, func(seg string, id int32) {
		start := first
		first = false
		if id >= 0 {
			dst = append(dst, id)
			return
		}
		if t.pipe.normalizer != nil {
			seg = t.pipe.normalizer.normalize(seg)
		}
		firstNorm := true
		t.normMatcher.scan(seg, func(s string, id int32) {
			if id >= 0 {
				dst = append(dst, id)
			} else {
				dst = t.appendSegment(dst, piece{s, start && firstNorm}, sc)
			}
			firstNorm = false
		})
	})
	scratchPool.Put(sc)
	return dst
}

// appendSegment encodes text that holds no added token.
func (t *Tokenizer) appendSegment(dst []int32, seg piece, sc *encodeScratch) []int32 {
	t.preTokens(seg, sc, func(word string) { dst = t.appendWord(dst, word) })
	return dst
}

// preTokens runs the pre-tokenizer on seg and calls yield with each
// pre-token, as the model reads it (raw bytes under ByteLevel).
func (t *Tokenizer) preTokens(seg piece, sc *encodeScratch, yield func(word string)) {
	pieces := append(sc.pieces[:0], seg)
	for _, step := range t.pipe.pre.steps {
		next := sc.next[:0]
		for _, p := range pieces {
			sc.spans, next = step.split(p, sc.spans, next)
		}
		pieces, sc.next = next, pieces
	}
	sc.pieces = pieces
	bl := t.pipe.pre.byteLevel
	for _, p := range pieces {
		s := p.s
		switch {
		case bl == nil:
			yield(s)
			continue
		case bl.addPrefixSpace && !strings.HasPrefix(s, " "):
			s = " " + s
		}
		if !bl.useRegex {
			yield(s)
			continue
		}
		for len(s) > 0 {
			n := preTokenLen(s)
			yield(s[:n])
			s = s[n:]
		}
	}
}

// appendWord encodes one pre-token: raw bytes when a ByteLevel
// pre-tokenizer maps them (the model's characters are then byteToRune of
// each byte), the text's own characters otherwise.
func (t *Tokenizer) appendWord(dst []int32, word string) []int32 {
	if len(word) == 1 && t.pipe.pre.byteLevel != nil && t.byteIDs[word[0]] >= 0 {
		return append(dst, t.byteIDs[word[0]])
	}
	if ids, ok := t.cache.get(word); ok {
		return append(dst, ids...)
	}
	ids := t.encodeWord(word)
	t.cache.put(word, ids)
	return append(dst, ids...)
}

// encodeWord runs the BPE model on one pre-token, as Hugging Face's
// BPE::tokenize: with ignore_merges a word in the vocabulary is one token;
// otherwise each character becomes its token, or its bytes' <0xNN> tokens
// (byte_fallback), or unk_token (consecutive ones fused with fuse_unk), or
// nothing; then the merges apply.
func (t *Tokenizer) encodeWord(word string) []int32 {
	byteLevel := t.pipe.pre.byteLevel != nil
	if t.opts.ignoreMerges {
		key := word
		if byteLevel {
			key = ByteLevel(word)
		}
		if id, ok := t.vocab[key]; ok {
			return []int32{id}
		}
	}
	ids := make([]int32, 0, len(word))
	pendingUnk := false
	for i := 0; i < len(word); {
		var id int32 = -1
		var char string // the character as the vocabulary spells it
		if byteLevel {
			id = t.byteIDs[word[i]]
			if id < 0 {
				char = string(byteToRune[word[i]])
			}
			i++
		} else {
			_, n := charAt(word, i)
			char = word[i : i+n]
			if v, ok := t.vocab[char]; ok {
				id = v
			}
			i += n
		}
		if id >= 0 {
			if pendingUnk {
				ids = append(ids, t.unkID)
				pendingUnk = false
			}
			ids = append(ids, id)
			continue
		}
		if t.opts.byteFallback && t.allFallback(char) {
			// Hugging Face appends these before a pending unk (which
			// comes only from a character whose bytes lack tokens).
			for j := 0; j < len(char); j++ {
				ids = append(ids, t.fallback[char[j]])
			}
			continue
		}
		if t.unkID >= 0 {
			if pendingUnk && !t.opts.fuseUnk {
				ids = append(ids, t.unkID)
			}
			pendingUnk = true
		}
		// With no unk_token the character is dropped, as in Hugging Face.
	}
	if pendingUnk {
		ids = append(ids, t.unkID)
	}
	return mergeWord(ids, t.mergeMap)
}

func (t *Tokenizer) allFallback(char string) bool {
	for j := 0; j < len(char); j++ {
		if t.fallback[char[j]] < 0 {
			return false
		}
	}
	return true
}

// Decode turns ids back into text through the tokenizer.json decoder, as
// Hugging Face's decode(ids, skip_special_tokens=False). With a ByteLevel
// decoder the tokens' bytes are concatenated as they are, so
// decode(encode(s)) == s for every string, valid UTF-8 or not, and a slice
// cut mid-character yields invalid UTF-8 (Hugging Face would show U+FFFD).
// Unknown ids decode to U+FFFD.
func (t *Tokenizer) Decode(ids []int32) string { return t.decode(ids, false) }

// DecodeSkipSpecial is Decode without special added tokens, as
// decode(ids, skip_special_tokens=True).
func (t *Tokenizer) DecodeSkipSpecial(ids []int32) string { return t.decode(ids, true) }

func (t *Tokenizer) decode(ids []int32, skipSpecial bool) string {
	if _, ok := t.pipe.decoder.(byteLevelDec); ok {
		return t.decodeByteLevel(ids, skipSpecial)
	}
	tokens := make([]string, 0, len(ids))
	for _, id := range ids {
		switch {
		case id < 0 || int(id) >= len(t.tokens) || !t.known[id]:
			tokens = append(tokens, string(utf8.RuneError))
		case !(skipSpecial && t.special[id]):
			tokens = append(tokens, t.tokens[id])
		}
	}
	if t.pipe.decoder == nil {
		return strings.Join(tokens, " ")
	}
	return strings.Join(t.pipe.decoder.decode(tokens), "")
}

// decodeByteLevel is the ByteLevel decoder over precomputed token bytes.
func (t *Tokenizer) decodeByteLevel(ids []int32, skipSpecial bool) string {
	n := 0
	for _, id := range ids {
		if id >= 0 && int(id) < len(t.decoded) {
			n += len(t.decoded[id])
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, id := range ids {
		switch {
		case id < 0 || int(id) >= len(t.decoded) || !t.known[id]:
			b.WriteRune(utf8.RuneError)
		case !(skipSpecial && t.special[id]):
			b.WriteString(t.decoded[id])
		}
	}
	return b.String()
}
