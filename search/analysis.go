package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"xinyong"
)

// Analyzer names. They carry the index format version: an analyzer whose output changes gets a new name
// (and formatVersion changes), so that an old index is never searched with new analysis.
const (
	bigramAnalyzer     = "xinyong_name_bigram_v1"
	unigramAnalyzer    = "xinyong_name_unigram_v1"
	codePrefixAnalyzer = "xinyong_code_prefix_v1"
)

func init() {
	register := func(name string, a analysis.Analyzer) {
		err := registry.RegisterAnalyzer(name, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
			return a, nil
		})
		if err != nil {
			panic(err)
		}
	}
	register(bigramAnalyzer, analyzerFunc(bigramTokens))
	register(unigramAnalyzer, analyzerFunc(unigramTokens))
	register(codePrefixAnalyzer, analyzerFunc(codePrefixTokens))
}

// analyzerFunc adapts a function to analysis.Analyzer.
type analyzerFunc func([]byte) analysis.TokenStream

func (f analyzerFunc) Analyze(b []byte) analysis.TokenStream { return f(b) }

// fold returns r as it is compared: full-width ASCII forms as ASCII, the ideographic space as a space, and
// letters in lower case.
func fold(r rune) rune {
	switch {
	case r >= 0xff01 && r <= 0xff5e:
		r -= 0xfee0
	case r == 0x3000:
		r = ' '
	}
	return unicode.ToLower(r)
}

// isCJK reports whether r is written without spaces between words, so that it is indexed as bigrams.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isTextRune reports whether a folded rune takes part in matching. Everything else (spaces, punctuation,
// brackets of either width, symbols, control characters) only separates.
func isTextRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r))
}

// A unit is a run of folded text runes that is matched as one: a run of CJK characters (indexed as bigrams)
// or a word of other letters and digits (indexed whole).
type unit struct {
	runes  []rune // folded
	starts []int  // byte offset in the input of each rune
	ends   []int  // byte offset in the input just after each rune
	cjk    bool
}

// units splits s into units. Runs of other characters separate words. With joinCJK, they do not separate
// CJK characters: 盘锦（辽河）石油 is one run 盘锦辽河石油, so that a query typed with or without the
// brackets finds it. Names are indexed with joinCJK; queries are split without it, so that a space or a
// bracket the user typed does not demand a bigram across it.
//
// s must be simplified already (simplify): names are simplified once when a document is prepared, queries
// once when they are parsed.
func units(s string, joinCJK bool) []unit {
	var us []unit
	gap := true
	for i, orig := range s {
		r := fold(orig)
		if !isTextRune(r) {
			gap = true
			continue
		}
		cjk := isCJK(r)
		n := len(us)
		extend := n > 0 && us[n-1].cjk == cjk && (!gap || (cjk && joinCJK))
		if !extend {
			us = append(us, unit{cjk: cjk})
			n++
		}
		u := &us[n-1]
		u.runes = append(u.runes, r)
		u.starts = append(u.starts, i)
		u.ends = append(u.ends, i+utf8.RuneLen(orig))
		gap = false
	}
	return us
}

// normalize returns the folded text runes of s, simplified (see simplify), without anything between them:
// the exact-match key of a name.
func normalize(s string) string { return normalizeFolded(simplify(s)) }

// normalizeFolded is normalize of a string simplified already.
func normalizeFolded(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		if r = fold(r); isTextRune(r) {
			b = append(b, r)
		}
	}
	return string(b)
}

// maxRef is the longest reference (认定文号 or id) indexed or looked up, in bytes of its key.
const maxRef = 200

// refKey returns the key under which a reference is indexed and looked up: a 认定文号 (盘环罚〔2026〕142号) or
// an entry or case id (E0000003). It is s simplified, folded (full-width forms to ASCII, lower case), with
// every kind of bracket around the year made one ([ and ]: 〔〕［］[]【】〖〗()（）), and without spaces or
// control characters, so that the three ways a 文号 is typed and pasted give one key. Other punctuation
// stays: it is part of the number. It is "" when s has no digit, or is too long to be a reference.
func refKey(s string) string {
	s = simplify(s)
	b := make([]rune, 0, len(s))
	digit := false
	for _, r := range s {
		r = fold(r)
		switch r {
		case '〔', '[', '【', '〖', '(', '{':
			r = '['
		case '〕', ']', '】', '〗', ')', '}':
			r = ']'
		}
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError || unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsDigit(r):
			digit = true
		}
		b = append(b, r)
	}
	if !digit || len(string(b)) > maxRef {
		return ""
	}
	return string(b)
}

// bigramTokens analyses a name for the bigram field: each CJK run of two or more characters as overlapping
// bigrams, each other word whole. A lone CJK character is left to the unigram field.
func bigramTokens(b []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	pos := 0
	add := func(term string, start, end int, typ analysis.TokenType) {
		pos++
		ts = append(ts, &analysis.Token{Term: []byte(term), Start: start, End: end, Position: pos, Type: typ})
	}
	for _, u := range units(string(b), true) {
		if !u.cjk {
			add(string(u.runes), u.starts[0], u.ends[len(u.ends)-1], analysis.AlphaNumeric)
			continue
		}
		for i := 0; i+1 < len(u.runes); i++ {
			add(string(u.runes[i:i+2]), u.starts[i], u.ends[i+1], analysis.Double)
		}
	}
	return ts
}

// unigramTokens analyses a name for the unigram field: each CJK character alone. It serves one-character
// queries only.
func unigramTokens(b []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	pos := 0
	for _, u := range units(string(b), true) {
		if !u.cjk {
			continue
		}
		for i, r := range u.runes {
			pos++
			ts = append(ts, &analysis.Token{Term: []byte(string(r)), Start: u.starts[i], End: u.ends[i], Position: pos, Type: analysis.Ideographic})
		}
	}
	return ts
}

// codePrefixTokens analyses a normalised credit code for the prefix field: its prefixes of MinCodePrefix
// to 17 characters. A prefix query is then one term, however many codes share the prefix (all of Panjin's
// share their first 6–8 characters), instead of a disjunction over every matching code.
func codePrefixTokens(b []byte) analysis.TokenStream {
	var ts analysis.TokenStream
	for n := MinCodePrefix; n < len(b) && n < xinyong.CodeLength; n++ {
		ts = append(ts, &analysis.Token{Term: b[:n:n], Start: 0, End: n, Position: len(ts) + 1, Type: analysis.AlphaNumeric})
	}
	return ts
}
