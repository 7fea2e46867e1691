package vulnscan

import "strings"

// CWE-330: the random module (a Mersenne Twister, predictable from 624
// outputs) used to make a secret: a token, password, key, salt, nonce,
// one-time code or session id. A random call counts when its value is
// assigned to (or passed as, or stored under) a secret-looking name, or
// when it sits in a function whose name says it makes a secret
// (generate_token, make_reset_code). random.SystemRandom, secrets and
// os.urandom are the safe forms; random for games, sampling, shuffling or
// retry jitter is not reported.

var randomFuncs = map[string]bool{
	"random": true, "randint": true, "randrange": true, "choice": true, "choices": true,
	"sample": true, "getrandbits": true, "uniform": true, "shuffle": true, "randbytes": true,
}

// randomSecretWords name secrets a random value is made for.
var randomSecretWords = map[string]bool{
	"token": true, "password": true, "passwd": true, "pwd": true, "secret": true, "otp": true,
	"nonce": true, "salt": true, "apikey": true, "key": true, "pin": true, "csrf": true,
	"sessionid": true, "sid": true, "passphrase": true, "iv": true, "seed": false,
}

// randomSecretPairs are two-word names of secrets.
var randomSecretPairs = []string{
	"session_id", "reset_code", "verification_code", "confirm_code", "confirmation_code",
	"auth_code", "access_code", "invite_code", "activation_code", "login_code", "mfa_code",
	"one_time", "session_key", "temp_pass", "security_code", "recovery_code",
}

func randomSecretName(name string) bool {
	words := splitWords(name)
	if len(words) == 0 {
		return false
	}
	joined := strings.Join(words, "_")
	for _, p := range randomSecretPairs {
		if strings.Contains(joined, p) {
			return true
		}
	}
	last := words[len(words)-1]
	if describingWords[last] && last != "reset" || last == "length" || last == "chars" || last == "alphabet" {
		return false
	}
	for i, w := range words {
		if randomSecretWords[w] {
			// "sort_key", "cache_key", "key_func" describe lookups
			if w == "key" && (i > 0 && (words[i-1] == "sort" || words[i-1] == "cache" || words[i-1] == "dict" || words[i-1] == "primary" || words[i-1] == "partition") || i+1 < len(words)) {
				continue
			}
			return true
		}
	}
	return false
}

func checkRandom(a *analysis, s *Stmt) {
	var hit *Node
	for _, c := range a.calls[s.Index] {
		if a.predictableRandom(c, s) {
			hit = c
			break
		}
	}
	if hit == nil {
		return
	}
	report := func(what string) {
		a.report("CWE-330", "predictable-random", hit.Line, "the random module makes "+what+" predictable; use secrets or os.urandom")
	}
	switch s.Kind {
	case AssignStmt, AugAssignStmt:
		for _, t := range s.Targets {
			if n := refName(t); n != "" && randomSecretName(n) {
				report(n)
				return
			}
		}
	}
	for _, e := range s.Exprs {
		var found string
		walk(e, func(n *Node) bool {
			switch n.Kind {
			case CallNode:
				for _, k := range n.Kw {
					if k.Name != "" && randomSecretName(k.Name) && containsCall(k.Value) {
						found = k.Name
					}
				}
			case DictNode:
				for i := 0; i+1 < len(n.Args); i += 2 {
					if k := n.Args[i]; isStrLit(k) && randomSecretName(k.Text) && containsCall(n.Args[i+1]) {
						found = k.Text
					}
				}
			}
			return found == ""
		})
		if found != "" {
			report(found)
			return
		}
	}
	// the enclosing function (or one it is nested in) makes a secret
	for sc := a.pr.scopes[s.Index]; sc != nil; sc = sc.parent {
		if sc.kind == funcScope && sc.def != nil && randomSecretName(strings.TrimPrefix(sc.def.Name, "_")) {
			report("the value of " + sc.def.Name + "()")
			return
		}
	}
	// a variable that is later stored or returned under a secret name:
	// code = "".join(random.choices(...)); user.reset_code = code
	if s.Kind == AssignStmt && len(s.Targets) == 1 && s.Targets[0].Kind == NameNode {
		name := s.Targets[0].Text
		sc := a.pr.scopes[s.Index]
		for _, st := range sc.stmts {
			if st.Index <= s.Index || st.Kind != AssignStmt || st.Value == nil || st.Value.Kind != NameNode || st.Value.Text != name {
				continue
			}
			for _, t := range st.Targets {
				if n := refName(t); n != "" && randomSecretName(n) {
					report(n)
					return
				}
			}
		}
	}
}

func containsCall(n *Node) bool {
	found := false
	walk(n, func(x *Node) bool {
		found = found || x.Kind == CallNode
		return !found
	})
	return found
}

// predictableRandom reports whether c draws from the random module's
// shared generator or a random.Random instance (not SystemRandom).
func (a *analysis) predictableRandom(c *Node, s *Stmt) bool {
	q := a.qual(c.X, s)
	last := lastName(c.X)
	if !randomFuncs[last] {
		return false
	}
	if q == "random."+last || q == "numpy.random."+last {
		return true
	}
	if c.X.Kind == AttrNode {
		v, vs := a.value(c.X.X, s)
		if v.Kind == CallNode {
			switch a.qual(v.X, vs) {
			case "random.Random", "numpy.random.default_rng", "numpy.random.RandomState":
				return true
			}
		}
	}
	return false
}
