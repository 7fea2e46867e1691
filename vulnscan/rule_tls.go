package vulnscan

// CWE-295: TLS without certificate checks: verify=False on HTTP client
// calls, ssl._create_unverified_context, ssl.CERT_NONE, and
// check_hostname = False.

var httpClientMethods = map[string]bool{
	"get": true, "post": true, "put": true, "patch": true, "delete": true, "head": true,
	"options": true, "request": true, "Client": true, "AsyncClient": true, "stream": true, "urlopen": true,
}

func checkTLS(a *analysis, s *Stmt) {
	report := func(line int, msg string) { a.report("CWE-295", "cert-validation", line, msg) }
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		if v := c.kwarg("verify"); v != nil && isFalse(v) && (httpClientMethods[lastName(c.X)] || hasRoot(q, "requests", "httpx", "aiohttp")) {
			report(c.Line, "verify=False turns off TLS certificate checks")
		}
		// aiohttp: ssl=False, verify_ssl=False, TCPConnector(ssl=False)
		if v := c.kwarg("ssl"); isFalse(v) && v.Kind == ConstNode && (hasRoot(q, "aiohttp") || httpClientMethods[lastName(c.X)] || lastName(c.X) == "TCPConnector") {
			report(c.Line, "ssl=False turns off TLS certificate checks")
		}
		if v := c.kwarg("verify_ssl"); isFalse(v) {
			report(c.Line, "verify_ssl=False turns off TLS certificate checks")
		}
		if q == "ssl._create_unverified_context" {
			report(c.Line, "ssl._create_unverified_context() does not check certificates")
		}
		if v := c.kwarg("cert_reqs"); isStrLit(v) && v.Text == "CERT_NONE" {
			report(c.Line, "cert_reqs=\"CERT_NONE\" turns off TLS certificate checks")
		}
	}
	for _, r := range a.refs[s.Index] {
		switch a.qual(r, s) {
		case "ssl._create_unverified_context":
			report(r.Line, "ssl._create_unverified_context() does not check certificates")
		case "ssl.CERT_NONE":
			report(r.Line, "ssl.CERT_NONE turns off TLS certificate checks")
		}
	}
	if s.Kind == AssignStmt && isFalse(s.Value) {
		for _, t := range s.Targets {
			if t.Kind == AttrNode && t.Text == "check_hostname" {
				report(s.Line, "check_hostname = False accepts certificates for any host")
			}
			// session.verify = False (requests.Session, httpx clients)
			if t.Kind == AttrNode && t.Text == "verify" && s.Value.Kind == ConstNode {
				report(s.Line, "verify = False turns off TLS certificate checks for the whole session")
			}
		}
	}
}

// hasRoot reports whether the dotted name q starts with one of roots.
func hasRoot(q string, roots ...string) bool {
	for _, r := range roots {
		if q == r || len(q) > len(r) && q[:len(r)] == r && q[len(r)] == '.' {
			return true
		}
	}
	return false
}
