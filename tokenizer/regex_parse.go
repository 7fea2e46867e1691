package tokenizer

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Split patterns in tokenizer.json are Oniguruma regular expressions (the
// Hugging Face library compiles them with the onig crate). The files of
// Llama-3, Qwen2 and GPT-4-style tokenizers need lookahead (`\s+(?!\S)`),
// which Go's regexp lacks, so this package has its own backtracking engine
// for the subset those patterns use. It parses the pattern into a tree
// (this file), compiles the tree into linked instructions and runs them with
// Oniguruma's leftmost-first semantics (regex_exec.go). Anything outside the
// subset is an error: a pattern is data, and a construct misread would split
// text silently wrong.
//
// Supported: literals and escapes (\t \n \r \f \v \a \e \xHH \x{H…} \uHHHH,
// escaped punctuation), `.`, classes [...] with ranges and negation, \s \S
// \d \D, \p{…} \P{…} \p{^…} (general categories and scripts), groups (...)
// (?:...) (?<name>...), the flags (?i) (?-i) (?i:...), lookahead (?=...)
// (?!...), alternation, and the quantifiers ? * + {n} {n,} {,m} {n,m} and
// their lazy forms. Unbounded repetition applies only to a single character
// or class; bounded repetition of a group is unrolled.

// reKind is the kind of a parsed regex node.
type reKind uint8

const (
	reEmpty  reKind = iota // matches the empty string
	reSet                  // one character from set
	reConcat               // subs in order
	reAlt                  // the first of subs that leads to a match
	reRepeat               // sub, min..max times (max < 0: unbounded)
	reLook                 // lookahead: sub must (or, neg, must not) match here
)

type reNode struct {
	kind     reKind
	set      *charClass
	subs     []*reNode
	min, max int
	lazy     bool
	neg      bool
}

// maxRepeat bounds counted repetition: unrolling {n,m} copies its operand.
const maxRepeat = 1000

type reParser struct {
	src string
	pos int
}

// parseRegex parses an Oniguruma pattern in the supported subset.
func parseRegex(src string) (*reNode, error) {
	p := &reParser{src: src}
	n, err := p.alternation(false)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) { // only an unbalanced ')' stops the top level early
		return nil, p.errorf("unmatched ')'")
	}
	return n, nil
}

func (p *reParser) errorf(format string, args ...any) error {
	return fmt.Errorf("regex %q at offset %d: %s", p.src, p.pos, fmt.Sprintf(format, args...))
}

func (p *reParser) more() bool { return p.pos < len(p.src) }
func (p *reParser) peek() byte { return p.src[p.pos] }

// alternation parses a|b|... up to a ')' or the end.
func (p *reParser) alternation(fold bool) (*reNode, error) {
	var alts []*reNode
	for {
		seq, stop, err := p.sequence(&fold)
		if err != nil {
			return nil, err
		}
		alts = append(alts, seq)
		if !stop {
			break
		}
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return &reNode{kind: reAlt, subs: alts}, nil
}

// sequence parses terms up to '|' (stop true: another alternative follows),
// ')' or the end. A (?i) flag group changes *fold for the rest of the
// enclosing group, across later alternatives too, as in Oniguruma.
func (p *reParser) sequence(fold *bool) (*reNode, bool, error) {
	var terms []*reNode
	for p.more() {
		c := p.peek()
		if c == '|' {
			p.pos++
			return concat(terms), true, nil
		}
		if c == ')' {
			break
		}
		if strings.HasPrefix(p.src[p.pos:], "(?i)") || strings.HasPrefix(p.src[p.pos:], "(?-i)") {
			*fold = p.src[p.pos+2] == 'i'
			p.pos += 4 + btoi(!*fold)
			continue
		}
		atom, err := p.atom(*fold)
		if err != nil {
			return nil, false, err
		}
		atom, err = p.quantifier(atom)
		if err != nil {
			return nil, false, err
		}
		terms = append(terms, atom)
	}
	return concat(terms), false, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func concat(terms []*reNode) *reNode {
	switch len(terms) {
	case 0:
		return &reNode{kind: reEmpty}
	case 1:
		return terms[0]
	}
	return &reNode{kind: reConcat, subs: terms}
}

// atom parses one character, class, escape or group.
func (p *reParser) atom(fold bool) (*reNode, error) {
	c := p.peek()
	switch c {
	case '(':
		return p.group(fold)
	case '[':
		cls, err := p.class(fold)
		if err != nil {
			return nil, err
		}
		return &reNode{kind: reSet, set: cls}, nil
	case '.':
		p.pos++
		// Oniguruma's '.' is any character but a newline.
		return &reNode{kind: reSet, set: newClass(fold, true, classItem{lo: '\n', hi: '\n'})}, nil
	case '\\':
		return p.escapeAtom(fold)
	case '^', '$':
		return nil, p.errorf("anchor %q is not supported", c)
	case '*', '+', '?':
		return nil, p.errorf("quantifier %q with nothing to repeat", c)
	case '{':
		return nil, p.errorf("'{' must be escaped as \\{ (a literal brace is ambiguous)")
	}
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	if r == utf8.RuneError && n <= 1 {
		return nil, p.errorf("invalid UTF-8")
	}
	p.pos += n
	return &reNode{kind: reSet, set: newClass(fold, false, classItem{lo: r, hi: r})}, nil
}

// group parses (...), (?:...), (?i:...), (?-i:...), (?<name>...), (?=...)
// and (?!...).
func (p *reParser) group(fold bool) (*reNode, error) {
	start := p.pos
	p.pos++ // '('
	look, neg := false, false
	rest := p.src[p.pos:]
	switch {
	case strings.HasPrefix(rest, "?:"):
		p.pos += 2
	case strings.HasPrefix(rest, "?i:"):
		fold = true
		p.pos += 3
	case strings.HasPrefix(rest, "?-i:"):
		fold = false
		p.pos += 4
	case strings.HasPrefix(rest, "?="), strings.HasPrefix(rest, "?!"):
		look, neg = true, rest[1] == '!'
		p.pos += 2
	case strings.HasPrefix(rest, "?<=") || strings.HasPrefix(rest, "?<!"):
		return nil, p.errorf("lookbehind is not supported")
	case strings.HasPrefix(rest, "?<") || strings.HasPrefix(rest, "?P<"):
		end := strings.IndexByte(rest, '>')
		if end < 0 {
			return nil, p.errorf("unterminated group name")
		}
		p.pos += end + 1
	case strings.HasPrefix(rest, "?"):
		return nil, p.errorf("group construct %q is not supported", "(?"+firstRune(rest[1:]))
	}
	sub, err := p.alternation(fold)
	if err != nil {
		return nil, err
	}
	if !p.more() || p.peek() != ')' {
		p.pos = start
		return nil, p.errorf("unclosed '('")
	}
	p.pos++
	if look {
		return &reNode{kind: reLook, subs: []*reNode{sub}, neg: neg}, nil
	}
	return sub, nil
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// quantifier applies a following ?, *, +, {n,m} (and a lazy '?') to atom.
func (p *reParser) quantifier(atom *reNode) (*reNode, error) {
	if !p.more() {
		return atom, nil
	}
	min, max := 0, 0
	switch p.peek() {
	case '?':
		min, max = 0, 1
		p.pos++
	case '*':
		min, max = 0, -1
		p.pos++
	case '+':
		min, max = 1, -1
		p.pos++
	case '{':
		var ok bool
		min, max, ok = p.interval()
		if !ok {
			return nil, p.errorf("'{' must be escaped as \\{ or start a valid {n,m}")
		}
	default:
		return atom, nil
	}
	lazy := false
	if p.more() {
		switch p.peek() {
		case '?':
			lazy = true
			p.pos++
		case '+':
			return nil, p.errorf("possessive quantifiers are not supported")
		case '*', '{':
			return nil, p.errorf("nested quantifiers are not supported")
		}
	}
	if max >= 0 && min > max {
		return nil, p.errorf("repeat {%d,%d}: min above max", min, max)
	}
	if min > maxRepeat || max > maxRepeat {
		return nil, p.errorf("repeat count above %d", maxRepeat)
	}
	if atom.kind == reLook {
		return nil, p.errorf("a quantified lookahead is not supported")
	}
	if max < 0 && atom.kind != reSet {
		return nil, p.errorf("unbounded repetition of a group is not supported (only of one character or class)")
	}
	return &reNode{kind: reRepeat, subs: []*reNode{atom}, min: min, max: max, lazy: lazy}, nil
}

// interval parses {n}, {n,}, {,m} or {n,m} at p.pos.
func (p *reParser) interval() (min, max int, ok bool) {
	end := strings.IndexByte(p.src[p.pos:], '}')
	if end < 0 {
		return 0, 0, false
	}
	body := p.src[p.pos+1 : p.pos+end]
	lo, hi, comma := strings.Cut(body, ",")
	num := func(s string, def int) (int, bool) {
		if s == "" {
			return def, true
		}
		for _, c := range s {
			if c < '0' || c > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(s)
		return n, err == nil
	}
	if lo == "" && (!comma || hi == "") {
		return 0, 0, false
	}
	if min, ok = num(lo, 0); !ok {
		return 0, 0, false
	}
	max = min
	if comma {
		if max, ok = num(hi, -1); !ok {
			return 0, 0, false
		}
	}
	p.pos += end + 1
	return min, max, true
}

// escapeAtom parses an escape outside a class.
func (p *reParser) escapeAtom(fold bool) (*reNode, error) {
	item, cls, err := p.escape(fold)
	if err != nil {
		return nil, err
	}
	if cls == nil {
		cls = newClass(fold, false, item)
	}
	return &reNode{kind: reSet, set: cls}, nil
}

// escape parses \x at p.pos: either one character (item, cls nil) or a
// class such as \s or \p{L}.
func (p *reParser) escape(fold bool) (classItem, *charClass, error) {
	p.pos++ // '\\'
	if !p.more() {
		return classItem{}, nil, p.errorf("trailing backslash")
	}
	c := p.peek()
	p.pos++
	lit := func(r rune) (classItem, *charClass, error) { return classItem{lo: r, hi: r}, nil, nil }
	switch c {
	case 't':
		return lit('\t')
	case 'n':
		return lit('\n')
	case 'r':
		return lit('\r')
	case 'f':
		return lit('\f')
	case 'v':
		return lit('\v')
	case 'a':
		return lit('\a')
	case 'e':
		return lit(0x1b)
	case 'x':
		if p.more() && p.peek() == '{' {
			end := strings.IndexByte(p.src[p.pos:], '}')
			if end < 0 {
				return classItem{}, nil, p.errorf("unterminated \\x{")
			}
			r, err := hexRune(p.src[p.pos+1 : p.pos+end])
			if err != nil {
				return classItem{}, nil, p.errorf("\\x{...}: %v", err)
			}
			p.pos += end + 1
			return lit(r)
		}
		return p.hexDigits(2)
	case 'u':
		return p.hexDigits(4)
	case 's', 'S':
		return classItem{}, newClass(fold, c == 'S', classItem{table: unicode.White_Space}), nil
	case 'd', 'D':
		// Oniguruma's \d with Unicode is the decimal digits, Nd.
		return classItem{}, newClass(fold, c == 'D', classItem{table: unicode.Nd}), nil
	case 'p', 'P':
		item, neg, err := p.property()
		if err != nil {
			return classItem{}, nil, err
		}
		return classItem{}, newClass(fold, neg != (c == 'P'), item), nil
	}
	if c < utf8.RuneSelf && !isAlnum(c) {
		return lit(rune(c))
	}
	p.pos -= 2
	return classItem{}, nil, p.errorf("escape \\%s is not supported", firstRune(p.src[p.pos+1:]))
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *reParser) hexDigits(n int) (classItem, *charClass, error) {
	if p.pos+n > len(p.src) {
		return classItem{}, nil, p.errorf("want %d hex digits", n)
	}
	r, err := hexRune(p.src[p.pos : p.pos+n])
	if err != nil {
		return classItem{}, nil, p.errorf("%v", err)
	}
	p.pos += n
	return classItem{lo: r, hi: r}, nil, nil
}

func hexRune(s string) (rune, error) {
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil || s == "" || v > unicode.MaxRune {
		return 0, fmt.Errorf("bad hex code point %q", s)
	}
	return rune(v), nil
}

// property parses {Name} or {^Name} after \p.
func (p *reParser) property() (classItem, bool, error) {
	if !p.more() || p.peek() != '{' {
		return classItem{}, false, p.errorf("\\p needs {Name}")
	}
	end := strings.IndexByte(p.src[p.pos:], '}')
	if end < 0 {
		return classItem{}, false, p.errorf("unterminated \\p{")
	}
	name := p.src[p.pos+1 : p.pos+end]
	neg := strings.HasPrefix(name, "^")
	name = strings.TrimPrefix(name, "^")
	table := propertyTable(name)
	if table == nil {
		return classItem{}, false, p.errorf("unknown or unsupported property \\p{%s}", name)
	}
	p.pos += end + 1
	return classItem{table: table}, neg, nil
}

// class parses [...]: single characters, ranges a-z, escapes and
// properties, optionally negated with a leading '^'.
func (p *reParser) class(fold bool) (*charClass, error) {
	start := p.pos
	p.pos++ // '['
	neg := false
	if p.more() && p.peek() == '^' {
		neg = true
		p.pos++
	}
	var items []classItem
	var subs []*charClass
	first := true
	for {
		if !p.more() {
			p.pos = start
			return nil, p.errorf("unclosed '['")
		}
		c := p.peek()
		switch {
		case c == ']' && !first:
			p.pos++
			return newClassOf(fold, neg, items, subs), nil
		case c == ']':
			return nil, p.errorf("']' at the start of a class is ambiguous; escape it")
		case c == '[':
			return nil, p.errorf("nested classes are not supported")
		case strings.HasPrefix(p.src[p.pos:], "&&"):
			return nil, p.errorf("class intersection && is not supported")
		}
		first = false
		lo, cls, err := p.classAtom(fold)
		if err != nil {
			return nil, err
		}
		if cls != nil {
			subs = append(subs, cls)
			continue
		}
		// A range lo-hi, unless '-' ends the class.
		if p.pos+1 < len(p.src) && p.peek() == '-' && p.src[p.pos+1] != ']' {
			p.pos++
			hi, hcls, err := p.classAtom(fold)
			if err != nil {
				return nil, err
			}
			if hcls != nil || hi.lo < lo.lo {
				return nil, p.errorf("bad class range")
			}
			items = append(items, classItem{lo: lo.lo, hi: hi.lo})
			continue
		}
		items = append(items, lo)
	}
}

// classAtom parses one member of a class: a character or an escape.
func (p *reParser) classAtom(fold bool) (classItem, *charClass, error) {
	if p.peek() == '\\' {
		return p.escape(fold)
	}
	r, n := utf8.DecodeRuneInString(p.src[p.pos:])
	if r == utf8.RuneError && n <= 1 {
		return classItem{}, nil, p.errorf("invalid UTF-8")
	}
	p.pos += n
	return classItem{lo: r, hi: r}, nil, nil
}
