package tokenizer

import (
	"encoding/json"
	"fmt"
	"strings"
)

// template is a TemplateProcessing "single" template: the ids it puts
// around the encoded text, e.g. Llama-3's <|begin_of_text|> before it.
// Pair templates only matter for encoding two sequences, which this
// package does not do.
type template struct {
	before, after []int32
}

func (tp template) apply(ids []int32) []int32 {
	out := make([]int32, 0, len(tp.before)+len(ids)+len(tp.after))
	out = append(out, tp.before...)
	out = append(out, ids...)
	return append(out, tp.after...)
}

// parsePostProcessor reads the "post_processor" object: null, ByteLevel
// (it only adjusts offsets), TemplateProcessing, or a Sequence of these.
func parsePostProcessor(raw json.RawMessage, field string) ([]template, error) {
	if isNull(raw) {
		return nil, nil
	}
	var h struct {
		Type          string            `json:"type"`
		Processors    []json.RawMessage `json:"processors"`
		Single        json.RawMessage   `json:"single"`
		SpecialTokens map[string]struct {
			IDs []int32 `json:"ids"`
		} `json:"special_tokens"`
	}
	if err := decodeField(raw, field, &h); err != nil {
		return nil, err
	}
	switch h.Type {
	case "ByteLevel":
		return nil, nil
	case "Sequence":
		if h.Processors == nil {
			return nil, fmt.Errorf("%s.processors: missing", field)
		}
		var out []template
		for i, sub := range h.Processors {
			tps, err := parsePostProcessor(sub, fmt.Sprintf("%s.processors[%d]", field, i))
			if err != nil {
				return nil, err
			}
			out = append(out, tps...)
		}
		return out, nil
	case "TemplateProcessing":
		pieces, err := parseTemplate(h.Single, field+".single")
		if err != nil {
			return nil, err
		}
		var tp template
		seen := false
		for i, p := range pieces {
			if p.sequence {
				if seen {
					return nil, fmt.Errorf("%s.single[%d]: the sequence appears twice", field, i)
				}
				seen = true
				continue
			}
			st, ok := h.SpecialTokens[p.special]
			if !ok {
				return nil, fmt.Errorf("%s.special_tokens: missing %q, used by single[%d]", field, p.special, i)
			}
			if seen {
				tp.after = append(tp.after, st.IDs...)
			} else {
				tp.before = append(tp.before, st.IDs...)
			}
		}
		if !seen {
			return nil, fmt.Errorf("%s.single: no $A sequence", field)
		}
		return []template{tp}, nil
	}
	return nil, fmt.Errorf("%s: type %q is not supported (supported: ByteLevel, TemplateProcessing, Sequence)", field, h.Type)
}

// templatePiece is $A (sequence) or a special token's name.
type templatePiece struct {
	sequence bool
	special  string
}

// parseTemplate reads a template: a list of {"Sequence": {"id": "A", ...}}
// and {"SpecialToken": {"id": "<s>", ...}} objects, or of strings in the
// "$A" / "<s>" shorthand, or one space-separated string.
func parseTemplate(raw json.RawMessage, field string) ([]templatePiece, error) {
	var list []json.RawMessage
	var whole string
	if json.Unmarshal(raw, &whole) == nil {
		for _, s := range strings.Split(whole, " ") {
			b, _ := json.Marshal(s)
			list = append(list, b)
		}
	} else if err := decodeField(raw, field, &list); err != nil {
		return nil, err
	}
	var out []templatePiece
	for i, item := range list {
		f := fmt.Sprintf("%s[%d]", field, i)
		var s string
		if json.Unmarshal(item, &s) == nil {
			p, err := shorthandPiece(s, f)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
			continue
		}
		var obj struct {
			Sequence *struct {
				ID string `json:"id"`
			} `json:"Sequence"`
			SpecialToken *struct {
				ID string `json:"id"`
			} `json:"SpecialToken"`
		}
		if err := decodeField(item, f, &obj); err != nil {
			return nil, err
		}
		switch {
		case obj.Sequence != nil && obj.SpecialToken == nil:
			if obj.Sequence.ID != "A" {
				return nil, fmt.Errorf("%s.Sequence.id: %q in a single-sequence template", f, obj.Sequence.ID)
			}
			out = append(out, templatePiece{sequence: true})
		case obj.SpecialToken != nil && obj.Sequence == nil:
			out = append(out, templatePiece{special: obj.SpecialToken.ID})
		default:
			return nil, fmt.Errorf("%s: want a Sequence or a SpecialToken", f)
		}
	}
	return out, nil
}

// shorthandPiece reads "$A", "$", "$0" (type ids after ':' are ignored)
// or a special token's name.
func shorthandPiece(s, field string) (templatePiece, error) {
	name, _, _ := strings.Cut(s, ":")
	if !strings.HasPrefix(name, "$") {
		return templatePiece{special: name}, nil
	}
	switch rest := name[1:]; {
	case rest == "" || rest == "A" || rest == "a" || strings.Trim(rest, "0123456789") == "":
		return templatePiece{sequence: true}, nil
	}
	return templatePiece{}, fmt.Errorf("%s: %q is not $A in a single-sequence template", field, s)
}
