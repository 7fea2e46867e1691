package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// piece is a stretch of normalized text between pre-tokenization steps.
// start says it begins at offset 0 of the original input, which is what
// Metaspace's prepend_scheme "first" tests (Hugging Face's
// offsets_original().0 == 0). It is tracked as "the first piece of a
// first segment", exact unless a normalizer inserts text that a later split
// separates from the first original character.
type piece struct {
	s     string
	start bool
}

// preTokenizer is one step of tokenizer.json's "pre_tokenizer": it splits
// a piece into smaller ones, appended to out. Empty pieces are dropped, as
// Hugging Face's PreTokenizedString::split does.
type preTokenizer interface {
	split(p piece, spans []span, out []piece) ([]span, []piece)
}

// appendSpans appends the kept spans of p as pieces.
func appendSpans(p piece, spans []span, out []piece) []piece {
	for _, sp := range spans {
		if sp.end > sp.start {
			out = append(out, piece{p.s[sp.start:sp.end], p.start && sp.start == 0})
		}
	}
	return out
}

// charSpans is find_matches for a character predicate: every character
// for which match is true is a one-character match.
func charSpans(s string, match func(rune) bool, dst []span) []span {
	if s == "" {
		return append(dst, span{})
	}
	prev := 0
	for i := 0; i < len(s); {
		r, n := charAt(s, i)
		if match(r) {
			if prev < i {
				dst = append(dst, span{prev, i, false})
			}
			dst = append(dst, span{i, i + n, true})
			prev = i + n
		}
		i += n
	}
	if prev < len(s) {
		dst = append(dst, span{prev, len(s), false})
	}
	return dst
}

// splitPre is the Split pre-tokenizer.
type splitPre struct {
	pat      pattern
	behavior splitBehavior
	invert   bool
}

func (sp splitPre) split(p piece, spans []span, out []piece) ([]span, []piece) {
	spans = sp.pat.spans(p.s, spans[:0])
	if sp.invert {
		for i := range spans {
			spans[i].match = !spans[i].match
		}
	}
	spans = applyBehavior(spans, sp.behavior)
	return spans, appendSpans(p, spans, out)
}

// digitsPre is the Digits pre-tokenizer: numeric characters (Rust's
// char::is_numeric, general category N) apart from the rest, one by one
// or in runs.
type digitsPre struct{ individual bool }

func (d digitsPre) split(p piece, spans []span, out []piece) ([]span, []piece) {
	spans = charSpans(p.s, unicode.IsNumber, spans[:0])
	b := splitContiguous
	if d.individual {
		b = splitIsolated
	}
	spans = applyBehavior(spans, b)
	return spans, appendSpans(p, spans, out)
}

// prependScheme is when Metaspace puts its replacement in front of a piece.
type prependScheme uint8

const (
	prependAlways prependScheme = iota
	prependFirst                // only before the start of the input
	prependNever
)

// metaspacePre is SentencePiece's whitespace handling: spaces become the
// replacement ("▁"), a replacement is prepended per the scheme, and with
// split the text is cut before each replacement.
type metaspacePre struct {
	repl    rune
	scheme  prependScheme
	splitOn bool
}

func (m metaspacePre) split(p piece, spans []span, out []piece) ([]span, []piece) {
	rs := string(m.repl)
	s := strings.ReplaceAll(p.s, " ", rs)
	if !strings.HasPrefix(s, rs) && (m.scheme == prependAlways || (m.scheme == prependFirst && p.start)) {
		s = rs + s
	}
	q := piece{s, p.start}
	if !m.splitOn {
		return spans, append(out, q)
	}
	spans = charSpans(s, func(r rune) bool { return r == m.repl }, spans[:0])
	spans = applyBehavior(spans, splitMergedWithNext)
	return spans, appendSpans(q, spans, out)
}

// byteLevelPre is the ByteLevel pre-tokenizer's settings. It is always the
// last step: it maps text to byte-level characters, which the model then
// reads as raw bytes (byteIDs) instead of mapped strings.
type byteLevelPre struct {
	addPrefixSpace bool
	useRegex       bool // split with GPT2Pattern first
}

// preTokenizers is a parsed "pre_tokenizer": steps in order, then optional
// byte-level mapping.
type preTokenizers struct {
	steps     []preTokenizer
	byteLevel *byteLevelPre
}

// parsePreTokenizer reads the "pre_tokenizer" object (null: none).
func parsePreTokenizer(raw json.RawMessage, field string) (preTokenizers, error) {
	var out preTokenizers
	if isNull(raw) {
		return out, nil
	}
	err := out.add(raw, field)
	return out, err
}

func (pt *preTokenizers) add(raw json.RawMessage, field string) error {
	if pt.byteLevel != nil {
		return fmt.Errorf("%s: ByteLevel must be the last pre-tokenizer (later steps would see its byte-level characters)", field)
	}
	var h struct {
		Type             string            `json:"type"`
		PreTokenizers    []json.RawMessage `json:"pretokenizers"`
		AddPrefixSpace   *bool             `json:"add_prefix_space"`
		UseRegex         *bool             `json:"use_regex"`
		Pattern          json.RawMessage   `json:"pattern"`
		Behavior         *string           `json:"behavior"`
		Invert           bool              `json:"invert"`
		IndividualDigits bool              `json:"individual_digits"`
		Replacement      *string           `json:"replacement"`
		PrependScheme    *string           `json:"prepend_scheme"`
		Split            *bool             `json:"split"`
	}
	if err := decodeField(raw, field, &h); err != nil {
		return err
	}
	switch h.Type {
	case "Sequence":
		if h.PreTokenizers == nil {
			return fmt.Errorf("%s.pretokenizers: missing", field)
		}
		for i, sub := range h.PreTokenizers {
			if isNull(sub) {
				return fmt.Errorf("%s.pretokenizers[%d]: null", field, i)
			}
			if err := pt.add(sub, fmt.Sprintf("%s.pretokenizers[%d]", field, i)); err != nil {
				return err
			}
		}
	case "ByteLevel":
		pt.byteLevel = &byteLevelPre{
			addPrefixSpace: h.AddPrefixSpace != nil && *h.AddPrefixSpace,
			useRegex:       h.UseRegex == nil || *h.UseRegex,
		}
	case "Split":
		pat, err := parsePattern(h.Pattern, field+".pattern")
		if err != nil {
			return err
		}
		if h.Behavior == nil {
			return fmt.Errorf("%s.behavior: missing", field)
		}
		b, ok := splitBehaviors[*h.Behavior]
		if !ok {
			return fmt.Errorf("%s.behavior: %q is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous", field, *h.Behavior)
		}
		pt.steps = append(pt.steps, splitPre{pat, b, h.Invert})
	case "Digits":
		pt.steps = append(pt.steps, digitsPre{h.IndividualDigits})
	case "Metaspace":
		m, err := parseMetaspace(h.Replacement, h.AddPrefixSpace, h.PrependScheme, field)
		if err != nil {
			return err
		}
		m.splitOn = h.Split == nil || *h.Split
		pt.steps = append(pt.steps, m)
	default:
		return fmt.Errorf("%s: type %q is not supported (supported: ByteLevel, Split, Digits, Metaspace, Sequence)", field, h.Type)
	}
	return nil
}

// parseMetaspace reads the settings Metaspace shares between its
// pre-tokenizer and decoder: the old add_prefix_space bool or the newer
// prepend_scheme. As in Hugging Face, add_prefix_space false contradicts
// any scheme but "never" (and the default scheme is "always").
func parseMetaspace(repl *string, addPrefix *bool, scheme *string, field string) (metaspacePre, error) {
	var m metaspacePre
	if repl == nil {
		return m, fmt.Errorf("%s.replacement: missing", field)
	}
	r, n := utf8.DecodeRuneInString(*repl)
	if n == 0 || n != len(*repl) || r == utf8.RuneError {
		return m, fmt.Errorf("%s.replacement: %q is not one character", field, *repl)
	}
	m.repl = r
	if scheme != nil {
		switch *scheme {
		case "always":
			m.scheme = prependAlways
		case "first":
			m.scheme = prependFirst
		case "never":
			m.scheme = prependNever
		default:
			return m, fmt.Errorf("%s.prepend_scheme: %q is not always, first or never", field, *scheme)
		}
	}
	if addPrefix != nil && !*addPrefix {
		if m.scheme != prependNever {
			return m, fmt.Errorf("%s: add_prefix_space false does not match prepend_scheme", field)
		}
	}
	return m, nil
}
