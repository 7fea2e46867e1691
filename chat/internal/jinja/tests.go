package jinja

import (
	"fmt"
	"strings"
)

// testFunc is a Jinja2 test ("x is name(args)").
type testFunc func(r *renderer, v Value, args []Value) (bool, error)

var tests map[string]testFunc

func init() {
	cmp := func(op string) testFunc {
		return func(r *renderer, v Value, args []Value) (bool, error) {
			if len(args) != 1 {
				return false, fmt.Errorf("test takes one argument")
			}
			return r.compare(op, v, args[0], r.line)
		}
	}
	kind := func(f func(Value) bool) testFunc {
		return func(_ *renderer, v Value, _ []Value) (bool, error) { return f(v), nil }
	}
	tests = map[string]testFunc{
		"defined":   kind(func(v Value) bool { _, u := v.(Undefined); return !u }),
		"undefined": kind(func(v Value) bool { _, u := v.(Undefined); return u }),
		"none":      kind(func(v Value) bool { return v == nil }),
		"boolean":   kind(func(v Value) bool { _, ok := v.(bool); return ok }),
		"true":      kind(func(v Value) bool { b, ok := v.(bool); return ok && b }),
		"false":     kind(func(v Value) bool { b, ok := v.(bool); return ok && !b }),
		"integer":   kind(func(v Value) bool { _, ok := v.(int64); return ok }),
		"float":     kind(func(v Value) bool { _, ok := v.(float64); return ok }),
		"number":    kind(func(v Value) bool { _, _, _, ok := number(v); return ok }),
		"string":    kind(func(v Value) bool { _, ok := v.(string); return ok }),
		"mapping":   kind(func(v Value) bool { d, ok := v.(*Dict); return ok && !d.Namespace }),
		"iterable": kind(func(v Value) bool {
			switch v := v.(type) {
			case Undefined, string, *List:
				return true
			case *Dict:
				return !v.Namespace
			}
			return false
		}),
		"sequence": kind(func(v Value) bool {
			switch v := v.(type) {
			case Undefined, string, *List:
				return true
			case *Dict:
				return !v.Namespace
			}
			return false
		}),
		"callable": kind(func(v Value) bool { _, ok := v.(*Func); return ok }),
		"lower":    kind(func(v Value) bool { s := str(v); return strings.ToLower(s) == s }),
		"upper":    kind(func(v Value) bool { s := str(v); return strings.ToUpper(s) == s }),
		"odd":      intTest(func(n int64) bool { return n%2 != 0 }),
		"even":     intTest(func(n int64) bool { return n%2 == 0 }),
		"divisibleby": func(r *renderer, v Value, args []Value) (bool, error) {
			if len(args) != 1 {
				return false, fmt.Errorf("divisibleby takes one argument")
			}
			m, err := arith("%", toInt(v), 0, false, toInt(args[0]), 0, false, r.line)
			return err == nil && m == int64(0), err
		},
		"sameas": func(_ *renderer, v Value, args []Value) (bool, error) {
			if len(args) != 1 {
				return false, fmt.Errorf("sameas takes one argument")
			}
			switch v.(type) {
			case nil, bool:
				return v == args[0], nil
			}
			return false, nil
		},
		"in": func(r *renderer, v Value, args []Value) (bool, error) {
			if len(args) != 1 {
				return false, fmt.Errorf("in takes one argument")
			}
			return r.contains2(args[0], v, r.line)
		},
		"eq": cmp("=="), "equalto": cmp("=="), "==": cmp("=="),
		"ne": cmp("!="), "!=": cmp("!="),
		"lt": cmp("<"), "lessthan": cmp("<"), "<": cmp("<"),
		"le": cmp("<="), "<=": cmp("<="),
		"gt": cmp(">"), "greaterthan": cmp(">"), ">": cmp(">"),
		"ge": cmp(">="), ">=": cmp(">="),
	}
}

func toInt(v Value) int64 {
	i, f, isFloat, _ := number(v)
	if isFloat {
		return int64(f)
	}
	return i
}

func intTest(f func(int64) bool) testFunc {
	return func(_ *renderer, v Value, _ []Value) (bool, error) {
		i, _, isFloat, ok := number(v)
		if !ok || isFloat {
			return false, fmt.Errorf("'%s' is not an integer", typeName(v))
		}
		return f(i), nil
	}
}

func (r *renderer) evalTest(x *testExpr, f *frame) (Value, error) {
	v, err := r.eval(x.x, f)
	if err != nil {
		return nil, err
	}
	args, _, err := r.evalArgs(x.args, nil, f)
	if err != nil {
		return nil, err
	}
	r.line = x.line
	ok, err := tests[x.name](r, v, args)
	if err != nil {
		return nil, lineErr(err, x.line)
	}
	return ok != x.neg, nil
}
