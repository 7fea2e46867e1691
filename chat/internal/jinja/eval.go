package jinja

import (
	"math"
	"strings"
)

func (r *renderer) eval(x expr, f *frame) (Value, error) {
	r.line = x.exprLine()
	switch x := x.(type) {
	case *constExpr:
		return x.v, nil
	case *nameExpr:
		if v, ok := f.lookup(x.name); ok {
			return v, nil
		}
		return Undefined{Msg: "'" + x.name + "' is undefined"}, nil
	case *listExpr:
		items := make([]Value, len(x.items))
		for i, it := range x.items {
			v, err := r.eval(it, f)
			if err != nil {
				return nil, err
			}
			items[i] = v
		}
		return &List{Items: items, Tuple: x.tuple}, nil
	case *dictExpr:
		d := NewDict()
		for i := range x.keys {
			k, err := r.eval(x.keys[i], f)
			if err != nil {
				return nil, err
			}
			ks, ok := k.(string)
			if !ok {
				return nil, errorf(x.line, "dict keys must be strings here, not %s", typeName(k))
			}
			v, err := r.eval(x.vals[i], f)
			if err != nil {
				return nil, err
			}
			d.Set(ks, v)
		}
		return d, nil
	case *attrExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		return r.getattr(v, x.name, x.line)
	case *itemExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		i, err := r.eval(x.i, f)
		if err != nil {
			return nil, err
		}
		return r.getitem(v, i, x.line)
	case *sliceExpr:
		return r.evalSlice(x, f)
	case *callExpr:
		return r.evalCall(x, f)
	case *filterExpr:
		return r.evalFilter(x, f)
	case *testExpr:
		return r.evalTest(x, f)
	case *unaryExpr:
		v, err := r.eval(x.x, f)
		if err != nil {
			return nil, err
		}
		return r.unaryOp(x.op, v, x.line)
	case *binExpr:
		a, err := r.eval(x.a, f)
		if err != nil {
			return nil, err
		}
		switch x.op { // and/or return an operand, as in Python
		case "and":
			if !truth(a) {
				return a, nil
			}
			return r.eval(x.b, f)
		case "or":
			if truth(a) {
				return a, nil
			}
			return r.eval(x.b, f)
		}
		b, err := r.eval(x.b, f)
		if err != nil {
			return nil, err
		}
		r.line = x.line
		return r.binOp(x.op, a, b, x.line)
	case *compareExpr:
		a, err := r.eval(x.first, f)
		if err != nil {
			return nil, err
		}
		for i, op := range x.ops {
			b, err := r.eval(x.rest[i], f)
			if err != nil {
				return nil, err
			}
			ok, err := r.compare(op, a, b, x.line)
			if err != nil || !ok {
				return false, err
			}
			a = b
		}
		return true, nil
	case *condExpr:
		c, err := r.eval(x.cond, f)
		if err != nil {
			return nil, err
		}
		if truth(c) {
			return r.eval(x.a, f)
		}
		if x.b == nil {
			return Undefined{Msg: "the inline if-expression evaluated to false and no else section was defined"}, nil
		}
		return r.eval(x.b, f)
	}
	return nil, errorf(x.exprLine(), "unknown expression %T", x)
}

func undefinedErr(u Undefined, line int) error { return errorf(line, "%s", u.Msg) }

// getattr is Jinja2's x.name: an attribute (a method) first, then an item.
func (r *renderer) getattr(v Value, name string, line int) (Value, error) {
	if u, ok := v.(Undefined); ok {
		return nil, undefinedErr(u, line)
	}
	if m, ok, err := method(v, name, line); ok || err != nil {
		return m, err
	}
	switch d := v.(type) {
	case *Dict:
		if x, ok := d.Get(name); ok {
			return x, nil
		}
	case *Loop:
		if x, ok := d.attr(name); ok {
			return x, nil
		}
	}
	return Undefined{Msg: objName(v) + " has no attribute '" + name + "'"}, nil
}

func objName(v Value) string {
	if v == nil {
		return "'None'"
	}
	return "'" + typeName(v) + " object'"
}

// getitem is Jinja2's x[i]: an item first, then an attribute.
func (r *renderer) getitem(v Value, i Value, line int) (Value, error) {
	switch v := v.(type) {
	case Undefined:
		return nil, undefinedErr(v, line)
	case *Dict:
		if k, ok := i.(string); ok {
			if x, ok := v.Get(k); ok && !v.Namespace {
				return x, nil
			}
		}
	case *List:
		if n, ok := toIndex(i); ok {
			if n < 0 {
				n += int64(len(v.Items))
			}
			if n >= 0 && n < int64(len(v.Items)) {
				return v.Items[n], nil
			}
			return Undefined{Msg: typeName(v) + " object has no element " + repr(i)}, nil
		}
	case string:
		if n, ok := toIndex(i); ok {
			rs := []rune(v)
			if n < 0 {
				n += int64(len(rs))
			}
			if n >= 0 && n < int64(len(rs)) {
				return string(rs[n]), nil
			}
			return Undefined{Msg: "str object has no element " + repr(i)}, nil
		}
	}
	if name, ok := i.(string); ok {
		return r.getattr(v, name, line)
	}
	return Undefined{Msg: objName(v) + " has no attribute " + repr(i)}, nil
}

func toIndex(v Value) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

func (r *renderer) evalSlice(x *sliceExpr, f *frame) (Value, error) {
	v, err := r.eval(x.x, f)
	if err != nil {
		return nil, err
	}
	var bounds [3]*int64
	for i, e := range []expr{x.lo, x.hi, x.stp} {
		if e == nil {
			continue
		}
		b, err := r.eval(e, f)
		if err != nil {
			return nil, err
		}
		if b == nil {
			continue
		}
		n, ok := toIndex(b)
		if !ok {
			return nil, errorf(x.line, "slice indices must be integers or None")
		}
		bounds[i] = &n
	}
	var n int
	var pick func(idx []int) Value
	switch v := v.(type) {
	case Undefined:
		return nil, undefinedErr(v, x.line)
	case *List:
		n = len(v.Items)
		pick = func(idx []int) Value {
			out := make([]Value, len(idx))
			for i, j := range idx {
				out[i] = v.Items[j]
			}
			return &List{Items: out, Tuple: v.Tuple}
		}
	case string:
		rs := []rune(v)
		n = len(rs)
		pick = func(idx []int) Value {
			out := make([]rune, len(idx))
			for i, j := range idx {
				out[i] = rs[j]
			}
			return string(out)
		}
	default:
		return nil, errorf(x.line, "'%s' object is not subscriptable", typeName(v))
	}
	idx, err := sliceIndices(n, bounds, x.line)
	if err == nil {
		err = r.charge(x.line, len(idx))
	}
	if err != nil {
		return nil, err
	}
	return pick(idx), nil
}

// sliceIndices is Python's slice.indices, listing the picked positions.
func sliceIndices(n int, b [3]*int64, line int) ([]int, error) {
	step := int64(1)
	if b[2] != nil {
		step = *b[2]
	}
	if step == 0 {
		return nil, errorf(line, "slice step cannot be zero")
	}
	clamp := func(p *int64, def int64) int64 {
		if p == nil {
			return def
		}
		v := *p
		if v < 0 {
			v += int64(n)
			if v < 0 {
				if step < 0 {
					return -1
				}
				return 0
			}
		}
		if v >= int64(n) {
			if step < 0 {
				return int64(n) - 1
			}
			return int64(n)
		}
		return v
	}
	var lo, hi int64
	if step > 0 {
		lo, hi = clamp(b[0], 0), clamp(b[1], int64(n))
	} else {
		lo, hi = clamp(b[0], int64(n)-1), clamp(b[1], -1)
		if b[1] != nil && *b[1] < 0 && *b[1]+int64(n) < 0 {
			hi = -1
		}
	}
	var idx []int
	for i := lo; (step > 0 && i < hi) || (step < 0 && i > hi); i += step {
		idx = append(idx, int(i))
	}
	return idx, nil
}

func (r *renderer) evalArgs(args []expr, kw []kwArg, f *frame) ([]Value, *Dict, error) {
	vals := make([]Value, len(args))
	for i, a := range args {
		v, err := r.eval(a, f)
		if err != nil {
			return nil, nil, err
		}
		vals[i] = v
	}
	kws := NewDict()
	for _, k := range kw {
		v, err := r.eval(k.x, f)
		if err != nil {
			return nil, nil, err
		}
		kws.Set(k.name, v)
	}
	return vals, kws, nil
}

func (r *renderer) evalCall(x *callExpr, f *frame) (Value, error) {
	fn, err := r.eval(x.fn, f)
	if err != nil {
		return nil, err
	}
	args, kw, err := r.evalArgs(x.args, x.kw, f)
	if err != nil {
		return nil, err
	}
	r.line = x.line
	switch fn := fn.(type) {
	case Undefined:
		return nil, undefinedErr(fn, x.line)
	case *Func:
		v, err := fn.Call(r, args, kw)
		if err != nil {
			return nil, lineErr(err, x.line)
		}
		return v, nil
	}
	return nil, errorf(x.line, "'%s' object is not callable", typeName(fn))
}

// lineErr gives a plain error from a builtin the line it happened on.
func lineErr(err error, line int) error {
	switch err.(type) {
	case *Error, *RaiseError, *LimitError:
		return err
	}
	return &Error{Line: line, Msg: err.Error()}
}

func (r *renderer) unaryOp(op string, v Value, line int) (Value, error) {
	if op == "not" {
		return !truth(v), nil
	}
	if u, ok := v.(Undefined); ok {
		return nil, undefinedErr(u, line)
	}
	switch n := v.(type) {
	case bool:
		v = boolInt(n)
	}
	switch n := v.(type) {
	case int64:
		if op == "-" {
			if n == math.MinInt64 {
				return nil, errorf(line, "integer overflow")
			}
			return -n, nil
		}
		return n, nil
	case float64:
		if op == "-" {
			return -n, nil
		}
		return n, nil
	}
	return nil, errorf(line, "bad operand type for unary %s: '%s'", op, typeName(v))
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// number converts bool, int and float operands; ok is false for others.
func number(v Value) (i int64, f float64, isFloat, ok bool) {
	switch v := v.(type) {
	case bool:
		return boolInt(v), 0, false, true
	case int64:
		return v, 0, false, true
	case float64:
		return 0, v, true, true
	}
	return 0, 0, false, false
}

func (r *renderer) binOp(op string, a, b Value, line int) (Value, error) {
	if op == "~" {
		s := str(a) + str(b)
		return s, r.checkSize(len(s))
	}
	if u, ok := a.(Undefined); ok {
		return nil, undefinedErr(u, line)
	}
	if u, ok := b.(Undefined); ok {
		return nil, undefinedErr(u, line)
	}
	ai, af, aFloat, aNum := number(a)
	bi, bf, bFloat, bNum := number(b)
	if aNum && bNum {
		return arith(op, ai, af, aFloat, bi, bf, bFloat, line)
	}
	switch op {
	case "+":
		switch a := a.(type) {
		case string:
			if b, ok := b.(string); ok {
				return a + b, r.checkSize(len(a) + len(b))
			}
			return nil, errorf(line, "can only concatenate str (not \"%s\") to str", typeName(b))
		case *List:
			if b, ok := b.(*List); ok && a.Tuple == b.Tuple {
				if err := r.checkSize(len(a.Items) + len(b.Items)); err != nil {
					return nil, err
				}
				return &List{Items: append(append([]Value{}, a.Items...), b.Items...), Tuple: a.Tuple}, nil
			}
		}
	case "*":
		return r.repeat(a, b, line)
	case "%":
		if _, ok := a.(string); ok {
			return nil, errorf(line, "printf-style string formatting is not supported")
		}
	}
	return nil, errorf(line, "unsupported operand type(s) for %s: '%s' and '%s'", op, typeName(a), typeName(b))
}

// repeat is Python's sequence * int (either order).
func (r *renderer) repeat(a, b Value, line int) (Value, error) {
	seq, count := a, b
	if _, _, _, ok := number(a); ok {
		seq, count = b, a
	}
	n, _, isFloat, ok := number(count)
	if !ok || isFloat {
		return nil, errorf(line, "can't multiply sequence by non-int of type '%s'", typeName(count))
	}
	if n < 0 {
		n = 0
	}
	switch s := seq.(type) {
	case string:
		if len(s) > 0 && n > int64(r.lim.MaxOutput/len(s)) {
			return nil, r.checkSize(r.lim.MaxOutput + 1)
		}
		if err := r.checkSize(len(s) * int(n)); err != nil {
			return nil, err
		}
		return strings.Repeat(s, int(n)), nil
	case *List:
		if len(s.Items) > 0 && n > int64(r.lim.MaxOutput/len(s.Items)) {
			return nil, r.checkSize(r.lim.MaxOutput + 1)
		}
		if err := r.charge(line, len(s.Items)*int(n)); err != nil {
			return nil, err
		}
		out := make([]Value, 0, len(s.Items)*int(n))
		for i := int64(0); i < n; i++ {
			out = append(out, s.Items...)
		}
		return &List{Items: out, Tuple: s.Tuple}, nil
	}
	return nil, errorf(line, "unsupported operand type(s) for *: '%s' and '%s'", typeName(a), typeName(b))
}

func arith(op string, ai int64, af float64, aFloat bool, bi int64, bf float64, bFloat bool, line int) (Value, error) {
	if !aFloat && !bFloat {
		a, b := ai, bi
		switch op {
		case "+":
			s := a + b
			if (s > a) != (b > 0) {
				return nil, errorf(line, "integer overflow")
			}
			return s, nil
		case "-":
			s := a - b
			if (s < a) != (b > 0) {
				return nil, errorf(line, "integer overflow")
			}
			return s, nil
		case "*":
			if a != 0 && b != 0 {
				s := a * b
				if s/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
					return nil, errorf(line, "integer overflow")
				}
				return s, nil
			}
			return int64(0), nil
		case "/":
			if b == 0 {
				return nil, errorf(line, "division by zero")
			}
			return float64(a) / float64(b), nil
		case "//", "%":
			if b == 0 {
				return nil, errorf(line, "integer division or modulo by zero")
			}
			if a == math.MinInt64 && b == -1 {
				return nil, errorf(line, "integer overflow")
			}
			q, m := a/b, a%b
			if m != 0 && (m < 0) != (b < 0) { // floor, as Python
				q--
				m += b
			}
			if op == "//" {
				return q, nil
			}
			return m, nil
		case "**":
			if b < 0 {
				return math.Pow(float64(a), float64(b)), nil
			}
			p := int64(1)
			for i := int64(0); i < b; i++ {
				np := p * a
				if a != 0 && np/a != p {
					return nil, errorf(line, "integer overflow")
				}
				p = np
				if p == 0 || p == 1 && a == 1 {
					break
				}
			}
			if a == -1 {
				if b%2 == 1 {
					return int64(-1), nil
				}
				return int64(1), nil
			}
			return p, nil
		}
	}
	a, b := af, bf
	if !aFloat {
		a = float64(ai)
	}
	if !bFloat {
		b = float64(bi)
	}
	switch op {
	case "+":
		return a + b, nil
	case "-":
		return a - b, nil
	case "*":
		return a * b, nil
	case "/":
		if b == 0 {
			return nil, errorf(line, "float division by zero")
		}
		return a / b, nil
	case "//", "%":
		if b == 0 {
			return nil, errorf(line, "float modulo")
		}
		m := math.Mod(a, b)
		if m != 0 && (m < 0) != (b < 0) {
			m += b
		}
		if op == "%" {
			return m, nil
		}
		return math.Floor((a - m) / b), nil
	case "**":
		if a == 0 && b < 0 {
			return nil, errorf(line, "0.0 cannot be raised to a negative power")
		}
		return math.Pow(a, b), nil
	}
	return nil, errorf(line, "unknown operator %s", op)
}

// equal is Python's ==.
func equal(a, b Value) bool {
	ai, af, aFloat, aNum := number(a)
	bi, bf, bFloat, bNum := number(b)
	if aNum && bNum {
		switch {
		case !aFloat && !bFloat:
			return ai == bi
		case aFloat && bFloat:
			return af == bf
		case aFloat:
			return af == float64(bi)
		default:
			return float64(ai) == bf
		}
	}
	switch a := a.(type) {
	case nil:
		return b == nil
	case Undefined:
		_, ok := b.(Undefined)
		return ok
	case string:
		s, ok := b.(string)
		return ok && a == s
	case *List:
		l, ok := b.(*List)
		if !ok || l.Tuple != a.Tuple || len(l.Items) != len(a.Items) {
			return false
		}
		for i := range a.Items {
			if !equal(a.Items[i], l.Items[i]) {
				return false
			}
		}
		return true
	case *Dict:
		d, ok := b.(*Dict)
		if !ok || a.Namespace || d.Namespace {
			return a == d
		}
		if d.Len() != a.Len() {
			return false
		}
		for _, k := range a.keys {
			v, ok := d.Get(k)
			if !ok || !equal(a.m[k], v) {
				return false
			}
		}
		return true
	case *Func:
		return a == b
	}
	return false
}

// less is Python's <, failing for unordered types.
func less(a, b Value, line int) (bool, error) {
	ai, af, aFloat, aNum := number(a)
	bi, bf, bFloat, bNum := number(b)
	if aNum && bNum {
		if !aFloat && !bFloat {
			return ai < bi, nil
		}
		if !aFloat {
			af = float64(ai)
		}
		if !bFloat {
			bf = float64(bi)
		}
		return af < bf, nil
	}
	switch a := a.(type) {
	case Undefined:
		return false, undefinedErr(a, line)
	case string:
		if b, ok := b.(string); ok {
			return a < b, nil // UTF-8 byte order is code point order
		}
	case *List:
		if l, ok := b.(*List); ok && l.Tuple == a.Tuple {
			for i := 0; i < len(a.Items) && i < len(l.Items); i++ {
				if equal(a.Items[i], l.Items[i]) {
					continue
				}
				return less(a.Items[i], l.Items[i], line)
			}
			return len(a.Items) < len(l.Items), nil
		}
	}
	if u, ok := b.(Undefined); ok {
		return false, undefinedErr(u, line)
	}
	return false, errorf(line, "'<' not supported between instances of '%s' and '%s'", typeName(a), typeName(b))
}

func (r *renderer) compare(op string, a, b Value, line int) (bool, error) {
	switch op {
	case "==":
		return equal(a, b), nil
	case "!=":
		return !equal(a, b), nil
	case "<":
		return less(a, b, line)
	case ">":
		return less(b, a, line)
	case "<=":
		lt, err := less(a, b, line)
		return lt || (err == nil && equal(a, b)), err
	case ">=":
		lt, err := less(b, a, line)
		return lt || (err == nil && equal(a, b)), err
	case "in", "notin":
		in, err := r.contains2(b, a, line)
		if op == "notin" {
			in = !in
		}
		return in, err
	}
	return false, errorf(line, "unknown comparison %s", op)
}

// contains2 is Python's "x in container".
func (r *renderer) contains2(container, x Value, line int) (bool, error) {
	switch c := container.(type) {
	case Undefined:
		return false, nil
	case string:
		s, ok := x.(string)
		if !ok {
			return false, errorf(line, "'in <string>' requires string as left operand, not %s", typeName(x))
		}
		return strings.Contains(c, s), nil
	case *List:
		for _, it := range c.Items {
			if err := r.charge(line, 1); err != nil {
				return false, err
			}
			if equal(it, x) {
				return true, nil
			}
		}
		return false, nil
	case *Dict:
		if !c.Namespace {
			s, ok := x.(string)
			if !ok {
				return false, nil
			}
			_, in := c.Get(s)
			return in, nil
		}
	}
	return false, errorf(line, "argument of type '%s' is not iterable", typeName(container))
}
