package tokenizer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// classItem is one member of a character class: a range lo..hi or a
// Unicode table.
type classItem struct {
	lo, hi rune
	table  *unicode.RangeTable
}

func (it classItem) has(r rune) bool {
	if it.table != nil {
		return unicode.Is(it.table, r)
	}
	return it.lo <= r && r <= it.hi
}

// charClass is a set of characters. Membership of ASCII characters is
// precomputed (the common case in text); others test the items, and with
// fold every character of the rune's simple case-folding orbit, which is
// how Oniguruma and Rust's regex apply (?i) (so (?i:s) also matches 'ſ').
type charClass struct {
	ascii [2]uint64
	items []classItem
	subs  []*charClass // nested classes such as \s or \S inside [...]
	neg   bool
	fold  bool
}

func newClass(fold, neg bool, items ...classItem) *charClass {
	return newClassOf(fold, neg, items, nil)
}

func newClassOf(fold, neg bool, items []classItem, subs []*charClass) *charClass {
	c := &charClass{items: items, subs: subs, neg: neg, fold: fold}
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if c.slowHas(r) {
			c.ascii[r>>6] |= 1 << (r & 63)
		}
	}
	return c
}

// has reports whether r is in the class. Invalid UTF-8 bytes reach it as
// utf8.RuneError, a symbol (So).
func (c *charClass) has(r rune) bool {
	if r < utf8.RuneSelf {
		return c.ascii[r>>6]&(1<<(r&63)) != 0
	}
	return c.slowHas(r)
}

func (c *charClass) slowHas(r rune) bool {
	in := c.hasExact(r)
	if !in && c.fold {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if c.hasExact(f) {
				in = true
				break
			}
		}
	}
	return in != c.neg
}

func (c *charClass) hasExact(r rune) bool {
	for _, it := range c.items {
		if it.has(r) {
			return true
		}
	}
	for _, s := range c.subs {
		if s.has(r) {
			return true
		}
	}
	return false
}

// propertyTables maps a normalized property name (lower case, without
// spaces, '-' or '_', as Oniguruma compares them) to its table: general
// categories by short and long name, scripts, and binary properties.
var propertyTables = func() map[string]*unicode.RangeTable {
	m := map[string]*unicode.RangeTable{}
	add := func(name string, t *unicode.RangeTable) { m[normalizePropertyName(name)] = t }
	for name, t := range unicode.Scripts {
		add(name, t)
	}
	for name, t := range unicode.Properties {
		add(name, t)
	}
	for name, t := range unicode.Categories {
		add(name, t)
	}
	long := map[string]string{
		"Letter": "L", "Cased_Letter": "LC", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
		"Titlecase_Letter": "Lt", "Modifier_Letter": "Lm", "Other_Letter": "Lo",
		"Mark": "M", "Combining_Mark": "M", "Nonspacing_Mark": "Mn", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me",
		"Number": "N", "Decimal_Number": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
		"Punctuation": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd", "Open_Punctuation": "Ps",
		"Close_Punctuation": "Pe", "Initial_Punctuation": "Pi", "Final_Punctuation": "Pf", "Other_Punctuation": "Po",
		"Symbol": "S", "Math_Symbol": "Sm", "Currency_Symbol": "Sc", "Modifier_Symbol": "Sk", "Other_Symbol": "So",
		"Separator": "Z", "Space_Separator": "Zs", "Line_Separator": "Zl", "Paragraph_Separator": "Zp",
		"Control": "Cc", "Format": "Cf", "Private_Use": "Co", "Surrogate": "Cs",
	}
	for name, short := range long {
		if t, ok := unicode.Categories[short]; ok {
			add(name, t)
		}
	}
	// Go's "C" lacks the unassigned code points (Cn) that Unicode's and
	// Oniguruma's \p{C} include; refusing it beats matching it wrongly.
	delete(m, "c")
	delete(m, "other")
	return m
}()

func normalizePropertyName(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer(" ", "", "_", "", "-", "").Replace(s)
}

// propertyTable returns the table for \p{name}, nil if unsupported.
func propertyTable(name string) *unicode.RangeTable {
	return propertyTables[normalizePropertyName(name)]
}
