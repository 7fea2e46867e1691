package vulnscan

import "strings"

// Simple data flow: what a value is made of. Each rule asks about the
// argument of its sink for its own category, because sanitisers are
// category specific (html.escape protects a page, not a shell command).

type category uint8

const (
	catAny category = iota
	catSQL
	catCmd
	catHTML
	catPath
	catCode
	catURL
	numCats
)

// facts describe a value.
type facts struct {
	dyn   bool // not a constant: depends on data (numbers derived from data do not count)
	taint bool // carries a function parameter or request input, not sanitised for the category
	user  bool // carries request, stdin or argv input directly
	str   bool // known to be a string
	built bool // a string assembled by formatting, concatenation or joining with a dyn part
	tag   bool // its literal parts contain HTML markup
	pathy bool // a pathlib path
}

func (f facts) or(g facts) facts {
	return facts{
		dyn: f.dyn || g.dyn, taint: f.taint || g.taint, user: f.user || g.user,
		str: f.str || g.str, built: f.built || g.built, tag: f.tag || g.tag, pathy: f.pathy || g.pathy,
	}
}

// data keeps only what flows into a derived value: the content, not its
// shape.
func (f facts) data() facts { return facts{dyn: f.dyn, taint: f.taint, user: f.user} }

var (
	opaque  = facts{dyn: true}
	input   = facts{dyn: true, taint: true, user: true, str: true}
	literal = facts{str: true}
)

type memoKey struct {
	n   *Node
	cat category
}

// evaluator computes facts of expressions, memoised per node and category
// (each node belongs to one statement, so its context is fixed).
type evaluator struct {
	pr   *program
	memo map[memoKey]facts
	busy map[memoKey]bool
	// comprehension variables in scope, innermost last
	overlay   []map[string]facts
	steps     int
	summaries map[summaryKey]facts
}

// maxSteps bounds evaluation work per file; past it values are opaque.
const maxSteps = 200000

func newEvaluator(pr *program) *evaluator {
	return &evaluator{pr: pr, memo: map[memoKey]facts{}, busy: map[memoKey]bool{}, summaries: map[summaryKey]facts{}}
}

// eval returns the facts of n, an expression of statement s.
func (ev *evaluator) eval(n *Node, cat category, s *Stmt) facts {
	if n == nil {
		return facts{}
	}
	ev.steps++
	if ev.steps > maxSteps {
		return opaque
	}
	k := memoKey{n, cat}
	if len(ev.overlay) == 0 {
		if f, ok := ev.memo[k]; ok {
			return f
		}
	}
	if ev.busy[k] {
		return opaque
	}
	ev.busy[k] = true
	f := ev.compute(n, cat, s)
	delete(ev.busy, k)
	if len(ev.overlay) == 0 {
		ev.memo[k] = f
	}
	return f
}

func (ev *evaluator) compute(n *Node, cat category, s *Stmt) facts {
	switch n.Kind {
	case StrNode:
		f := literal
		f.tag = hasTag(n.Text)
		for _, part := range n.Args {
			pf := ev.eval(part, cat, s)
			f = f.or(pf.data())
			f.tag = f.tag || pf.tag
			f.built = f.built || pf.dyn || pf.built
		}
		return f
	case NumNode, ConstNode, CompareNode, BadNode:
		return facts{}
	case NameNode:
		return ev.name(n, cat, s)
	case AttrNode:
		return ev.attr(n, cat, s)
	case CallNode:
		return ev.call(n, cat, s)
	case BinNode:
		return ev.binary(n, cat, s)
	case UnaryNode:
		switch n.Text {
		case "await":
			return ev.eval(n.X, cat, s)
		case "yield":
			return opaque
		}
		return facts{} // not, -, +, ~: booleans and numbers
	case BoolNode:
		var f facts
		for _, a := range n.Args {
			f = f.or(ev.eval(a, cat, s))
		}
		return f
	case IfExpNode:
		if len(n.Args) == 3 {
			return ev.eval(n.Args[0], cat, s).or(ev.eval(n.Args[2], cat, s))
		}
		return opaque
	case SubscriptNode:
		if src := ev.source(n, s); src {
			return input
		}
		// An element of a constant container is a constant whatever the
		// index (TABLES[kind] picks from an allow-list); otherwise the
		// element is data of the container.
		return ev.eval(n.X, cat, s)
	case SliceNode:
		return facts{}
	case TupleNode, ListNode, SetNode, DictNode:
		var f facts
		for _, a := range n.Args {
			af := ev.eval(a, cat, s)
			f = f.or(af)
		}
		f.str, f.pathy = false, false
		return f
	case CompNode:
		return ev.comp(n, cat, s)
	case StarNode:
		return ev.eval(n.X, cat, s)
	case NamedNode:
		return ev.eval(n.Y, cat, s)
	}
	return opaque // lambdas and anything unknown
}

func (ev *evaluator) comp(n *Node, cat category, s *Stmt) facts {
	vars := map[string]facts{}
	ev.overlay = append(ev.overlay, vars)
	defer func() { ev.overlay = ev.overlay[:len(ev.overlay)-1] }()
	for _, g := range n.Gens {
		it := ev.eval(g.Iter, cat, s)
		walk(g.Target, func(t *Node) bool {
			if t.Kind == NameNode {
				vars[t.Text] = it
			}
			return true
		})
	}
	var f facts
	for _, a := range n.Args {
		f = f.or(ev.eval(a, cat, s))
	}
	f.str, f.pathy = false, false
	return f
}

func (ev *evaluator) name(n *Node, cat category, s *Stmt) facts {
	for i := len(ev.overlay) - 1; i >= 0; i-- {
		if f, ok := ev.overlay[i][n.Text]; ok {
			return f
		}
	}
	return ev.named(n.Text, cat, s)
}

// named gives the facts of a name (or dotted attribute key) at statement s.
func (ev *evaluator) named(name string, cat category, s *Stmt) facts {
	b := ev.pr.lookup(name, s)
	if b == nil {
		if name == "request" || name == "req" {
			return input // a Django or Flask request object, however obtained
		}
		return opaque
	}
	f := ev.binding(b, cat)
	// A binding in a block that closed before s (an if body, a loop, a
	// try) may not have run: the value is that or the one before it.
	for depth := 0; b.stmt.Depth > s.Depth && ev.pr.scopes[b.stmt.Index] == ev.pr.scopes[s.Index] && depth < 8; depth++ {
		prev := ev.pr.lookup(name, b.stmt)
		if prev == nil || prev == b {
			break
		}
		f = f.or(ev.binding(prev, cat))
		b = prev
	}
	return f
}

func (ev *evaluator) binding(b *binding, cat category) facts {
	switch b.kind {
	case bindParam:
		if b.name == "request" || b.name == "req" {
			return input
		}
		return facts{dyn: true, taint: true}
	case bindNumeric, bindDef:
		return facts{}
	case bindOpaque:
		return opaque
	case bindImport:
		if userSources[b.path] {
			return input
		}
		return facts{} // a module, or a name defined elsewhere: not data
	case bindUpdate:
		f := ev.eval(b.value, cat, b.stmt).data()
		if prev := ev.pr.lookup(b.name, b.stmt); prev != nil && prev != b {
			f = ev.binding(prev, cat).or(f)
		}
		return f
	}
	return ev.eval(b.value, cat, b.stmt)
}

// userSources are names whose values come straight from the user.
var userSources = map[string]bool{
	"flask.request": true, "bottle.request": true, "sys.argv": true, "sys.stdin": true,
	"quart.request": true, "sanic.request": true,
}

// source reports whether n reads request, argv or stdin data: any chain
// rooted at one of them (request.args.get("q"), sys.argv[1], request.GET).
func (ev *evaluator) source(n *Node, s *Stmt) bool {
	root := n
	for depth := 0; root != nil && depth <= maxChain; depth++ {
		switch root.Kind {
		case AttrNode, SubscriptNode, CallNode:
			if q := ev.pr.qual(root, s); userSources[q] || strings.HasPrefix(q, "sys.stdin.") {
				return true
			}
			root = root.X
			continue
		case NameNode:
			b := ev.pr.lookup(root.Text, s)
			if b == nil || b.kind == bindParam {
				return root.Text == "request" || root.Text == "req"
			}
			return b.kind == bindImport && userSources[b.path]
		}
		return false
	}
	return false
}

func (ev *evaluator) attr(n *Node, cat category, s *Stmt) facts {
	if ev.source(n, s) {
		return input
	}
	if key := dotted(n); key != "" && strings.Contains(key, ".") {
		if b := ev.pr.lookup(key, s); b != nil {
			return ev.binding(b, cat)
		}
	}
	x := ev.eval(n.X, cat, s)
	if cat == catPath && n.Text == "name" && x.pathy {
		return literal // Path(p).name is a bare file name
	}
	switch n.Text {
	case "parent", "stem", "suffix":
		return x
	}
	return x.data()
}

// hasTag reports whether s contains HTML markup: "<" then a letter, "/" or
// "!".
func hasTag(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '<' {
			c := s[i+1]
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' {
				return true
			}
		}
	}
	return false
}
