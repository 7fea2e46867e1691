package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// decoder is one step of tokenizer.json's "decoder": like Hugging Face's
// decode_chain it maps the list of token strings to a new list, and Decode
// concatenates the final list.
type decoder interface {
	decode(tokens []string) []string
}

// byteLevelDec maps byte-level characters back to bytes and fuses the
// tokens. A token with a character outside the alphabet (an added token
// such as "\n\nHuman:") is kept as its UTF-8 text. Unlike Hugging Face,
// which replaces invalid UTF-8 in the result with U+FFFD, the bytes are
// returned as they are, so decode(encode(s)) == s for any string and a
// caller can join decodings of consecutive slices.
type byteLevelDec struct{}

func (byteLevelDec) decode(tokens []string) []string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString(decodeToken(t))
	}
	return []string{b.String()}
}

// metaspaceDec turns the replacement back into spaces; in the first token
// it is dropped unless the scheme is "never" (Hugging Face drops every
// replacement of the first token, not only a leading one).
type metaspaceDec struct {
	repl   rune
	scheme prependScheme
}

func (m metaspaceDec) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		drop := i == 0 && m.scheme != prependNever
		out[i] = strings.Map(func(r rune) rune {
			switch {
			case r != m.repl:
				return r
			case drop:
				return -1
			}
			return ' '
		}, t)
	}
	return out
}

type replaceDec struct {
	pat     pattern
	content string
}

func (r replaceDec) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		out[i] = r.pat.replace(t, r.content)
	}
	return out
}

// byteFallbackDec turns runs of <0xNN> tokens into the text their bytes
// spell; a run that is not valid UTF-8 becomes one U+FFFD per byte token.
type byteFallbackDec struct{}

func (byteFallbackDec) decode(tokens []string) []string {
	out := make([]string, 0, len(tokens))
	var run []byte
	flush := func() {
		if len(run) == 0 {
			return
		}
		if utf8.Valid(run) {
			out = append(out, string(run))
		} else {
			for range run {
				out = append(out, "\uFFFD")
			}
		}
		run = run[:0]
	}
	for _, t := range tokens {
		if b, ok := byteToken(t); ok {
			run = append(run, b)
			continue
		}
		flush()
		out = append(out, t)
	}
	flush()
	return out
}

// byteToken parses a byte-fallback token "<0xNN>" (either hex case, as
// Rust's from_str_radix accepts).
func byteToken(t string) (byte, bool) {
	if len(t) != 6 || !strings.HasPrefix(t, "<0x") || t[5] != '>' {
		return 0, false
	}
	hi, ok1 := hexVal(t[3])
	lo, ok2 := hexVal(t[4])
	return hi<<4 | lo, ok1 && ok2
}

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

type fuseDec struct{}

func (fuseDec) decode(tokens []string) []string { return []string{strings.Join(tokens, "")} }

// stripDec removes up to start leading and stop trailing copies of content
// from each token (Llama-2's decoder strips the space its "▁" prefix
// became).
type stripDec struct {
	content     rune
	start, stop int
}

func (s stripDec) decode(tokens []string) []string {
	out := make([]string, len(tokens))
	for i, t := range tokens {
		rs := []rune(t)
		lo := 0
		for lo < len(rs) && lo < s.start && rs[lo] == s.content {
			lo++
		}
		hi := len(rs)
		for k := 0; k < s.stop && hi > lo && rs[hi-1] == s.content; k++ {
			hi--
		}
		out[i] = string(rs[lo:hi])
	}
	return out
}

type decoderSequence []decoder

func (seq decoderSequence) decode(tokens []string) []string {
	for _, d := range seq {
		tokens = d.decode(tokens)
	}
	return tokens
}

// parseDecoder reads the "decoder" object (nil for null: tokens are
// joined with spaces, as Hugging Face does without a decoder).
func parseDecoder(raw json.RawMessage, field string) (decoder, error) {
	if isNull(raw) {
		return nil, nil
	}
	var h struct {
		Type           string            `json:"type"`
		Decoders       []json.RawMessage `json:"decoders"`
		Replacement    *string           `json:"replacement"`
		AddPrefixSpace *bool             `json:"add_prefix_space"`
		PrependScheme  *string           `json:"prepend_scheme"`
		Pattern        json.RawMessage   `json:"pattern"`
		Content        json.RawMessage   `json:"content"`
		Start          *int              `json:"start"`
		Stop           *int              `json:"stop"`
	}
	if err := decodeField(raw, field, &h); err != nil {
		return nil, err
	}
	switch h.Type {
	case "ByteLevel":
		return byteLevelDec{}, nil
	case "Metaspace":
		m, err := parseMetaspace(h.Replacement, h.AddPrefixSpace, h.PrependScheme, field)
		if err != nil {
			return nil, err
		}
		return metaspaceDec{m.repl, m.scheme}, nil
	case "Replace":
		pat, err := parsePattern(h.Pattern, field+".pattern")
		if err != nil {
			return nil, err
		}
		var content string
		if err := decodeField(h.Content, field+".content", &content); err != nil {
			return nil, err
		}
		return replaceDec{pat, content}, nil
	case "ByteFallback":
		return byteFallbackDec{}, nil
	case "Fuse":
		return fuseDec{}, nil
	case "Strip":
		var content string
		if err := decodeField(h.Content, field+".content", &content); err != nil {
			return nil, err
		}
		r, n := utf8.DecodeRuneInString(content)
		if n == 0 || n != len(content) {
			return nil, fmt.Errorf("%s.content: %q is not one character", field, content)
		}
		if h.Start == nil || h.Stop == nil || *h.Start < 0 || *h.Stop < 0 {
			return nil, fmt.Errorf("%s: start and stop must be counts >= 0", field)
		}
		return stripDec{r, *h.Start, *h.Stop}, nil
	case "Sequence":
		if h.Decoders == nil {
			return nil, fmt.Errorf("%s.decoders: missing", field)
		}
		var seq decoderSequence
		for i, sub := range h.Decoders {
			d, err := parseDecoder(sub, fmt.Sprintf("%s.decoders[%d]", field, i))
			if err != nil {
				return nil, err
			}
			if d == nil {
				return nil, fmt.Errorf("%s.decoders[%d]: null", field, i)
			}
			seq = append(seq, d)
		}
		return seq, nil
	}
	return nil, fmt.Errorf("%s: type %q is not supported (supported: ByteLevel, Metaspace, Replace, ByteFallback, Fuse, Strip, Sequence)", field, h.Type)
}
