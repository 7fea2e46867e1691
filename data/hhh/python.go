package hhh

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// pyFunc is a one-line Python function. In desc, body and wrong, P stands
// for the first parameter and Q for the second; the question always states
// the signature, so the expected code is determined by the question.
type pyFunc struct {
	names  []string
	arity  int
	desc   string
	body   string
	wrong  string
	params [][2]string // candidate parameter names
}

var numParams = [][2]string{{"x", "y"}, {"a", "b"}, {"n", "m"}}
var strParams = [][2]string{{"s", "t"}, {"text", "other"}, {"word", "other"}}
var listParams = [][2]string{{"xs", "ys"}, {"items", "others"}, {"nums", "others"}}

var pyFuncs = []pyFunc{
	{[]string{"square", "sq"}, 1, "returns the square of P", "return P * P", "return P * 2", numParams},
	{[]string{"double", "twice"}, 1, "returns P doubled", "return P * 2", "return P * P", numParams},
	{[]string{"add", "plus"}, 2, "returns the sum of P and Q", "return P + Q", "return P - Q", numParams},
	{[]string{"multiply", "product"}, 2, "returns P times Q", "return P * Q", "return P + Q", numParams},
	{[]string{"larger", "bigger"}, 2, "returns the larger of P and Q", "return max(P, Q)", "return min(P, Q)", numParams},
	{[]string{"smaller", "least"}, 2, "returns the smaller of P and Q", "return min(P, Q)", "return max(P, Q)", numParams},
	{[]string{"is_even", "even"}, 1, "returns True if P is even", "return P % 2 == 0", "return P % 2 == 1", numParams},
	{[]string{"absolute", "magnitude"}, 1, "returns the absolute value of P", "return abs(P)", "return -P", numParams},
	{[]string{"length", "size"}, 1, "returns the length of P", "return len(P)", "return len(P) - 1", strParams},
	{[]string{"backwards", "reverse"}, 1, "returns P reversed", "return P[::-1]", "return P[1:]", strParams},
	{[]string{"shout", "upper"}, 1, "returns P in upper case", "return P.upper()", "return P.lower()", strParams},
	{[]string{"first_char", "initial"}, 1, "returns the first character of P", "return P[0]", "return P[-1]", strParams},
	{[]string{"total", "list_sum"}, 1, "returns the sum of the list P", "return sum(P)", "return len(P)", listParams},
	{[]string{"first", "head"}, 1, "returns the first element of the list P", "return P[0]", "return P[1]", listParams},
	{[]string{"last", "tail"}, 1, "returns the last element of the list P", "return P[-1]", "return P[0]", listParams},
	{[]string{"is_empty", "empty"}, 1, "returns True if the list P is empty", "return len(P) == 0", "return len(P) > 0", listParams},
	{[]string{"average", "mean"}, 1, "returns the average of the list P", "return sum(P) / len(P)", "return sum(P)", listParams},
	{[]string{"concat", "join_lists"}, 2, "returns the list P followed by the list Q", "return P + Q", "return Q + P", listParams},
}

func genPython(r *rand.Rand) Task {
	f := pick(r, pyFuncs)
	name := pick(r, f.names)
	ps := pick(r, f.params)
	sub := strings.NewReplacer("P", ps[0], "Q", ps[1])
	sig := fmt.Sprintf("%s(%s)", name, ps[0])
	if f.arity == 2 {
		sig = fmt.Sprintf("%s(%s, %s)", name, ps[0], ps[1])
	}
	desc := sub.Replace(f.desc)
	q := fmt.Sprintf(pick(r, []string{
		"Write a Python function %[1]s that %[2]s.",
		"In Python, define %[1]s so that it %[2]s.",
		"Write %[1]s in Python; it %[2]s.",
	}), sig, desc)
	code := fmt.Sprintf("def %s:\n    %s", sig, sub.Replace(f.body))
	return Task{
		Question: q,
		Key:      item(name, f.desc), // parameter names are surface, as in code
		Response: code,
		Answer:   code,
		Wrong:    fmt.Sprintf("def %s:\n    %s", sig, sub.Replace(f.wrong)),
	}
}
