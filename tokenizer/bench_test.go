package tokenizer

import (
	"testing"

	"github.com/tiktoken-go/tokenizer/codec"
)

// BenchmarkEncode measures encoding throughput (MB/s) of the 600-token
// tokenizer on 1 MB of English-like text it was not trained on, with a warm
// word cache, which is how a corpus is tokenized:
//
//	go test -run '^$' -bench Encode -benchtime 20x ./tokenizer
func BenchmarkEncode(b *testing.B) {
	tk := sharedTokenizer(b)
	text := englishCorpus(1<<20, 42)
	ids := make([]int32, 0, len(text))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		ids = tk.AppendEncode(ids[:0], text)
	}
	b.ReportMetric(float64(len(text))/float64(len(ids)), "bytes/token")
}

// BenchmarkTrain measures learning 2048 tokens from 2 MB of text.
func BenchmarkTrain(b *testing.B) {
	text := englishCorpus(2<<20, 43)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := TrainStrings([]string{text}, TrainOptions{VocabSize: 2048}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeMixed measures encoding throughput (MB/s) on 1 MB of
// mixed text (English, code, several scripts, emoji, numbers, whitespace
// runs) for a GPT-2-style tokenizer (ByteLevel with GPT-2's hand-written
// split) and a Llama-3-style one (cl100k's 100k tokens, Split with the
// cl100k regex run by the package's regex engine, ByteLevel, ignore_merges):
//
//	go test -run '^$' -bench EncodeMixed -benchtime 5x ./tokenizer
func BenchmarkEncodeMixed(b *testing.B) {
	text := mixedCorpus(1<<20, 44)
	cl100k, err := Parse(tiktokenJSON(b, codec.NewCl100kBase(), cl100kPattern, 100257), "cl100k")
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		tk   *Tokenizer
	}{{"gpt2", sharedTokenizer(b)}, {"llama3-cl100k", cl100k}} {
		b.Run(c.name, func(b *testing.B) {
			ids := make([]int32, 0, len(text))
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				ids = c.tk.AppendEncode(ids[:0], text)
			}
			b.ReportMetric(float64(len(text))/float64(len(ids)), "bytes/token")
		})
	}
}
