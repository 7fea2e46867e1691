package vulnscan

// Guards: whether a sink is reached only after a check. A check counts
// only when it dominates the sink on the path that reaches it, which in
// block-structured code means one of:
//
//   - the sink is inside the body of an if/elif/while whose condition
//     passes only when the check holds ("if is_safe(u): return redirect(u)"),
//     or inside the else of one that fails it;
//   - an earlier statement of an enclosing block (a sibling of the sink or
//     of one of its enclosing headers) is an if whose condition holds when
//     the check fails and whose body leaves or replaces the value ("if not
//     is_safe(u): abort(400)"), an assert of the check, or a call that
//     raises when the check fails (Path.relative_to).
//
// A check in another branch, after the sink, or in a function that does
// not reach it does not count. Loops are not unrolled; a "continue" or
// "break" counts as leaving.

// verdict is what a condition says about a check: checkPass when the
// condition being true implies the check passed, checkFail when its being
// true implies the check failed, noCheck when it is not a check.
type verdict int8

const (
	checkFail verdict = -1
	noCheck   verdict = 0
	checkPass verdict = 1
)

// atomCheck judges one comparison or call of a condition.
type atomCheck func(n *Node, s *Stmt) verdict

// polarity judges a whole condition: negations flip, and/or take the first
// component that is a check.
func polarity(n *Node, s *Stmt, atom atomCheck) verdict {
	if n == nil {
		return noCheck
	}
	switch n.Kind {
	case UnaryNode:
		if n.Text == "not" {
			return -polarity(n.X, s, atom)
		}
		return noCheck
	case BoolNode:
		for _, x := range n.Args {
			if v := polarity(x, s, atom); v != noCheck {
				return v
			}
		}
		return noCheck
	case NamedNode:
		return polarity(n.Y, s, atom)
	}
	return atom(n, s)
}

// guarded reports whether statement s runs only after a check that atom
// recognises. raises, when not nil, recognises statements that raise when
// their check fails.
func (a *analysis) guarded(s *Stmt, atom atomCheck, raises func(st *Stmt) bool) bool {
	stmts := a.pr.scopes[s.Index].stmts
	pos := -1
	for i, st := range stmts {
		if st == s {
			pos = i
			break
		}
	}
	cond := func(h *Stmt) verdict {
		if len(h.Exprs) == 0 {
			return noCheck
		}
		c := h.Exprs[0]
		if h.Keyword == "assert" && c.Kind == TupleNode && len(c.Args) > 0 {
			c = c.Args[0] // assert cond, "message"
		}
		return polarity(c, h, atom)
	}
	level := s.Depth // depth of the block being scanned
	for i := pos - 1; i >= 0; i-- {
		h := stmts[i]
		switch {
		case h.Depth > level:
			continue // inside an earlier sibling's block
		case h.Depth < level:
			// an enclosing header
			level = h.Depth
			if h.Kind != HeaderStmt {
				continue
			}
			switch h.Keyword {
			case "if", "elif", "while":
				if cond(h) == checkPass {
					return true
				}
			case "else":
				// the else of an if chain that fails the check
				for j := i - 1; j >= 0; j-- {
					p := stmts[j]
					if p.Depth > h.Depth {
						continue
					}
					if p.Depth < h.Depth || p.Kind != HeaderStmt || p.Keyword != "if" && p.Keyword != "elif" {
						break
					}
					if cond(p) == checkFail {
						return true
					}
					if p.Keyword == "if" {
						break
					}
				}
			}
		default:
			// an earlier statement of the same block
			switch {
			case h.Kind == HeaderStmt && (h.Keyword == "if" || h.Keyword == "elif"):
				if cond(h) == checkFail && a.blockLeaves(stmts, i) {
					return true
				}
			case h.Keyword == "assert":
				if cond(h) == checkPass {
					return true
				}
			case raises != nil && raises(h):
				return true
			}
		}
	}
	return false
}

// blockLeaves reports whether the body of the header stmts[i] leaves
// (return, raise, abort(), continue, break) or assigns a replacement value.
func (a *analysis) blockLeaves(stmts []*Stmt, i int) bool {
	h := stmts[i]
	for _, st := range stmts[i+1:] {
		if st.Depth <= h.Depth {
			break
		}
		switch st.Kind {
		case ReturnStmt, AssignStmt:
			return true
		case OtherStmt:
			if st.Keyword == "raise" || st.Keyword == "continue" || st.Keyword == "break" {
				return true
			}
		case ExprStmt:
			for _, c := range a.calls[st.Index] {
				switch lastName(c.X) {
				case "abort", "exit", "_exit", "raise_for_status":
					return true
				}
			}
		}
	}
	return false
}
