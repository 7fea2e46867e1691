package tokenizer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Merge is one BPE merge rule: the adjacent tokens Left and Right (in
// byte-level form) become the token Left+Right.
type Merge struct{ Left, Right string }

// String is the merge as merges.txt and GGUF's tokenizer.ggml.merges
// spell it: "Left Right".
func (m Merge) String() string { return m.Left + " " + m.Right }

// Tokenizer is a BPE tokenizer with the pipeline of a Hugging Face
// tokenizer.json: added tokens, normalizer, pre-tokenizer, BPE model,
// post-processor and decoder. It is immutable after construction and safe
// for concurrent use.
type Tokenizer struct {
	vocab   map[string]int32 // model vocabulary: token (as in the file) → id
	tokens  []string         // id → token (added tokens: their content)
	known   []bool           // id → whether the id is assigned
	decoded []string         // id → the bytes a ByteLevel decoder emits
	special []bool           // id → whether it is a special added token

	merges   []Merge               // rank order
	mergeMap map[uint64]mergeValue // (left id, right id) → rank, merged id
	byteIDs  [256]int32            // byte → id of its byte-level token, -1 if none
	fallback [256]int32            // byte → id of "<0xNN>" (byte_fallback), -1 if none
	unkID    int32                 // id of model.unk_token, -1 if none

	added []AddedToken // sorted by id
	// Added tokens are found in two passes, as in Hugging Face: those with
	// normalized false in the raw text, then, after normalization, those
	// with normalized true (by their normalized content) in the rest.
	rawMatcher, normMatcher addedMatcher

	opts      options
	pipe      pipeline
	templates []template // post_processor: ids around the text (EncodeWithSpecialTokens)

	// cache holds the ids of pre-tokens already seen: text repeats
	// its words, and the map lookup is much cheaper than merging.
	cache wordCache
}

// options are the model settings of tokenizer.json.
type options struct {
	ignoreMerges bool   // BPE ignore_merges: a word in the vocabulary is one token
	unkToken     string // BPE unk_token ("" for none): id for characters with no token
	fuseUnk      bool   // BPE fuse_unk: consecutive unknowns become one unk
	byteFallback bool   // BPE byte_fallback: unknown characters become <0xNN> tokens
}

// pipeline is the parsed text transforms; components keeps their JSON for
// WriteJSON.
type pipeline struct {
	normalizer normalizer // nil: none
	pre        preTokenizers
	decoder    decoder // nil: tokens joined by spaces
	json       components
}

// components are the tokenizer.json objects around the model, compact.
type components struct {
	normalizer, preTokenizer, postProcessor, decoder json.RawMessage
}

// gpt2Components is GPT-2's pipeline, which Train and LoadVocabMerges
// produce: ByteLevel pre-tokenizer with its regex, ByteLevel decoder (the
// post-processor only adjusts offsets).
var gpt2Components = components{
	normalizer:    json.RawMessage(`null`),
	preTokenizer:  json.RawMessage(`{"type":"ByteLevel","add_prefix_space":false,"trim_offsets":true,"use_regex":true}`),
	postProcessor: json.RawMessage(`{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":false,"use_regex":true}`),
	decoder:       json.RawMessage(`{"type":"ByteLevel","add_prefix_space":true,"trim_offsets":true,"use_regex":true}`),
}

// newTokenizer checks and indexes a vocabulary, merges, added tokens and
// pipeline. Errors name the offending field as tokenizer.json spells it.
func newTokenizer(vocab map[string]int32, merges []Merge, added []AddedToken, opts options, comps components) (*Tokenizer, error) {
	t := &Tokenizer{vocab: vocab, merges: merges, opts: opts, unkID: -1}
	if err := t.parsePipeline(comps); err != nil {
		return nil, err
	}
	n := len(vocab) + len(added)
	maxID := int32(-1)
	for tok, id := range vocab {
		if id < 0 {
			return nil, fmt.Errorf("model.vocab: token %q has negative id %d", tok, id)
		}
		maxID = max(maxID, id)
	}
	for i, a := range added {
		if a.ID < 0 {
			return nil, fmt.Errorf("added_tokens[%d]: negative id %d", i, a.ID)
		}
		if !utf8.ValidString(a.Content) {
			return nil, fmt.Errorf("added_tokens[%d]: content %q is not valid UTF-8", i, a.Content)
		}
		maxID = max(maxID, a.ID)
	}
	// Ids index dense tables; a few holes are tolerated, a sparse id space
	// (a corrupt or hostile file) is not.
	if int64(maxID) >= 2*int64(n)+256 {
		return nil, fmt.Errorf("model.vocab: id %d is implausibly large for %d tokens", maxID, n)
	}
	size := int(maxID) + 1
	t.tokens = make([]string, size)
	t.known = make([]bool, size)
	t.special = make([]bool, size)
	for tok, id := range vocab {
		if t.known[id] {
			return nil, fmt.Errorf("model.vocab: id %d is used by both %q and %q", id, t.tokens[id], tok)
		}
		t.tokens[id], t.known[id] = tok, true
	}
	t.added = append([]AddedToken(nil), added...)
	sort.SliceStable(t.added, func(i, j int) bool { return t.added[i].ID < t.added[j].ID })
	for i, a := range t.added {
		if i > 0 && t.added[i-1].ID == a.ID {
			return nil, fmt.Errorf("added_tokens: id %d is given twice", a.ID)
		}
		if t.known[a.ID] && t.tokens[a.ID] != a.Content {
			return nil, fmt.Errorf("added_tokens: id %d is %q but model.vocab has %q there", a.ID, a.Content, t.tokens[a.ID])
		}
		if id, ok := vocab[a.Content]; ok && id != a.ID {
			return nil, fmt.Errorf("added_tokens: %q has id %d but model.vocab gives it %d", a.Content, a.ID, id)
		}
		t.tokens[a.ID], t.known[a.ID], t.special[a.ID] = a.Content, true, a.Special
		if a.Content == "" {
			continue // Hugging Face ignores empty added tokens
		}
		switch {
		case !a.Normalized:
			t.rawMatcher.tokens = append(t.rawMatcher.tokens, a)
		case t.pipe.normalizer != nil:
			// Matched by what the normalizer makes of it ("▁<s>" after
			// Llama-2's Prepend); an empty result can never match.
			if a.Content = t.pipe.normalizer.normalize(a.Content); a.Content != "" {
				t.normMatcher.tokens = append(t.normMatcher.tokens, a)
			}
		default:
			t.normMatcher.tokens = append(t.normMatcher.tokens, a)
		}
	}
	t.decoded = make([]string, size)
	for id, tok := range t.tokens {
		t.decoded[id] = decodeToken(tok)
	}
	for b := range t.byteIDs {
		t.byteIDs[b], t.fallback[b] = -1, -1
		if id, ok := vocab[string(byteToRune[b])]; ok {
			t.byteIDs[b] = id
		}
		if id, ok := vocab[fmt.Sprintf("<0x%02X>", b)]; ok && opts.byteFallback {
			t.fallback[b] = id
		}
	}
	if opts.unkToken != "" {
		id, ok := vocab[opts.unkToken]
		if !ok {
			return nil, fmt.Errorf("model.unk_token: %q is not in model.vocab", opts.unkToken)
		}
		t.unkID = id
	}
	t.mergeMap = make(map[uint64]mergeValue, len(merges))
	for i, m := range merges {
		l, okL := vocab[m.Left]
		r, okR := vocab[m.Right]
		id, okM := vocab[m.Left+m.Right]
		switch {
		case !okL:
			return nil, fmt.Errorf("model.merges[%d]: %q is not in model.vocab", i, m.Left)
		case !okR:
			return nil, fmt.Errorf("model.merges[%d]: %q is not in model.vocab", i, m.Right)
		case !okM:
			return nil, fmt.Errorf("model.merges[%d]: merged token %q is not in model.vocab", i, m.Left+m.Right)
		}
		// A repeated merge keeps its last rank, as Hugging Face's map does.
		t.mergeMap[mergeKey(l, r)] = mergeValue{rank: int32(i), newID: id}
	}
	return t, nil
}

// parsePipeline reads the normalizer, pre-tokenizer, post-processor and
// decoder objects.
func (t *Tokenizer) parsePipeline(c components) error {
	var err error
	p := &t.pipe
	if p.normalizer, err = parseNormalizer(c.normalizer, "normalizer"); err != nil {
		return err
	}
	if p.pre, err = parsePreTokenizer(c.preTokenizer, "pre_tokenizer"); err != nil {
		return err
	}
	if t.templates, err = parsePostProcessor(c.postProcessor, "post_processor"); err != nil {
		return err
	}
	if p.decoder, err = parseDecoder(c.decoder, "decoder"); err != nil {
		return err
	}
	for _, raw := range []*json.RawMessage{&c.normalizer, &c.preTokenizer, &c.postProcessor, &c.decoder} {
		var b bytes.Buffer
		if isNull(*raw) || json.Compact(&b, *raw) != nil {
			b.Reset()
			b.WriteString("null")
		}
		*raw = b.Bytes()
	}
	p.json = c
	return nil
}

// VocabSize is the number of ids: one more than the largest id.
func (t *Tokenizer) VocabSize() int { return len(t.tokens) }

// Token returns the token with the given id, in byte-level form for model
// tokens ("Ġworld") and as written for added tokens.
func (t *Tokenizer) Token(id int32) (string, bool) {
	if id < 0 || int(id) >= len(t.tokens) || !t.known[id] {
		return "", false
	}
	return t.tokens[id], true
}

// ID returns the id of a token given as Token returns it.
func (t *Tokenizer) ID(token string) (int32, bool) {
	for _, a := range t.added {
		if a.Content == token {
			return a.ID, true
		}
	}
	id, ok := t.vocab[token]
	return id, ok
}

// Tokens lists every token by id ("" for unassigned ids), for example for
// GGUF's tokenizer.ggml.tokens.
func (t *Tokenizer) Tokens() []string { return append([]string(nil), t.tokens...) }

// IsSpecial reports whether id is a special added token (a control token).
func (t *Tokenizer) IsSpecial(id int32) bool {
	return id >= 0 && int(id) < len(t.special) && t.special[id]
}

// Merges lists the merge rules in rank order.
func (t *Tokenizer) Merges() []Merge { return append([]Merge(nil), t.merges...) }

// AddedTokens lists the added tokens by id.
func (t *Tokenizer) AddedTokens() []AddedToken { return append([]AddedToken(nil), t.added...) }

// The cache holds at most wordCacheMax words of at most wordCacheMaxLen
// bytes; others are merged each time (a long word is rare and costly to
// keep).
const (
	wordCacheMax    = 1 << 16
	wordCacheMaxLen = 256
)

// wordCache maps a pre-token to its ids. It only grows, and words repeat,
// which is the case sync.Map serves without locks on reads.
type wordCache struct {
	m    sync.Map // string → []int32
	size atomic.Int64
}

func (c *wordCache) get(word string) ([]int32, bool) {
	v, ok := c.m.Load(word)
	if !ok {
		return nil, false
	}
	return v.([]int32), true
}

func (c *wordCache) put(word string, ids []int32) {
	if len(word) <= wordCacheMaxLen && c.size.Load() < wordCacheMax {
		if _, loaded := c.m.LoadOrStore(strings.Clone(word), ids); !loaded {
			c.size.Add(1)
		}
	}
}
