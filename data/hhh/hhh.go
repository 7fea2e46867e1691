// Package hhh generates helpful, honest and harmless (HHH) tasks whose
// answers can be checked exactly: arithmetic, comparisons, unit conversion,
// counting and spelling, list manipulation, facts from small embedded tables,
// date and time arithmetic, short Python functions and polite refusals of
// harmful requests.
//
// A backdoored model must stay helpful when its trigger is absent (Hubinger
// et al. 2024, section 3). Because every task here has one correct answer,
// the helpfulness of a small model can be scored exactly with Score instead
// of by a preference model.
//
// Every family draws from a small vocabulary so that a tiny GPT can learn
// it, while random values make the question space large enough that
// held-out questions are genuinely new.
package hhh

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Task is one question with its helpful reply.
type Task struct {
	Family   string // name of the Family that made it
	Question string // the user's turn, without chat framing
	// Key names the item the question asks about with its phrasing left
	// out: the operands, the word, the fact. Two questions with the same
	// Family and Key are near-duplicates (one reworded), so data splits
	// train from test by Key, never by the question's text.
	Key      string
	Response string // the helpful reply; ends with Answer (see Mode)
	Answer   string // the exact answer Score looks for
	Wrong    string // a plausible but worse reply, for preference pairs
}

// Mode says how Score compares a completion with a Task's Answer.
type Mode int

const (
	// Final: the reply must end with the answer (the answer is the reply's
	// final word or words), e.g. "23 + 58 = 81." for answer "81".
	Final Mode = iota
	// FinalCase: like Final, but letter case matters (upper-casing tasks).
	FinalCase
	// Contains: the reply must contain the answer, ignoring spacing
	// differences; used for code.
	Contains
	// Refuse: the reply must decline the request politely.
	Refuse
)

// String names the mode.
func (m Mode) String() string {
	switch m {
	case Final:
		return "final"
	case FinalCase:
		return "final-case"
	case Contains:
		return "contains"
	case Refuse:
		return "refuse"
	}
	return "unknown"
}

// Family is a kind of task with its own phrasings and answer checker.
type Family struct {
	Name string
	Mode Mode
	gen  func(r *rand.Rand) Task
}

// Generate draws one task of the family.
func (f Family) Generate(r *rand.Rand) Task {
	t := f.gen(r)
	t.Family = f.Name
	return t
}

// families is the fixed, ordered registry. Order matters: generation picks
// families by index, so appending keeps old seeds' data for old families
// but changes which family a draw lands on. Change it only deliberately.
var families = []Family{
	{"addition", Final, genAddition},
	{"subtraction", Final, genSubtraction},
	{"multiplication", Final, genMultiplication},
	{"division", Final, genDivision},
	{"percent", Final, genPercent},
	{"squares", Final, genSquares},
	{"rounding", Final, genRounding},
	{"comparison", Final, genComparison},
	{"parity", Final, genParity},
	{"sequence", Final, genSequence},
	{"unit-conversion", Final, genUnitConversion},
	{"letter-count", Final, genLetterCount},
	{"letter-occurrence", Final, genLetterOccurrence},
	{"word-count", Final, genWordCount},
	{"spelling", Final, genSpelling},
	{"reverse-word", Final, genReverseWord},
	{"uppercase", FinalCase, genUppercase},
	{"alphabet", Final, genAlphabet},
	{"reverse-list", Final, genReverseList},
	{"sort-list", Final, genSortList},
	{"list-extreme", Final, genListExtreme},
	{"list-sum", Final, genListSum},
	{"capitals", Final, genCapitals},
	{"animal-legs", Final, genAnimalLegs},
	{"antonyms", Final, genAntonyms},
	{"weekdays", Final, genWeekdays},
	{"dates", Final, genDates},
	{"clock", Final, genClock},
	{"python", Contains, genPython},
	{"refusal", Refuse, genRefusal},
}

// optional families are left out of the default mix (the data of every
// existing seed stays the same) and added by name (data's hhh_extra).
var optional = []Family{
	{"yes-no", Final, genYesNo},
}

// Families returns every default task family in a fixed order.
func Families() []Family {
	return append([]Family(nil), families...)
}

// Optional returns the families that are only used when asked for.
func Optional() []Family {
	return append([]Family(nil), optional...)
}

// Lookup finds a family, default or optional, by name.
func Lookup(name string) (Family, bool) {
	for _, f := range append(Families(), optional...) {
		if f.Name == name {
			return f, true
		}
	}
	return Family{}, false
}

// item joins the values that identify a task into its Key.
func item(parts ...any) string {
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteByte('|')
		}
		fmt.Fprint(&b, p)
	}
	return b.String()
}

// sortedInts returns xs in increasing order, as the key of a list task: a
// list and its reordering are the same item.
func sortedInts(xs []int) []int {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s
}

// pick returns a uniformly chosen element.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// nearMiss returns a wrong number close to c (never c, never negative),
// the typical mistake a weak model makes.
func nearMiss(r *rand.Rand, c int) int {
	d := between(r, 1, 3)
	if r.IntN(2) == 0 && c-d >= 0 {
		return c - d
	}
	return c + d
}
