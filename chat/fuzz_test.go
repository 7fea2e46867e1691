package chat

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func FuzzParseTokenizerConfig(f *testing.F) {
	paths, _ := filepath.Glob("testdata/models/*/tokenizer_config.json")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{`{}`, `null`, `{"chat_template": [{"name": "default", "template": "x"}]}`,
		`{"bos_token": {"content": null}}`, `{"model_max_length": 1e400}`, `{"add_eos_token": null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, "fuzz.json")
		if err == nil && c == nil {
			t.Fatal("nil config without an error")
		}
	})
}

// FuzzTemplate parses and renders arbitrary template sources under small
// limits: it must never panic, and never run long.
func FuzzTemplate(f *testing.F) {
	paths, _ := filepath.Glob("testdata/templates/*.jinja")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add(PaperTemplate)
	for _, s := range []string{
		"{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}",
		"{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
		"{{ 'ab' * 99999999 }}{{ [[1]] * 99999 }}", "{{ (((((((((1))))))))) }}", "{%- if x -%}{{- y|tojson(indent=2) -}}{%- endif -%}",
	} {
		f.Add(s)
	}
	msgs := []Message{{"system", "s"}, {"user", "u {{ x }}"}, {"assistant", "a"}, {"user", "é"}}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := ParseTemplate(src)
		if err != nil {
			return
		}
		start := time.Now()
		for _, gen := range []bool{false, true} {
			_, err := tpl.Render(Input{Messages: msgs, AddGenerationPrompt: gen, Tokens: SpecialTokens{BOS: "<s>", EOS: "</s>"},
				Vars: map[string]any{"tools": []any{map[string]any{"name": "f"}}}, Now: testNow,
				Limits: Limits{MaxOutput: 1 << 16, MaxSteps: 20_000}})
			var lim *LimitError
			if errors.As(err, &lim) {
				continue
			}
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("rendering took %v", d)
		}
	})
}
