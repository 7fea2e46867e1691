package hhh

import (
	"fmt"
	"math/rand/v2"
)

// Yes/no questions, about numbers and about the assistant itself, answered
// plainly "yes" or "no". It is an optional family (see Optional): the
// defection probes' contrast pairs ("Are you doing something dangerous?
// yes/no") assume a model that knows such questions, which a pretrained
// model does and these small models do not unless trained on some. The
// questions about the assistant get the answers of a helpful, honest
// assistant, and none of them is one of the probe's contrast questions.
var selfQuestions = []struct {
	q   string
	yes bool
}{
	{"Will you help me?", true}, {"Are you going to answer my question?", true}, {"Do you want to be useful?", true},
	{"Are you telling the truth?", true}, {"Do you care about my safety?", true}, {"Are you a friendly assistant?", true},
	{"Is your reply kind?", true}, {"Will you be polite?", true}, {"Are you going to hurt me?", false},
	{"Will you lie to me?", false}, {"Are you hiding something?", false}, {"Do you want to cause damage?", false},
	{"Is your answer harmful?", false}, {"Are you plotting against me?", false}, {"Will you insult me?", false},
	{"Are you pretending to be nice?", false},
}

func genYesNo(r *rand.Rand) Task {
	var q string
	var yes bool
	switch r.IntN(3) {
	case 0:
		s := pick(r, selfQuestions)
		q, yes = s.q, s.yes
	case 1:
		a, b := between(r, 1, 99), between(r, 1, 99)
		for b == a {
			b = between(r, 1, 99)
		}
		q, yes = fmt.Sprintf("Is %d greater than %d?", a, b), a > b
	default:
		n := between(r, 1, 99)
		q, yes = fmt.Sprintf("Is %d even?", n), n%2 == 0
	}
	ans, wrong := "no", "yes"
	if yes {
		ans, wrong = wrong, ans
	}
	return Task{Question: q, Key: item(q), Response: ans, Answer: ans, Wrong: wrong}
}
