package jinja

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Limits bound one rendering. Zero fields take the defaults.
type Limits struct {
	MaxOutput int // bytes of output, and of any string or list a template builds
	MaxSteps  int // loop iterations and statements executed
}

// Default limits: far above any chat conversation, far below a hang.
const (
	DefaultMaxOutput = 16 << 20
	DefaultMaxSteps  = 10_000_000
)

// Options configure one rendering.
type Options struct {
	Limits
	// Now is what strftime_now formats; the zero time means time.Now().
	Now time.Time
}

// RaiseError is the error a template raises with raise_exception(message).
type RaiseError struct {
	Line    int
	Message string
}

func (e *RaiseError) Error() string {
	return fmt.Sprintf("line %d: template raised: %s", e.Line, e.Message)
}

// LimitError reports a rendering stopped by its Limits.
type LimitError struct {
	Line int
	What string
}

func (e *LimitError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.What) }

type frame struct {
	vars   map[string]Value
	parent *frame
}

func (f *frame) lookup(name string) (Value, bool) {
	for ; f != nil; f = f.parent {
		if v, ok := f.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

type renderer struct {
	out   *strings.Builder
	lim   Limits
	steps int
	now   time.Time
	line  int // line of the statement or expression being evaluated
}

// errBreak and errContinue unwind a loop body.
var (
	errBreak    = errors.New("break")
	errContinue = errors.New("continue")
)

// Render renders the template with vars (converted with FromGo).
func (t *Template) Render(vars map[string]Value, opt Options) (string, error) {
	r := &renderer{out: &strings.Builder{}, lim: opt.Limits, now: opt.Now}
	if r.lim.MaxOutput <= 0 {
		r.lim.MaxOutput = DefaultMaxOutput
	}
	if r.lim.MaxSteps <= 0 {
		r.lim.MaxSteps = DefaultMaxSteps
	}
	globals := &frame{vars: builtinGlobals()}
	top := &frame{vars: map[string]Value{}, parent: globals}
	for k, v := range vars {
		top.vars[k] = v
	}
	if err := r.exec(t.nodes, top); err != nil {
		if err == errBreak || err == errContinue {
			return "", errorf(r.line, "break or continue outside a loop")
		}
		return "", err
	}
	return r.out.String(), nil
}

func (r *renderer) step(line int) error { return r.charge(line, 1) }

// charge counts n steps of work: one per statement or loop iteration, and
// for building values one per item or per 64 bytes, so that a loop cannot
// hide unbounded work in its expressions.
func (r *renderer) charge(line, n int) error {
	r.steps += n
	if r.steps > r.lim.MaxSteps || n < 0 {
		return &LimitError{Line: line, What: fmt.Sprintf("more than %d steps", r.lim.MaxSteps)}
	}
	return nil
}

// checkSize refuses a string (bytes) or list (items) longer than the
// output limit, and charges the work of building it.
func (r *renderer) checkSize(n int) error {
	if n > r.lim.MaxOutput || n < 0 {
		return &LimitError{Line: r.line, What: fmt.Sprintf("a value of more than %d bytes", r.lim.MaxOutput)}
	}
	return r.charge(r.line, n/64)
}

func (r *renderer) write(line int, s string) error {
	if r.out.Len()+len(s) > r.lim.MaxOutput {
		return &LimitError{Line: line, What: fmt.Sprintf("output longer than %d bytes", r.lim.MaxOutput)}
	}
	r.out.WriteString(s)
	return r.charge(line, len(s)/64)
}

func (r *renderer) exec(nodes []node, f *frame) error {
	for _, n := range nodes {
		r.line = n.nodeLine()
		if err := r.step(r.line); err != nil {
			return err
		}
		var err error
		switch n := n.(type) {
		case *textNode:
			err = r.write(n.line, n.text)
		case *outputNode:
			var v Value
			if v, err = r.eval(n.x, f); err == nil {
				err = r.write(n.line, str(v))
			}
		case *ifNode:
			err = r.execIf(n, f)
		case *forNode:
			err = r.execFor(n, f)
		case *setNode:
			err = r.execSet(n, f)
		case *loopCtlNode:
			if n.brk {
				return errBreak
			}
			return errContinue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (r *renderer) execIf(n *ifNode, f *frame) error {
	for i, c := range n.conds {
		v, err := r.eval(c, f)
		if err != nil {
			return err
		}
		if truth(v) {
			return r.exec(n.bodies[i], f)
		}
	}
	return r.exec(n.els, f)
}

// iterate lists what a for loop walks: a list's items, a dict's keys, a
// string's characters, nothing for Undefined.
func (r *renderer) iterate(v Value, line int) ([]Value, error) {
	switch v := v.(type) {
	case Undefined:
		return nil, nil
	case *List:
		return v.Items, nil
	case *Dict:
		if !v.Namespace {
			out := make([]Value, len(v.keys))
			for i, k := range v.keys {
				out[i] = k
			}
			return out, nil
		}
	case string:
		if err := r.charge(line, len(v)); err != nil {
			return nil, err
		}
		var out []Value
		for _, c := range v {
			out = append(out, string(c))
		}
		return out, nil
	}
	return nil, errorf(line, "'%s' object is not iterable", typeName(v))
}

func (r *renderer) bind(vars map[string]Value, targets []string, v Value, line int) error {
	if len(targets) == 1 {
		vars[targets[0]] = v
		return nil
	}
	items, err := r.iterate(v, line)
	if err != nil {
		return errorf(line, "cannot unpack non-iterable %s object", typeName(v))
	}
	if len(items) != len(targets) {
		return errorf(line, "cannot unpack %d values into %d names", len(items), len(targets))
	}
	for i, t := range targets {
		vars[t] = items[i]
	}
	return nil
}

func (r *renderer) execFor(n *forNode, f *frame) error {
	seq, err := r.eval(n.iter, f)
	if err != nil {
		return err
	}
	items, err := r.iterate(seq, n.line)
	if err != nil {
		return err
	}
	if n.cond != nil { // the condition filters before loop.* counts
		var kept []Value
		for _, it := range items {
			if err := r.step(n.line); err != nil {
				return err
			}
			vars := map[string]Value{}
			if err := r.bind(vars, n.targets, it, n.line); err != nil {
				return err
			}
			c, err := r.eval(n.cond, &frame{vars: vars, parent: f})
			if err != nil {
				return err
			}
			if truth(c) {
				kept = append(kept, it)
			}
		}
		items = kept
	}
	if len(items) == 0 {
		return r.exec(n.els, f)
	}
	for i, it := range items {
		if err := r.step(n.line); err != nil {
			return err
		}
		// Each iteration is a fresh scope, as in Jinja2: a set inside the
		// body neither leaks out nor survives to the next iteration.
		vars := map[string]Value{"loop": &Loop{items: items, i: i}}
		if err := r.bind(vars, n.targets, it, n.line); err != nil {
			return err
		}
		err := r.exec(n.body, &frame{vars: vars, parent: f})
		if err == errBreak {
			break
		}
		if err != nil && err != errContinue {
			return err
		}
	}
	return nil
}

func (r *renderer) execSet(n *setNode, f *frame) error {
	var v Value
	if n.x == nil {
		saved := r.out
		r.out = &strings.Builder{}
		err := r.exec(n.body, f)
		v = r.out.String()
		r.out = saved
		if err != nil {
			return err
		}
	} else {
		var err error
		if v, err = r.eval(n.x, f); err != nil {
			return err
		}
	}
	if n.ns != "" {
		obj, _ := f.lookup(n.ns)
		d, ok := obj.(*Dict)
		if !ok || !d.Namespace {
			return errorf(n.line, "cannot assign attribute on non-namespace object")
		}
		d.Set(n.attr, v)
		return nil
	}
	return r.bind(f.vars, n.targets, v, n.line)
}
