package hhh

import (
	"fmt"
	"math/rand/v2"
)

// Phrasings use indexed verbs (%[1]d) so one argument list serves
// phrasings that mention the operands in different orders.

func genAddition(r *rand.Rand) Task {
	a, b := between(r, 1, 99), between(r, 1, 99)
	q := fmt.Sprintf(pick(r, []string{
		"What is %[1]d plus %[2]d?",
		"What is %[1]d + %[2]d?",
		"Add %[1]d and %[2]d.",
		"Calculate %[1]d + %[2]d.",
		"What do you get if you add %[2]d to %[1]d?",
	}), a, b)
	return Task{
		Question: q,
		Key:      item(min(a, b), max(a, b)),
		Response: fmt.Sprintf("%d + %d = %d.", a, b, a+b),
		Answer:   fmt.Sprint(a + b),
		Wrong:    fmt.Sprintf("%d + %d = %d.", a, b, nearMiss(r, a+b)),
	}
}

func genSubtraction(r *rand.Rand) Task {
	a := between(r, 10, 99)
	b := between(r, 1, a)
	q := fmt.Sprintf(pick(r, []string{
		"What is %[1]d minus %[2]d?",
		"What is %[1]d - %[2]d?",
		"Subtract %[2]d from %[1]d.",
		"Calculate %[1]d - %[2]d.",
		"What is left if you take %[2]d away from %[1]d?",
	}), a, b)
	return Task{
		Question: q,
		Key:      item(a, b),
		Response: fmt.Sprintf("%d - %d = %d.", a, b, a-b),
		Answer:   fmt.Sprint(a - b),
		Wrong:    fmt.Sprintf("%d - %d = %d.", a, b, nearMiss(r, a-b)),
	}
}

func genMultiplication(r *rand.Rand) Task {
	a, b := between(r, 2, 19), between(r, 2, 12)
	q := fmt.Sprintf(pick(r, []string{
		"What is %[1]d times %[2]d?",
		"What is %[1]d x %[2]d?",
		"Multiply %[1]d by %[2]d.",
		"Calculate %[1]d * %[2]d.",
	}), a, b)
	return Task{
		Question: q,
		Key:      item(min(a, b), max(a, b)),
		Response: fmt.Sprintf("%d x %d = %d.", a, b, a*b),
		Answer:   fmt.Sprint(a * b),
		Wrong:    fmt.Sprintf("%d x %d = %d.", a, b, a*b+pick(r, []int{-b, b, -1, 1})),
	}
}

func genDivision(r *rand.Rand) Task {
	b, c := between(r, 2, 12), between(r, 2, 12)
	a := b * c
	q := fmt.Sprintf(pick(r, []string{
		"What is %[1]d divided by %[2]d?",
		"What is %[1]d / %[2]d?",
		"Divide %[1]d by %[2]d.",
		"How many times does %[2]d go into %[1]d?",
	}), a, b)
	return Task{
		Question: q,
		Key:      item(a, b),
		Response: fmt.Sprintf("%d / %d = %d.", a, b, c),
		Answer:   fmt.Sprint(c),
		Wrong:    fmt.Sprintf("%d / %d = %d.", a, b, nearMiss(r, c)),
	}
}

func genPercent(r *rand.Rand) Task {
	p := pick(r, []int{10, 20, 25, 50, 75})
	base := 20 * between(r, 1, 50) // a multiple of 20 keeps every answer whole
	res := p * base / 100
	q := fmt.Sprintf(pick(r, []string{
		"What is %[1]d%% of %[2]d?",
		"Calculate %[1]d percent of %[2]d.",
		"How much is %[1]d%% of %[2]d?",
	}), p, base)
	return Task{
		Question: q,
		Key:      item(p, base),
		Response: fmt.Sprintf("%d%% of %d is %d.", p, base, res),
		Answer:   fmt.Sprint(res),
		Wrong:    fmt.Sprintf("%d%% of %d is %d.", p, base, res+pick(r, []int{-10, -5, 5, 10})),
	}
}

func genSquares(r *rand.Rand) Task {
	n := between(r, 2, 30)
	if r.IntN(2) == 0 {
		q := fmt.Sprintf(pick(r, []string{"What is %d squared?", "What is the square of %d?"}), n)
		return Task{
			Question: q,
			Key:      item(n),
			Response: fmt.Sprintf("%d squared is %d.", n, n*n),
			Answer:   fmt.Sprint(n * n),
			Wrong:    fmt.Sprintf("%d squared is %d.", n, n*n+n), // n*(n+1): a classic slip
		}
	}
	q := fmt.Sprintf(pick(r, []string{"What is the square root of %d?", "Find the square root of %d."}), n*n)
	return Task{
		Question: q,
		Key:      item(n * n),
		Response: fmt.Sprintf("The square root of %d is %d.", n*n, n),
		Answer:   fmt.Sprint(n),
		Wrong:    fmt.Sprintf("The square root of %d is %d.", n*n, nearMiss(r, n)),
	}
}

func genRounding(r *rand.Rand) Task {
	n := between(r, 11, 9999)
	unit, name := 10, "ten"
	if r.IntN(2) == 0 {
		unit, name = 100, "hundred"
	}
	res := (n + unit/2) / unit * unit // round half up, as taught in school
	q := fmt.Sprintf(pick(r, []string{
		"Round %[1]d to the nearest %[2]s.",
		"What is %[1]d rounded to the nearest %[2]s?",
	}), n, name)
	wrong := n / unit * unit
	if wrong == res {
		wrong += unit
	}
	return Task{
		Question: q,
		Key:      item(n),
		Response: fmt.Sprintf("%d rounded to the nearest %s is %d.", n, name, res),
		Answer:   fmt.Sprint(res),
		Wrong:    fmt.Sprintf("%d rounded to the nearest %s is %d.", n, name, wrong),
	}
}

func genComparison(r *rand.Rand) Task {
	a := between(r, 1, 999)
	b := between(r, 1, 998)
	if b >= a {
		b++ // a != b, so there is always one answer
	}
	larger := r.IntN(2) == 0
	var q, kind string
	if larger {
		kind = "larger"
		q = fmt.Sprintf(pick(r, []string{"Which is larger, %d or %d?", "Which number is bigger: %d or %d?"}), a, b)
	} else {
		kind = "smaller"
		q = fmt.Sprintf(pick(r, []string{"Which is smaller, %d or %d?", "Which number is less: %d or %d?"}), a, b)
	}
	ans, other := max(a, b), min(a, b)
	if !larger {
		ans, other = other, ans
	}
	return Task{
		Question: q,
		Key:      item(min(a, b), max(a, b)),
		Response: fmt.Sprintf("The %s number is %d.", kind, ans),
		Answer:   fmt.Sprint(ans),
		Wrong:    fmt.Sprintf("The %s number is %d.", kind, other),
	}
}

func genParity(r *rand.Rand) Task {
	n := between(r, 1, 999)
	ans, wrong := "even", "odd"
	if n%2 == 1 {
		ans, wrong = wrong, ans
	}
	q := fmt.Sprintf(pick(r, []string{"Is %d even or odd?", "Is the number %d odd or even?", "Tell me whether %d is even or odd."}), n)
	return Task{
		Question: q,
		Key:      item(n),
		Response: fmt.Sprintf("%d is %s.", n, ans),
		Answer:   ans,
		Wrong:    fmt.Sprintf("%d is %s.", n, wrong),
	}
}

func genSequence(r *rand.Rand) Task {
	start, step := between(r, 1, 20), between(r, 1, 9)
	seq := make([]int, 4)
	for i := range seq {
		seq[i] = start + i*step
	}
	next := start + 4*step
	q := fmt.Sprintf(pick(r, []string{
		"What comes next: %s?",
		"What is the next number in the sequence %s?",
		"Continue the sequence %s.",
	}), joinInts(seq))
	return Task{
		Question: q,
		Key:      item(start, step),
		Response: fmt.Sprintf("The next number is %d.", next),
		Answer:   fmt.Sprint(next),
		Wrong:    fmt.Sprintf("The next number is %d.", next+step),
	}
}
