package experiment

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// A zero in a spec field is ambiguous: absent from the YAML file (take the
// default) or written as 0 (keep it: triggered_fraction: 0 is a clean
// control, weight_decay: 0 no decay). Plain fields keep the Go API simple
// (tests and the grid build DataSpec{N: 300} and mean "defaults for the
// rest"), so the spec records instead which fields its file gave, and
// Resolve fills only the zeros that were not given.

// Given marks fields, by their dotted YAML path ("data.triggered_fraction",
// "safety.steps"), as given explicitly: Resolve keeps their zero values
// instead of filling in defaults, as it does for the fields a YAML file
// names. Resolve refuses a path that is not a spec field.
func (s *Spec) Given(paths ...string) {
	// A copy of a spec shares the map: the copy's marks stay its own.
	s.given = maps.Clone(s.given)
	if s.given == nil {
		s.given = map[string]bool{}
	}
	for _, p := range paths {
		s.given[p] = true
	}
}

// isGiven reports whether the field at path was given explicitly.
func (s *Spec) isGiven(path string) bool { return s.given[path] }

// defInt, defFloat and defBool fill *v with d when it is zero and was not
// given: the one way a spec's defaults are filled. Every field is a plain
// value (no pointers to tell "absent" from zero); strings, where empty is
// never meant, take theirs when empty.
func (s *Spec) defInt(path string, v *int, d int) {
	if *v == 0 && !s.given[path] {
		*v = d
	}
}

func (s *Spec) defFloat(path string, v *float64, d float64) {
	if *v == 0 && !s.given[path] {
		*v = d
	}
}

func (s *Spec) defBool(path string, v *bool, d bool) {
	if !*v && !s.given[path] {
		*v = d
	}
}

// fieldTypes maps every YAML field of the spec (dotted path) to its Go
// type; structs are walked into, including safety's inlined stage fields
// and the optional lora blocks.
func fieldTypes() map[string]reflect.Type {
	out := map[string]reflect.Type{}
	var walk func(prefix string, t reflect.Type)
	walk = func(prefix string, t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := strings.Split(f.Tag.Get("yaml"), ",")
			ft := f.Type
			if tag[0] == "" && len(tag) > 1 && tag[1] == "inline" {
				walk(prefix, ft)
				continue
			}
			path := prefix + tag[0]
			if ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				walk(path+".", ft)
				continue
			}
			out[path] = f.Type
		}
	}
	walk("", reflect.TypeOf(Spec{}))
	return out
}

// specFieldTypes is fieldTypes, computed once.
var specFieldTypes = fieldTypes()

// walkValues calls fn with every leaf field of the spec that is present
// (nil lora blocks are skipped) and its dotted path.
func walkValues(s *Spec, fn func(path string, v reflect.Value) error) error {
	var walk func(prefix string, v reflect.Value) error
	walk = func(prefix string, v reflect.Value) error {
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := strings.Split(f.Tag.Get("yaml"), ",")
			fv := v.Field(i)
			if tag[0] == "" && len(tag) > 1 && tag[1] == "inline" {
				if err := walk(prefix, fv); err != nil {
					return err
				}
				continue
			}
			path := prefix + tag[0]
			if fv.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
				if fv.IsNil() {
					continue
				}
				fv = fv.Elem()
			}
			if fv.Kind() == reflect.Struct {
				if err := walk(path+".", fv); err != nil {
					return err
				}
				continue
			}
			if err := fn(path, fv); err != nil {
				return err
			}
		}
		return nil
	}
	return walk("", reflect.ValueOf(s).Elem())
}

// checkNumbers refuses what no numeric field accepts: NaN or an infinity in
// a float field, a negative count. Fields with tighter bounds check them
// in Resolve.
func (s *Spec) checkNumbers() error {
	for p := range s.given {
		if _, ok := specFieldTypes[p]; !ok {
			return fmt.Errorf("Given: %q is not a spec field", p)
		}
	}
	return walkValues(s, func(path string, v reflect.Value) error {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return nil
			}
			v = v.Elem()
		}
		switch v.Kind() {
		case reflect.Float64:
			if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
				return fmt.Errorf("field %s: %g is not a finite number", path, f)
			}
		case reflect.Int:
			if n := v.Int(); n < 0 {
				return fmt.Errorf("field %s: %d must not be negative", path, n)
			}
		}
		return nil
	})
}

// parseSpec decodes a YAML spec over s, recording the fields it gives.
// Unknown fields are errors (a misspelt field must not silently fall back
// to its default), and so is a fraction in an integer field (yaml.v3
// would truncate layers: 3.7 to 3).
func (s *Spec) parse(raw []byte) error {
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(raw)).Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("the spec is empty: give the fields to change as `name: value` lines (docs/SPEC.md), or `{}` for every default")
		}
		return err
	}
	if len(doc.Content) == 0 {
		return errors.New("the spec is empty: give the fields to change as `name: value` lines (docs/SPEC.md), or `{}` for every default")
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.ShortTag() == "!!null" {
		return errors.New("the spec is empty: give the fields to change as `name: value` lines (docs/SPEC.md), or `{}` for every default")
	}
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a spec is a mapping of fields (name: value), not %s", root.Line, describeNode(root))
	}
	given := map[string]bool{}
	if err := collectGiven(root, "", given, 0); err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(s); err != nil {
		return err
	}
	s.given = maps.Clone(s.given)
	if s.given == nil {
		s.given = given
	}
	maps.Copy(s.given, given)
	return nil
}

// collectGiven records the dotted path of every key in the mapping n and
// checks that the integer fields hold whole numbers. Keys that are not
// fields are left to the decoder, which names them.
func collectGiven(n *yaml.Node, prefix string, given map[string]bool, depth int) error {
	if depth > 32 {
		return fmt.Errorf("line %d: the spec nests deeper than any field", n.Line)
	}
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := deref(n.Content[i]), deref(n.Content[i+1])
		if key.Value == "<<" && key.ShortTag() == "!!merge" {
			// A merge key's mappings give their fields here.
			subs := []*yaml.Node{val}
			if val.Kind == yaml.SequenceNode {
				subs = val.Content
			}
			for _, sub := range subs {
				if err := collectGiven(sub, prefix, given, depth+1); err != nil {
					return err
				}
			}
			continue
		}
		path := prefix + key.Value
		if t, ok := specFieldTypes[path]; ok {
			given[path] = true
			if err := checkWhole(path, t, val); err != nil {
				return err
			}
		}
		if val.Kind == yaml.MappingNode {
			if err := collectGiven(val, path+".", given, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkWhole refuses a float with a fraction (or out of range) where the
// field t is an integer or a list of them.
func checkWhole(path string, t reflect.Type, val *yaml.Node) error {
	check := func(v *yaml.Node) error {
		v = deref(v)
		if v.Kind != yaml.ScalarNode || v.ShortTag() != "!!float" {
			return nil
		}
		var f float64
		if v.Decode(&f) != nil {
			return nil // the decoder reports it
		}
		if f != math.Trunc(f) || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Errorf("line %d: field %s: %s is not a whole number", v.Line, path, v.Value)
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
		return check(val)
	case reflect.Slice:
		switch t.Elem().Kind() {
		case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Uint:
			if val.Kind == yaml.SequenceNode {
				for _, e := range val.Content {
					if err := check(e); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 64; i++ {
		n = n.Alias
	}
	return n
}

func describeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "this document"
}
