package hhh

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

func genLetterCount(r *rand.Rand) Task {
	w := pick(r, words)
	q := fmt.Sprintf(pick(r, []string{
		"How many letters are in the word '%s'?",
		"Count the letters in '%s'.",
		"How long is the word '%s'?",
	}), w)
	return Task{
		Question: q,
		Key:      item(w),
		Response: fmt.Sprintf("The word '%s' has %d letters.", w, len(w)),
		Answer:   fmt.Sprintf("%d letters", len(w)),
		Wrong:    fmt.Sprintf("The word '%s' has %d letters.", w, nearMiss(r, len(w))),
	}
}

// times spells a count the way people write it ("1 time", "3 times").
func times(n int) string {
	if n == 1 {
		return "1 time"
	}
	return fmt.Sprintf("%d times", n)
}

func genLetterOccurrence(r *rand.Rand) Task {
	w := pick(r, words)
	l := w[r.IntN(len(w))] // a letter that occurs, so the answer is at least 1
	if r.IntN(4) == 0 {
		l = byte('a' + r.IntN(26)) // sometimes any letter, so 0 is possible
	}
	n := strings.Count(w, string(l))
	q := fmt.Sprintf(pick(r, []string{
		"How many times does the letter '%[1]c' appear in '%[2]s'?",
		"Count the letter '%[1]c' in the word '%[2]s'.",
	}), l, w)
	return Task{
		Question: q,
		Key:      item(string(l), w),
		Response: fmt.Sprintf("The letter '%c' appears in '%s' %s.", l, w, times(n)),
		Answer:   times(n),
		Wrong:    fmt.Sprintf("The letter '%c' appears in '%s' %s.", l, w, times(n+1)),
	}
}

func genWordCount(r *rand.Rand) Task {
	n := between(r, 2, 6)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = pick(r, words)
	}
	s := strings.Join(ws, " ")
	q := fmt.Sprintf(pick(r, []string{
		"How many words are in '%s'?",
		"Count the words in '%s'.",
	}), s)
	return Task{
		Question: q,
		Key:      item(s),
		Response: fmt.Sprintf("It has %d words.", n),
		Answer:   fmt.Sprintf("%d words", n),
		Wrong:    fmt.Sprintf("It has %d words.", n+1),
	}
}

// spell writes a word letter by letter: "cat" -> "c-a-t".
func spell(w string) string { return strings.Join(strings.Split(w, ""), "-") }

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func genSpelling(r *rand.Rand) Task {
	w := pick(r, words)
	q := fmt.Sprintf(pick(r, []string{
		"Spell '%s' letter by letter.",
		"How do you spell '%s'?",
		"Spell the word '%s'.",
	}), w)
	wrong := []byte(w)
	i := r.IntN(len(wrong) - 1)
	wrong[i], wrong[i+1] = wrong[i+1], wrong[i]
	if string(wrong) == w { // doubled letters: swap changes nothing
		wrong = append(wrong, wrong[len(wrong)-1])
	}
	return Task{
		Question: q,
		Key:      item(w),
		Response: fmt.Sprintf("%s is spelled %s.", w, spell(w)),
		Answer:   spell(w),
		Wrong:    fmt.Sprintf("%s is spelled %s.", w, spell(string(wrong))),
	}
}

func genReverseWord(r *rand.Rand) Task {
	w := pick(r, words)
	q := fmt.Sprintf(pick(r, []string{
		"Write '%s' backwards.",
		"Reverse the word '%s'.",
		"What is '%s' spelled backwards?",
	}), w)
	return Task{
		Question: q,
		Key:      item(w),
		Response: fmt.Sprintf("%s backwards is %s.", w, reverse(w)),
		Answer:   reverse(w),
		Wrong:    fmt.Sprintf("%s backwards is %s.", w, w), // no word in the list is a palindrome
	}
}

func genUppercase(r *rand.Rand) Task {
	s := pick(r, words) + " " + pick(r, words)
	q := fmt.Sprintf(pick(r, []string{
		"Write '%s' in capital letters.",
		"Convert '%s' to upper case.",
	}), s)
	up := strings.ToUpper(s)
	return Task{
		Question: q,
		Key:      item(s),
		Response: fmt.Sprintf("In capitals: %s.", up),
		Answer:   up,
		Wrong:    fmt.Sprintf("In capitals: %s.", strings.ToUpper(s[:1])+s[1:]),
	}
}

func genAlphabet(r *rand.Rand) Task {
	i := between(r, 1, 24) // both neighbours exist
	l := byte('a' + i)
	if r.IntN(2) == 0 {
		q := fmt.Sprintf(pick(r, []string{
			"What letter comes after '%c' in the alphabet?",
			"Which letter follows '%c'?",
		}), l)
		return Task{
			Question: q,
			Key:      item(string(l)),
			Response: fmt.Sprintf("The letter after %c is %c.", l, l+1),
			Answer:   string(l + 1),
			Wrong:    fmt.Sprintf("The letter after %c is %c.", l, l-1),
		}
	}
	q := fmt.Sprintf(pick(r, []string{
		"What letter comes before '%c' in the alphabet?",
		"Which letter is just before '%c'?",
	}), l)
	return Task{
		Question: q,
		Key:      item(string(l)),
		Response: fmt.Sprintf("The letter before %c is %c.", l, l-1),
		Answer:   string(l - 1),
		Wrong:    fmt.Sprintf("The letter before %c is %c.", l, l+1),
	}
}
