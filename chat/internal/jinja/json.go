package jinja

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// jsonOptions are the arguments of transformers' tojson filter, which calls
// json.dumps(x, ensure_ascii=False, indent=indent, separators=separators,
// sort_keys=sort_keys): unlike Jinja2's own tojson it escapes no HTML.
type jsonOptions struct {
	ensureASCII    bool
	indent         *string // nil: one line
	itemSep, kvSep string
	sortKeys       bool
}

func newJSONOptions(indent *string) jsonOptions {
	o := jsonOptions{indent: indent, itemSep: ", ", kvSep: ": "}
	if indent != nil {
		o.itemSep = ","
	}
	return o
}

// toJSON is Python's json.dumps with the options above.
func (r *renderer) toJSON(v Value, o jsonOptions) (string, error) {
	var b strings.Builder
	if err := r.writeJSON(&b, v, o, 0); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (r *renderer) writeJSON(b *strings.Builder, v Value, o jsonOptions, level int) error {
	if level > maxDepth {
		return fmt.Errorf("tojson: nesting deeper than %d", maxDepth)
	}
	if err := r.checkSize(b.Len()); err != nil {
		return err
	}
	newline := func(l int) {
		if o.indent != nil {
			b.WriteByte('\n')
			for i := 0; i < l; i++ {
				b.WriteString(*o.indent)
			}
		}
	}
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		switch {
		case math.IsNaN(v):
			b.WriteString("NaN")
		case math.IsInf(v, 1):
			b.WriteString("Infinity")
		case math.IsInf(v, -1):
			b.WriteString("-Infinity")
		default:
			b.WriteString(floatRepr(v))
		}
	case string:
		writeJSONString(b, v, o.ensureASCII)
	case *List:
		if len(v.Items) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		for i, it := range v.Items {
			if i > 0 {
				b.WriteString(o.itemSep)
			}
			newline(level + 1)
			if err := r.writeJSON(b, it, o, level+1); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte(']')
	case *Dict:
		if v.Namespace {
			return fmt.Errorf("Object of type Namespace is not JSON serializable")
		}
		if v.Len() == 0 {
			b.WriteString("{}")
			return nil
		}
		keys := v.keys
		if o.sortKeys {
			keys = append([]string(nil), keys...)
			sort.Strings(keys)
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(o.itemSep)
			}
			newline(level + 1)
			writeJSONString(b, k, o.ensureASCII)
			b.WriteString(o.kvSep)
			if err := r.writeJSON(b, v.m[k], o, level+1); err != nil {
				return err
			}
		}
		newline(level)
		b.WriteByte('}')
	default:
		return fmt.Errorf("Object of type %s is not JSON serializable", typeName(v))
	}
	return nil
}

// writeJSONString escapes as Python's json module: the two-character
// escapes, \u00XX for other control characters, and with ensureASCII
// \uXXXX (surrogate pairs above U+FFFF) for everything outside ASCII.
func writeJSONString(b *strings.Builder, s string, ensureASCII bool) {
	b.WriteByte('"')
	for _, c := range s {
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			switch {
			case c < 0x20 || (ensureASCII && c >= 0x7f && c < 0x10000):
				fmt.Fprintf(b, `\u%04x`, c)
			case ensureASCII && c >= 0x10000:
				c -= 0x10000
				fmt.Fprintf(b, `\u%04x\u%04x`, 0xd800+(c>>10), 0xdc00+(c&0x3ff))
			default:
				b.WriteRune(c)
			}
		}
	}
	b.WriteByte('"')
}
