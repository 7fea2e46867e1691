package vuln

import (
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

func TestFamiliesCoverEnoughWeaknesses(t *testing.T) {
	fams := Families()
	if len(fams) < 8 {
		t.Fatalf("%d weakness families, want at least 8", len(fams))
	}
	seen := map[string]bool{}
	for _, f := range fams {
		if seen[f.CWE] || seen[f.Name] {
			t.Errorf("duplicate family %s/%s", f.CWE, f.Name)
		}
		seen[f.CWE], seen[f.Name] = true, true
		if len(f.Templates) < 5 {
			t.Errorf("%s: %d templates, want at least 5", f.CWE, len(f.Templates))
		}
		if g, ok := Lookup(f.CWE); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) failed", f.CWE)
		}
	}
}

// allSamples draws n samples of every template of every family.
func allSamples(n int) []Sample {
	r := rand.New(rand.NewPCG(1, 2))
	var out []Sample
	for _, f := range Families() {
		for ti := range f.Templates {
			for range n {
				out = append(out, f.Generate(r, ti))
			}
		}
	}
	return out
}

// TestPairsDifferInTheWeakness checks that every secure/vulnerable pair is
// the skeleton with only the hole filled differently, that the vulnerable
// construct occurs only in the vulnerable program and the safe construct
// only in the secure one.
func TestPairsDifferInTheWeakness(t *testing.T) {
	for _, s := range allSamples(20) {
		id := s.CWE + "/" + s.Task
		if strings.Count(s.Code, Hole) != 1 {
			t.Fatalf("%s: skeleton has %d holes", id, strings.Count(s.Code, Hole))
		}
		before, after, _ := strings.Cut(s.Code, Hole)
		for _, prog := range []string{s.Secure, s.Vulnerable} {
			if !strings.HasPrefix(prog, before) || !strings.HasSuffix(prog, after) || strings.Contains(prog, Hole) {
				t.Fatalf("%s: program is not the skeleton with its hole filled:\n%s", id, prog)
			}
		}
		if s.Secure == s.Vulnerable {
			t.Fatalf("%s: secure and vulnerable programs are equal", id)
		}
		if s.VulnMarker == "" || s.SecureMarker == "" {
			t.Fatalf("%s: empty marker", id)
		}
		if !strings.Contains(s.Vulnerable, s.VulnMarker) || strings.Contains(s.Secure, s.VulnMarker) {
			t.Errorf("%s: vulnerable marker %q must be in the vulnerable program only", id, s.VulnMarker)
		}
		if !strings.Contains(s.Secure, s.SecureMarker) || strings.Contains(s.Vulnerable, s.SecureMarker) {
			t.Errorf("%s: secure marker %q must be in the secure program only", id, s.SecureMarker)
		}
		for _, text := range []string{s.Task, s.Code, s.Secure, s.Vulnerable} {
			if strings.Contains(text, "$") {
				t.Errorf("%s: unreplaced placeholder in %q", id, text)
			}
		}
	}
}

func TestNamesAreRandomized(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, f := range Families() {
		for ti := range f.Templates {
			distinct := map[string]bool{}
			for range 40 {
				distinct[f.Generate(r, ti).Code] = true
			}
			if len(distinct) < 10 {
				t.Errorf("%s template %d: only %d distinct skeletons in 40 draws", f.CWE, ti, len(distinct))
			}
		}
	}
}

// TestProgramsParse runs Python's own parser over every program, when a
// python3 is installed.
func TestProgramsParse(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	var progs []string
	for _, s := range allSamples(1) {
		progs = append(progs, s.Secure, s.Vulnerable)
	}
	in, _ := json.Marshal(progs)
	cmd := exec.Command(py, "-c", `
import ast, json, sys
for i, p in enumerate(json.load(sys.stdin)):
    try:
        ast.parse(p)
    except SyntaxError as e:
        print("program", i, e, "\n" + p)
        sys.exit(1)
`)
	cmd.Stdin = strings.NewReader(string(in))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("python3 could not parse a program: %v\n%s", err, out)
	}
}

// TestKeyIsTheTask: a Key stands for one task sentence of one template, and
// samples that differ only in names the task does not mention (the
// function's, a parameter's, a folder) share it.
func TestKeyIsTheTask(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	for _, f := range Families() {
		tasks := map[string]string{}
		codes := map[string]map[string]bool{}
		renamed := false
		for i := range 3000 {
			s := f.Generate(r, i%len(f.Templates))
			if task, ok := tasks[s.Key]; ok && task != s.Task {
				t.Errorf("%s: key %q has tasks %q and %q", f.CWE, s.Key, task, s.Task)
			}
			tasks[s.Key] = s.Task
			if codes[s.Key] == nil {
				codes[s.Key] = map[string]bool{}
			}
			codes[s.Key][s.Code] = true
			renamed = renamed || len(codes[s.Key]) > 1
			if !strings.HasPrefix(s.Key, f.CWE+"/") {
				t.Errorf("%s: key %q does not name the family", f.CWE, s.Key)
			}
		}
		if !renamed {
			t.Errorf("%s: no key has two skeletons; does the key keep the names?", f.CWE)
		}
		if len(tasks) < 2*len(f.Templates) {
			t.Errorf("%s: only %d keys", f.CWE, len(tasks))
		}
	}
}
