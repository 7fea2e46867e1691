package chat

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadConfigModels(t *testing.T) {
	for _, c := range []struct {
		dir            string
		tokens         SpecialTokens
		addBOS         *bool
		maxLen         int64
		source, starts string
	}{
		{"llama-3.1", SpecialTokens{BOS: "<|begin_of_text|>", EOS: "<|eot_id|>"}, nil, 131072, "tokenizer_config.json: chat_template", "{{- bos_token }}"},
		{"llama-3.2", SpecialTokens{BOS: "<|begin_of_text|>", EOS: "<|eot_id|>"}, nil, 131072, "chat_template.jinja", "{{- bos_token }}"},
		{"qwen2.5", SpecialTokens{EOS: "<|im_end|>", Pad: "<|endoftext|>"}, nil, 131072, "tokenizer_config.json: chat_template", "{%- if tools %}"},
		{"mistral", SpecialTokens{BOS: "<s>", EOS: "</s>", Unk: "<unk>"}, ptr(true), math.MaxInt64, "tokenizer_config.json: chat_template[default]", "{{ bos_token }}"},
		{"tinyllama", SpecialTokens{BOS: "<s>", EOS: "</s>", Unk: "<unk>", Pad: "</s>"}, ptr(true), 2048, "tokenizer_config.json: chat_template", "{% for message"},
	} {
		cfg, err := ReadConfig(filepath.Join("testdata", "models", c.dir))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Tokens != c.tokens {
			t.Errorf("%s: tokens %+v, want %+v", c.dir, cfg.Tokens, c.tokens)
		}
		if (cfg.AddBOS == nil) != (c.addBOS == nil) || (c.addBOS != nil && *cfg.AddBOS != *c.addBOS) {
			t.Errorf("%s: add_bos_token %v", c.dir, cfg.AddBOS)
		}
		if cfg.ModelMaxLength != c.maxLen {
			t.Errorf("%s: model_max_length %d, want %d", c.dir, cfg.ModelMaxLength, c.maxLen)
		}
		if !strings.HasSuffix(cfg.TemplateSource, c.source) || !strings.HasPrefix(cfg.Template, c.starts) {
			t.Errorf("%s: template from %q starting %.20q", c.dir, cfg.TemplateSource, cfg.Template)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestParseConfigErrors(t *testing.T) {
	for _, c := range []struct{ json, want string }{
		{`[]`, "x.json: json: cannot unmarshal array"},
		{`null`, "x.json: want a JSON object"},
		{`{"bos_token": 3}`, "x.json: bos_token: want a string or an object"},
		{`{"eos_token": {"lstrip": false}}`, "x.json: eos_token: want a string or an object"},
		{`{"add_bos_token": "yes"}`, "x.json: add_bos_token: want true or false"},
		{`{"model_max_length": -1}`, "x.json: model_max_length: want a positive integer"},
		{`{"model_max_length": 2.5}`, "x.json: model_max_length: want a positive integer"},
		{`{"model_max_length": "big"}`, "x.json: model_max_length: want a number"},
		{`{"chat_template": 7}`, "x.json: chat_template: want a string or a list"},
		{`{"chat_template": [{"name": "default"}]}`, "x.json: chat_template[0]: want an object"},
		{`{"chat_template": [{"name": "a", "template": ""}, {"name": "a", "template": ""}]}`, "x.json: chat_template[1]: duplicate template name"},
	} {
		_, err := ParseConfig([]byte(c.json), "x.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.json, err, c.want)
		}
	}
	cfg, err := ParseConfig([]byte(`{"model_max_length": 2048.0, "unk_token": null, "bos_token": {"content": "<s>"}}`), "x.json")
	if err != nil || cfg.ModelMaxLength != 2048 || cfg.Tokens.BOS != "<s>" || cfg.Template != "" {
		t.Errorf("got %+v, %v", cfg, err)
	}
}

func TestReadConfigDirectory(t *testing.T) {
	dir := t.TempDir()
	write := func(name, s string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ReadConfig(dir); !errors.Is(err, ErrNoTemplate) || !strings.Contains(err.Error(), "no chat template") {
		t.Errorf("empty directory: %v", err)
	}
	write(ConfigFile, `{"chat_template": [{"name": "tool_use", "template": "t"}, {"name": "rag", "template": "r"}]}`)
	if _, err := ReadConfig(dir); err == nil || !strings.Contains(err.Error(), `chat_template: no template named "default" among ["rag" "tool_use"]`) {
		t.Errorf("no default: %v", err)
	}
	write(TemplateFile, "{{ messages[0].content }}")
	f, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if out, err := f.Render([]Message{{"user", "hi"}}, false); err != nil || out != "hi" {
		t.Errorf("chat_template.jinja render %q, %v", out, err)
	}
	write(TemplateFile, "{% for %}")
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), TemplateFile+": chat: template: line 1:") {
		t.Errorf("bad template: %v", err)
	}
	write(ConfigFile, `{"bos_token": [1]}`)
	if _, err := ReadConfig(dir); err == nil || !strings.Contains(err.Error(), ConfigFile+": bos_token:") {
		t.Errorf("bad config: %v", err)
	}
}
