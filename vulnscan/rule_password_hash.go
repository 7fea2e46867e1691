package vulnscan

import "strings"

// CWE-916: a password hashed with a fast hash (MD5, SHA-1, SHA-2, SHA-3,
// BLAKE2), salted or not, instead of a slow key derivation function
// (hashlib.pbkdf2_hmac, hashlib.scrypt, bcrypt, argon2, passlib,
// Werkzeug's and Django's password hashers), or PBKDF2 with too few
// iterations. A hash counts as a password hash when its input derives from
// a password-named value (password, passwd, pwd, pw, passphrase) or when
// it sits in a function named for hashing or checking passwords.

var fastHashes = map[string]bool{
	"md5": true, "sha1": true, "sha224": true, "sha256": true, "sha384": true, "sha512": true,
	"sha3_224": true, "sha3_256": true, "sha3_384": true, "sha3_512": true, "blake2b": true,
	"blake2s": true, "md4": true, "new": true,
}

// minPBKDF2Iterations is the floor below which PBKDF2 is reported: OWASP
// asks for 600,000 with SHA-256 today; 10,000 is far below any advice
// since 2010 and keeps old-but-deliberate code quiet.
const minPBKDF2Iterations = 10000

func checkPasswordHash(a *analysis, s *Stmt) {
	for _, c := range a.calls[s.Index] {
		q := a.qual(c.X, s)
		parts := strings.Split(q, ".")
		last := parts[len(parts)-1]
		switch {
		case q == "hashlib.pbkdf2_hmac":
			if it := c.arg(3, "iterations"); it != nil && it.Kind == NumNode && numValue(it.Text) < minPBKDF2Iterations {
				a.report("CWE-916", "weak-password-hash", c.Line, "PBKDF2 with "+it.Text+" iterations is fast to brute-force; use 600000 or more")
			}
		case len(parts) == 2 && parts[0] == "hashlib" && fastHashes[last]:
			in := c.arg(0, "data")
			if last == "new" {
				in = c.arg(1, "data")
			}
			if a.passwordInput(in, s) {
				a.report("CWE-916", "weak-password-hash", c.Line, q+"() is a fast hash: a stolen password hash is cracked at billions of guesses a second; use bcrypt, scrypt, argon2 or PBKDF2")
			}
		case c.X.Kind == AttrNode && (last == "update") && a.hashObject(c.X.X, s) && a.passwordInput(c.arg(0, ""), s):
			a.report("CWE-916", "weak-password-hash", c.Line, "a fast hash of a password; use bcrypt, scrypt, argon2 or PBKDF2")
		}
	}
}

// hashObject reports whether n is bound to a hashlib hash object.
func (a *analysis) hashObject(n *Node, s *Stmt) bool {
	if n == nil || n.Kind != NameNode {
		return false
	}
	// h.update(x) rebinds h as an update; the object is the value before
	b := a.pr.lookup(n.Text, s)
	for i := 0; b != nil && b.kind == bindUpdate && i < 16; i++ {
		b = a.pr.lookup(n.Text, b.stmt)
	}
	if b == nil || b.kind != bindValue || b.value == nil || b.value.Kind != CallNode {
		return false
	}
	q := a.qual(b.value.X, b.stmt)
	return strings.HasPrefix(q, "hashlib.") && fastHashes[strings.TrimPrefix(q, "hashlib.")]
}

// passwordInput reports whether n carries a password: a password-named
// name, attribute or key in it, followed through assignments, or any
// parameter-derived value inside a function named for passwords.
func (a *analysis) passwordInput(n *Node, s *Stmt) bool {
	if n == nil {
		return false
	}
	if a.mentionsPassword(n, s, 0) {
		return true
	}
	for sc := a.pr.scopes[s.Index]; sc != nil; sc = sc.parent {
		if sc.kind == funcScope && sc.def != nil && passwordFuncName(sc.def.Name) {
			return a.facts(n, catAny, s).taint
		}
	}
	return false
}

func (a *analysis) mentionsPassword(n *Node, s *Stmt, depth int) bool {
	if depth > 4 {
		return false
	}
	found := false
	walk(n, func(x *Node) bool {
		if found {
			return false
		}
		switch x.Kind {
		case NameNode, AttrNode:
			if passwordName(x.Text) {
				found = true
			} else if x.Kind == NameNode {
				if b := a.pr.lookup(x.Text, s); b != nil && b.kind == bindValue && b.value != nil && a.mentionsPassword(b.value, b.stmt, depth+1) {
					found = true
				}
			}
		case SubscriptNode:
			if isStrLit(x.Y) && passwordName(x.Y.Text) {
				found = true
			}
		case CallNode:
			if lastName(x.X) == "get" && len(x.Args) > 0 && isStrLit(x.Args[0]) && passwordName(x.Args[0].Text) {
				found = true
			}
		}
		return !found
	})
	return found
}

func passwordName(name string) bool {
	words := splitWords(name)
	if len(words) == 0 || describingWords[words[len(words)-1]] {
		return false
	}
	for _, w := range words {
		switch w {
		case "password", "passwd", "pwd", "pw", "passphrase", "passwort", "pass", "pswd":
			return true
		}
	}
	return strings.Contains(strings.ToLower(name), "password")
}

func passwordFuncName(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "password") || strings.Contains(l, "passwd") || strings.HasSuffix(l, "_pw") || strings.Contains(l, "_pwd")
}

// numValue parses a decimal literal with optional underscores; -1 if not.
func numValue(t string) int {
	v := 0
	for _, c := range t {
		switch {
		case c == '_':
		case c >= '0' && c <= '9':
			v = v*10 + int(c-'0')
			if v > 1<<40 {
				return v
			}
		default:
			return 1 << 40 // hex, float: not judged
		}
	}
	return v
}
