package search

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"xinyong"
)

// Query limits.
const (
	MaxQueryRunes = 100 // characters of a query, after trimming
	MinCodePrefix = 6   // shortest credit-code prefix searched as a prefix
	maxRawBytes   = 4 * 1024
)

// Boosts. An exact code or an exact name must outrank any partial match; the ubiquitous words only break
// ties between the documents that match the rest.
const (
	boostCode       = 1000
	boostCodeStem   = 200 // the first 16 characters of an 18-character code that fails its check
	boostCodePrefix = 100
	boostRef        = 1000 // an entry id, a case id or a 认定文号: as exact as a code
	boostExact      = 50
	boostStop       = 0.3
)

// ErrorKind classifies a QueryError.
type ErrorKind string

// Kinds of QueryError.
const (
	ErrEmpty     ErrorKind = "empty"      // nothing was entered
	ErrTooLong   ErrorKind = "too_long"   // over MaxQueryRunes
	ErrNoText    ErrorKind = "no_text"    // only punctuation and symbols
	ErrBadPage   ErrorKind = "bad_page"   // page below 1
	ErrTooDeep   ErrorKind = "too_deep"   // beyond MaxDepth results
	ErrBadFilter ErrorKind = "bad_filter" // unknown list or kind, or an overlong filter value
)

// QueryError is a request that cannot be searched as given: the caller's fault (HTTP 400). Its message is
// Chinese, for the public.
type QueryError struct {
	Kind ErrorKind
	Msg  string
}

func (e *QueryError) Error() string { return e.Msg }

// IsQueryError reports whether err is or wraps a *QueryError.
func IsQueryError(err error) bool {
	var qe *QueryError
	return errors.As(err, &qe)
}

func queryError(kind ErrorKind, format string, args ...any) error {
	return &QueryError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Query is a parsed query. Text and Notice are for the page; the rest says what will be looked up.
type Query struct {
	// Text is the query as it may be shown back: one line, control characters removed, ID numbers masked.
	Text string
	// Notice, when not empty, is shown above the results: a code that fails its check, a code prefix that
	// is too short, or an ID number that is not looked up.
	Notice string
	// Blocked means nothing is looked up (the query is or contains an ID number); the result is empty.
	Blocked bool

	code     string // normalised credit code or code prefix; "" for none
	codeFull bool   // code is 18 characters: a term query, not a prefix query
	codeStem string // the first 16 characters of a full code that fails its check
	required []gram // every one must match (less the slack of long queries)
	optional []gram // ubiquitous words: they only add to the score
	exact    string // normalize(query): boosted exact-name match
	ref      string // refKey(query): an id or a 认定文号; "" for none
	refOnly  bool   // the query is a 认定文号: looked up as one only, and as a name only if that finds nothing
}

// gram is one query term on one field.
type gram struct {
	field string
	term  string
}

// stopWords are ubiquitous parts of names: a query need not contain them, and a name matched only by them
// is not a match. They are removed from the query before it is cut into bigrams (and are searched as
// optional terms), longest first, so 盘锦鑫源化工有限公司 requires only the bigrams of 鑫源化工.
var stopWords = func() [][]rune {
	ws := []string{
		"有限责任公司", "股份有限公司", "有限公司", "有限责任", "责任公司", "分公司", "公司", "有限",
		"盘锦市", "盘锦", "辽宁省", "辽宁",
	}
	rs := make([][]rune, len(ws))
	for i, w := range ws {
		rs[i] = []rune(w)
	}
	slices.SortStableFunc(rs, func(a, b []rune) int { return len(b) - len(a) })
	return rs
}()

// Parse checks and interprets a query typed by the public. It returns a *QueryError when the query cannot
// be searched; otherwise a Query, possibly with a Notice. Parse never builds query-string syntax: every
// character is literal text, and punctuation, wildcards and operators only separate words.
func Parse(raw string) (Query, error) {
	if len(raw) > maxRawBytes {
		return Query{}, queryError(ErrTooLong, xinyong.MsgSearchTooLong, MaxQueryRunes, utf8.RuneCountInString(raw))
	}
	text := xinyong.CleanLine(raw)
	if text == "" {
		return Query{}, queryError(ErrEmpty, xinyong.MsgSearchEmpty)
	}
	if n := utf8.RuneCountInString(text); n > MaxQueryRunes {
		return Query{}, queryError(ErrTooLong, xinyong.MsgSearchTooLong, MaxQueryRunes, n)
	}
	var q Query
	q.Text, _ = xinyong.MaskIDNumbersIn(text)
	if normalizeFolded(text) == "" { // simplify changes no letter or digit into punctuation
		return Query{}, queryError(ErrNoText, xinyong.MsgSearchNoText)
	}
	code := xinyong.NormalizeCode(text)
	check := xinyong.CheckCreditCode(code)
	// The same detection as the export's masking (xinyong.ContainsIDNumber), plus a whole query that has
	// the shape of one, mistyped or run into letters (a code typed with an ID number's shape).
	if !check.Valid() && (xinyong.LooksLikeIDNumber(code) || xinyong.ContainsIDNumber(text) ||
		xinyong.ContainsIDNumber(code)) {
		if xinyong.LooksLikeIDNumber(text) {
			q.Text = xinyong.MaskIDNumber(text)
		} else if q.Text == text {
			q.Text = xinyong.MaskIDNumber(text) // found only once run together: mask the whole query
		}
		q.Notice, q.Blocked = xinyong.MsgSearchIDNumber, true
		return q, nil
	}
	simple := simplify(text)
	q.exact = normalizeFolded(simple)
	q.ref = refKey(simple)
	if q.ref != "" && isDecisionNo(q.ref) {
		// Cut into words, 盘环罚〔2026〕142号 would ask for names with 盘环, 环罚, 2026, 142 and 号: it is
		// searched as a name only when no document has it (Search), in case a name has such a shape.
		q.refOnly = true
		q.parseName(simple)
		return q, nil
	}
	q.parseCode(code, check)
	q.parseName(simple)
	return q, nil
}

// isDecisionNo reports whether key (a refKey) has the shape of a 认定文号: an agency's abbreviation, the
// year in brackets and a number ending in 号 (盘环罚[2026]142号), or at least a bracketed year followed by
// a number, or digits followed by 号 after some other text. Names rarely have these shapes (盘锦市第一建筑
// 工程 has no digit at all); one that does (渔港5号) is found by the name search that Search runs when no
// document has the reference.
func isDecisionNo(key string) bool {
	rs := []rune(key)
	// A bracketed year of four digits followed by more.
	for i := 0; i+5 < len(rs); i++ {
		if rs[i] == '[' && rs[i+5] == ']' && isDigits(rs[i+1:i+5]) && i+6 < len(rs) {
			return true
		}
	}
	// ...号 after a digit, with something before the digits.
	n := len(rs)
	if n >= 3 && rs[n-1] == '号' && unicode.IsDigit(rs[n-2]) {
		i := n - 2
		for i >= 0 && unicode.IsDigit(rs[i]) {
			i--
		}
		return i >= 0
	}
	return false
}

func isDigits(rs []rune) bool {
	for _, r := range rs {
		if r < '0' || r > '9' {
			return false
		}
	}
	return len(rs) > 0
}

// parseCode sets the code part of q when the query can be a credit code or the start of one.
func (q *Query) parseCode(code string, check xinyong.CodeCheck) {
	if !isCodeAlphabet(code) {
		return
	}
	n := len(code)
	switch {
	case n == xinyong.CodeLength:
		q.code, q.codeFull = code, true
		if !check.Valid() {
			q.Notice = fmt.Sprintf(xinyong.MsgSearchCodeInvalid, check.Err())
			q.codeStem = code[:16]
		}
	case n >= MinCodePrefix && n < xinyong.CodeLength:
		q.code = code
	case n >= 2 && n < MinCodePrefix && strings.ContainsAny(code, "0123456789"):
		q.Notice = fmt.Sprintf(xinyong.MsgSearchCodeShort, MinCodePrefix)
	}
}

// isCodeAlphabet reports whether s is made of digits and upper-case Latin letters only (letters outside
// xinyong.CodeAlphabet included, so that a mistyped code still gets its notice).
func isCodeAlphabet(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// parseName sets the name part of q: the terms every matching name must contain, and the optional ones.
func (q *Query) parseName(text string) {
	var all []gram // every term, stop words included: required when the query is only stop words
	for _, u := range units(text, false) {
		if !u.cjk {
			g := gram{fName, string(u.runes)}
			q.required = append(q.required, g)
			all = append(all, g)
			continue
		}
		pieces, stops := splitStopWords(u.runes)
		for _, p := range pieces {
			q.required = append(q.required, cjkGrams(p)...)
		}
		for _, s := range stops {
			q.optional = append(q.optional, cjkGrams(s)...)
		}
		all = append(all, cjkGrams(u.runes)...)
	}
	if len(q.required) == 0 {
		q.required, q.optional = all, nil
	}
	q.required = uniqGrams(q.required)
	q.optional = uniqGrams(q.optional)
}

// splitStopWords cuts a CJK run at the stop words in it.
func splitStopWords(rs []rune) (pieces, stops [][]rune) {
	start := 0
	for i := 0; i < len(rs); {
		w := stopWordAt(rs[i:])
		if w == 0 {
			i++
			continue
		}
		if i > start {
			pieces = append(pieces, rs[start:i])
		}
		stops = append(stops, rs[i:i+w])
		i += w
		start = i
	}
	if start < len(rs) {
		pieces = append(pieces, rs[start:])
	}
	return pieces, stops
}

// stopWordAt returns the length of the longest stop word at the start of rs, or 0.
func stopWordAt(rs []rune) int {
	for _, w := range stopWords {
		if len(w) <= len(rs) && slices.Equal(rs[:len(w)], w) {
			return len(w)
		}
	}
	return 0
}

// cjkGrams returns the terms of a CJK run: its bigrams, or the character itself on the unigram field.
func cjkGrams(rs []rune) []gram {
	if len(rs) == 1 {
		return []gram{{fName1, string(rs)}}
	}
	gs := make([]gram, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		gs = append(gs, gram{fName, string(rs[i : i+2])})
	}
	return gs
}

func uniqGrams(gs []gram) []gram {
	var out []gram
	for _, g := range gs {
		if !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	return out
}

// slack returns how many of n required bigrams a name may lack in a relaxed search: none up to 4, then one
// per 4 more. A user who leaves a word out (兴隆台张记餐馆 for 盘锦市兴隆台区张记餐馆) creates a bigram
// across the gap (台张) that no name contains.
func slack(n int) int {
	if n <= 4 {
		return 0
	}
	return (n - 1) / 4
}

// canRelax reports whether a relaxed search (see slack) would differ from the strict one. For a 认定文号,
// the second search is the name search (strict), which the first did not run.
func (q *Query) canRelax() bool {
	if q.refOnly {
		return len(q.required) > 0
	}
	n := 0
	for _, g := range q.required {
		if isBigram(g) {
			n++
		}
	}
	return slack(n) > 0
}

// bleveQuery returns the query tree: (code OR name OR reference), with the filters applied. A relaxed
// query lets long names lack a few bigrams; it is run only when the strict one finds nothing, for it is
// slower (a disjunction with a minimum instead of a conjunction) and less precise. A 认定文号 is looked
// up as a reference only; its relaxed query is the strict name query, run when no document has it.
func (q *Query) bleveQuery(filters []query.Query, relaxed bool) query.Query {
	var top query.Query
	if q.refOnly && !relaxed {
		top = termQuery(fRef, q.ref, boostRef)
	} else {
		alts := []query.Query{q.nameQuery(relaxed && !q.refOnly)}
		if cq := q.codeQuery(); cq != nil {
			alts = append([]query.Query{cq}, alts...)
		}
		if q.ref != "" {
			alts = append(alts, termQuery(fRef, q.ref, boostRef))
		}
		if len(alts) == 1 {
			top = alts[0]
		} else {
			top = bleve.NewDisjunctionQuery(alts...)
		}
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(top)
	if len(filters) > 0 {
		b.AddFilter(bleve.NewConjunctionQuery(filters...))
	}
	return b
}

// codeQuery returns the credit-code part of the query, or nil.
func (q *Query) codeQuery() query.Query {
	if q.code == "" {
		return nil
	}
	if !q.codeFull {
		return termQuery(fCodePrefix, q.code, boostCodePrefix)
	}
	cq := []query.Query{termQuery(fCode, q.code, boostCode)}
	if q.codeStem != "" {
		cq = append(cq, termQuery(fCodePrefix, q.codeStem, boostCodeStem))
	}
	return bleve.NewDisjunctionQuery(cq...)
}

// nameQuery returns the name part: the required terms (all of them, or, relaxed, all but the slack), with
// the exact name and the stop words as optional boosts.
func (q *Query) nameQuery(relaxed bool) query.Query {
	var bigrams, others []query.Query
	for _, g := range q.required {
		t := termQuery(g.field, g.term, 1)
		if isBigram(g) {
			bigrams = append(bigrams, t)
		} else {
			others = append(others, t)
		}
	}
	must := others
	if s := slack(len(bigrams)); relaxed && s > 0 {
		d := bleve.NewDisjunctionQuery(bigrams...)
		d.SetMin(float64(len(bigrams) - s))
		must = append(must, d)
	} else {
		must = append(must, bigrams...)
	}
	should := []query.Query{termQuery(fExact, q.exact, boostExact)}
	for _, g := range q.optional {
		should = append(should, termQuery(g.field, g.term, boostStop))
	}
	b := bleve.NewBooleanQuery()
	b.AddMust(bleve.NewConjunctionQuery(must...))
	b.AddShould(should...)
	return b
}

// isBigram reports whether g is a CJK bigram of the name field.
func isBigram(g gram) bool {
	r, size := utf8.DecodeRuneInString(g.term)
	return g.field == fName && isCJK(r) && utf8.RuneCountInString(g.term[size:]) == 1
}

func termQuery(field, term string, boost float64) query.Query {
	t := bleve.NewTermQuery(term)
	t.SetField(field)
	if boost != 1 {
		t.SetBoost(boost)
	}
	return t
}
