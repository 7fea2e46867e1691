package tokenizer

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// pattern is what Split, Replace and the Replace decoder search for: a
// literal string or a regex, written {"String": "..."} or {"Regex": "..."}.
type pattern struct {
	literal string // when re is nil
	re      *Regex
}

// parsePattern reads a pattern object; field names it in errors.
func parsePattern(raw json.RawMessage, field string) (pattern, error) {
	var p struct {
		String *string `json:"String"`
		Regex  *string `json:"Regex"`
	}
	if err := decodeField(raw, field, &p); err != nil {
		return pattern{}, err
	}
	switch {
	case p.String != nil && p.Regex != nil:
		return pattern{}, fmt.Errorf("%s: give String or Regex, not both", field)
	case p.String != nil:
		if *p.String == "" {
			// Hugging Face mishandles an empty literal (its offsets
			// count characters, not bytes); no real file has one.
			return pattern{}, fmt.Errorf("%s.String: an empty pattern is not supported", field)
		}
		return pattern{literal: *p.String}, nil
	case p.Regex != nil:
		re, err := CompileRegex(*p.Regex)
		if err != nil {
			return pattern{}, fmt.Errorf("%s.Regex: %w", field, err)
		}
		return pattern{re: re}, nil
	}
	return pattern{}, errors.New(field + `: want {"String": ...} or {"Regex": ...}`)
}

// findAll calls yield for each non-overlapping match, left to right. A
// literal is searched like Rust's regex::escape(literal) (leftmost,
// non-overlapping), which is what Hugging Face does with a String pattern.
func (p pattern) findAll(s string, yield func(start, end int)) {
	if p.re != nil {
		p.re.FindAll(s, yield)
		return
	}
	for i := 0; ; {
		j := strings.Index(s[i:], p.literal)
		if j < 0 {
			return
		}
		yield(i+j, i+j+len(p.literal))
		i += j + len(p.literal)
	}
}

// span is a part of a string, and whether it is a match of the pattern.
type span struct {
	start, end int
	match      bool
}

// spans tiles s with matches and the text between them, as Hugging Face's
// Pattern::find_matches: an empty s gives one empty non-match.
func (p pattern) spans(s string, dst []span) []span {
	if s == "" {
		return append(dst, span{})
	}
	prev := 0
	p.findAll(s, func(start, end int) {
		if prev != start {
			dst = append(dst, span{prev, start, false})
		}
		dst = append(dst, span{start, end, true})
		prev = end
	})
	if prev != len(s) {
		dst = append(dst, span{prev, len(s), false})
	}
	return dst
}

// replace substitutes content for every match.
func (p pattern) replace(s, content string) string {
	if p.re == nil {
		return strings.ReplaceAll(s, p.literal, content)
	}
	var b strings.Builder
	prev := 0
	p.re.FindAll(s, func(start, end int) {
		b.WriteString(s[prev:start])
		b.WriteString(content)
		prev = end
	})
	if prev == 0 && b.Len() == 0 {
		return s
	}
	b.WriteString(s[prev:])
	return b.String()
}

// splitBehavior is what a split does with the delimiters (the matches).
type splitBehavior uint8

const (
	splitRemoved            splitBehavior = iota // dropped
	splitIsolated                                // pieces of their own
	splitMergedWithPrevious                      // appended to the piece before
	splitMergedWithNext                          // prepended to the piece after
	splitContiguous                              // adjacent delimiters become one piece
)

var splitBehaviors = map[string]splitBehavior{
	"Removed": splitRemoved, "Isolated": splitIsolated, "MergedWithPrevious": splitMergedWithPrevious,
	"MergedWithNext": splitMergedWithNext, "Contiguous": splitContiguous,
}

// applyBehavior turns the spans of a find_matches into the pieces to keep
// (spans with match false), following Hugging Face's
// NormalizedString::split. Its quirks are kept: a delimiter is merged only
// into a non-delimiter neighbour, so in "a,,b" split on ',' with
// MergedWithPrevious the second ',' stands alone.
func applyBehavior(spans []span, b splitBehavior) []span {
	switch b {
	case splitRemoved:
		out := spans[:0]
		for _, s := range spans {
			if !s.match {
				out = append(out, s)
			}
		}
		return out
	case splitIsolated:
		for i := range spans {
			spans[i].match = false
		}
		return spans
	case splitContiguous:
		out := spans[:0]
		prevMatch := false
		for _, s := range spans {
			if s.match == prevMatch && len(out) > 0 {
				out[len(out)-1].end = s.end
			} else {
				out = append(out, span{s.start, s.end, false})
			}
			prevMatch = s.match
		}
		return out
	case splitMergedWithPrevious:
		out := spans[:0]
		prevMatch := false
		for _, s := range spans {
			if s.match && !prevMatch && len(out) > 0 {
				out[len(out)-1].end = s.end
			} else {
				out = append(out, span{s.start, s.end, false})
			}
			prevMatch = s.match
		}
		return out
	case splitMergedWithNext:
		// The same fold from the right, written into the tail of spans
		// and moved to the front.
		w := len(spans)
		prevMatch := false
		for i := len(spans) - 1; i >= 0; i-- {
			s := spans[i]
			if s.match && !prevMatch && w < len(spans) {
				spans[w].start = s.start
			} else {
				w--
				spans[w] = span{s.start, s.end, false}
			}
			prevMatch = s.match
		}
		n := copy(spans, spans[w:])
		return spans[:n]
	}
	panic("tokenizer: unknown split behaviour")
}
