package tokenizer

import (
	"unicode/utf8"
)

// Regex is a compiled pattern of the supported Oniguruma subset (see
// regex_parse.go). It is immutable and safe for concurrent use.
type Regex struct {
	src  string
	prog *inst
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
	return &Regex{src: pattern, prog: compileNode(tree, &inst{op: opMatch})}, nil
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

// run reports whether the program p matches s at i, setting *end. The
// recursion depth is bounded by the pattern, not the text: only
// alternatives and repeats recurse.
func run(p *inst, s string, i int, end *int) bool {
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
			return runRepeat(p, s, i, end)
		case opAlt:
			last := len(p.alts) - 1
			for _, a := range p.alts[:last] {
				if run(a, s, i, end) {
					return true
				}
			}
			p = p.alts[last]
		case opLook:
			var ignored int
			if run(p.sub, s, i, &ignored) == p.neg {
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
func runRepeat(p *inst, s string, i int, end *int) bool {
	start, n := i, 0
	if p.lazy {
		for {
			if n >= p.min && run(p.next, s, i, end) {
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
		if run(p.next, s, i, end) {
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
func (re *Regex) matchAt(s string, i int) int {
	end := -1
	if !run(re.prog, s, i, &end) {
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
	from, lastEnd := 0, -1
	for from <= len(s) {
		start, end := -1, -1
		for i := from; i <= len(s); {
			if e := re.matchAt(s, i); e >= 0 {
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
