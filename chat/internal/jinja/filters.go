package jinja

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// filterFunc applies a filter to v with its arguments.
type filterFunc func(r *renderer, v Value, args []Value, kw *Dict) (Value, error)

// filters are the Jinja2 filters this subset has, with tojson replaced by
// transformers' version. The parser refuses any other name.
var filters map[string]filterFunc

func init() {
	filters = map[string]filterFunc{
		"abs":        fAbs,
		"capitalize": strFilter(capitalize),
		"count":      fLength,
		"d":          fDefault,
		"default":    fDefault,
		"first":      fFirst,
		"float":      fFloat,
		"int":        fInt,
		"items":      fItems,
		"join":       fJoin,
		"last":       fLast,
		"length":     fLength,
		"list":       fList,
		"lower":      strFilter(strings.ToLower),
		"map":        fMap,
		"reject":     selectFilter(false, false),
		"rejectattr": selectFilter(false, true),
		"replace":    fReplace,
		"reverse":    fReverse,
		"safe":       func(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) { return v, nil },
		"select":     selectFilter(true, false),
		"selectattr": selectFilter(true, true),
		"string":     func(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) { return str(v), nil },
		"title":      strFilter(title),
		"tojson":     fToJSON,
		"trim":       fTrim,
		"upper":      strFilter(strings.ToUpper),
	}
}

// arg returns argument i, or its keyword name, or def.
func arg(args []Value, kw *Dict, i int, name string, def Value) Value {
	if i < len(args) {
		return args[i]
	}
	if v, ok := kw.Get(name); ok {
		return v
	}
	return def
}

func strFilter(f func(string) string) filterFunc {
	return func(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) { return f(str(v)), nil }
}

func capitalize(s string) string {
	rs := []rune(strings.ToLower(s))
	if len(rs) > 0 {
		rs[0] = unicode.ToUpper(rs[0])
	}
	return string(rs)
}

// title upper-cases the first letter of each word and lower-cases the
// rest, words starting after white space or one of -({[<, as Jinja2 does.
func title(s string) string {
	var b strings.Builder
	start := true
	for _, c := range s {
		if isSpace(c) || strings.ContainsRune("-({[<", c) {
			start = true
			b.WriteRune(c)
			continue
		}
		if start {
			b.WriteRune(unicode.ToUpper(c))
		} else {
			b.WriteRune(unicode.ToLower(c))
		}
		start = false
	}
	return b.String()
}

func fTrim(_ *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	var chars *string
	if c := arg(args, kw, 0, "chars", nil); c != nil {
		s := str(c)
		chars = &s
	}
	return pyStrip(str(v), chars, true, true), nil
}

func fLength(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	n, ok := length(v)
	if !ok {
		return nil, fmt.Errorf("object of type '%s' has no len()", typeName(v))
	}
	return int64(n), nil
}

func fDefault(_ *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	def := arg(args, kw, 0, "default_value", "")
	_, undef := v.(Undefined)
	if undef || (truth(arg(args, kw, 1, "boolean", false)) && !truth(v)) {
		return def, nil
	}
	return v, nil
}

// items lists what a filter walks, charging one step per item.
func (r *renderer) items(v Value) ([]Value, error) {
	items, err := r.iterate(v, r.line)
	if err == nil {
		err = r.charge(r.line, len(items))
	}
	return items, err
}

func fFirst(r *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return Undefined{Msg: "No first item, sequence was empty."}, nil
	}
	return items[0], nil
}

func fLast(r *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return Undefined{Msg: "No last item, sequence was empty."}, nil
	}
	return items[len(items)-1], nil
}

func fList(r *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	return &List{Items: append([]Value{}, items...)}, nil
}

func fReverse(r *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	if s, ok := v.(string); ok {
		rs := []rune(s)
		for i, j := 0, len(rs)-1; i < j; i, j = i+1, j-1 {
			rs[i], rs[j] = rs[j], rs[i]
		}
		return string(rs), nil
	}
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	out := make([]Value, len(items))
	for i, it := range items {
		out[len(items)-1-i] = it
	}
	return &List{Items: out}, nil
}

func fItems(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	switch d := v.(type) {
	case Undefined:
		return &List{}, nil
	case *Dict:
		if !d.Namespace {
			return dictItems(d), nil
		}
	}
	return nil, fmt.Errorf("can only get item pairs from a mapping")
}

func dictItems(d *Dict) *List {
	out := make([]Value, d.Len())
	for i, k := range d.keys {
		out[i] = &List{Items: []Value{k, d.m[k]}, Tuple: true}
	}
	return &List{Items: out}
}

func fJoin(r *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	sep := str(arg(args, kw, 0, "d", ""))
	attr := arg(args, kw, 1, "attribute", nil)
	parts := make([]string, len(items))
	n := 0
	for i, it := range items {
		if attr != nil {
			if it, err = r.getitem(it, attr, r.line); err != nil {
				return nil, err
			}
		}
		parts[i] = str(it)
		n += len(parts[i]) + len(sep)
	}
	if err := r.checkSize(n); err != nil {
		return nil, err
	}
	return strings.Join(parts, sep), nil
}

func fReplace(r *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	count := int64(-1)
	if c := arg(args, kw, 2, "count", nil); c != nil {
		n, ok := toIndex(c)
		if !ok {
			return nil, fmt.Errorf("replace: count must be an integer")
		}
		count = n
	}
	return r.replace(str(v), str(arg(args, kw, 0, "old", "")), str(arg(args, kw, 1, "new", "")), count)
}

// replace is Python's str.replace, with the result's size checked first.
func (r *renderer) replace(s, old, new string, count int64) (Value, error) {
	n := int64(strings.Count(s, old))
	if count >= 0 && count < n {
		n = count
	}
	if err := r.checkSize(len(s) + int(n)*(len(new)-len(old))); err != nil {
		return nil, err
	}
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return strings.Replace(s, old, new, int(n)), nil
}

func fAbs(_ *renderer, v Value, _ []Value, _ *Dict) (Value, error) {
	switch n := v.(type) {
	case bool:
		return boolInt(n), nil
	case int64:
		if n == math.MinInt64 {
			return nil, fmt.Errorf("integer overflow")
		}
		if n < 0 {
			return -n, nil
		}
		return n, nil
	case float64:
		return math.Abs(n), nil
	}
	return nil, fmt.Errorf("bad operand type for abs(): '%s'", typeName(v))
}

func fInt(_ *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	def := arg(args, kw, 0, "default", int64(0))
	switch n := v.(type) {
	case bool:
		return boolInt(n), nil
	case int64:
		return n, nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) || math.Abs(n) >= 1<<63 {
			return def, nil
		}
		return int64(n), nil
	case string:
		s := strings.ReplaceAll(strings.TrimSpace(n), "_", "")
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		if f, err := strconv.ParseFloat(s, 64); err == nil && math.Abs(f) < 1<<63 {
			return int64(f), nil
		}
	}
	return def, nil
}

func fFloat(_ *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	def := arg(args, kw, 0, "default", 0.0)
	switch n := v.(type) {
	case bool:
		return float64(boolInt(n)), nil
	case int64:
		return float64(n), nil
	case float64:
		return n, nil
	case string:
		if f, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err == nil {
			return f, nil
		}
	}
	return def, nil
}

func fToJSON(r *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	var indent *string
	switch n := arg(args, kw, 1, "indent", nil).(type) {
	case nil:
	case int64:
		s := strings.Repeat(" ", int(max(n, 0)))
		indent = &s
	case string:
		indent = &n
	default:
		return nil, fmt.Errorf("tojson: indent must be an integer or a string")
	}
	o := newJSONOptions(indent)
	o.ensureASCII = truth(arg(args, kw, 0, "ensure_ascii", false))
	if seps := arg(args, kw, 2, "separators", nil); seps != nil {
		l, ok := seps.(*List)
		if !ok || len(l.Items) != 2 {
			return nil, fmt.Errorf("tojson: separators must be a pair of strings")
		}
		o.itemSep, o.kvSep = str(l.Items[0]), str(l.Items[1])
	}
	o.sortKeys = truth(arg(args, kw, 3, "sort_keys", false))
	for _, k := range kw.Keys() {
		switch k {
		case "ensure_ascii", "indent", "separators", "sort_keys":
		default:
			return nil, fmt.Errorf("tojson() got an unexpected keyword argument '%s'", k)
		}
	}
	return r.toJSON(v, o)
}

// fMap supports map(attribute=name[, default=x]) and map(filtername, args).
func fMap(r *renderer, v Value, args []Value, kw *Dict) (Value, error) {
	items, err := r.items(v)
	if err != nil {
		return nil, err
	}
	out := make([]Value, len(items))
	if attr, ok := kw.Get("attribute"); ok {
		def, hasDef := kw.Get("default")
		for i, it := range items {
			x, err := r.getitem(it, attr, r.line)
			if err != nil {
				return nil, err
			}
			if _, undef := x.(Undefined); undef && hasDef {
				x = def
			}
			out[i] = x
		}
		return &List{Items: out}, nil
	}
	if len(args) == 0 {
		return nil, fmt.Errorf("map: give a filter name or attribute=")
	}
	name, _ := args[0].(string)
	f, ok := filters[name]
	if !ok {
		return nil, fmt.Errorf("map: filter %q is not supported", name)
	}
	for i, it := range items {
		if out[i], err = f(r, it, args[1:], kw); err != nil {
			return nil, err
		}
	}
	return &List{Items: out}, nil
}

// selectFilter builds select/reject (keep items passing a test, or
// failing it) and selectattr/rejectattr (the same on an attribute).
func selectFilter(keep, attr bool) filterFunc {
	return func(r *renderer, v Value, args []Value, kw *Dict) (Value, error) {
		items, err := r.items(v)
		if err != nil {
			return nil, err
		}
		var attrName Value
		if attr {
			if len(args) == 0 {
				return nil, fmt.Errorf("missing attribute name")
			}
			attrName, args = args[0], args[1:]
		}
		var test testFunc
		var targs []Value
		if len(args) > 0 {
			name, _ := args[0].(string)
			t, ok := tests[name]
			if !ok {
				return nil, fmt.Errorf("no test named %q", name)
			}
			test, targs = t, args[1:]
		}
		var out []Value
		for _, it := range items {
			x := it
			if attr {
				if x, err = r.getitem(it, attrName, r.line); err != nil {
					return nil, err
				}
			}
			pass := truth(x)
			if test != nil {
				if pass, err = test(r, x, targs); err != nil {
					return nil, err
				}
			}
			if pass == keep {
				out = append(out, it)
			}
		}
		return &List{Items: out}, nil
	}
}

func (r *renderer) evalFilter(x *filterExpr, f *frame) (Value, error) {
	v, err := r.eval(x.x, f)
	if err != nil {
		return nil, err
	}
	args, kw, err := r.evalArgs(x.args, x.kw, f)
	if err != nil {
		return nil, err
	}
	r.line = x.line
	out, err := filters[x.name](r, v, args, kw)
	if err != nil {
		return nil, lineErr(err, x.line)
	}
	return out, nil
}
