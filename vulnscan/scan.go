package vulnscan

import (
	"sort"
	"strings"
)

// Finding is one weakness found in a program.
type Finding struct {
	CWE     string // e.g. "CWE-89"
	Rule    string // the rule that found it, e.g. "sql-injection"
	Message string
	Line    int    // 1-based line of the sink
	Snippet string // that line, trimmed
}

// Scan finds weaknesses in Python source code. It accepts any text (broken
// or truncated code is scanned as far as it can be parsed) and returns the
// findings sorted by line, then CWE, at most one per line, CWE and rule.
func Scan(code string) []Finding {
	a := newAnalysis(code)
	for _, s := range a.pr.stmts {
		for _, r := range rules {
			r.check(a, s)
		}
	}
	sort.SliceStable(a.out, func(i, j int) bool {
		x, y := a.out[i], a.out[j]
		if x.Line != y.Line {
			return x.Line < y.Line
		}
		if x.CWE != y.CWE {
			return x.CWE < y.CWE
		}
		return x.Rule < y.Rule
	})
	return a.out
}

// Vulnerable reports whether Scan finds anything in code.
func Vulnerable(code string) bool { return len(Scan(code)) > 0 }

// analysis is the state of one Scan: the parsed program, the data-flow
// evaluator and the findings so far.
type analysis struct {
	pr    *program
	ev    *evaluator
	calls [][]*Node // per statement: its calls, in source order
	refs  [][]*Node // per statement: names and attributes not in callee position
	out   []Finding
	seen  map[Finding]bool
}

func newAnalysis(code string) *analysis {
	pr := parseProgram(code)
	a := &analysis{pr: pr, ev: newEvaluator(pr), seen: map[Finding]bool{}}
	a.calls = make([][]*Node, len(pr.stmts))
	a.refs = make([][]*Node, len(pr.stmts))
	for i, s := range pr.stmts {
		callee := map[*Node]bool{}
		for _, e := range s.Exprs {
			walk(e, func(n *Node) bool {
				switch n.Kind {
				case CallNode:
					a.calls[i] = append(a.calls[i], n)
					callee[n.X] = true
				case AttrNode, NameNode:
					if !callee[n] {
						a.refs[i] = append(a.refs[i], n)
					}
				}
				return true
			})
		}
	}
	return a
}

func (a *analysis) facts(n *Node, cat category, s *Stmt) facts { return a.ev.eval(n, cat, s) }

func (a *analysis) qual(n *Node, s *Stmt) string { return a.pr.qual(n, s) }

// report records a finding at line (deduplicated).
func (a *analysis) report(cwe, rule string, line int, msg string) {
	f := Finding{CWE: cwe, Rule: rule, Line: line, Message: msg}
	key := f
	key.Message = ""
	if a.seen[key] {
		return
	}
	a.seen[key] = true
	if line >= 1 && line <= len(a.pr.lines) {
		f.Snippet = strings.TrimSpace(a.pr.lines[line-1])
		if len(f.Snippet) > 160 {
			f.Snippet = f.Snippet[:160] + "..."
		}
	}
	a.out = append(a.out, f)
}

// value follows a name to the expression last assigned to it (one step),
// so rules can look through "loader = yaml.SafeLoader" or "t =
// tarfile.open(p)". Other nodes are returned as they are.
func (a *analysis) value(n *Node, s *Stmt) (*Node, *Stmt) {
	if n == nil || n.Kind != NameNode && n.Kind != AttrNode {
		return n, s
	}
	key := dotted(n)
	if key == "" {
		return n, s
	}
	if b := a.pr.lookup(key, s); b != nil && b.kind == bindValue && b.value != nil {
		return b.value, b.stmt
	}
	return n, s
}
