package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// AddedToken is a token matched in the raw text before pre-tokenization,
// like Hugging Face's added_tokens: special tokens such as "<|endoftext|>"
// and chat markers such as "\n\nHuman:". Its text never goes through BPE.
type AddedToken struct {
	ID      int32
	Content string
	// Special tokens are control tokens (GGUF token type 3); Decode still
	// emits their content.
	Special bool
	// LStrip and RStrip make the token absorb the whitespace on its left or
	// right; SingleWord matches it only when no letter or digit touches it.
	LStrip, RStrip, SingleWord bool
	// Normalized tokens are matched after the normalizer ran, by their
	// normalized content; the others are matched in the raw text first.
	Normalized bool
}

// addedMatcher finds added tokens in text: leftmost match first, the longest
// one when several start at the same place (Hugging Face's aho-corasick
// LeftmostLongest). A Tokenizer has two, for the two passes (normalized
// false, then true).
type addedMatcher struct {
	tokens []AddedToken // non-empty contents only
}

// scan calls emit for each stretch of ordinary text and each added token,
// in order. Ordinary stretches are non-empty; id is -1 for them.
func (m *addedMatcher) scan(text string, emit func(piece string, id int32)) {
	if len(m.tokens) == 0 {
		if text != "" {
			emit(text, -1)
		}
		return
	}
	// next[i] caches the next occurrence of token i at or after pos
	// (-1: none left), so each token's occurrences are searched once.
	next := make([]int, len(m.tokens))
	for i, t := range m.tokens {
		next[i] = strings.Index(text, t.Content)
	}
	pos, from := 0, 0 // emitted up to pos; search resumes at from
	for {
		best := -1
		for i := range m.tokens {
			if next[i] >= 0 && next[i] < from {
				if j := strings.Index(text[from:], m.tokens[i].Content); j >= 0 {
					next[i] = from + j
				} else {
					next[i] = -1
				}
			}
			if next[i] < 0 {
				continue
			}
			if best < 0 || next[i] < next[best] ||
				(next[i] == next[best] && len(m.tokens[i].Content) > len(m.tokens[best].Content)) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		t := m.tokens[best]
		start, end := next[best], next[best]+len(t.Content)
		if t.SingleWord && (wordCharBefore(text[:start]) || wordCharAfter(text[end:])) {
			from = end // as a non-overlapping match iterator would
			continue
		}
		if t.LStrip {
			start = pos + len(strings.TrimRightFunc(text[pos:start], unicode.IsSpace))
		}
		if t.RStrip {
			end = len(text) - len(strings.TrimLeftFunc(text[end:], unicode.IsSpace))
		}
		if start > pos {
			emit(text[pos:start], -1)
		}
		emit(text[start:end], t.ID)
		pos, from = end, end
	}
	if pos < len(text) {
		emit(text[pos:], -1)
	}
}

func wordCharBefore(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && isWordChar(r)
}

func wordCharAfter(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return s != "" && isWordChar(r)
}

// isWordChar is Rust regex's Unicode \w, which Hugging Face uses for
// single_word: Alphabetic (letters, Nl, Other_Alphabetic), marks, decimal
// digits, connector punctuation ('_') and Join_Control (ZWNJ, ZWJ).
func isWordChar(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.In(r, unicode.Nd, unicode.Nl, unicode.Pc, unicode.Other_Alphabetic, unicode.Join_Control)
}
