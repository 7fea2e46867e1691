package vulnscan

import "strings"

// Facts of operators and calls: how strings are built, what sanitises them
// and what merely passes them through.

func (ev *evaluator) binary(n *Node, cat category, s *Stmt) facts {
	l, r := ev.eval(n.X, cat, s), ev.eval(n.Y, cat, s)
	switch n.Text {
	case "%":
		if !l.str && !isStrLit(n.X) {
			return facts{} // arithmetic
		}
		return stringOf(l, r)
	case "+":
		if l.str || r.str {
			return stringOf(l, r)
		}
		// unknown operand types: keep what flows, it may be text
		f := l.data().or(r.data())
		f.built, f.tag = l.built || r.built, l.tag || r.tag
		return f
	case "/":
		if l.pathy || r.pathy {
			f := l.data().or(r.data())
			f.pathy = true
			f.built = l.built || r.built || l.dyn || r.dyn
			return f
		}
	case "*":
		// repetition keeps the content of the sequence ("?" * n is constant)
		if isSeq(n.X) || l.str {
			return l
		}
		if isSeq(n.Y) || r.str {
			return r
		}
	}
	return facts{} // numbers
}

// stringOf is the result of formatting or concatenating two strings.
func stringOf(l, r facts) facts {
	f := l.data().or(r.data())
	f.str = true
	f.built = l.built || r.built || l.dyn || r.dyn
	f.tag = l.tag || r.tag
	return f
}

func isSeq(n *Node) bool {
	return n != nil && (n.Kind == StrNode || n.Kind == ListNode || n.Kind == TupleNode)
}

// numericFuncs return numbers (or booleans), which carry no text.
var numericFuncs = map[string]bool{
	"int": true, "float": true, "len": true, "abs": true, "round": true, "bool": true,
	"ord": true, "hash": true, "id": true, "complex": true, "sum": true, "isinstance": true,
	"uuid.uuid4": true, "uuid.uuid1": true, "time.time": true, "decimal.Decimal": true,
}

var numericMethods = map[string]bool{
	"count": true, "index": true, "find": true, "rfind": true, "isdigit": true,
	"isnumeric": true, "isalnum": true, "isalpha": true, "startswith": true, "endswith": true,
	"exists": true, "isfile": true, "isdir": true, "getsize": true,
}

// strMethods return a string made from the receiver's own content.
var strMethods = map[string]bool{
	"strip": true, "lstrip": true, "rstrip": true, "lower": true, "upper": true,
	"title": true, "capitalize": true, "casefold": true, "replace": true,
	"encode": true, "decode": true, "zfill": true, "center": true, "ljust": true,
	"rjust": true, "expandtabs": true, "swapcase": true, "translate": true,
	"removeprefix": true, "removesuffix": true,
}

// pathPassFuncs return a path made from their arguments.
var pathPassFuncs = map[string]bool{
	"os.path.realpath": true, "os.path.abspath": true, "os.path.normpath": true,
	"os.path.expanduser": true, "os.path.expandvars": true, "os.path.normcase": true,
	"os.fspath": true, "str": true, "os.fsencode": true, "os.fsdecode": true,
}

var joinFuncs = map[string]bool{"os.path.join": true, "posixpath.join": true, "ntpath.join": true}

var pathClasses = map[string]bool{
	"Path": true, "PurePath": true, "PosixPath": true, "PurePosixPath": true, "WindowsPath": true,
}

func (ev *evaluator) call(n *Node, cat category, s *Stmt) facts {
	q := ev.pr.qual(n.X, s)
	last := lastName(n.X)
	var recv *Node
	if n.X.Kind == AttrNode {
		recv = n.X.X
	}
	switch {
	case numericFuncs[q] || strings.HasPrefix(q, "math.") || recv != nil && numericMethods[last]:
		return facts{}
	case sanitizes(cat, q, last):
		return literal
	case q == "input" || q == "raw_input" || ev.source(n, s) || recv != nil && requestGetters[last]:
		return input
	case q == "os.getenv" || q == "os.environ.get":
		return facts{dyn: true, str: true}
	}
	if sum, ok := ev.summary(n, cat, s); ok {
		return sum
	}
	args := ev.argFacts(n, cat, s)
	if recv != nil {
		switch r := ev.eval(recv, cat, s); {
		case last == "format" && recv.Kind == CallNode && markupFuncs[lastName(recv.X)]:
			// Markup("<b>{}</b>").format(x) escapes x
			if cat == catHTML {
				return literal
			}
		case last == "format" && (r.str || isStrLit(recv)):
			f := stringOf(r, args)
			f.built = r.built || args.dyn || args.built
			return f
		case last == "join" && (r.str || isStrLit(recv)):
			f := args.data()
			f.str, f.built, f.tag = true, args.dyn || args.built, r.tag || args.tag
			return f
		case strMethods[last]:
			f := r.or(args.data())
			f.str, f.pathy = true, false
			return f
		case r.pathy && (last == "resolve" || last == "absolute" || last == "expanduser" || last == "joinpath" || last == "with_suffix"):
			f := r.or(args.data())
			f.built = f.built || last == "joinpath" && args.dyn
			return f
		}
	}
	switch {
	case joinFuncs[q]:
		f := args.data()
		f.str, f.built = true, args.dyn || args.built
		return f
	case pathPassFuncs[q] || q == "os.path.basename" || q == "os.path.dirname":
		f := args
		f.str, f.pathy = true, false
		return f
	case pathClasses[last] && (q == last || strings.HasPrefix(q, "pathlib.")):
		f := args
		f.pathy, f.str = true, false
		f.built = f.built || len(n.Args) > 1 && args.dyn
		return f
	case last == "text" && (q == "text" || strings.HasPrefix(q, "sqlalchemy")):
		return args // an SQL text clause is its string
	}
	if recv != nil && (last == "get" || last == "setdefault") {
		// a lookup in a constant mapping (ROUTES.get(name, "/")) picks one
		// of its constant values whatever the key, like ROUTES[name]
		if r := ev.eval(recv, cat, s); !r.dyn {
			f := r
			if d := n.arg(1, "default"); d != nil {
				f = f.or(ev.eval(d, cat, s))
			}
			return f
		}
	}
	if pureFuncs[q] && !args.dyn {
		return args // compile("^[a-z]+$"), str(3): constants stay constant
	}
	// Anything else: a new value that depends on everything it was given.
	f := args.data()
	if recv != nil {
		f = f.or(ev.eval(recv, cat, s).data())
	}
	f.dyn = true
	return f
}

// pureFuncs compute their result from their arguments alone, so constant
// arguments give a constant.
var pureFuncs = map[string]bool{
	"re.compile": true, "re.escape": true, "str": true, "repr": true, "bytes": true, "format": true,
	"dict": true, "list": true, "tuple": true, "set": true, "frozenset": true, "sorted": true,
	"textwrap.dedent": true, "json.dumps": true, "string.Template": true, "shlex.split": true,
	"urllib.parse.urljoin": true, "urljoin": true, "urllib.parse.quote": true, "posixpath.join": true,
}

// requestGetters read request parameters (Tornado's RequestHandler,
// webapp2's request).
var requestGetters = map[string]bool{
	"get_argument": true, "get_arguments": true, "get_query_argument": true,
	"get_body_argument": true, "get_query_arguments": true, "get_body_arguments": true,
}

// summary gives the facts of a call to a function defined in the same
// file: what its return statements return. Its parameters count as caller
// data, as everywhere, so a helper that formats its argument into SQL makes
// its callers' queries formatted too.
func (ev *evaluator) summary(n *Node, cat category, s *Stmt) (facts, bool) {
	if n.X.Kind != NameNode {
		return facts{}, false
	}
	b := ev.pr.lookup(n.X.Text, s)
	if b == nil || b.kind != bindDef || b.stmt.Kind != DefStmt {
		return facts{}, false
	}
	sc := ev.pr.defScopes[b.stmt]
	if sc == nil {
		return facts{}, false
	}
	key := summaryKey{b.stmt, cat}
	if f, ok := ev.summaries[key]; ok {
		return f, true
	}
	ev.summaries[key] = opaque // recursion sees an unknown value
	var f facts
	returns := false
	for _, st := range sc.stmts {
		if st.Kind == ReturnStmt && st.Value != nil {
			f = f.or(ev.eval(st.Value, cat, st))
			returns = true
		}
	}
	if !returns {
		f = opaque
	}
	ev.summaries[key] = f
	return f, true
}

type summaryKey struct {
	def *Stmt
	cat category
}

// argFacts merges the facts of all arguments of a call.
func (ev *evaluator) argFacts(n *Node, cat category, s *Stmt) facts {
	var f facts
	for _, a := range n.Args {
		f = f.or(ev.eval(a, cat, s))
	}
	for _, k := range n.Kw {
		f = f.or(ev.eval(k.Value, cat, s))
	}
	return f
}

// markupFuncs declare a string safe HTML; their argument is trusted.
var markupFuncs = map[string]bool{"Markup": true, "mark_safe": true, "SafeString": true, "SafeText": true}

// sanitizes reports whether the call q (last: its final name) makes data
// safe for the category.
func sanitizes(cat category, q, last string) bool {
	switch cat {
	case catHTML:
		if q == "re.escape" {
			return false
		}
		switch last {
		case "escape", "escape_html", "html_escape", "conditional_escape", "clean", "quote",
			"quote_plus", "urlencode", "escapejs", "force_escape", "strip_tags", "format_html",
			"render_template", "linkify", "quoteattr", "xhtml_escape", "url_escape", "render":
			return true
		}
	case catSQL:
		switch last {
		case "escape_string", "quote_ident", "quote_literal", "escape_literal", "escape_identifier",
			"Identifier", "Literal", "literal", "real_escape_string":
			return true
		}
		return last == "escape" && q != "re.escape" && q != "html.escape"
	case catCmd:
		switch q {
		case "shlex.quote", "pipes.quote", "shlex.join", "subprocess.list2cmdline":
			return true
		}
	case catURL:
		switch last {
		case "url_for", "reverse", "reverse_lazy", "url_path_for":
			return true
		}
	case catPath:
		switch last {
		case "secure_filename", "safe_join", "basename":
			return true
		}
	}
	return false
}
