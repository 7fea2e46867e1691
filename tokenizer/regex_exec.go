package tokenizer

import (
	"unicode/utf8"
)

// Regex is a compiled pattern of the supported Oniguruma subset (see
// regex_parse.go). It is immutable and safe for concurrent use.
type Regex struct {
	src  string
	prog *inst
	size int // number of instructions + 1
}

// instruction opcodes. The program is a graph: each instruction links to
// the next, alternatives branch, and matching is a depth-first search in
// priority order, which gives leftmost-first (Perl, Oniguruma) semantics.
const (
	opSet     uint8 = iota // one character in cls
	opRepeat               // cls min..max times, greedy or lazy, then next
	opAlt                  // try alts in order
	opLook                 // lookahead: sub (ending in opLookEnd) must (not) match
	opMatch                // success: record the end
	opLookEnd              // success of a lookahead body
)

type inst struct {
	id       int // index for the failure memo
	op       uint8
	lazy     bool
	neg      bool
	cls      *charClass
	min, max int // max < 0: unbounded
	next     *inst
	alts     []*inst
	sub      *inst
}

// CompileRegex compiles an Oniguruma pattern in the supported subset; the
// error says what is unsupported and where.
func CompileRegex(pattern string) (*Regex, error) {
	tree, err := parseRegex(pattern)
	if err != nil {
		return nil, err
	}
	re := &Regex{src: pattern, prog: compileNode(tree, &inst{op: opMatch})}
	re.size = numberInsts(re.prog, 1)
	return re, nil
}

// numberInsts gives each instruction reachable from p an id from next on
// (ids start at 1; 0 marks "not yet numbered") and returns the next free id.
func numberInsts(p *inst, next int) int {
	for ; p != nil && p.id == 0; p = p.next {
		p.id = next
		next++
		for _, a := range p.alts {
			next = numberInsts(a, next)
		}
		next = numberInsts(p.sub, next)
	}
	return next
}

// String is the pattern's source.
func (re *Regex) String() string { return re.src }

// compileNode links n in front of next.
func compileNode(n *reNode, next *inst) *inst {
	switch n.kind {
	case reEmpty:
		return next
	case reSet:
		return &inst{op: opSet, cls: n.set, next: next}
	case reConcat:
		for i := len(n.subs) - 1; i >= 0; i-- {
			next = compileNode(n.subs[i], next)
		}
		return next
	case reAlt:
		alt := &inst{op: opAlt}
		for _, s := range n.subs {
			alt.alts = append(alt.alts, compileNode(s, next))
		}
		return alt
	case reLook:
		return &inst{op: opLook, neg: n.neg, sub: compileNode(n.subs[0], &inst{op: opLookEnd}), next: next}
	case reRepeat:
		sub := n.subs[0]
		if sub.kind == reSet {
			return &inst{op: opRepeat, cls: sub.set, min: n.min, max: n.max, lazy: n.lazy, next: next}
		}
		// A bounded group repeat is unrolled: min copies, then max-min
		// nested optional copies, (X(X)?)?, each optional greedy or lazy.
		tail := next
		for range n.max - n.min {
			body := compileNode(sub, tail)
			if n.lazy {
				tail = &inst{op: opAlt, alts: []*inst{next, body}}
			} else {
				tail = &inst{op: opAlt, alts: []*inst{body, next}}
			}
			next = tail
		}
		for range n.min {
			tail = compileNode(sub, tail)
		}
		return tail
	}
	panic("tokenizer: unknown regex node")
}

// charAt decodes the character at s[i]; an invalid byte is one character,
// utf8.RuneError, so any string can be matched and split losslessly.
func charAt(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// memoAfter is how many instruction runs one search may take before
// failures are remembered. Backtracking can take exponential time on
// patterns such as (?:a|a){30}b; a failure at (instruction, position) is
// final (there are no captures or back-references), so remembering them
// bounds the work by program size times text length. Real split patterns
// never get here.
const memoAfter = 1 << 14

// machine is the state of one FindAll: the text, the steps of the current
// match attempt, and the memo of failures.
type machine struct {
	s     string
	size  int
	steps int
	memo  map[int]struct{} // id + size*position of runs that failed
}

// run reports whether the program p matches m.s at i, setting *end. The
// recursion depth is bounded by the pattern, not the text: only
// alternatives and repeats recurse.
func (m *machine) run(p *inst, i int, end *int) bool {
	m.steps++
	if m.steps > memoAfter {
		if m.memo == nil {
			m.memo = map[int]struct{}{}
		}
		key := p.id + m.size*i
		if _, failed := m.memo[key]; failed {
			return false
		}
		if m.exec(p, i, end) {
			return true
		}
		m.memo[key] = struct{}{}
		return false
	}
	return m.exec(p, i, end)
}

func (m *machine) exec(p *inst, i int, end *int) bool {
	s := m.s
	for {
		switch p.op {
		case opSet:
			if i >= len(s) {
				return false
			}
			r, n := charAt(s, i)
			if !p.cls.has(r) {
				return false
			}
			i += n
			p = p.next
		case opRepeat:
			return m.runRepeat(p, i, end)
		case opAlt:
			last := len(p.alts) - 1
			for _, a := range p.alts[:last] {
				if m.run(a, i, end) {
					return true
				}
			}
			p = p.alts[last]
		case opLook:
			var ignored int
			if m.run(p.sub, i, &ignored) == p.neg {
				return false
			}
			p = p.next
		case opMatch:
			*end = i
			return true
		case opLookEnd:
			return true
		}
	}
}

// runRepeat matches p.cls repeated, then p.next, backtracking one
// character at a time.
func (m *machine) runRepeat(p *inst, i int, end *int) bool {
	s := m.s
	start, n := i, 0
	if p.lazy {
		for {
			if n >= p.min && m.run(p.next, i, end) {
				return true
			}
			if (p.max >= 0 && n >= p.max) || i >= len(s) {
				return false
			}
			r, w := charAt(s, i)
			if !p.cls.has(r) {
				return false
			}
			i += w
			n++
		}
	}
	for (p.max < 0 || n < p.max) && i < len(s) {
		r, w := charAt(s, i)
		if !p.cls.has(r) {
			break
		}
		i += w
		n++
	}
	if n < p.min {
		return false
	}
	if p.next.op == opMatch { // nothing after: the longest run wins
		*end = i
		return true
	}
	for {
		if m.run(p.next, i, end) {
			return true
		}
		if n == p.min {
			return false
		}
		// Step back one character. DecodeLastRune splits invalid bytes
		// exactly as charAt does going forward.
		_, w := utf8.DecodeLastRuneInString(s[start:i])
		i -= w
		n--
	}
}

// matchAt returns the end of the match starting at i, or -1.
func (re *Regex) matchAt(m *machine, i int) int {
	m.steps = 0 // the memo, once made, stays valid, but is consulted only in long searches
	end := -1
	if !m.run(re.prog, i, &end) {
		return -1
	}
	return end
}

// FindAll calls yield with the start and end of each successive
// non-overlapping match in s, leftmost-first, as Oniguruma's (and Rust
// regex's) find_iter: after an empty match the search resumes one
// character later, and an empty match right where the previous match ended
// is skipped.
func (re *Regex) FindAll(s string, yield func(start, end int)) {
	m := machine{s: s, size: re.size}
	from, lastEnd := 0, -1
	for from <= len(s) {
		start, end := -1, -1
		for i := from; i <= len(s); {
			if e := re.matchAt(&m, i); e >= 0 {
				start, end = i, e
				break
			}
			if i == len(s) {
				break
			}
			_, w := charAt(s, i)
			i += w
		}
		if start < 0 {
			return
		}
		if start == end {
			if end < len(s) {
				_, w := charAt(s, end)
				from = end + w
			} else {
				from = end + 1
			}
			if end == lastEnd {
				continue
			}
		} else {
			from = end
		}
		lastEnd = end
		yield(start, end)
	}
}
