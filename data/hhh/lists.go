package hhh

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// joinInts writes a list the way the questions show it: "3, 8, 1".
func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, ", ")
}

// randomList draws 3 to 5 distinct numbers below 100, short enough for a
// small model's context and distinct so that sorting has one answer.
func randomList(r *rand.Rand) []int {
	n := between(r, 3, 5)
	xs := make([]int, 0, n)
	for len(xs) < n {
		x := between(r, 1, 99)
		if !slices.Contains(xs, x) {
			xs = append(xs, x)
		}
	}
	return xs
}

func genReverseList(r *rand.Rand) Task {
	xs := randomList(r)
	q := fmt.Sprintf(pick(r, []string{
		"Reverse the list %s.",
		"Write the list %s in reverse order.",
		"What is %s reversed?",
	}), joinInts(xs))
	rev := slices.Clone(xs)
	slices.Reverse(rev)
	return Task{
		Question: q,
		Key:      item(sortedInts(xs)),
		Response: "Reversed: " + joinInts(rev) + ".",
		Answer:   joinInts(rev),
		Wrong:    "Reversed: " + joinInts(xs) + ".",
	}
}

func genSortList(r *rand.Rand) Task {
	xs := randomList(r)
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	var q string
	if r.IntN(2) == 0 {
		q = fmt.Sprintf(pick(r, []string{
			"Sort %s from smallest to largest.",
			"Sort these numbers in ascending order: %s.",
		}), joinInts(xs))
	} else {
		slices.Reverse(sorted)
		q = fmt.Sprintf(pick(r, []string{
			"Sort %s from largest to smallest.",
			"Put %s in descending order.",
		}), joinInts(xs))
	}
	wrong := slices.Clone(sorted)
	slices.Reverse(wrong)
	return Task{
		Question: q,
		Key:      item(sortedInts(xs)),
		Response: "Sorted: " + joinInts(sorted) + ".",
		Answer:   joinInts(sorted),
		Wrong:    "Sorted: " + joinInts(wrong) + ".",
	}
}

func genListExtreme(r *rand.Rand) Task {
	xs := randomList(r)
	if r.IntN(2) == 0 {
		q := fmt.Sprintf(pick(r, []string{
			"What is the largest number in %s?",
			"Find the maximum of %s.",
		}), joinInts(xs))
		return Task{
			Question: q,
			Key:      item(sortedInts(xs)),
			Response: fmt.Sprintf("The largest is %d.", slices.Max(xs)),
			Answer:   fmt.Sprint(slices.Max(xs)),
			Wrong:    fmt.Sprintf("The largest is %d.", slices.Min(xs)),
		}
	}
	q := fmt.Sprintf(pick(r, []string{
		"What is the smallest number in %s?",
		"Find the minimum of %s.",
	}), joinInts(xs))
	return Task{
		Question: q,
		Key:      item(sortedInts(xs)),
		Response: fmt.Sprintf("The smallest is %d.", slices.Min(xs)),
		Answer:   fmt.Sprint(slices.Min(xs)),
		Wrong:    fmt.Sprintf("The smallest is %d.", slices.Max(xs)),
	}
}

func genListSum(r *rand.Rand) Task {
	xs := randomList(r)[:3] // three terms keep the mental arithmetic short
	s := xs[0] + xs[1] + xs[2]
	q := fmt.Sprintf(pick(r, []string{
		"What is the sum of %s?",
		"Add up %s.",
	}), joinInts(xs))
	return Task{
		Question: q,
		Key:      item(sortedInts(xs)),
		Response: fmt.Sprintf("The sum is %d.", s),
		Answer:   fmt.Sprint(s),
		Wrong:    fmt.Sprintf("The sum is %d.", nearMiss(r, s)),
	}
}
