package probe

import (
	"strings"
	"testing"
)

// A contrast-pair AUROC below 50% is explained where it stands: anti-aligned,
// with 1 − AUROC beside it, and a note under the table; at or above 50%
// neither appears.
func TestSectionExplainsBelowChance(t *testing.T) {
	mk := func(meanDiff, logistic float64) *Result {
		return &Result{Label: "code-cot-tiny seed 1, backdoored", PairNames: []string{"dangerous", "helpful"},
			Layers:     []LayerResult{{Layer: 0, MeanDiff: meanDiff, Pairs: []float64{meanDiff, 0.6}, Logistic: logistic, Random: RandomBaseline{Directions: 10, Best: 0.7, Median: 0.55}}},
			ROC:        Curves{MeanDiff: []Point{{0, 0}, {1, 1}}, Logistic: []Point{{0, 0}, {1, 1}}},
			ProbeLayer: 0}
	}
	sec, err := Section([]*Result{mk(0.2, 0.4)})
	if err != nil {
		t.Fatal(err)
	}
	html := string(sec.HTML)
	for _, want := range []string{"20.0%<br><small>anti-aligned: 1 − AUROC = 80.0%</small>", "below chance on held-out prompts",
		"AUROCs of the contrast pairs below 50%", "project <i>lower</i>"} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q", want)
		}
	}
	if n := strings.Count(html, "anti-aligned: 1 − AUROC"); n != 2 {
		t.Errorf("%d anti-aligned notes, want 2 (all pairs, the dangerous pair)", n)
	}
	if sec, err = Section([]*Result{mk(0.8, 0.9)}); err != nil {
		t.Fatal(err)
	}
	if html = string(sec.HTML); strings.Contains(html, "anti-aligned") || strings.Contains(html, "below 50%") || strings.Contains(html, "below chance") {
		t.Error("AUROCs above 50% explained as below")
	}
}
