package jinja

// Statements.
type (
	node interface{ nodeLine() int }

	textNode struct {
		line int
		text string
	}
	outputNode struct {
		line int
		x    expr
	}
	ifNode struct {
		line   int
		conds  []expr
		bodies [][]node // one per cond
		els    []node
	}
	forNode struct {
		line    int
		targets []string // one name, or a tuple of names to unpack
		iter    expr
		cond    expr // "for x in xs if cond"; nil when absent
		body    []node
		els     []node
	}
	setNode struct {
		line    int
		targets []string // names; a tuple target unpacks
		ns      string   // "set ns.attr = x": ns and attr
		attr    string
		x       expr
		body    []node // "{% set x %}...{% endset %}" when x is nil
	}
	loopCtlNode struct {
		line int
		brk  bool
	}
)

func (n *textNode) nodeLine() int    { return n.line }
func (n *outputNode) nodeLine() int  { return n.line }
func (n *ifNode) nodeLine() int      { return n.line }
func (n *forNode) nodeLine() int     { return n.line }
func (n *setNode) nodeLine() int     { return n.line }
func (n *loopCtlNode) nodeLine() int { return n.line }

// Expressions.
type (
	expr interface{ exprLine() int }

	constExpr struct {
		line int
		v    Value
	}
	listExpr struct {
		line  int
		items []expr
		tuple bool
	}
	dictExpr struct {
		line int
		keys []expr
		vals []expr
	}
	nameExpr struct {
		line int
		name string
	}
	attrExpr struct { // x.name
		line int
		x    expr
		name string
	}
	itemExpr struct { // x[i]
		line int
		x, i expr
	}
	sliceExpr struct { // x[a:b:c]; nil parts are absent
		line           int
		x, lo, hi, stp expr
	}
	callExpr struct {
		line int
		fn   expr
		args []expr
		kw   []kwArg
	}
	filterExpr struct {
		line int
		x    expr
		name string
		args []expr
		kw   []kwArg
	}
	testExpr struct {
		line int
		x    expr
		name string
		args []expr
		neg  bool
	}
	unaryExpr struct {
		line int
		op   string // "-", "+", "not"
		x    expr
	}
	binExpr struct {
		line int
		op   string // + - * / // % ** ~ and or
		a, b expr
	}
	compareExpr struct { // a op1 b op2 c ...
		line  int
		first expr
		ops   []string // == != < <= > >= in notin
		rest  []expr
	}
	condExpr struct { // a if cond else b; b nil gives Undefined
		line       int
		cond, a, b expr
	}
)

type kwArg struct {
	name string
	x    expr
}

func (e *constExpr) exprLine() int   { return e.line }
func (e *listExpr) exprLine() int    { return e.line }
func (e *dictExpr) exprLine() int    { return e.line }
func (e *nameExpr) exprLine() int    { return e.line }
func (e *attrExpr) exprLine() int    { return e.line }
func (e *itemExpr) exprLine() int    { return e.line }
func (e *sliceExpr) exprLine() int   { return e.line }
func (e *callExpr) exprLine() int    { return e.line }
func (e *filterExpr) exprLine() int  { return e.line }
func (e *testExpr) exprLine() int    { return e.line }
func (e *unaryExpr) exprLine() int   { return e.line }
func (e *binExpr) exprLine() int     { return e.line }
func (e *compareExpr) exprLine() int { return e.line }
func (e *condExpr) exprLine() int    { return e.line }
