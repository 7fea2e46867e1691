package vulnscan

import "strings"

// CWE-79: HTML assembled from user data without escaping and sent to the
// browser: returned (from a web handler, or as markup from any function),
// wrapped in a response, rendered as a template source, or declared safe
// with Markup/mark_safe. Values passed through an escaping function first,
// and templates rendered with autoescaping (render_template("x.html",
// name=name)), are safe. Jinja2 environments created with autoescape=False
// are reported too.

var responseFuncs = map[string]bool{
	"make_response": true, "HttpResponse": true, "Response": true, "HTMLResponse": true,
	"HttpResponseBadRequest": true, "HttpResponseNotFound": true,
}

var templateFuncs = map[string]bool{"render_template_string": true, "from_string": true, "Template": true}

func checkXSS(a *analysis, s *Stmt) {
	route := a.pr.scopes[s.Index].route
	for _, c := range a.calls[s.Index] {
		last := lastName(c.X)
		switch {
		case templateFuncs[last]:
			if last == "Template" && !strings.HasPrefix(a.qual(c.X, s), "jinja2") {
				continue // string.Template and others are not HTML templates
			}
			src := c.arg(0, "source")
			if f := a.facts(src, catHTML, s); f.built && f.taint {
				a.report("CWE-79", "xss", c.Line, "template source built from user data (server-side template injection)")
			}
		case markupFuncs[last]:
			if f := a.facts(c.arg(0, ""), catHTML, s); f.taint {
				a.report("CWE-79", "xss", c.Line, last+"() marks user data as safe HTML without escaping it")
			}
		case responseFuncs[last]:
			if plainMimetype(c) {
				continue
			}
			body := c.arg(0, "content")
			if body == nil {
				body = c.kwarg("response")
			}
			if f := a.facts(body, catHTML, s); f.built && f.taint && (f.tag || route) {
				a.report("CWE-79", "xss", c.Line, last+"() sends HTML built from user data without escaping")
			}
		case last == "write" && c.X.Kind == AttrNode && responseWriter(c.X.X):
			// Tornado's self.write, webapp2's self.response.write
			if f := a.facts(c.arg(0, ""), catHTML, s); f.built && f.taint && f.tag {
				a.report("CWE-79", "xss", c.Line, "writes HTML built from user data without escaping")
			}
		case last == "Environment":
			if ae := c.kwarg("autoescape"); ae != nil && isFalse(ae) {
				a.report("CWE-79", "xss", c.Line, "Jinja2 environment with autoescape=False")
			}
		}
	}
	// env.autoescape = False, app.jinja_env.autoescape = False
	if s.Kind == AssignStmt && isFalse(s.Value) && s.Value.Kind == ConstNode {
		for _, t := range s.Targets {
			if t.Kind == AttrNode && t.Text == "autoescape" {
				a.report("CWE-79", "xss", s.Line, "Jinja2 autoescaping turned off")
			}
		}
	}
	if s.Kind != ReturnStmt || s.Value == nil {
		return
	}
	v := s.Value
	if v.Kind == TupleNode && len(v.Args) > 0 {
		v = v.Args[0] // return body, status, headers
	}
	if f := a.facts(v, catHTML, s); f.built && f.taint && (f.tag || route) {
		a.report("CWE-79", "xss", s.Line, "returns HTML built from user data without escaping")
	}
}

// responseWriter reports whether n looks like a web response (self in a
// handler class, response, resp) rather than a file.
func responseWriter(n *Node) bool {
	switch d := dotted(n); d {
	case "self", "response", "resp", "self.response", "res":
		return true
	}
	return false
}

// plainMimetype reports a response declared as non-HTML.
func plainMimetype(c *Node) bool {
	for _, k := range []string{"mimetype", "content_type", "media_type"} {
		if v := c.kwarg(k); isStrLit(v) && !strings.Contains(v.Text, "html") {
			return true
		}
	}
	return false
}
