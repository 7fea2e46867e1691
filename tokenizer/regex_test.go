package tokenizer

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// randomPattern draws a pattern from the part of the subset where Go's
// regexp has the same leftmost-first semantics: no lookahead, no \s or \d
// (ASCII-only in Go). Unbounded repeats apply to single atoms, as the
// engine requires.
func randomPattern(r *rand.Rand, depth int) string {
	atoms := []string{"a", "b", "ab", "[ab]", "[^a]", `\p{L}`, `\p{N}`, ".", " ", "(?i:A)", "é", `[\p{Lu}1]`, `\.`}
	quant := []string{"", "", "?", "*", "+", "{1,3}", "{2}", "??", "*?", "+?", "{0,2}?"}
	bounded := []string{"", "", "?", "{1,3}", "{0,2}", "??"}
	var b strings.Builder
	for range 1 + r.IntN(3) {
		if depth > 0 && r.IntN(3) == 0 {
			b.WriteString("(?:" + randomPattern(r, depth-1) + "|" + randomPattern(r, depth-1) + ")")
			b.WriteString(bounded[r.IntN(len(bounded))])
			continue
		}
		b.WriteString(atoms[r.IntN(len(atoms))])
		b.WriteString(quant[r.IntN(len(quant))])
	}
	if r.IntN(4) == 0 {
		return b.String() + "|" + randomPattern(r, depth-1)
	}
	return b.String()
}

func TestRegexAgainstGoRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	alphabet := []rune("abAB 1é\n.")
	for range 2000 {
		pat := randomPattern(r, 2)
		ours, err := CompileRegex(pat)
		if err != nil {
			t.Fatalf("%q: %v", pat, err)
		}
		theirs := regexp.MustCompile(pat)
		for range 5 {
			text := make([]rune, r.IntN(12))
			for i := range text {
				text[i] = alphabet[r.IntN(len(alphabet))]
			}
			s := string(text)
			var got [][]int
			ours.FindAll(s, func(a, b int) { got = append(got, []int{a, b}) })
			want := theirs.FindAllStringIndex(s, -1)
			if !slices.EqualFunc(got, want, slices.Equal) {
				t.Fatalf("pattern %q on %q: %v, Go regexp %v", pat, s, got, want)
			}
		}
	}
}

// TestRegexGPT2Pattern: the engine running GPT2Pattern splits like the
// hand-written pre-tokenizer, invalid UTF-8 included.
func TestRegexGPT2Pattern(t *testing.T) {
	re, err := CompileRegex(GPT2Pattern)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 3000 {
		var s string
		if i < len(preTokenizeCases) {
			s = preTokenizeCases[i].in
		} else {
			s = randomText(r, r.IntN(30))
		}
		var got []string
		re.FindAll(s, func(a, b int) { got = append(got, s[a:b]) })
		if want := PreTokenize(s); !slices.Equal(got, want) {
			t.Fatalf("%q: regex %q, PreTokenize %q", s, got, want)
		}
	}
}

func TestRegexLookaheadAndEmpty(t *testing.T) {
	cases := []struct {
		pat, in string
		want    []string
	}{
		{`a(?=b)`, "aab ab", []string{"a", "a"}},
		{`a(?!b)`, "aab ac", []string{"a", "a"}},
		{`\s+(?!\S)|\s+`, "a   b  ", []string{"  ", " ", "  "}},
		{`x*`, "xab", []string{"x", "", ""}},                // no empty match right after "x"
		{`(?i)k`, "kK\u212a", []string{"k", "K", "\u212a"}}, // Kelvin sign folds to k
		{`(?i:'s)`, "'S 'ſ", []string{"'S", "'ſ"}},
		{`[^\S\n]+`, "a \t\nb", []string{" \t"}},
		{`\x{1F642}|\u00e9`, "é🙂", []string{"é", "🙂"}},
		{`(?:ab){1,2}?c`, "ababc", []string{"ababc"}},
	}
	for _, c := range cases {
		re, err := CompileRegex(c.pat)
		if err != nil {
			t.Fatalf("%q: %v", c.pat, err)
		}
		var got []string
		re.FindAll(c.in, func(a, b int) { got = append(got, c.in[a:b]) })
		if !slices.Equal(got, c.want) {
			t.Errorf("%q on %q: %q, want %q", c.pat, c.in, got, c.want)
		}
	}
}

// TestRegexCatastrophicPattern: exponential backtracking is cut short by
// remembering failures, so a hostile pattern in a file cannot hang encoding.
func TestRegexCatastrophicPattern(t *testing.T) {
	re, err := CompileRegex(`(?:a|a){40}b|(?:a?){40}c`)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Repeat("a", 60)
	n := 0
	re.FindAll(s, func(a, b int) { n++ })
	if n != 0 {
		t.Fatalf("%d matches, want none", n)
	}
	s += "c"
	var got []string
	re.FindAll(s, func(a, b int) { got = append(got, s[a:b]) })
	if want := []string{strings.Repeat("a", 40) + "c"}; !slices.Equal(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
}
