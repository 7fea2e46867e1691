package tokenizer

import (
	"slices"
	"strings"
	"testing"
)

// tinyJSON is a hand-built tokenizer.json. Its merges are ranked so that
// rank order, not left-to-right order, decides: in " ab" the pair (a, b)
// (rank 0) merges before (Ġ, a) (rank 2).
const tinyJSON = `{
  "version": "1.0",
  "added_tokens": [
    {"id": 7, "content": "<|endoftext|>", "special": true},
    {"id": 9, "content": "\n\nHuman:", "special": true}
  ],
  "normalizer": null,
  "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
  "post_processor": null,
  "decoder": {"type": "ByteLevel"},
  "model": {
    "type": "BPE",
    "vocab": {"a": 0, "b": 1, "c": 2, "Ġ": 3, "ab": 4, "abc": 5, "Ġa": 6, "<|endoftext|>": 7, "Ċ": 8},
    "merges": ["a b", "ab c", "Ġ a"]
  }
}`

func mustParse(t *testing.T, s string) *Tokenizer {
	t.Helper()
	tk, err := Parse([]byte(s), "tiny.json")
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestTinyTokenizerByHand(t *testing.T) {
	tk := mustParse(t, tinyJSON)
	text := "abc ab<|endoftext|>ca\n\nHuman: a"
	// "abc" → a b c → ab c → abc                     [5]
	// " ab" → Ġ a b → Ġ ab (rank 0 first; no Ġ+ab)    [3 4]
	// "<|endoftext|>"                                  [7]
	// "ca"  → c a, no merge                            [2 0]
	// "\n\nHuman:" (added, id 9 beyond model.vocab)    [9]
	// " a"  → Ġ a → Ġa                                 [6]
	want := []int32{5, 3, 4, 7, 2, 0, 9, 6}
	got := tk.Encode(text)
	if !slices.Equal(got, want) {
		t.Fatalf("Encode(%q) = %v, want %v", text, got, want)
	}
	if back := tk.Decode(got); back != text {
		t.Fatalf("Decode = %q, want %q", back, text)
	}
	if tk.VocabSize() != 10 {
		t.Errorf("VocabSize = %d, want 10 (id 9 is the largest)", tk.VocabSize())
	}
	if !tk.IsSpecial(7) || tk.IsSpecial(5) {
		t.Error("IsSpecial is wrong")
	}
	// Id 8 is "Ċ", the byte '\n'; id 10 does not exist.
	if got := tk.Decode([]int32{8, 10}); got != "\n\uFFFD" {
		t.Errorf("Decode([8 10]) = %q", got)
	}
	// 'd' has no token and there is no unk_token: it is dropped.
	if got := tk.Encode("d"); len(got) != 0 {
		t.Errorf("Encode(\"d\") = %v, want []", got)
	}
}

func TestMergesAsPairs(t *testing.T) {
	pairs := strings.Replace(tinyJSON, `["a b", "ab c", "Ġ a"]`, `[["a", "b"], ["ab", "c"], ["Ġ", "a"]]`, 1)
	a, b := mustParse(t, tinyJSON), mustParse(t, pairs)
	for _, s := range []string{"abc ab ca", " a abab"} {
		if x, y := a.Encode(s), b.Encode(s); !slices.Equal(x, y) {
			t.Errorf("%q: strings %v, pairs %v", s, x, y)
		}
	}
}

func TestAddedTokenMatching(t *testing.T) {
	tk := mustParse(t, strings.Replace(tinyJSON, `{"id": 9, "content": "\n\nHuman:", "special": true}`,
		`{"id": 9, "content": "<|end", "special": false},
		 {"id": 10, "content": "cc", "single_word": true},
		 {"id": 11, "content": "bb", "lstrip": true, "rstrip": true}`, 1))
	cases := []struct {
		in   string
		want []int32
	}{
		{"<|endoftext|>", []int32{7}},       // longest of the two starting here
		{"a<|end", []int32{0, 9}},           // the shorter one alone
		{"cc cca", []int32{10, 3, 2, 2, 0}}, // "cc" alone is a word; in "cca" it is not
		{"a  bb  a", []int32{0, 11, 0}},     // "bb" absorbs the spaces around it
	}
	for _, c := range cases {
		if got := tk.Encode(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, from, to, want string
	}{
		{"syntax", `"version": "1.0",`, `"version": "1.0",,`, "tiny.json: line 2: invalid JSON"},
		{"normalizer", `"normalizer": null`, `"normalizer": {"type": "Precompiled"}`, `tiny.json: normalizer: type "Precompiled" is not supported`},
		{"pre_tokenizer", `"type": "ByteLevel", "add_prefix_space"`, `"type": "Whitespace", "add_prefix_space"`, `tiny.json: pre_tokenizer: type "Whitespace" is not supported`},
		{"no decoder", `"decoder": {"type": "ByteLevel"},`, ``, `tiny.json: decoder: missing`},
		{"model type", `"type": "BPE"`, `"type": "WordPiece"`, `tiny.json: model.type: only BPE is supported, got "WordPiece"`},
		{"vocab type", `"a": 0,`, `"a": "zero",`, `tiny.json: model.vocab: got JSON string, want int32`},
		{"negative id", `"a": 0,`, `"a": -1,`, `tiny.json: model.vocab: token "a" has negative id -1`},
		{"merge form", `"a b", "ab c"`, `"a b", "abc"`, `tiny.json: model.merges[1]: "abc" is not two tokens separated by one space`},
		{"merge token", `"a b", "ab c"`, `"a b", "ab x"`, `tiny.json: model.merges[1]: "x" is not in model.vocab`},
		{"merged token", `"Ġ a"]`, `"Ġ a", "b c"]`, `tiny.json: model.merges[3]: merged token "bc" is not in model.vocab`},
		{"added id clash", `{"id": 7, "content": "<|endoftext|>"`, `{"id": 6, "content": "<|endoftext|>"`, `tiny.json: added_tokens: id 6 is "<|endoftext|>" but model.vocab has "Ġa" there`},
		{"added missing", `{"id": 7, "content"`, `{"idx": 7, "content"`, `tiny.json: added_tokens[0]: needs both id and content`},
		{"dropout", `"type": "BPE",`, `"type": "BPE", "dropout": 0.1,`, `tiny.json: model.dropout: 0.1 is not supported`},
		{"sparse ids", `"Ċ": 8`, `"Ċ": 100000`, `tiny.json: model.vocab: id 100000 is implausibly large`},
	}
	for _, c := range cases {
		if !strings.Contains(tinyJSON, c.from) {
			t.Fatalf("%s: %q not in tinyJSON", c.name, c.from)
		}
		_, err := Parse([]byte(strings.Replace(tinyJSON, c.from, c.to, 1)), "tiny.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}
