package jinja

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func fixedNow() time.Time { return time.Date(2024, 7, 26, 0, 0, 0, 0, time.UTC) }

func render(src string, vars map[string]Value, now time.Time) (string, error) {
	t, err := Parse(src)
	if err != nil {
		return "", err
	}
	return t.Render(vars, Options{Now: now})
}

func TestErrorsHaveLines(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"a\nb\n{% macro m() %}{% endmacro %}", "line 3: the \"macro\" statement is not supported"},
		{"a\n{{ x|wordcount }}", "line 2: filter \"wordcount\" is not supported"},
		{"{% if x %}\n\nab", "line 1: 'if' has no 'endif'"},
		{"\n{{ raise_exception('no') }}", "line 2: template raised: no"},
		{"\n\n{{ 'a' + 1 }}", "line 3: can only concatenate"},
		{"{% for x in y %}\n{% endif %}", "line 2: unexpected 'endif', expected 'endfor'"},
		{"x\n{% raw %}{% endraw %}", "line 2: the \"raw\" statement is not supported"},
		{"{{ 9223372036854775807 + 1 }}", "line 1: integer overflow"}, // Python's ints are unbounded
	} {
		_, err := render(c.src, nil, time.Time{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.src, err, c.want)
		}
	}
}

func TestLimits(t *testing.T) {
	for _, src := range []string{
		"{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
		"{% set ns = namespace(s='ab') %}{% for i in range(100) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
		"{{ 'a' * 1000000000 }}",
		"{{ [1, 2] * 1000000000 }}",
		"{% for i in range(100000) %}{{ 'xxxxxxxxxxxxxxxxxxxxxx' }}{% endfor %}",
		"{{ ('x' * 200000)|replace('', 'yyyyyyyyy') }}",
		"{% for i in range(99999) %}{{ range(99999)|length }}{% endfor %}",
		"{% set l = range(99999)|list %}{% for i in l %}{{ 5 in l }}{{ l[1:]|length }}{% endfor %}",
		"{% set s = 'x' * 60000 %}{% for i in range(99999) %}{{ (s ~ s)|length }}{% endfor %}",
	} {
		tpl, err := Parse(src)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = tpl.Render(nil, Options{Limits: Limits{MaxOutput: 1 << 20, MaxSteps: 100_000}})
		var lim *LimitError
		if !errors.As(err, &lim) {
			t.Errorf("%q: error %v, want a LimitError", src, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q: took %v", src, d)
		}
	}
	deep := strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000)
	if _, err := Parse("{{ " + deep + " }}"); err == nil || !strings.Contains(err.Error(), "nests deeper") {
		t.Errorf("deep nesting: %v", err)
	}
}

func TestFloatRepr(t *testing.T) {
	for f, want := range map[float64]string{
		1: "1.0", 0.1: "0.1", 1e16: "1e+16", 1e15: "1000000000000000.0", 1e-4: "0.0001",
		1e-5: "1e-05", 1.5e300: "1.5e+300", -2.5: "-2.5", 123.456: "123.456",
	} {
		if got := floatRepr(f); got != want {
			t.Errorf("floatRepr(%v) = %q, want %q", f, got, want)
		}
	}
}
