package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// FuzzLoadTokenizerJSON: Parse never panics, and whatever it accepts can
// encode, decode, and survive a save → parse round trip unchanged.
func FuzzLoadTokenizerJSON(f *testing.F) {
	f.Add([]byte(tinyJSON))
	f.Add([]byte(strings.Replace(tinyJSON, `["a b", "ab c", "Ġ a"]`, `[["a", "b"], ["ab", "c"], ["Ġ", "a"]]`, 1)))
	var buf bytes.Buffer
	small, err := TrainStrings([]string{englishCorpus(3000, 1)}, TrainOptions{VocabSize: 300, SpecialTokens: []string{"<|endoftext|>"}})
	if err != nil {
		f.Fatal(err)
	}
	small.WriteJSON(&buf)
	f.Add(buf.Bytes())
	for _, parts := range fuzzPipelines() {
		f.Add([]byte(parts.json()))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"model": {"vocab": {}, "merges": []}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := Parse(data, "fuzz.json")
		if err != nil {
			return
		}
		text := "Hello world, it's 2024!\n\n<|endoftext|> abc ca ąę 🙂"
		ids := tk.Encode(text)
		tk.Decode(ids)
		tk.DecodeSkipSpecial(tk.EncodeWithSpecialTokens(text))
		var out bytes.Buffer
		if err := tk.WriteJSON(&out); err != nil {
			t.Fatal(err)
		}
		back, err := Parse(out.Bytes(), "resaved.json")
		if err != nil {
			t.Fatalf("a saved tokenizer does not parse: %v\n%s", err, out.Bytes())
		}
		if again := back.Encode(text); !slices.Equal(ids, again) {
			t.Fatalf("encodings differ after save: %v vs %v", ids, again)
		}
	})
}

// FuzzEncodeDecode: decode(encode(s)) == s for any bytes, and the
// pre-tokenizer agrees with the regexp-based reference.
func FuzzEncodeDecode(f *testing.F) {
	for _, c := range preTokenizeCases {
		f.Add(c.in)
	}
	f.Add("<|endoftext|>\n\nHuman: hi\n\nAssistant: ok<|endoftext|>")
	f.Add(englishCorpus(500, 2))
	for _, s := range mixedSnippets {
		f.Add(s)
	}
	f.Add("end \n \n  I'M 12345 x'ſ <s>a b▁c")
	tk := sharedTokenizer(f)
	var pipes []*Tokenizer
	for _, parts := range fuzzPipelines() {
		p, err := Parse([]byte(parts.json()), "fuzz.json")
		if err != nil {
			f.Fatal(err)
		}
		pipes = append(pipes, p)
	}
	cl100k, err := CompileRegex(cl100kPattern)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids := tk.Encode(s)
		if got := tk.Decode(ids); got != s {
			t.Fatalf("decode(encode(%q)) = %q", s, got)
		}
		if got, want := PreTokenize(s), referenceSplit(s); !slices.Equal(got, want) {
			t.Fatalf("PreTokenize(%q) = %q, reference %q", s, got, want)
		}
		// The regex pieces tile the text.
		end := 0
		cl100k.FindAll(s, func(a, b int) {
			if a != end || b <= a {
				t.Fatalf("cl100k split of %q: piece [%d,%d) after %d", s, a, b, end)
			}
			end = b
		})
		if end != len(s) {
			t.Fatalf("cl100k split of %q stops at %d", s, end)
		}
		// Byte-level pipelines round-trip any string; the others must not
		// panic.
		for i, p := range pipes {
			got := p.DecodeSkipSpecial(p.EncodeWithSpecialTokens(s))
			if i == 0 && got != s {
				t.Fatalf("Llama-3-style decode(encode(%q)) = %q", s, got)
			}
		}
	})
}

// fuzzPipelines are small tokenizer.json files in the layouts of the
// supported families: Llama-3 (cl100k Split + ByteLevel, template), Llama-2
// (Prepend + Replace, byte fallback, Strip decoder), Mistral (Metaspace),
// SmolLM2 (Digits + ByteLevel). The first must stay byte-level.
func fuzzPipelines() []fileParts {
	byteVocab := make([]string, 0, 256+4)
	for b := range 256 {
		byteVocab = append(byteVocab, string(byteToRune[b]))
	}
	fallback := []string{"<unk>", "<s>"}
	for b := range 256 {
		fallback = append(fallback, fmt.Sprintf("<0x%02X>", b))
	}
	bl := charModel("", append(byteVocab, "ĠĠ", "<|begin_of_text|>")...)
	bl = strings.Replace(bl, `"merges": []`, `"merges": [["Ġ", "Ġ"]], "ignore_merges": true`, 1)
	fb := charModel("▁abc", append(fallback, "▁a", "bc")...)
	fb = strings.Replace(fb, `"merges": []`, `"merges": [["▁", "a"], ["b", "c"]], "byte_fallback": true, "fuse_unk": true, "unk_token": "<unk>"`, 1)
	split, _ := json.Marshal(cl100kPattern)
	return []fileParts{{
		added: `{"id": 257, "content": "<|begin_of_text|>", "special": true}`,
		pre: `{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": ` + string(split) + `}, "behavior": "Isolated", "invert": false},
			{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": false}]}`,
		post:    `{"type": "TemplateProcessing", "single": "<|begin_of_text|> $A", "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [257]}}}`,
		decoder: `{"type": "ByteLevel"}`,
		model:   bl,
	}, {
		added:      `{"id": 4, "content": "<unk>", "special": true}, {"id": 5, "content": "<s>", "special": true}`,
		normalizer: `{"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "▁"}, {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}]}`,
		post:       `{"type": "TemplateProcessing", "single": "<s> $A", "special_tokens": {"<s>": {"id": "<s>", "ids": [5]}}}`,
		decoder: `{"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
			{"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}`,
		model: fb,
	}, {
		pre:     `{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}`,
		decoder: `{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}`,
		model:   fb,
	}, {
		pre: `{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": true},
			{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true}]}`,
		normalizer: `{"type": "NFKC"}`,
		decoder:    `{"type": "ByteLevel"}`,
		model:      bl,
	}}
}
