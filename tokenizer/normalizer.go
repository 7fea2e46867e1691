package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// normalizer rewrites text before pre-tokenization, as tokenizer.json's
// "normalizer". Offsets are not tracked: this package returns ids only.
type normalizer interface {
	normalize(s string) string
}

type unicodeForm struct{ form norm.Form }

func (n unicodeForm) normalize(s string) string { return n.form.String(s) }

// lowercase maps each character as Rust's char::to_lowercase does (Hugging
// Face lowercases character by character): the simple mapping, except that
// 'İ' becomes "i̇", the one unconditional multi-character lowercase mapping.
// Σ is always σ (no final-sigma rule, which needs context).
type lowercase struct{}

func (lowercase) normalize(s string) string {
	return strings.Map(unicode.ToLower, strings.ReplaceAll(s, "İ", "i\u0307"))
}

// prepend puts a string in front of non-empty text (Llama-2's "▁").
type prepend struct{ s string }

func (p prepend) normalize(s string) string {
	if s == "" {
		return s
	}
	return p.s + s
}

type replace struct {
	pat     pattern
	content string
}

func (r replace) normalize(s string) string { return r.pat.replace(s, r.content) }

// strip removes leading and/or trailing whitespace (White_Space, as
// Rust's char::is_whitespace).
type strip struct{ left, right bool }

func (st strip) normalize(s string) string {
	if st.left {
		s = strings.TrimLeftFunc(s, unicode.IsSpace)
	}
	if st.right {
		s = strings.TrimRightFunc(s, unicode.IsSpace)
	}
	return s
}

type normalizerSequence []normalizer

func (seq normalizerSequence) normalize(s string) string {
	for _, n := range seq {
		s = n.normalize(s)
	}
	return s
}

// parseNormalizer reads the "normalizer" object (nil for null).
func parseNormalizer(raw json.RawMessage, field string) (normalizer, error) {
	if isNull(raw) {
		return nil, nil
	}
	var h struct {
		Type        string            `json:"type"`
		Normalizers []json.RawMessage `json:"normalizers"`
		Prepend     *string           `json:"prepend"`
		Pattern     json.RawMessage   `json:"pattern"`
		Content     *string           `json:"content"`
		StripLeft   bool              `json:"strip_left"`
		StripRight  bool              `json:"strip_right"`
	}
	if err := decodeField(raw, field, &h); err != nil {
		return nil, err
	}
	switch h.Type {
	case "NFC":
		return unicodeForm{norm.NFC}, nil
	case "NFD":
		return unicodeForm{norm.NFD}, nil
	case "NFKC":
		return unicodeForm{norm.NFKC}, nil
	case "NFKD":
		return unicodeForm{norm.NFKD}, nil
	case "Lowercase":
		return lowercase{}, nil
	case "Strip":
		return strip{h.StripLeft, h.StripRight}, nil
	case "Prepend":
		if h.Prepend == nil {
			return nil, fmt.Errorf("%s.prepend: missing", field)
		}
		return prepend{*h.Prepend}, nil
	case "Replace":
		pat, err := parsePattern(h.Pattern, field+".pattern")
		if err != nil {
			return nil, err
		}
		if h.Content == nil {
			return nil, fmt.Errorf("%s.content: missing", field)
		}
		return replace{pat, *h.Content}, nil
	case "Sequence":
		if h.Normalizers == nil {
			return nil, fmt.Errorf("%s.normalizers: missing", field)
		}
		var seq normalizerSequence
		for i, sub := range h.Normalizers {
			n, err := parseNormalizer(sub, fmt.Sprintf("%s.normalizers[%d]", field, i))
			if err != nil {
				return nil, err
			}
			if n == nil {
				return nil, fmt.Errorf("%s.normalizers[%d]: null", field, i)
			}
			seq = append(seq, n)
		}
		return seq, nil
	}
	return nil, fmt.Errorf("%s: type %q is not supported (supported: NFC, NFD, NFKC, NFKD, Lowercase, Strip, Prepend, Replace, Sequence)", field, h.Type)
}
