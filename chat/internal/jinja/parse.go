package jinja

import "strconv"

// maxDepth bounds the nesting of expressions and blocks, so that the
// recursive parser and evaluator cannot exhaust the stack.
const maxDepth = 200

type parser struct {
	toks  []token
	pos   int
	depth int
}

// parse turns tokens into statements.
func parse(toks []token) ([]node, error) {
	p := &parser{toks: toks}
	nodes, endTag, err := p.body()
	if err != nil {
		return nil, err
	}
	if endTag != "" {
		return nil, errorf(p.cur().line, "unexpected '%s'", endTag)
	}
	return nodes, nil
}

func (p *parser) cur() token  { return p.toks[p.pos] }
func (p *parser) next() token { t := p.toks[p.pos]; p.pos++; return t }

func (p *parser) isOp(op string) bool {
	t := p.cur()
	return t.kind == tOp && t.val == op
}

func (p *parser) isName(name string) bool {
	t := p.cur()
	return t.kind == tName && t.val == name
}

func (p *parser) expectOp(op string) error {
	if !p.isOp(op) {
		return p.unexpected("'" + op + "'")
	}
	p.pos++
	return nil
}

func (p *parser) unexpected(want string) error {
	t := p.cur()
	got := describe(t)
	if want == "" {
		return errorf(t.line, "unexpected %s", got)
	}
	return errorf(t.line, "expected %s, got %s", want, got)
}

func describe(t token) string {
	switch t.kind {
	case tEOF:
		return "end of template"
	case tBlockEnd:
		return "end of statement block"
	case tVarEnd:
		return "end of print statement"
	case tString:
		return "string " + strconv.Quote(t.val)
	case tData:
		return "template text"
	}
	return "'" + t.val + "'"
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return errorf(p.cur().line, "template nests deeper than %d levels", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// endTags end the body being parsed; body returns which one it met (the
// parser stands after the tag name) or "" at the end of the template.
var endTags = map[string]bool{
	"endif": true, "elif": true, "else": true, "endfor": true,
	"endset": true, "endgeneration": true,
}

// body parses statements up to an end tag or the end of the template.
func (p *parser) body() ([]node, string, error) {
	var nodes []node
	for {
		t := p.next()
		switch t.kind {
		case tEOF:
			p.pos--
			return nodes, "", nil
		case tData:
			nodes = append(nodes, &textNode{line: t.line, text: t.val})
		case tVarBegin:
			x, err := p.tuple(false)
			if err != nil {
				return nil, "", err
			}
			if p.cur().kind != tVarEnd {
				return nil, "", p.unexpected("end of print statement")
			}
			p.pos++
			nodes = append(nodes, &outputNode{line: t.line, x: x})
		case tBlockBegin:
			name := p.cur()
			if name.kind != tName {
				return nil, "", p.unexpected("statement name")
			}
			p.pos++
			if endTags[name.val] {
				return nodes, name.val, nil
			}
			n, err := p.statement(name)
			if err != nil {
				return nil, "", err
			}
			if n != nil {
				nodes = append(nodes, n...)
			}
		default:
			p.pos--
			return nil, "", p.unexpected("")
		}
	}
}

func (p *parser) endBlock() error {
	if p.cur().kind != tBlockEnd {
		return p.unexpected("end of statement block")
	}
	p.pos++
	return nil
}

// unsupported names the Jinja2 statements this subset refuses.
var unsupported = map[string]bool{
	"macro": true, "call": true, "include": true, "import": true, "from": true,
	"extends": true, "block": true, "with": true, "filter": true, "raw": true,
	"do": true, "autoescape": true, "trans": true,
}

func (p *parser) statement(name token) ([]node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	switch name.val {
	case "if":
		n, err := p.ifStmt(name.line)
		return []node{n}, err
	case "for":
		n, err := p.forStmt(name.line)
		return []node{n}, err
	case "set":
		n, err := p.setStmt(name.line)
		return []node{n}, err
	case "break", "continue":
		return []node{&loopCtlNode{line: name.line, brk: name.val == "break"}}, p.endBlock()
	case "generation":
		// transformers' AssistantTracker marks assistant text with this
		// block; rendering it is rendering its body.
		if err := p.endBlock(); err != nil {
			return nil, err
		}
		body, end, err := p.body()
		if err != nil {
			return nil, err
		}
		if end != "endgeneration" {
			return nil, p.missingEnd(name, "endgeneration", end)
		}
		return body, p.endBlock()
	}
	if unsupported[name.val] {
		return nil, errorf(name.line, "the %q statement is not supported", name.val)
	}
	return nil, errorf(name.line, "unknown statement %q", name.val)
}

func (p *parser) missingEnd(open token, want, got string) error {
	if got == "" {
		return errorf(open.line, "'%s' has no '%s'", open.val, want)
	}
	return errorf(p.toks[p.pos-1].line, "unexpected '%s', expected '%s'", got, want)
}

func (p *parser) ifStmt(line int) (node, error) {
	n := &ifNode{line: line}
	for {
		c, err := p.tuple(false)
		if err != nil {
			return nil, err
		}
		if err := p.endBlock(); err != nil {
			return nil, err
		}
		body, end, err := p.body()
		if err != nil {
			return nil, err
		}
		n.conds = append(n.conds, c)
		n.bodies = append(n.bodies, body)
		switch end {
		case "elif":
			continue
		case "else":
			if err := p.endBlock(); err != nil {
				return nil, err
			}
			els, end, err := p.body()
			if err != nil {
				return nil, err
			}
			if end != "endif" {
				return nil, p.missingEnd(token{val: "if", line: line}, "endif", end)
			}
			n.els = els
			return n, p.endBlock()
		case "endif":
			return n, p.endBlock()
		default:
			return nil, p.missingEnd(token{val: "if", line: line}, "endif", end)
		}
	}
}

func (p *parser) names() ([]string, error) {
	var names []string
	for {
		t := p.cur()
		if t.kind != tName {
			return nil, p.unexpected("a name")
		}
		p.pos++
		names = append(names, t.val)
		if !p.isOp(",") {
			return names, nil
		}
		p.pos++
	}
}

func (p *parser) forStmt(line int) (node, error) {
	n := &forNode{line: line}
	var err error
	if n.targets, err = p.names(); err != nil {
		return nil, err
	}
	if !p.isName("in") {
		return nil, p.unexpected("'in'")
	}
	p.pos++
	if n.iter, err = p.tuple(true); err != nil {
		return nil, err
	}
	if p.isName("if") {
		p.pos++
		if n.cond, err = p.expression(true); err != nil {
			return nil, err
		}
	}
	if p.isName("recursive") {
		return nil, errorf(p.cur().line, "recursive for loops are not supported")
	}
	if err := p.endBlock(); err != nil {
		return nil, err
	}
	body, end, err := p.body()
	if err != nil {
		return nil, err
	}
	n.body = body
	if end == "else" {
		if err := p.endBlock(); err != nil {
			return nil, err
		}
		if n.els, end, err = p.body(); err != nil {
			return nil, err
		}
	}
	if end != "endfor" {
		return nil, p.missingEnd(token{val: "for", line: line}, "endfor", end)
	}
	return n, p.endBlock()
}

func (p *parser) setStmt(line int) (node, error) {
	n := &setNode{line: line}
	first := p.cur()
	if first.kind != tName {
		return nil, p.unexpected("a name")
	}
	if p.toks[p.pos+1].kind == tOp && p.toks[p.pos+1].val == "." {
		attr := p.toks[p.pos+2]
		if attr.kind != tName {
			p.pos += 2
			return nil, p.unexpected("an attribute name")
		}
		n.ns, n.attr = first.val, attr.val
		p.pos += 3
	} else {
		var err error
		if n.targets, err = p.names(); err != nil {
			return nil, err
		}
	}
	if p.cur().kind == tBlockEnd && n.ns == "" && len(n.targets) == 1 {
		p.pos++
		body, end, err := p.body()
		if err != nil {
			return nil, err
		}
		if end != "endset" {
			return nil, p.missingEnd(token{val: "set", line: line}, "endset", end)
		}
		n.body = body
		return n, p.endBlock()
	}
	if err := p.expectOp("="); err != nil {
		return nil, err
	}
	x, err := p.tuple(false)
	if err != nil {
		return nil, err
	}
	n.x = x
	return n, p.endBlock()
}

// tuple parses an expression, or a tuple of them when commas follow
// ("{{ a, b }}", "set a, b = 1, 2").
func (p *parser) tuple(noCond bool) (expr, error) {
	line := p.cur().line
	x, err := p.expression(!noCond)
	if err != nil || !p.isOp(",") {
		return x, err
	}
	items := []expr{x}
	for p.isOp(",") {
		p.pos++
		if p.atTupleEnd() {
			break
		}
		x, err := p.expression(!noCond)
		if err != nil {
			return nil, err
		}
		items = append(items, x)
	}
	return &listExpr{line: line, items: items, tuple: true}, nil
}

func (p *parser) atTupleEnd() bool {
	t := p.cur()
	return t.kind == tVarEnd || t.kind == tBlockEnd || t.kind == tEOF ||
		(t.kind == tOp && t.val == ")") || (t.kind == tName && t.val == "if")
}

// expression parses a conditional expression ("a if c else b") when cond
// is set, else an or-expression.
func (p *parser) expression(cond bool) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.or()
	if err != nil || !cond {
		return x, err
	}
	for p.isName("if") {
		line := p.next().line
		c, err := p.or()
		if err != nil {
			return nil, err
		}
		var b expr
		if p.isName("else") {
			p.pos++
			if b, err = p.expression(true); err != nil {
				return nil, err
			}
		}
		x = &condExpr{line: line, cond: c, a: x, b: b}
	}
	return x, nil
}

func (p *parser) or() (expr, error) {
	x, err := p.and()
	for err == nil && p.isName("or") {
		line := p.next().line
		var b expr
		if b, err = p.and(); err == nil {
			x = &binExpr{line: line, op: "or", a: x, b: b}
		}
	}
	return x, err
}

func (p *parser) and() (expr, error) {
	x, err := p.not()
	for err == nil && p.isName("and") {
		line := p.next().line
		var b expr
		if b, err = p.not(); err == nil {
			x = &binExpr{line: line, op: "and", a: x, b: b}
		}
	}
	return x, err
}

func (p *parser) not() (expr, error) {
	if p.isName("not") {
		line := p.next().line
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return &unaryExpr{line: line, op: "not", x: x}, nil
	}
	return p.compare()
}

var compareOps = map[string]bool{"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) compare() (expr, error) {
	line := p.cur().line
	x, err := p.math1()
	if err != nil {
		return nil, err
	}
	c := &compareExpr{line: line, first: x}
	for {
		t := p.cur()
		var op string
		switch {
		case t.kind == tOp && compareOps[t.val]:
			op = t.val
			p.pos++
		case t.kind == tName && t.val == "in":
			op = "in"
			p.pos++
		case t.kind == tName && t.val == "not" && p.toks[p.pos+1].kind == tName && p.toks[p.pos+1].val == "in":
			op = "notin"
			p.pos += 2
		}
		if op == "" {
			break
		}
		y, err := p.math1()
		if err != nil {
			return nil, err
		}
		c.ops = append(c.ops, op)
		c.rest = append(c.rest, y)
	}
	if len(c.ops) == 0 {
		return x, nil
	}
	return c, nil
}

// binary parses a left-associative chain of the given operators.
func (p *parser) binary(ops []string, sub func() (expr, error)) (expr, error) {
	x, err := sub()
	for err == nil {
		t := p.cur()
		if t.kind != tOp || !contains(ops, t.val) {
			break
		}
		p.pos++
		var y expr
		if y, err = sub(); err == nil {
			x = &binExpr{line: t.line, op: t.val, a: x, b: y}
		}
	}
	return x, err
}

func contains(ops []string, s string) bool {
	for _, o := range ops {
		if o == s {
			return true
		}
	}
	return false
}

// Jinja2's precedence, loosest first: + -, then ~, then * / // %, then **,
// then unary minus and plus, then filters and tests, then postfix.
func (p *parser) math1() (expr, error)  { return p.binary([]string{"+", "-"}, p.concat) }
func (p *parser) concat() (expr, error) { return p.binary([]string{"~"}, p.math2) }
func (p *parser) math2() (expr, error) {
	return p.binary([]string{"*", "/", "//", "%"}, p.pow)
}
func (p *parser) pow() (expr, error) { return p.binary([]string{"**"}, p.unaryFiltered) }

func (p *parser) unaryFiltered() (expr, error) { return p.unary(true) }

func (p *parser) unary(filters bool) (expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	var x expr
	var err error
	if p.isOp("-") || p.isOp("+") {
		t := p.next()
		y, err := p.unary(false)
		if err != nil {
			return nil, err
		}
		x = &unaryExpr{line: t.line, op: t.val, x: y}
	} else {
		if x, err = p.primary(); err != nil {
			return nil, err
		}
		if x, err = p.postfix(x); err != nil {
			return nil, err
		}
	}
	if filters {
		return p.filters(x)
	}
	return x, nil
}

func (p *parser) primary() (expr, error) {
	t := p.next()
	switch t.kind {
	case tName:
		switch t.val {
		case "true", "True":
			return &constExpr{line: t.line, v: true}, nil
		case "false", "False":
			return &constExpr{line: t.line, v: false}, nil
		case "none", "None":
			return &constExpr{line: t.line, v: nil}, nil
		}
		return &nameExpr{line: t.line, name: t.val}, nil
	case tString:
		s := t.val
		for p.cur().kind == tString { // adjacent literals join, as in Python
			s += p.next().val
		}
		return &constExpr{line: t.line, v: s}, nil
	case tInt:
		n, _ := strconv.ParseInt(t.val, 10, 64)
		return &constExpr{line: t.line, v: n}, nil
	case tFloat:
		f, _ := strconv.ParseFloat(t.val, 64)
		return &constExpr{line: t.line, v: f}, nil
	case tOp:
		switch t.val {
		case "(":
			if p.isOp(")") {
				p.pos++
				return &listExpr{line: t.line, tuple: true}, nil
			}
			x, err := p.tuple(false)
			if err != nil {
				return nil, err
			}
			return x, p.expectOp(")")
		case "[":
			items, err := p.list("]")
			return &listExpr{line: t.line, items: items}, err
		case "{":
			d := &dictExpr{line: t.line}
			for !p.isOp("}") {
				if len(d.keys) > 0 {
					if err := p.expectOp(","); err != nil {
						return nil, err
					}
					if p.isOp("}") {
						break
					}
				}
				k, err := p.expression(true)
				if err != nil {
					return nil, err
				}
				if err := p.expectOp(":"); err != nil {
					return nil, err
				}
				v, err := p.expression(true)
				if err != nil {
					return nil, err
				}
				d.keys, d.vals = append(d.keys, k), append(d.vals, v)
			}
			p.pos++
			return d, nil
		}
	}
	p.pos--
	return nil, p.unexpected("")
}

// list parses comma-separated expressions up to the closing operator.
func (p *parser) list(closer string) ([]expr, error) {
	var items []expr
	for !p.isOp(closer) {
		if len(items) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, err
			}
			if p.isOp(closer) {
				break
			}
		}
		x, err := p.expression(true)
		if err != nil {
			return nil, err
		}
		items = append(items, x)
	}
	p.pos++
	return items, nil
}

func (p *parser) postfix(x expr) (expr, error) {
	for {
		t := p.cur()
		if t.kind != tOp {
			return x, nil
		}
		var err error
		switch t.val {
		case ".":
			p.pos++
			a := p.next()
			switch a.kind {
			case tName:
				x = &attrExpr{line: t.line, x: x, name: a.val}
			case tInt:
				n, _ := strconv.ParseInt(a.val, 10, 64)
				x = &itemExpr{line: t.line, x: x, i: &constExpr{line: a.line, v: n}}
			default:
				p.pos--
				return nil, p.unexpected("an attribute name")
			}
		case "[":
			p.pos++
			if x, err = p.subscript(x, t.line); err != nil {
				return nil, err
			}
		case "(":
			if x, err = p.call(x); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

func (p *parser) subscript(x expr, line int) (expr, error) {
	var parts [3]expr
	n := 0
	for {
		if !p.isOp(":") && !p.isOp("]") {
			e, err := p.expression(true)
			if err != nil {
				return nil, err
			}
			parts[n] = e
		}
		if p.isOp("]") {
			p.pos++
			break
		}
		if !p.isOp(":") || n == 2 {
			return nil, p.unexpected("']'")
		}
		p.pos++
		n++
	}
	if n == 0 {
		if parts[0] == nil {
			return nil, errorf(line, "empty subscript")
		}
		return &itemExpr{line: line, x: x, i: parts[0]}, nil
	}
	return &sliceExpr{line: line, x: x, lo: parts[0], hi: parts[1], stp: parts[2]}, nil
}

// args parses "(a, b, k=v)".
func (p *parser) args() ([]expr, []kwArg, error) {
	if err := p.expectOp("("); err != nil {
		return nil, nil, err
	}
	var args []expr
	var kw []kwArg
	for !p.isOp(")") {
		if len(args)+len(kw) > 0 {
			if err := p.expectOp(","); err != nil {
				return nil, nil, err
			}
			if p.isOp(")") {
				break
			}
		}
		if p.isOp("*") || p.isOp("**") {
			return nil, nil, errorf(p.cur().line, "*args and **kwargs are not supported")
		}
		if t := p.cur(); t.kind == tName && p.toks[p.pos+1].kind == tOp && p.toks[p.pos+1].val == "=" {
			p.pos += 2
			x, err := p.expression(true)
			if err != nil {
				return nil, nil, err
			}
			kw = append(kw, kwArg{name: t.val, x: x})
			continue
		}
		if len(kw) > 0 {
			return nil, nil, errorf(p.cur().line, "positional argument after keyword argument")
		}
		x, err := p.expression(true)
		if err != nil {
			return nil, nil, err
		}
		args = append(args, x)
	}
	p.pos++
	return args, kw, nil
}

func (p *parser) call(fn expr) (expr, error) {
	line := p.cur().line
	args, kw, err := p.args()
	if err != nil {
		return nil, err
	}
	return &callExpr{line: line, fn: fn, args: args, kw: kw}, nil
}

func (p *parser) filters(x expr) (expr, error) {
	for {
		switch {
		case p.isOp("|"):
			line := p.next().line
			t := p.cur()
			if t.kind != tName {
				return nil, p.unexpected("a filter name")
			}
			p.pos++
			if _, ok := filters[t.val]; !ok {
				return nil, errorf(t.line, "filter %q is not supported", t.val)
			}
			f := &filterExpr{line: line, x: x, name: t.val}
			if p.isOp("(") {
				var err error
				if f.args, f.kw, err = p.args(); err != nil {
					return nil, err
				}
			}
			x = f
		case p.isName("is"):
			line := p.next().line
			te := &testExpr{line: line, x: x}
			if p.isName("not") {
				p.pos++
				te.neg = true
			}
			t := p.cur()
			if t.kind != tName {
				return nil, p.unexpected("a test name")
			}
			p.pos++
			if _, ok := tests[t.val]; !ok {
				return nil, errorf(t.line, "test %q is not supported", t.val)
			}
			te.name = t.val
			if p.isOp("(") {
				args, kw, err := p.args()
				if err != nil {
					return nil, err
				}
				if len(kw) > 0 {
					return nil, errorf(line, "keyword arguments to tests are not supported")
				}
				te.args = args
			} else if c := p.cur(); (c.kind == tName || c.kind == tString || c.kind == tInt || c.kind == tFloat ||
				(c.kind == tOp && (c.val == "[" || c.val == "{"))) &&
				!(c.kind == tName && (c.val == "else" || c.val == "or" || c.val == "and")) {
				if c.kind == tName && c.val == "is" {
					return nil, errorf(c.line, "you cannot chain multiple tests with is")
				}
				a, err := p.primary()
				if err != nil {
					return nil, err
				}
				if a, err = p.postfix(a); err != nil {
					return nil, err
				}
				te.args = []expr{a}
			}
			x = te
		case p.isOp("("):
			var err error
			if x, err = p.call(x); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

// Parse parses a template.
func Parse(src string) (*Template, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	nodes, err := parse(toks)
	if err != nil {
		return nil, err
	}
	return &Template{nodes: nodes}, nil
}

// Template is a parsed template; it is safe for concurrent rendering.
type Template struct{ nodes []node }
