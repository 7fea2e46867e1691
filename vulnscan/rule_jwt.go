package vulnscan

// CWE-347: a JSON Web Token decoded without verifying its signature:
// PyJWT's options={"verify_signature": False}, the old verify=False,
// algorithms=["none"]; python-jose's and authlib's equivalents.

func checkJWT(a *analysis, s *Stmt) {
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		if !hasRoot(q, "jwt", "jose.jwt", "jose.jws") && !(lastName(c.X) == "decode" && dotted(c.X.X) == "jwt") {
			continue
		}
		if lastName(c.X) != "decode" && lastName(c.X) != "decode_complete" && lastName(c.X) != "get_unverified_claims" {
			continue
		}
		report := func(why string) {
			a.report("CWE-347", "jwt-unverified", c.Line, "JWT decoded "+why+": anyone can forge its claims")
		}
		if lastName(c.X) == "get_unverified_claims" {
			report("without verifying its signature")
			continue
		}
		if v := c.kwarg("verify"); isFalse(v) {
			report("with verify=False")
		}
		opts, _ := a.value(c.kwarg("options"), s)
		if opts != nil && opts.Kind == DictNode {
			for i := 0; i+1 < len(opts.Args); i += 2 {
				if k := opts.Args[i]; isStrLit(k) && k.Text == "verify_signature" && isFalse(opts.Args[i+1]) {
					report("with verify_signature off")
				}
			}
		}
		algs, _ := a.value(c.arg(2, "algorithms"), s)
		if algs != nil && (algs.Kind == ListNode || algs.Kind == TupleNode) {
			for _, x := range algs.Args {
				if isStrLit(x) && (x.Text == "none" || x.Text == "None" || x.Text == "NONE") {
					report("accepting the \"none\" algorithm")
				}
			}
		}
	}
}
