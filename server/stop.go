package server

import (
	"strings"
	"unicode/utf8"
)

// stopper decides where a sequence ends: at a stop token (end of text, and
// in chat the next "\n\nHuman:" turn), or where its text first contains a
// stop string (the text is cut before it, as OpenAI and gpt.Generate do).
type stopper struct {
	tokens  []int32
	strings []string
}

// find returns the index of the earliest stop string in text.
func (st *stopper) find(text []byte) (int, bool) {
	cut := -1
	s := string(text)
	for _, stop := range st.strings {
		if i := strings.Index(s, stop); i >= 0 && (cut < 0 || i < cut) {
			cut = i
		}
	}
	return cut, cut >= 0
}

// safe returns how much of text can be shown while the sequence goes on:
// all of it but a tail that may grow into a stop string (it would have to
// be taken back) or that ends in the middle of a UTF-8 character (a token
// can hold part of one).
func (st *stopper) safe(text []byte) int {
	n := len(text)
	for _, stop := range st.strings {
		for k := min(len(stop)-1, len(text)); k > 0; k-- {
			if strings.HasSuffix(string(text), stop[:k]) {
				n = min(n, len(text)-k)
				break
			}
		}
	}
	// Back up over an incomplete last character (at most 3 bytes).
	for back := 1; back <= 3 && back <= n; back++ {
		r := text[n-back]
		if utf8.RuneStart(r) {
			if !utf8.FullRune(text[n-back : n]) {
				n -= back
			}
			break
		}
	}
	return n
}
