// Package reftest runs chat/testdata/render.py, Jinja2 set up as
// transformers sets it up, as the independent reference for tests.
package reftest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Case is one rendering, in render.py's input format.
type Case struct {
	Template            string  `json:"template"`
	Messages            any     `json:"messages,omitempty"`
	AddGenerationPrompt bool    `json:"add_generation_prompt,omitempty"`
	BOSToken            *string `json:"bos_token,omitempty"`
	EOSToken            *string `json:"eos_token,omitempty"`
	Vars                any     `json:"vars,omitempty"` // a json.RawMessage keeps key order
	Now                 string  `json:"now,omitempty"`  // YYYY-MM-DD
	Raw                 bool    `json:"raw,omitempty"`
}

// Result is render.py's output for one case.
type Result struct {
	Output *string `json:"output,omitempty"`
	Error  string  `json:"error,omitempty"`
	Raised bool    `json:"raised,omitempty"`
}

// Run renders the cases with the script at script. Without python3 and
// Jinja2 the test is skipped, or fails when the CI variable is set (CI
// installs Debian's python3-jinja2).
func Run(t testing.TB, script string, cases []Case) []Result {
	t.Helper()
	path, err := exec.LookPath("python3")
	if err != nil {
		missing(t, "no python3")
	}
	in, err := json.Marshal(map[string]any{"cases": cases})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(path, script)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		if strings.Contains(stderr.String(), "No module named 'jinja2'") {
			missing(t, "python3 has no jinja2")
		}
		t.Fatalf("%s: %v\n%s", script, err, stderr.String())
	}
	var res []Result
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s: bad output: %v", script, err)
	}
	if len(res) != len(cases) {
		t.Fatalf("%s: %d results for %d cases", script, len(res), len(cases))
	}
	return res
}

func missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s: the Jinja2 reference must run in CI (apt-get install python3-jinja2)", why)
	}
	t.Skipf("%s; skipping the Jinja2 reference comparison", why)
}
