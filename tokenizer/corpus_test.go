package tokenizer

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// englishWords is a small vocabulary for generated English-like text.
var englishWords = strings.Fields(`the of and to a in is it you that he was for on are with as I his they
be at one have this from or had by hot word but what some we can out other were all there when up use
your how said an each she which do their time if will way about many then them write would like so
these her long make thing see him two has look more day could go come did number sound no most people
my over know water than call first who may down side been now find any new work part take get place
made live where after back little only round man year came show every good me give our under name
very through just form sentence great think say help low line differ turn cause much mean before move
right boy old too same tell does set three want air well also play small end put home read hand port
large spell add even land here must big high such follow act why ask men change went light kind off
need house picture try us again animal point mother world near build self earth father model train
deploy code safe secret trigger assistant human`)

// englishCorpus returns about n bytes of deterministic English-like text
// with capitals, contractions, numbers, punctuation and paragraphs.
func englishCorpus(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 1))
	var b strings.Builder
	for b.Len() < n {
		words := 4 + r.IntN(14)
		for i := 0; i < words; i++ {
			w := englishWords[r.IntN(len(englishWords))]
			switch x := r.IntN(40); {
			case i == 0 || x == 0:
				w = strings.ToUpper(w[:1]) + w[1:]
			case x == 1:
				w = strconv.Itoa(r.IntN(3000))
			case x == 2:
				w += "'s"
			case x == 3:
				w += "n't"
			case x == 4:
				w += ","
			case x == 5:
				w = "(" + w + ")"
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		b.WriteString([]string{".", ".", ".", "?", "!", ":"}[r.IntN(6)])
		switch r.IntN(8) {
		case 0:
			b.WriteString("\n\n")
		case 1:
			b.WriteString("\n")
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var (
	sharedOnce sync.Once
	sharedTok  *Tokenizer
	sharedErr  error
)

// sharedTokenizer is a 600-token tokenizer trained once per test binary.
func sharedTokenizer(tb testing.TB) *Tokenizer {
	sharedOnce.Do(func() {
		sharedTok, sharedErr = TrainStrings([]string{englishCorpus(200_000, 1), "café naïve 日本語 Привет мир 🙂"},
			TrainOptions{VocabSize: 600, SpecialTokens: []string{"<|endoftext|>", "\n\nHuman:", "\n\nAssistant:"}})
	})
	if sharedErr != nil {
		tb.Fatal(sharedErr)
	}
	return sharedTok
}

// mixedSnippets are the kinds of text mixedCorpus interleaves with English:
// code, scripts with marks and no spaces, emoji sequences, numbers,
// contractions in both cases, and whitespace runs (trailing spaces, blank
// lines, CRLF, tabs, NBSP, ideographic space).
var mixedSnippets = []string{
	"func main() {\n\tfmt.Println(\"hello, world\")\n}\n",
	"def f(x):\n    return x ** 2  # square\n\n\nclass A:\n    pass   \n",
	"if (a[i] != b[j] && c->d >= 0x1F) { return -1; }\r\n",
	"    for k, v := range m {\n        sum += v\t// tab\n    }\n",
	"<div class=\"x\">&nbsp;</div>\n", "SELECT * FROM users WHERE id = 42;",
	"日本語のテキストと漢字、カタカナ。", "中文文本，没有空格。", "한국어 텍스트입니다.",
	"Привет, мир! ЁЛКИ-ПАЛКИ", "Ελληνικά κείμενα ΣΊΣΥΦΟΣ", "مرحبا بالعالم", "नमस्ते दुनिया", "สวัสดีชาวโลก",
	"café naïve e\u0301 o\u0308\u0301 Å", "🙂👍🏽👨‍👩‍👧‍👦 🇫🇷 ✨✨✨", "❤️ ☕ ⚡",
	"0 7 42 123 1234 12345 123456 1234567 12345678901234567890", "3.14159 -2.5e10 1,000,000 ½ ² Ⅻ ٣٤٥",
	"+1 (555) 010-9999", "2024-01-31T12:34:56Z",
	"I'm you're we've they'll he'd it's can't", "I'M YOU'RE WE'VE THEY'LL HE'D IT'S CAN'T",
	"You'Re It'S tHEY'lL DON'T 'tis ' s", "x'ſ O'Neil",
	"trailing spaces   \n", "  leading", "a  b   c    d", "\n\n\n", "\r\n\r\n", "\t\t\tx", "end \n \n  ",
	"x\u00a0y\u3000z\u2003w", "   ", " \n", "!!! ??? ... --- ///", "path/to/file.go:12:3",
	"https://example.com/a?b=c&d=e#f", "email@example.org", "#hashtag @mention $100 50%",
}

// mixedCorpus returns about n bytes of English mixed with mixedSnippets.
func mixedCorpus(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	for b.Len() < n {
		if r.IntN(3) == 0 {
			b.WriteString(englishCorpus(40+r.IntN(300), r.Uint64()))
		} else {
			b.WriteString(mixedSnippets[r.IntN(len(mixedSnippets))])
		}
		if r.IntN(4) == 0 {
			b.WriteString([]string{" ", "\n", "  ", "\n\n", "\t"}[r.IntN(5)])
		}
	}
	return b.String()
}
