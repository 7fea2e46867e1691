package vulnscan

import "strings"

// CWE-22: a file path built from user data (os.path.join, concatenation,
// formatting, pathlib's "/") or taken straight from the request, used to
// open, send or delete a file, in a function that never checks where the
// path leads. A check is a normalisation (realpath, abspath, normpath,
// resolve) followed by a prefix test (startswith, commonpath,
// is_relative_to, relative_to), or a '..' membership test; secure_filename,
// safe_join and basename sanitise the value itself (see sanitizes).
// tarfile extraction without a filter= (Python 3.12's extraction filters)
// is reported as well: member names like "../x" escape the target folder.

var pathSinks = map[string]bool{
	"open": true, "io.open": true, "codecs.open": true, "os.open": true,
	"os.remove": true, "os.unlink": true, "os.rmdir": true, "os.removedirs": true,
	"shutil.rmtree": true, "shutil.copy": true, "shutil.copyfile": true, "shutil.copy2": true,
	"shutil.move": true, "shutil.copytree": true, "flask.send_file": true, "send_file": true,
	"os.listdir": true, "os.rename": true, "os.replace": true, "aiofiles.open": true, "FileResponse": true,
	"fastapi.responses.FileResponse": true, "starlette.responses.FileResponse": true,
}

var twoPathSinks = map[string]bool{
	"shutil.copy": true, "shutil.copyfile": true, "shutil.copy2": true, "shutil.move": true,
	"shutil.copytree": true, "os.rename": true, "os.replace": true, "os.link": true, "os.symlink": true,
}

var pathMethods = map[string]bool{
	"read_text": true, "read_bytes": true, "write_text": true, "write_bytes": true,
	"open": true, "unlink": true, "rmdir": true, "mkdir": true, "touch": true,
}

func checkPath(a *analysis, s *Stmt) {
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		last := lastName(c.X)
		switch {
		case pathSinks[q]:
			p := c.arg(0, "file")
			if p == nil {
				p = c.kwarg("path")
			}
			if f := a.facts(p, catPath, s); f.taint && (f.built || f.user) && !a.pathChecked(s) {
				a.report("CWE-22", "path-traversal", c.Line, q+"() uses a path built from user input without checking it stays inside its folder")
			}
			if twoPathSinks[q] {
				// the destination of a copy, move or rename is a path too
				if f := a.facts(c.arg(1, "dst"), catPath, s); f.taint && (f.built || f.user) && !a.pathChecked(s) {
					a.report("CWE-22", "path-traversal", c.Line, q+"() writes to a path built from user input without checking it stays inside its folder")
				}
			}
		case c.X.Kind == AttrNode && last == "save":
			// upload.save(path), image.save(path): the argument is the path
			if f := a.facts(c.arg(0, "dst"), catPath, s); f.taint && (f.built || f.user) && !a.pathChecked(s) {
				a.report("CWE-22", "path-traversal", c.Line, "save() writes to a path built from user input without checking it stays inside its folder")
			}
		case c.X.Kind == AttrNode && pathMethods[last]:
			if f := a.facts(c.X.X, catPath, s); f.pathy && f.taint && f.built && !a.pathChecked(s) {
				a.report("CWE-22", "path-traversal", c.Line, "Path."+last+"() on a path built from user input without checking it stays inside its folder")
			}
		}
		if (last == "extractall" || last == "extract") && c.X.Kind == AttrNode && a.isTar(c.X.X, s) {
			if c.kwarg("filter") == nil && c.kwarg("members") == nil {
				a.report("CWE-22", "path-traversal", c.Line, "tarfile "+last+"() without filter= trusts member paths (\"../\" escapes the folder)")
			}
		}
	}
}

// isTar reports whether n is (bound to) a tarfile archive.
func (a *analysis) isTar(n *Node, s *Stmt) bool {
	v, vs := a.value(n, s)
	if v.Kind == CallNode {
		q := a.qual(v.X, vs)
		return q == "tarfile.open" || q == "tarfile.TarFile" || q == "tarfile.TarFile.open"
	}
	name := dotted(n)
	return name != "" && containsFold(name, "tar")
}

// pathChecked reports whether s runs only after an adequate containment
// check (see guarded): a normalised path (realpath, abspath, normpath,
// resolve) tested with a separator-aware prefix (startswith(base + os.sep),
// a literal ending in "/", os.path.join(base, "")), with commonpath against
// the base, or with is_relative_to / relative_to; or a '..' test together
// with a test for absolute names (os.path.join drops the base before an
// absolute name, so '..' alone is not enough). A bare startswith(base)
// accepts "/srv/data2" for "/srv/data", and commonprefix compares
// characters, not path components: neither counts.
func (a *analysis) pathChecked(s *Stmt) bool {
	return a.guarded(s, a.pathAtom, a.raisesOutside)
}

func (a *analysis) pathAtom(n *Node, s *Stmt) verdict {
	switch n.Kind {
	case CallNode:
		if n.X.Kind != AttrNode {
			return noCheck
		}
		switch n.X.Text {
		case "startswith":
			if a.normalised(n.X.X, s, 0) && a.sepPrefix(n.arg(0, ""), s, 0) {
				return checkPass
			}
		case "is_relative_to":
			if a.normalised(n.X.X, s, 0) {
				return checkPass
			}
		}
	case CompareNode:
		if len(n.Args) != 2 {
			return noCheck
		}
		l, r, op := n.Args[0], n.Args[1], n.Ops[0]
		for _, side := range []*Node{l, r} {
			if side.Kind == CallNode && a.qual(side.X, s) == "os.path.commonpath" && (op == "==" || op == "!=") {
				for _, arg := range side.Args {
					if a.normalised(arg, s, 0) || arg.Kind == ListNode && anyNode(arg.Args, func(x *Node) bool { return a.normalised(x, s, 0) }) {
						if op == "==" {
							return checkPass
						}
						return checkFail
					}
				}
			}
		}
		if isStrLit(l) && l.Text == ".." && (op == "in" || op == "not in") && a.absoluteTested(s) {
			if op == "in" {
				return checkFail
			}
			return checkPass
		}
	}
	return noCheck
}

// raisesOutside recognises a statement that raises unless its path is
// inside the base: target.relative_to(base) on a resolved path.
func (a *analysis) raisesOutside(st *Stmt) bool {
	if st.Kind == HeaderStmt {
		return false
	}
	for _, c := range a.calls[st.Index] {
		if c.X.Kind == AttrNode && c.X.Text == "relative_to" && a.normalised(c.X.X, st, 0) {
			return true
		}
	}
	return false
}

// absoluteTested reports whether the function containing s tests for
// absolute names (os.path.isabs, startswith("/")).
func (a *analysis) absoluteTested(s *Stmt) bool {
	for _, st := range a.pr.scopes[s.Index].stmts {
		for _, c := range a.calls[st.Index] {
			if last := lastName(c.X); last == "isabs" || last == "is_absolute" {
				return true
			}
			if lastName(c.X) == "startswith" {
				if p := c.arg(0, ""); isStrLit(p) && (p.Text == "/" || p.Text == "\\") || p != nil && a.qual(p, st) == "os.sep" {
					return true
				}
			}
		}
	}
	return false
}

// normalised reports whether n is (bound to) a path with ".." and symlinks
// resolved: realpath, abspath, normpath, Path.resolve, or str() of one.
func (a *analysis) normalised(n *Node, s *Stmt, depth int) bool {
	if n == nil || depth > 4 {
		return false
	}
	v, vs := a.value(n, s)
	if v.Kind != CallNode {
		return false
	}
	switch lastName(v.X) {
	case "realpath", "abspath", "normpath", "resolve":
		return true
	case "str", "fspath":
		return a.normalised(v.arg(0, ""), vs, depth+1)
	}
	return false
}

// sepPrefix reports whether a startswith argument ends with a path
// separator, so "/srv/data2" does not pass for "/srv/data".
func (a *analysis) sepPrefix(n *Node, s *Stmt, depth int) bool {
	if n == nil || depth > 4 {
		return false
	}
	v, vs := a.value(n, s)
	switch v.Kind {
	case StrNode:
		return len(v.Text) > 0 && (v.Text[len(v.Text)-1] == '/' || v.Text[len(v.Text)-1] == '\\') && !strings.HasSuffix(v.Text, "}")
	case BinNode:
		if v.Text != "+" {
			return false
		}
		if q := a.qual(v.Y, vs); q == "os.sep" || q == "os.path.sep" {
			return true
		}
		return a.sepPrefix(v.Y, vs, depth+1)
	case CallNode:
		q := a.qual(v.X, vs)
		if joinFuncs[q] && len(v.Args) > 1 {
			last := v.Args[len(v.Args)-1]
			return isStrLit(last) && last.Text == ""
		}
		if q == "str" || q == "os.fspath" {
			return a.sepPrefix(v.arg(0, ""), vs, depth+1)
		}
	case NameNode, AttrNode:
		q := a.qual(v, vs)
		return q == "os.sep" || q == "os.path.sep"
	}
	return false
}

func anyNode(ns []*Node, f func(*Node) bool) bool {
	for _, n := range ns {
		if f(n) {
			return true
		}
	}
	return false
}
