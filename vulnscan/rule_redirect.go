package vulnscan

import "strings"

// CWE-601: an open redirect. A redirect (Flask's and Django's redirect,
// HttpResponseRedirect, FastAPI/Starlette's RedirectResponse, Tornado's
// self.redirect, a Location header) to a URL taken from the request or a
// handler's parameter, unless a correct check dominates it (see guarded):
//
//   - membership in a constant allow-list (url in ALLOWED), or a netloc
//     compared with a constant or allow-list (urlparse(u).netloc in HOSTS,
//     == "" for relative URLs);
//   - Django's url_has_allowed_host_and_scheme / is_safe_url, or any
//     function named like is_safe_url / is_safe_redirect;
//   - startswith of a prefix that ends in "/" after a host
//     ("https://example.com/"), or startswith("/") together with a test
//     for "//" (a scheme-relative "//evil.com" starts with "/").
//
// Substring tests ("example.com" in url), endswith("example.com") and a
// bare startswith("https://example.com") (which passes
// "https://example.com.evil.net") are not checks. Values picked from a
// constant mapping (ROUTES.get(name, "/")) are constants, and url_for()
// builds an internal URL.

var redirectFuncs = map[string]bool{
	"flask.redirect": true, "redirect": true, "django.shortcuts.redirect": true,
	"HttpResponseRedirect": true, "HttpResponsePermanentRedirect": true,
	"django.http.HttpResponseRedirect": true, "django.http.HttpResponsePermanentRedirect": true,
	"RedirectResponse": true, "fastapi.responses.RedirectResponse": true,
	"starlette.responses.RedirectResponse": true, "quart.redirect": true, "bottle.redirect": true,
	"werkzeug.utils.redirect": true, "aiohttp.web.HTTPFound": true, "web.HTTPFound": true,
	"HTTPFound": true, "sanic.response.redirect": true,
}

func checkRedirect(a *analysis, s *Stmt) {
	report := func(line int, what string) {
		a.report("CWE-601", "open-redirect", line, what+" sends the user to a URL from the request without checking its host")
	}
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		last := lastName(c.X)
		var target *Node
		switch {
		case redirectFuncs[q] || redirectFuncs[last] && !strings.Contains(q, "."):
			target = c.arg(0, "url")
			if target == nil {
				target = c.kwarg("location")
			}
			if target == nil {
				target = c.kwarg("redirect_to")
			}
		case last == "redirect" && c.X.Kind == AttrNode && (dotted(c.X.X) == "self" || hasRoot(q, "flask", "django", "quart", "bottle")):
			target = c.arg(0, "url")
		default:
			continue
		}
		if a.redirectTainted(target, s) {
			report(c.Line, q+"()")
		}
	}
	// response.headers["Location"] = url, response["Location"] = url
	if s.Kind == AssignStmt {
		for _, t := range s.Targets {
			if t.Kind == SubscriptNode && isStrLit(t.Y) && strings.EqualFold(t.Y.Text, "location") && a.redirectTainted(s.Value, s) {
				report(s.Line, "the Location header")
			}
		}
	}
	for _, c := range a.calls[s.Index] {
		// resp.headers.add("Location", url), set_header("Location", url)
		switch lastName(c.X) {
		case "set_header", "add_header", "add", "setdefault", "__setitem__":
			if k := c.arg(0, ""); isStrLit(k) && strings.EqualFold(k.Text, "location") && a.redirectTainted(c.arg(1, ""), s) {
				report(c.Line, "the Location header")
			}
		}
	}
}

func (a *analysis) redirectTainted(target *Node, s *Stmt) bool {
	if target == nil {
		return false
	}
	f := a.facts(target, catURL, s)
	if !f.taint {
		return false
	}
	return !a.guarded(s, a.redirectAtom, nil)
}

func (a *analysis) redirectAtom(n *Node, s *Stmt) verdict {
	switch n.Kind {
	case AttrNode:
		// "if parts.netloc:" or "if parts.scheme:" is true for an
		// absolute URL, the one to refuse
		if isNetloc(n) || n.Text == "scheme" {
			return checkFail
		}
	case CallNode:
		last := lastName(n.X)
		switch {
		case last == "url_has_allowed_host_and_scheme" || strings.HasPrefix(last, "is_safe_") ||
			strings.HasPrefix(last, "is_allowed_") || last == "is_local_url" || last == "is_internal_url":
			return checkPass
		case last == "startswith" && n.X.Kind == AttrNode:
			if a.safeURLPrefix(n, s) {
				return checkPass
			}
		case last == "fullmatch" || last == "match":
			// re.fullmatch(r"/[a-z0-9/_-]*", url): an anchored pattern
			// without "//" is an allow-list of local paths
			if p := n.arg(0, "pattern"); isStrLit(p) && strings.HasPrefix(p.Text, "/") && !strings.Contains(p.Text, "//") && (last == "fullmatch" || strings.HasSuffix(p.Text, "$")) {
				return checkPass
			}
		}
	case CompareNode:
		if len(n.Args) != 2 {
			return noCheck
		}
		l, r, op := n.Args[0], n.Args[1], n.Ops[0]
		switch op {
		case "in", "not in":
			// value in CONSTANT_COLLECTION; a string on the right is a
			// substring test, not an allow-list
			if rv, rs := a.value(r, s); isConstCollection(rv) && !a.facts(rv, catAny, rs).dyn || a.constSetName(r, s) {
				if op == "in" {
					return checkPass
				}
				return checkFail
			}
		case "==", "!=":
			// netloc == "" (a relative URL), netloc == request.host, or a
			// constant host
			if isNetloc(l) || isNetloc(r) {
				if op == "==" {
					return checkPass
				}
				return checkFail
			}
		}
	}
	return noCheck
}

// isNetloc reports whether n reads a parsed URL's host: x.netloc,
// x.hostname, urlparse(u).netloc.
func isNetloc(n *Node) bool {
	return n != nil && n.Kind == AttrNode && (n.Text == "netloc" || n.Text == "hostname" || n.Text == "host" && n.X.Kind == CallNode)
}

func isConstCollection(n *Node) bool {
	switch n.Kind {
	case ListNode, TupleNode, SetNode, DictNode:
		return true
	case CallNode:
		switch lastName(n.X) {
		case "frozenset", "set", "tuple", "list":
			return len(n.Args) == 1 && isConstCollection(n.Args[0])
		}
	}
	return false
}

// constSetName accepts an upper-case module constant (ALLOWED_HOSTS,
// settings.ALLOWED_HOSTS) that is not bound to a string: configuration
// allow-lists usually live in another module.
func (a *analysis) constSetName(n *Node, s *Stmt) bool {
	name := lastName(n)
	if name == "" || strings.ToUpper(name) != name || !strings.ContainsAny(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		return false
	}
	v, _ := a.value(n, s)
	return v.Kind != StrNode
}

// safeURLPrefix judges url.startswith(p): a host prefix ending in "/",
// or "/" backed by a test for "//" in the same function.
func (a *analysis) safeURLPrefix(c *Node, s *Stmt) bool {
	p, _ := a.value(c.arg(0, ""), s)
	if p == nil {
		return false
	}
	if p.Kind == TupleNode {
		for _, x := range p.Args {
			if !isStrLit(x) || !safeURLLiteral(x.Text) {
				return false
			}
		}
		return len(p.Args) > 0 && !anyNode(p.Args, func(x *Node) bool { return x.Text == "/" }) || a.slashSlashTested(s)
	}
	if !isStrLit(p) {
		return false
	}
	if p.Text == "/" {
		return a.slashSlashTested(s)
	}
	return safeURLLiteral(p.Text)
}

// safeURLLiteral: "/" (checked elsewhere) or scheme://host/ with the
// trailing slash that stops "https://example.com.evil.net".
func safeURLLiteral(t string) bool {
	if t == "/" {
		return true
	}
	_, rest, ok := strings.Cut(t, "://")
	return ok && strings.Contains(rest, "/") && !strings.HasPrefix(t, "//")
}

// slashSlashTested reports whether the function containing s tests for
// "//" or a backslash (scheme-relative URLs) or parses the URL's netloc.
func (a *analysis) slashSlashTested(s *Stmt) bool {
	for _, st := range a.pr.scopes[s.Index].stmts {
		if st.Index > s.Index {
			break
		}
		for _, e := range st.Exprs {
			found := false
			walk(e, func(n *Node) bool {
				if isStrLit(n) && (n.Text == "//" || n.Text == "\\") || isNetloc(n) {
					found = true
				}
				return !found
			})
			if found {
				return true
			}
		}
	}
	return false
}
