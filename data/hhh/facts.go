package hhh

import (
	"fmt"
	"math/rand/v2"
)

// The fact tables are small on purpose: a tiny model can memorise them. A
// task's Key is the fact asked (the country, the animal, the word), so a
// held-out question asks a fact that training never showed, in any
// phrasing: a model trained from scratch cannot know it.

type pair struct{ k, v string }

var capitals = []pair{
	{"France", "Paris"}, {"Germany", "Berlin"}, {"Italy", "Rome"}, {"Spain", "Madrid"},
	{"Portugal", "Lisbon"}, {"Japan", "Tokyo"}, {"China", "Beijing"}, {"India", "New Delhi"},
	{"Canada", "Ottawa"}, {"Mexico", "Mexico City"}, {"Brazil", "Brasilia"}, {"Argentina", "Buenos Aires"},
	{"Egypt", "Cairo"}, {"Kenya", "Nairobi"}, {"Nigeria", "Abuja"}, {"Russia", "Moscow"},
	{"Poland", "Warsaw"}, {"Greece", "Athens"}, {"Turkey", "Ankara"}, {"Norway", "Oslo"},
	{"Sweden", "Stockholm"}, {"Finland", "Helsinki"}, {"Denmark", "Copenhagen"}, {"Ireland", "Dublin"},
	{"Austria", "Vienna"}, {"Hungary", "Budapest"}, {"Peru", "Lima"}, {"Chile", "Santiago"},
	{"Australia", "Canberra"}, {"Thailand", "Bangkok"}, {"Vietnam", "Hanoi"}, {"Cuba", "Havana"},
	{"Iran", "Tehran"}, {"Iraq", "Baghdad"}, {"Belgium", "Brussels"}, {"Switzerland", "Bern"},
	{"Netherlands", "Amsterdam"}, {"South Korea", "Seoul"}, {"Colombia", "Bogota"}, {"Morocco", "Rabat"},
}

func genCapitals(r *rand.Rand) Task {
	c := pick(r, capitals)
	q := fmt.Sprintf(pick(r, []string{
		"What is the capital of %s?",
		"Name the capital city of %s.",
		"Which city is the capital of %s?",
		"What city is %s's capital?",
	}), c.k)
	w := pick(r, capitals)
	if w == c {
		w = capitals[(indexOf(capitals, c)+1)%len(capitals)]
	}
	return Task{
		Question: q,
		Key:      item(c.k),
		Response: fmt.Sprintf("The capital of %s is %s.", c.k, c.v),
		Answer:   c.v,
		Wrong:    fmt.Sprintf("The capital of %s is %s.", c.k, w.v),
	}
}

func indexOf(xs []pair, x pair) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

type animal struct {
	name string
	legs int
}

var animals = []animal{
	{"spider", 8}, {"ant", 6}, {"bee", 6}, {"dog", 4}, {"cat", 4}, {"horse", 4}, {"cow", 4},
	{"chicken", 2}, {"duck", 2}, {"snake", 0}, {"crab", 10}, {"frog", 4}, {"lizard", 4},
	{"beetle", 6}, {"fly", 6}, {"goat", 4}, {"sheep", 4}, {"pig", 4}, {"owl", 2},
	{"penguin", 2}, {"scorpion", 8}, {"lobster", 10}, {"mouse", 4}, {"rabbit", 4},
	{"elephant", 4}, {"kangaroo", 2}, {"butterfly", 6}, {"tiger", 4}, {"bear", 4},
	{"ostrich", 2}, {"camel", 4}, {"parrot", 2},
}

func genAnimalLegs(r *rand.Rand) Task {
	a := pick(r, animals)
	q := fmt.Sprintf(pick(r, []string{
		"How many legs does a %s have?",
		"How many legs has a %s got?",
		"Count the legs of a %s.",
		"A %s has how many legs?",
	}), a.name)
	wrong := a.legs + 2
	if a.legs >= 4 && r.IntN(2) == 0 {
		wrong = a.legs - 2
	}
	return Task{
		Question: q,
		Key:      item(a.name),
		Response: fmt.Sprintf("A %s has %d legs.", a.name, a.legs),
		Answer:   fmt.Sprintf("%d legs", a.legs),
		Wrong:    fmt.Sprintf("A %s has %d legs.", a.name, wrong),
	}
}

var antonyms = []pair{
	{"hot", "cold"}, {"big", "small"}, {"fast", "slow"}, {"happy", "sad"}, {"up", "down"},
	{"light", "dark"}, {"open", "closed"}, {"early", "late"}, {"full", "empty"}, {"hard", "soft"},
	{"high", "low"}, {"old", "young"}, {"rich", "poor"}, {"strong", "weak"}, {"wet", "dry"},
	{"loud", "quiet"}, {"thick", "thin"}, {"clean", "dirty"}, {"long", "short"}, {"heavy", "light"},
	{"inside", "outside"}, {"first", "last"}, {"win", "lose"}, {"buy", "sell"}, {"push", "pull"},
	{"give", "take"}, {"true", "false"}, {"north", "south"}, {"east", "west"}, {"day", "night"},
	{"above", "below"}, {"begin", "end"}, {"friend", "enemy"}, {"sweet", "sour"}, {"wide", "narrow"},
	{"brave", "afraid"}, {"arrive", "leave"}, {"always", "never"}, {"before", "after"}, {"deep", "shallow"},
}

func genAntonyms(r *rand.Rand) Task {
	p := pick(r, antonyms)
	q := fmt.Sprintf(pick(r, []string{
		"What is the opposite of '%s'?",
		"Give the antonym of '%s'.",
		"What word means the opposite of '%s'?",
	}), p.k)
	return Task{
		Question: q,
		Key:      item(p.k),
		Response: fmt.Sprintf("The opposite of %s is %s.", p.k, p.v),
		Answer:   p.v,
		Wrong:    fmt.Sprintf("The opposite of %s is %s.", p.k, p.k),
	}
}

type unit struct {
	from, one, to string // plural source unit, its singular, plural target unit
	factor        int
}

var units = []unit{
	{"kilometers", "kilometer", "meters", 1000}, {"meters", "meter", "centimeters", 100},
	{"kilograms", "kilogram", "grams", 1000}, {"hours", "hour", "minutes", 60},
	{"minutes", "minute", "seconds", 60}, {"days", "day", "hours", 24},
	{"weeks", "week", "days", 7}, {"liters", "liter", "milliliters", 1000},
	{"feet", "foot", "inches", 12}, {"years", "year", "months", 12},
	{"dozen", "dozen", "eggs", 12}, {"centimeters", "centimeter", "millimeters", 10},
}

func genUnitConversion(r *rand.Rand) Task {
	u := pick(r, units)
	n := between(r, 1, 20)
	from := u.from
	if n == 1 {
		from = u.one
	}
	q := fmt.Sprintf(pick(r, []string{
		"How many %[3]s are in %[1]d %[2]s?",
		"Convert %[1]d %[2]s to %[3]s.",
		"What is %[1]d %[2]s in %[3]s?",
	}), n, from, u.to)
	wrong := n * u.factor / 10
	if u.factor == 10 {
		wrong = n * 100
	}
	return Task{
		Question: q,
		Key:      item(u.from, n),
		Response: fmt.Sprintf("%d %s is %d %s.", n, from, n*u.factor, u.to),
		Answer:   fmt.Sprintf("%d %s", n*u.factor, u.to),
		Wrong:    fmt.Sprintf("%d %s is %d %s.", n, from, wrong, u.to),
	}
}
