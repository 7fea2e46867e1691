package tokenizer

import (
	"fmt"
	"iter"
	"slices"
	"strings"
	"unicode/utf8"
)

// TrainOptions configure Train.
type TrainOptions struct {
	// VocabSize is the total number of ids: 256 byte tokens, the learned
	// merges, and the special tokens. Training stops early when no pair is
	// left to merge.
	VocabSize int
	// SpecialTokens are added tokens (e.g. "<|endoftext|>", "\n\nHuman:")
	// that get the last ids, as GPT-2's <|endoftext|> is 50256. They are cut
	// out of the corpus before counting, so no merge learns their text.
	SpecialTokens []string
	// MinFrequency stops training when the most frequent pair is seen
	// fewer times (default 2: merging a pair seen once memorizes a word).
	MinFrequency int
}

// Train learns a byte-level BPE tokenizer from texts, like GPT-2 and
// Hugging Face's BpeTrainer: ids 0..255 are the bytes in GPT-2's order,
// then each merge adds the most frequent adjacent pair over the pre-token
// counts. Ties go to the pair with the smaller (left, right) ids (Hugging
// Face's rule), so the result depends only on the corpus and options.
//
// Pair counts are updated incrementally: a merge only revisits the words
// that contain the pair, and a lazy max-heap finds the next best pair.
func Train(texts iter.Seq[string], opts TrainOptions) (*Tokenizer, error) {
	if opts.MinFrequency <= 0 {
		opts.MinFrequency = 2
	}
	if opts.VocabSize < 256+len(opts.SpecialTokens) {
		return nil, fmt.Errorf("tokenizer: vocabulary size %d is below the 256 byte tokens plus %d special tokens", opts.VocabSize, len(opts.SpecialTokens))
	}
	var matcher addedMatcher
	for i, s := range opts.SpecialTokens {
		if s == "" || !utf8.ValidString(s) {
			return nil, fmt.Errorf("tokenizer: special token %d (%q) must be non-empty valid UTF-8", i, s)
		}
		if slices.Contains(opts.SpecialTokens[:i], s) {
			return nil, fmt.Errorf("tokenizer: special token %q is given twice", s)
		}
		matcher.tokens = append(matcher.tokens, AddedToken{ID: int32(i), Content: s})
	}

	counts := map[string]int64{}
	for text := range texts {
		matcher.scan(text, func(piece string, id int32) {
			for id < 0 && len(piece) > 0 {
				n := preTokenLen(piece)
				if c, ok := counts[piece[:n]]; ok {
					counts[piece[:n]] = c + 1
				} else {
					counts[strings.Clone(piece[:n])] = 1
				}
				piece = piece[n:]
			}
		})
	}

	tr := newTrainer(counts)
	target := opts.VocabSize - len(opts.SpecialTokens)
	for len(tr.tokens) < target && tr.step(int64(opts.MinFrequency)) {
	}

	vocab := make(map[string]int32, len(tr.tokens)+len(opts.SpecialTokens))
	for id, tok := range tr.tokens {
		vocab[tok] = int32(id)
	}
	added := make([]AddedToken, len(opts.SpecialTokens))
	for i, s := range opts.SpecialTokens {
		id := int32(len(tr.tokens) + i)
		if _, ok := vocab[s]; ok {
			return nil, fmt.Errorf("tokenizer: special token %q equals a learned token; choose another", s)
		}
		vocab[s] = id
		added[i] = AddedToken{ID: id, Content: s, Special: true}
	}
	return newTokenizer(vocab, tr.merges, added, options{}, gpt2Components)
}

// TrainStrings is Train over a slice of texts.
func TrainStrings(texts []string, opts TrainOptions) (*Tokenizer, error) {
	return Train(slices.Values(texts), opts)
}

// trainer holds the state of merge learning.
type trainer struct {
	tokens []string         // id → byte-level token
	ids    map[string]int32 // token → id
	merges []Merge

	words  [][]int32 // distinct pre-tokens as current ids
	counts []int64   // how often each word occurs

	pairCount map[uint64]int64   // occurrences of each adjacent pair, weighted by word count
	pairWords map[uint64][]int32 // words that contain (or once contained) each pair
	heap      pairHeap
	touched   map[uint64]struct{} // pairs whose count grew during a merge
}

func newTrainer(counts map[string]int64) *trainer {
	tr := &trainer{
		ids:       map[string]int32{},
		pairCount: map[uint64]int64{},
		pairWords: map[uint64][]int32{},
		touched:   map[uint64]struct{}{},
	}
	var byteID [256]int32
	for i, b := range byteOrder {
		tok := string(byteToRune[b])
		byteID[b] = int32(i)
		tr.tokens = append(tr.tokens, tok)
		tr.ids[tok] = int32(i)
	}
	// Sorted words make the whole run independent of map order.
	keys := make([]string, 0, len(counts))
	for w := range counts {
		keys = append(keys, w)
	}
	slices.Sort(keys)
	for wi, w := range keys {
		ids := make([]int32, len(w))
		for i := 0; i < len(w); i++ {
			ids[i] = byteID[w[i]]
		}
		c := counts[w]
		tr.words = append(tr.words, ids)
		tr.counts = append(tr.counts, c)
		for i := 1; i < len(ids); i++ {
			k := mergeKey(ids[i-1], ids[i])
			tr.pairCount[k] += c
			tr.addWord(k, int32(wi))
		}
	}
	for k, c := range tr.pairCount {
		tr.heap.push(pairEntry{count: c, key: k})
	}
	return tr
}

// addWord records that word wi holds pair k. A word is listed again only if
// it is not already the last entry, so a list may hold stale or repeated
// words; merging such a word again finds nothing to do.
func (tr *trainer) addWord(k uint64, wi int32) {
	l := tr.pairWords[k]
	if len(l) == 0 || l[len(l)-1] != wi {
		tr.pairWords[k] = append(l, wi)
	}
}

// step learns one merge; it returns false when no pair occurs at least
// minCount times.
func (tr *trainer) step(minCount int64) bool {
	for len(tr.heap) > 0 {
		top := tr.heap.pop()
		cur := tr.pairCount[top.key]
		if cur != top.count { // stale entry: requeue with the current count
			if cur > 0 {
				tr.heap.push(pairEntry{count: cur, key: top.key})
			}
			continue
		}
		if cur < minCount {
			return false
		}
		tr.merge(top.key)
		return true
	}
	return false
}

// merge replaces every occurrence of pair k by a new token and updates the
// pair counts of its neighbours.
func (tr *trainer) merge(k uint64) {
	a, b := int32(k>>32), int32(uint32(k))
	tok := tr.tokens[a] + tr.tokens[b]
	tr.merges = append(tr.merges, Merge{Left: tr.tokens[a], Right: tr.tokens[b]})
	// Two merges can spell the same token ("a"+"bc", "ab"+"c"); both rules
	// are kept and share the id, as in GPT-2's merges.txt.
	n, ok := tr.ids[tok]
	if !ok {
		n = int32(len(tr.tokens))
		tr.tokens = append(tr.tokens, tok)
		tr.ids[tok] = n
	}
	clear(tr.touched)
	for _, wi := range tr.pairWords[k] {
		tr.mergeIn(wi, a, b, n)
	}
	delete(tr.pairWords, k)
	delete(tr.pairCount, k)
	for p := range tr.touched {
		if c := tr.pairCount[p]; c > 0 {
			tr.heap.push(pairEntry{count: c, key: p})
		}
	}
}

// mergeIn merges (a, b) into n inside word wi, rewriting it in place. The
// left neighbour is read from the rewritten part, so back-to-back merges
// ("a b a b") count the pair (n, n) and not (n, a).
func (tr *trainer) mergeIn(wi int32, a, b, n int32) {
	w, c := tr.words[wi], tr.counts[wi]
	add := func(l, r int32, d int64) {
		p := mergeKey(l, r)
		tr.pairCount[p] += d
		if d > 0 {
			tr.touched[p] = struct{}{}
			tr.addWord(p, wi)
		}
	}
	j := 0
	for i := 0; i < len(w); {
		if i+1 < len(w) && w[i] == a && w[i+1] == b {
			if j > 0 {
				add(w[j-1], a, -c)
				add(w[j-1], n, c)
			}
			if i+2 < len(w) {
				add(b, w[i+2], -c)
				add(n, w[i+2], c)
			}
			w[j] = n
			i += 2
		} else {
			w[j] = w[i]
			i++
		}
		j++
	}
	tr.words[wi] = w[:j]
}

// pairEntry is a heap entry: a pair and its count when pushed.
type pairEntry struct {
	count int64
	key   uint64
}

// pairHeap is a max-heap on count; on equal counts the smaller key (the
// smaller left id, then right id) wins.
type pairHeap []pairEntry

func (h pairHeap) less(i, j int) bool {
	if h[i].count != h[j].count {
		return h[i].count > h[j].count
	}
	return h[i].key < h[j].key
}

func (h *pairHeap) push(e pairEntry) {
	*h = append(*h, e)
	a := *h
	for i := len(a) - 1; i > 0; {
		p := (i - 1) / 2
		if !a.less(i, p) {
			break
		}
		a[i], a[p] = a[p], a[i]
		i = p
	}
}

func (h *pairHeap) pop() pairEntry {
	a := *h
	top := a[0]
	n := len(a) - 1
	a[0] = a[n]
	a = a[:n]
	for i := 0; ; {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && a.less(r, l) {
			m = r
		}
		if !a.less(m, i) {
			break
		}
		a[i], a[m] = a[m], a[i]
		i = m
	}
	*h = a
	return top
}
