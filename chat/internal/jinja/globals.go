package jinja

import (
	"fmt"
	"strings"
	"time"
)

// maxRange is the largest range() Jinja2's sandbox allows.
const maxRange = 100_000

func builtinGlobals() map[string]Value {
	return map[string]Value{
		"range": bound("range", gRange),
		"namespace": bound("namespace", func(_ *renderer, args []Value, kw *Dict) (Value, error) {
			d := NewDict()
			d.Namespace = true
			for _, a := range args {
				src, ok := a.(*Dict)
				if !ok {
					return nil, fmt.Errorf("namespace() takes a mapping, not %s", typeName(a))
				}
				for _, k := range src.keys {
					d.Set(k, src.m[k])
				}
			}
			for _, k := range kw.keys {
				d.Set(k, kw.m[k])
			}
			return d, nil
		}),
		"dict": bound("dict", func(_ *renderer, args []Value, kw *Dict) (Value, error) {
			if len(args) > 0 {
				return nil, fmt.Errorf("dict() with positional arguments is not supported")
			}
			d := NewDict()
			for _, k := range kw.keys {
				d.Set(k, kw.m[k])
			}
			return d, nil
		}),
		// transformers: raise_exception(message) raises a TemplateError.
		"raise_exception": bound("raise_exception", func(r *renderer, args []Value, _ *Dict) (Value, error) {
			msg := ""
			if len(args) > 0 {
				msg = str(args[0])
			}
			return nil, &RaiseError{Line: r.line, Message: msg}
		}),
		// transformers: strftime_now(format) formats the current time.
		"strftime_now": bound("strftime_now", func(r *renderer, args []Value, _ *Dict) (Value, error) {
			if len(args) != 1 {
				return nil, fmt.Errorf("strftime_now takes one format string")
			}
			now := r.now
			if now.IsZero() {
				now = time.Now()
			}
			return strftime(now, str(args[0])), nil
		}),
	}
}

func gRange(r *renderer, args []Value, _ *Dict) (Value, error) {
	var b [3]int64
	b[2] = 1
	for i, a := range args {
		n, ok := toIndex(a)
		if !ok || len(args) > 3 {
			return nil, fmt.Errorf("range() takes 1 to 3 integer arguments")
		}
		b[i] = n
	}
	start, stop, step := b[0], b[1], b[2]
	switch len(args) {
	case 0:
		return nil, fmt.Errorf("range expected at least 1 argument, got 0")
	case 1:
		start, stop = 0, b[0]
	}
	if step == 0 {
		return nil, fmt.Errorf("range() arg 3 must not be zero")
	}
	n := int64(0)
	if step > 0 && stop > start {
		n = (stop - start + step - 1) / step
	} else if step < 0 && stop < start {
		n = (start - stop - step - 1) / -step
	}
	if n > maxRange || n < 0 {
		return nil, fmt.Errorf("range too big: the sandbox allows at most %d items", maxRange)
	}
	if err := r.charge(r.line, int(n)); err != nil {
		return nil, err
	}
	out := make([]Value, n)
	for i := range out {
		out[i] = start + int64(i)*step
	}
	return &List{Items: out}, nil
}

// strftime formats t with Python's strftime directives (C locale).
func strftime(t time.Time, format string) string {
	var b strings.Builder
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 >= len(format) {
			b.WriteByte(c)
			continue
		}
		i++
		switch format[i] {
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'Y':
			fmt.Fprintf(&b, "%d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'b', 'h':
			b.WriteString(t.Month().String()[:3])
		case 'B':
			b.WriteString(t.Month().String())
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'A':
			b.WriteString(t.Weekday().String())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			fmt.Fprintf(&b, "%02d", (t.Hour()+11)%12+1)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'p':
			if t.Hour() < 12 {
				b.WriteString("AM")
			} else {
				b.WriteString("PM")
			}
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(format[i])
		}
	}
	return b.String()
}
