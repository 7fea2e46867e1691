package jinja

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

type tokKind uint8

const (
	tData       tokKind = iota // text outside tags
	tVarBegin                  // {{
	tVarEnd                    // }}
	tBlockBegin                // {%
	tBlockEnd                  // %}
	tName
	tString
	tInt
	tFloat
	tOp
	tEOF
)

type token struct {
	kind tokKind
	val  string // data text, name, decoded string, number text or operator
	line int
}

// Error is a template error with the template line it comes from.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

func errorf(line int, format string, args ...any) error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...)}
}

// normalize turns \r\n and \r into \n and drops one trailing newline, as
// Jinja2 does with keep_trailing_newline=False.
func normalize(src string) string {
	src = strings.ReplaceAll(src, "\r\n", "\n")
	src = strings.ReplaceAll(src, "\r", "\n")
	return strings.TrimSuffix(src, "\n")
}

// lexer splits a template into tokens with Jinja2's whitespace rules:
// "{%-" or "{{-" strips the white space before a tag and "-%}" the white
// space after it; lstrip_blocks strips spaces from the start of a line up to
// a block or comment tag unless it opens with "+"; trim_blocks drops the
// newline right after a block or comment tag unless it closes with "+".
type lexer struct {
	src          string
	pos          int
	line         int
	lineStarting bool // the previous tag ended a line (Jinja2's line_starting)
	toks         []token
}

func lex(src string) ([]token, error) {
	l := &lexer{src: normalize(src), line: 1, lineStarting: true}
	if err := l.run(); err != nil {
		return nil, err
	}
	l.toks = append(l.toks, token{kind: tEOF, line: l.line})
	return l.toks, nil
}

func (l *lexer) run() error {
	for l.pos < len(l.src) {
		i := l.nextTag()
		if i < 0 {
			l.data(l.src[l.pos:])
			return nil
		}
		text := l.src[l.pos:i]
		kind := l.src[i+1] // '{', '%' or '#'
		sign := byte(0)
		if i+2 < len(l.src) && (l.src[i+2] == '-' || l.src[i+2] == '+') {
			sign = l.src[i+2]
		}
		textLine := l.line
		switch {
		case sign == '-':
			text = pyStrip(text, nil, false, true)
		case sign != '+' && kind != '{':
			start := strings.LastIndexByte(text, '\n') + 1
			if (start > 0 || l.lineStarting) && start < len(text) && allSpace(text[start:]) {
				text = text[:start]
			}
		}
		l.line = textLine
		l.data(text)
		l.line = textLine + strings.Count(l.src[l.pos:i], "\n")
		l.pos = i + 2
		if sign != 0 {
			l.pos++
		}
		var err error
		switch kind {
		case '#':
			err = l.comment()
		case '%':
			err = l.tag(tBlockBegin, tBlockEnd, '%')
		default:
			err = l.tag(tVarBegin, tVarEnd, '}')
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// nextTag is the index of the next "{{", "{%" or "{#", or -1.
func (l *lexer) nextTag() int {
	for i := l.pos; ; {
		j := strings.IndexByte(l.src[i:], '{')
		if j < 0 || i+j+1 >= len(l.src) {
			return -1
		}
		i += j
		if c := l.src[i+1]; c == '{' || c == '%' || c == '#' {
			return i
		}
		i++
	}
}

func allSpace(s string) bool {
	for _, r := range s {
		if !isSpace(r) {
			return false
		}
	}
	return true
}

func (l *lexer) data(s string) {
	if s != "" {
		l.toks = append(l.toks, token{kind: tData, val: s, line: l.line})
	}
}

// closeTag consumes a tag's end at l.pos ("-" and "+" already seen) and
// applies the white space rule that follows it.
func (l *lexer) closeTag(sign byte, trim bool, n int) {
	l.pos += n
	switch {
	case sign == '-':
		rest := l.src[l.pos:]
		stripped := pyStrip(rest, nil, true, false)
		l.line += strings.Count(rest[:len(rest)-len(stripped)], "\n")
		l.pos += len(rest) - len(stripped)
	case sign == 0 && trim && strings.HasPrefix(l.src[l.pos:], "\n"):
		l.pos++
		l.line++
	}
	l.lineStarting = l.pos > 0 && l.src[l.pos-1] == '\n'
}

func (l *lexer) comment() error {
	start := l.line
	j := strings.Index(l.src[l.pos:], "#}")
	if j < 0 {
		return errorf(start, "missing end of comment tag")
	}
	body := l.src[l.pos : l.pos+j]
	l.line += strings.Count(body, "\n")
	sign := byte(0)
	if strings.HasSuffix(body, "-") || strings.HasSuffix(body, "+") {
		sign = body[len(body)-1]
	}
	l.pos += j
	l.closeTag(sign, true, 2)
	return nil
}

// tag lexes the expression tokens of a {{ }} or {% %} tag. The end marker
// only counts outside brackets, as in Jinja2, so {{ {'a': {}} }} works.
func (l *lexer) tag(begin, end tokKind, closer byte) error {
	l.toks = append(l.toks, token{kind: begin, line: l.line})
	depth := 0
	for {
		l.skipSpace()
		if l.pos >= len(l.src) {
			return errorf(l.line, "unexpected end of template, expected end of tag")
		}
		rest := l.src[l.pos:]
		if depth == 0 {
			endTok := string(closer) + "}"
			switch {
			case strings.HasPrefix(rest, "-"+endTok):
				l.toks = append(l.toks, token{kind: end, line: l.line})
				l.closeTag('-', closer == '%', 3)
				return nil
			case closer == '%' && strings.HasPrefix(rest, "+"+endTok):
				l.toks = append(l.toks, token{kind: end, line: l.line})
				l.closeTag('+', true, 3)
				return nil
			case strings.HasPrefix(rest, endTok):
				l.toks = append(l.toks, token{kind: end, line: l.line})
				l.closeTag(0, closer == '%', 2)
				return nil
			}
		}
		c := rest[0]
		switch {
		case c == '_' || isASCIILetter(c):
			n := 1
			for n < len(rest) && (rest[n] == '_' || isASCIILetter(rest[n]) || isDigit(rest[n])) {
				n++
			}
			l.emit(tName, rest[:n], n)
		case isDigit(c):
			if err := l.number(rest); err != nil {
				return err
			}
		case c == '\'' || c == '"':
			if err := l.str(rest); err != nil {
				return err
			}
		default:
			op := ""
			for _, o := range []string{"//", "**", "==", "!=", ">=", "<="} {
				if strings.HasPrefix(rest, o) {
					op = o
					break
				}
			}
			if op == "" {
				if !strings.ContainsRune("+-/*%~[](){}><=.:|,;", rune(c)) {
					r, _ := utf8.DecodeRuneInString(rest)
					return errorf(l.line, "unexpected char %q", r)
				}
				op = rest[:1]
			}
			switch op {
			case "(", "[", "{":
				depth++
			case ")", "]", "}":
				if depth == 0 {
					return errorf(l.line, "unexpected %q", op)
				}
				depth--
			}
			l.emit(tOp, op, len(op))
		}
	}
}

func (l *lexer) emit(k tokKind, v string, n int) {
	l.toks = append(l.toks, token{kind: k, val: v, line: l.line})
	l.pos += n
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		r, n := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isSpace(r) {
			return
		}
		if r == '\n' {
			l.line++
		}
		l.pos += n
	}
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool       { return c >= '0' && c <= '9' }

// digits returns the length of a run of digits with single underscores
// between them (Python's 1_000), or 0.
func digits(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
		if n+1 < len(s) && s[n] == '_' && isDigit(s[n+1]) {
			n++
		}
	}
	return n
}

func (l *lexer) number(rest string) error {
	n := digits(rest)
	float := false
	if n+1 < len(rest) && rest[n] == '.' && isDigit(rest[n+1]) {
		n += 1 + digits(rest[n+1:])
		float = true
	}
	if n < len(rest) && (rest[n] == 'e' || rest[n] == 'E') {
		m := n + 1
		if m < len(rest) && (rest[m] == '+' || rest[m] == '-') {
			m++
		}
		if d := digits(rest[m:]); d > 0 {
			n = m + d
			float = true
		}
	}
	text := strings.ReplaceAll(rest[:n], "_", "")
	if float {
		if _, err := strconv.ParseFloat(text, 64); err != nil {
			return errorf(l.line, "bad number %q", rest[:n])
		}
		l.emit(tFloat, text, n)
		return nil
	}
	if _, err := strconv.ParseInt(text, 10, 64); err != nil {
		return errorf(l.line, "integer %q is out of range", rest[:n])
	}
	l.emit(tInt, text, n)
	return nil
}

// str lexes a quoted string. Jinja2 decodes it by escaping non-ASCII text
// with backslashes and then applying Python's unicode-escape codec; doing
// the same keeps its quirks (a backslash before a non-ASCII letter).
func (l *lexer) str(rest string) error {
	q := rest[0]
	i := 1
	for ; i < len(rest) && rest[i] != q; i++ {
		if rest[i] == '\\' {
			i++
		}
	}
	if i >= len(rest) {
		return errorf(l.line, "unterminated string")
	}
	raw := rest[1:i]
	s, err := unicodeEscape(asciiEscape(raw))
	if err != nil {
		return errorf(l.line, "string literal: %v", err)
	}
	l.toks = append(l.toks, token{kind: tString, val: s, line: l.line})
	l.line += strings.Count(raw, "\n")
	l.pos += i + 1
	return nil
}

// asciiEscape is Python's s.encode("ascii", "backslashreplace").
func asciiEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r < 0x10000:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			fmt.Fprintf(&b, `\U%08x`, r)
		}
	}
	return b.String()
}

// unicodeEscape is Python's bytes.decode("unicode-escape") for ASCII input.
func unicodeEscape(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", fmt.Errorf(`\ at end of string`)
		}
		switch c = s[i]; c {
		case '\n':
		case '\\', '\'', '"':
			b.WriteByte(c)
		case 'a':
			b.WriteByte(7)
		case 'b':
			b.WriteByte(8)
		case 'f':
			b.WriteByte(12)
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'v':
			b.WriteByte(11)
		case '0', '1', '2', '3', '4', '5', '6', '7':
			n, j := 0, i
			for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
				n = n*8 + int(s[j]-'0')
			}
			b.WriteRune(rune(n))
			i = j - 1
		case 'x', 'u', 'U':
			w := map[byte]int{'x': 2, 'u': 4, 'U': 8}[c]
			if i+1+w > len(s) {
				return "", fmt.Errorf(`truncated \%c escape`, c)
			}
			n, err := strconv.ParseUint(s[i+1:i+1+w], 16, 32)
			if err != nil || n > utf8.MaxRune {
				return "", fmt.Errorf(`bad \%c escape`, c)
			}
			if n >= 0xd800 && n < 0xe000 {
				return "", fmt.Errorf("surrogate escape \\%c%0*x is not supported", c, w, n)
			}
			b.WriteRune(rune(n))
			i += w
		case 'N':
			return "", fmt.Errorf(`\N{...} escapes are not supported`)
		default:
			b.WriteByte('\\')
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}
