package jinja

import (
	"fmt"
	"strings"
	"unicode"
)

// mutators are the methods Jinja2's immutable sandbox refuses.
var mutators = map[string]bool{
	"append": true, "extend": true, "insert": true, "pop": true, "remove": true,
	"clear": true, "sort": true, "reverse": true, "update": true, "setdefault": true,
	"popitem": true, "add": true, "discard": true,
}

func bound(name string, f func(r *renderer, args []Value, kw *Dict) (Value, error)) *Func {
	return &Func{Name: name, Call: f}
}

// method returns v.name bound as a callable when v has such a method.
func method(v Value, name string, line int) (Value, bool, error) {
	if strings.HasPrefix(name, "_") {
		return nil, false, nil // private attributes are unsafe in the sandbox
	}
	switch v := v.(type) {
	case string:
		if f := strMethod(v, name); f != nil {
			return f, true, nil
		}
	case *Dict:
		if v.Namespace {
			break
		}
		if mutators[name] {
			return nil, false, errorf(line, "access to attribute '%s' of 'dict' object is unsafe", name)
		}
		if f := dictMethod(v, name); f != nil {
			return f, true, nil
		}
	case *List:
		if mutators[name] {
			return nil, false, errorf(line, "access to attribute '%s' of '%s' object is unsafe", name, typeName(v))
		}
	}
	return nil, false, nil
}

func dictMethod(d *Dict, name string) *Func {
	switch name {
	case "items":
		return bound(name, func(*renderer, []Value, *Dict) (Value, error) { return dictItems(d), nil })
	case "keys":
		return bound(name, func(*renderer, []Value, *Dict) (Value, error) {
			out := make([]Value, d.Len())
			for i, k := range d.keys {
				out[i] = k
			}
			return &List{Items: out}, nil
		})
	case "values":
		return bound(name, func(*renderer, []Value, *Dict) (Value, error) {
			out := make([]Value, d.Len())
			for i, k := range d.keys {
				out[i] = d.m[k]
			}
			return &List{Items: out}, nil
		})
	case "get":
		return bound(name, func(_ *renderer, args []Value, _ *Dict) (Value, error) {
			if len(args) < 1 || len(args) > 2 {
				return nil, fmt.Errorf("get expected 1 or 2 arguments, got %d", len(args))
			}
			if k, ok := args[0].(string); ok {
				if v, ok := d.Get(k); ok {
					return v, nil
				}
			}
			if len(args) == 2 {
				return args[1], nil
			}
			return nil, nil
		})
	}
	return nil
}

func strArg(args []Value, i int, method string) (string, error) {
	s, ok := args[i].(string)
	if !ok {
		return "", fmt.Errorf("%s: argument %d must be str, not %s", method, i+1, typeName(args[i]))
	}
	return s, nil
}

// strMethod returns Python's str methods that chat templates call.
func strMethod(s, name string) *Func {
	nargs := func(args []Value, lo, hi int) error {
		if len(args) < lo || len(args) > hi {
			return fmt.Errorf("%s() takes %d to %d arguments (%d given)", name, lo, hi, len(args))
		}
		return nil
	}
	switch name {
	case "strip", "lstrip", "rstrip":
		return bound(name, func(_ *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 0, 1); err != nil {
				return nil, err
			}
			var chars *string
			if len(args) == 1 && args[0] != nil {
				c, err := strArg(args, 0, name)
				if err != nil {
					return nil, err
				}
				chars = &c
			}
			return pyStrip(s, chars, name != "rstrip", name != "lstrip"), nil
		})
	case "startswith", "endswith":
		return bound(name, func(_ *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 1, 1); err != nil {
				return nil, err
			}
			cands := []Value{args[0]}
			if l, ok := args[0].(*List); ok && l.Tuple {
				cands = l.Items
			}
			for _, c := range cands {
				p, ok := c.(string)
				if !ok {
					return nil, fmt.Errorf("%s first arg must be str or a tuple of str, not %s", name, typeName(c))
				}
				if (name == "startswith" && strings.HasPrefix(s, p)) || (name == "endswith" && strings.HasSuffix(s, p)) {
					return true, nil
				}
			}
			return false, nil
		})
	case "split", "rsplit":
		return bound(name, func(r *renderer, args []Value, kw *Dict) (Value, error) {
			sep := arg(args, kw, 0, "sep", nil)
			limit := int64(-1)
			if m := arg(args, kw, 1, "maxsplit", nil); m != nil {
				n, ok := toIndex(m)
				if !ok {
					return nil, fmt.Errorf("%s: maxsplit must be an integer", name)
				}
				limit = n
			}
			var parts []string
			if sep == nil {
				parts = splitSpace(s, limit, name == "rsplit")
			} else {
				p, ok := sep.(string)
				if !ok {
					return nil, fmt.Errorf("must be str or None, not %s", typeName(sep))
				}
				if p == "" {
					return nil, fmt.Errorf("empty separator")
				}
				n := -1
				if limit >= 0 && limit < int64(len(s)) {
					n = int(limit) + 1
				}
				if name == "rsplit" && n > 0 {
					parts = rsplitN(s, p, n)
				} else {
					parts = strings.SplitN(s, p, n)
				}
			}
			out := make([]Value, len(parts))
			for i, p := range parts {
				out[i] = p
			}
			return &List{Items: out}, r.checkSize(len(out))
		})
	case "replace":
		return bound(name, func(r *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 2, 3); err != nil {
				return nil, err
			}
			old, err := strArg(args, 0, name)
			if err != nil {
				return nil, err
			}
			new, err := strArg(args, 1, name)
			if err != nil {
				return nil, err
			}
			count := int64(-1)
			if len(args) == 3 {
				n, ok := toIndex(args[2])
				if !ok {
					return nil, fmt.Errorf("replace: count must be an integer")
				}
				count = n
			}
			return r.replace(s, old, new, count)
		})
	case "upper", "lower", "title", "capitalize":
		f := map[string]func(string) string{"upper": strings.ToUpper, "lower": strings.ToLower, "title": pyTitle, "capitalize": capitalize}[name]
		return bound(name, func(_ *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 0, 0); err != nil {
				return nil, err
			}
			return f(s), nil
		})
	case "find", "count":
		return bound(name, func(_ *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 1, 1); err != nil {
				return nil, err
			}
			sub, err := strArg(args, 0, name)
			if err != nil {
				return nil, err
			}
			if name == "count" {
				if sub == "" {
					return int64(len([]rune(s)) + 1), nil
				}
				return int64(strings.Count(s, sub)), nil
			}
			i := strings.Index(s, sub)
			if i < 0 {
				return int64(-1), nil
			}
			return int64(len([]rune(s[:i]))), nil
		})
	case "join":
		return bound(name, func(r *renderer, args []Value, _ *Dict) (Value, error) {
			if err := nargs(args, 1, 1); err != nil {
				return nil, err
			}
			items, err := r.iterate(args[0], r.line)
			if err != nil {
				return nil, err
			}
			parts := make([]string, len(items))
			n := 0
			for i, it := range items {
				p, ok := it.(string)
				if !ok {
					return nil, fmt.Errorf("sequence item %d: expected str instance, %s found", i, typeName(it))
				}
				parts[i] = p
				n += len(p) + len(s)
			}
			if err := r.checkSize(n); err != nil {
				return nil, err
			}
			return strings.Join(parts, s), nil
		})
	}
	return nil
}

// splitSpace is Python's str.split()/rsplit() with no separator: runs of
// white space separate, and leading or trailing white space gives nothing.
func splitSpace(s string, limit int64, fromRight bool) []string {
	fields := strings.FieldsFunc(s, isSpace)
	if limit < 0 || int64(len(fields)) <= limit+1 {
		return fields
	}
	if fromRight {
		// keep the last limit fields; the rest, trimmed on the left only.
		rest := s
		var tail []string
		for i := 0; int64(i) < limit; i++ {
			rest = strings.TrimRightFunc(rest, isSpace)
			j := strings.LastIndexFunc(rest, isSpace)
			tail = append([]string{rest[j+1:]}, tail...)
			rest = rest[:j+1]
		}
		return append([]string{strings.TrimFunc(rest, isSpace)}, tail...)
	}
	var out []string
	rest := s
	for i := 0; int64(i) < limit; i++ {
		rest = strings.TrimLeftFunc(rest, isSpace)
		j := strings.IndexFunc(rest, isSpace)
		out = append(out, rest[:j])
		rest = rest[j:]
	}
	return append(out, strings.TrimLeftFunc(rest, isSpace))
}

func rsplitN(s, sep string, n int) []string {
	var out []string
	for len(out) < n-1 {
		i := strings.LastIndex(s, sep)
		if i < 0 {
			break
		}
		out = append([]string{s[i+len(sep):]}, out...)
		s = s[:i]
	}
	return append([]string{s}, out...)
}

// pyTitle is Python's str.title: a letter after a non-letter is upper-cased,
// other letters lower-cased.
func pyTitle(s string) string {
	var b strings.Builder
	prevCased := false
	for _, c := range s {
		if prevCased {
			b.WriteRune(unicode.ToLower(c))
		} else {
			b.WriteRune(unicode.ToTitle(c))
		}
		prevCased = unicode.IsLetter(c)
	}
	return b.String()
}
