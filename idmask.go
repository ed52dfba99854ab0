package xinyong

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// This file is the one ID-number masker: the export, the open-data writer, the report, the search index,
// the search page and the logs all call MaskIDNumbersIn (or ContainsIDNumber, or IsIDNumber and
// LooksLikeIDNumber for a whole value), so that they agree on what an ID number is.
//
// Text is read as a sequence of runs: each rune is NFKC-normalised (full-width digits, circled and
// superscript digits become ASCII digits; the ideographic and no-break spaces become spaces), and
//
//   - an ASCII digit or X/x is an ID character, and so is '*', the mask, which no number contains;
//   - white space (line breaks included), dashes, . / \ _ and middle dots are visible separators;
//   - format characters (zero-width characters, byte-order marks, direction controls, soft hyphens),
//     combining marks, control characters, private-use characters and invalid UTF-8 are invisible
//     separators: CleanText removes them, so they must not hide a number from the masker either;
//   - anything else (letters, CJK, other punctuation such as , ， 、 ： 〔 〕) ends a run.
//
// Within a run the ID characters form groups, split by the separators. What is masked, in this order:
//
//  1. the whole run (leading X left out) when it is 18 characters of the shape of an ID number (17 digits
//     and a digit or X, a province that exists, a birth date that exists; the check character may be
//     wrong) or a 15-digit number of before 1999 (province, birth date 19YYMMDD), its separators at most
//     maxVisibleSep visible characters each, and it is not a valid credit code;
//  2. any 18 consecutive ID characters of the run, across separators and inside longer runs of digits,
//     that pass GB 11643 in full: province, birth date and the MOD 11-2 check character;
//  3. any single group (no separator inside) that is 18 or 15 characters of the shape of rule 1.
//
// Rule 2 finds every valid number however it is disguised; rules 1 and 3 also catch a mistyped check
// character or a legacy number when it stands alone, as a clerk would type it, but not when it merely
// occurs among other digits (a phone number, an amount, a date), which would mask too much.
// A match is replaced, separators and all, by its normalised masked form: the first 6 and the last 4
// characters with '*' between them (110105********002X). Digits of the run outside a match stay as
// they were.

// maxVisibleSep is the longest run of visible separators between the groups of an ID number matched
// without its check character (rules 1 of the comment above).
const maxVisibleSep = 3

// Classes of a normalised rune.
const (
	idOther = iota
	idChar
	idSepVisible
	idSepInvisible
)

// idClass classifies one normalised rune; for an ID character it also returns its ASCII form.
func idClass(r rune) (int, byte) {
	switch {
	case r >= '0' && r <= '9':
		return idChar, byte(r)
	case r == 'X' || r == 'x':
		return idChar, 'X'
	case r == '*':
		// A masked character: it belongs to the run and to its group, but no number has one, so that a
		// masked number and the digits around it are never read as another number (masking is idempotent).
		return idChar, '*'
	case r < utf8.RuneSelf:
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v' || r == '\f',
			r == '-', r == '.', r == '/', r == '\\', r == '_':
			return idSepVisible, 0
		case r < 0x20 || r == 0x7f:
			return idSepInvisible, 0
		}
		return idOther, 0
	case r == utf8.RuneError:
		return idSepInvisible, 0 // invalid UTF-8, which CleanText drops
	case unicode.IsSpace(r), unicode.Is(unicode.Pd, r),
		r == 0x2212, r == 0x00b7, r == 0x2027, r == 0x2022, r == 0x2219, r == 0x30fb, r == 0xff65:
		return idSepVisible, 0
	case unicode.In(r, unicode.Cf, unicode.Mn, unicode.Me, unicode.Cc, unicode.Co),
		r == 0x115f, r == 0x1160, r == 0x3164, r == 0xffa0: // the last four: Hangul fillers, blank
		return idSepInvisible, 0
	}
	return idOther, 0
}

// idUnit is one ID character of a run and the bytes of the text it came from.
type idUnit struct {
	c          byte
	start, end int
	group      int // index of its group in the run
}

// idScan is the state of one pass of the masker over a text.
type idScan struct {
	units   []idUnit // the current run's ID characters
	groups  int      // groups in the current run
	sepRun  int      // visible separators since the last ID character
	maxSep  int      // longest run of visible separators inside the current run
	inSep   bool     // a separator came after the last ID character
	matches []idMatch
}

// idMatch is a span of the text to replace by a masked number.
type idMatch struct {
	start, end int
	masked     string
}

// MaskIDNumbersIn masks every resident ID number in s, however it is written (see the rules at the top of
// this file): after NFKC normalisation, with any separators or line breaks between its digits, inside
// other text. Each is replaced by its masked normalised form, 110105********002X. found reports whether
// any was masked. Text without an ID number is returned unchanged.
func MaskIDNumbersIn(s string) (masked string, found bool) {
	ms := findIDNumbers(s)
	if len(ms) == 0 {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for _, m := range ms {
		start := max(m.start, last) // two matches may share a rune that normalises to several digits
		b.WriteString(s[last:start])
		b.WriteString(m.masked)
		last = max(m.end, start)
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// ContainsIDNumber reports whether MaskIDNumbersIn would mask something in s.
func ContainsIDNumber(s string) bool {
	return len(findIDNumbers(s)) > 0
}

// findIDNumbers returns the spans of s to mask, in order.
func findIDNumbers(s string) []idMatch {
	if !mayHoldIDNumber(s) {
		return nil
	}
	sc := &idScan{}
	sc.each(s, func(r rune, start, end int) {
		switch cls, c := idClass(r); cls {
		case idChar:
			if sc.inSep || len(sc.units) == 0 {
				sc.groups++
			}
			sc.maxSep = max(sc.maxSep, sc.sepRun)
			sc.sepRun, sc.inSep = 0, false
			sc.units = append(sc.units, idUnit{c: c, start: start, end: end, group: sc.groups - 1})
		case idSepVisible:
			if len(sc.units) > 0 {
				sc.sepRun++
				sc.inSep = true
			}
		case idSepInvisible:
			if len(sc.units) > 0 {
				sc.inSep = true
			}
		default:
			sc.endRun()
		}
	})
	sc.endRun()
	return sc.matches
}

// mayHoldIDNumber is a fast check: an ID number needs at least 15 characters that are digits or that
// NFKC may turn into digits (anything but ASCII and CJK ideographs).
func mayHoldIDNumber(s string) bool {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' {
				n++
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r < 0x4e00 || r > 0x9fff {
				n++
			}
			i += size
		}
		if n >= 15 {
			return true
		}
	}
	return false
}

// each calls fn with every rune of the NFKC normalisation of s, rune by rune, and the bytes of s it comes
// from. Invalid UTF-8 is passed as utf8.RuneError, one byte at a time.
func (sc *idScan) each(s string, fn func(r rune, start, end int)) {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		end := i + size
		if r < utf8.RuneSelf || r == utf8.RuneError || (r >= 0x4e00 && r <= 0x9fff) {
			fn(r, i, end) // ASCII and CJK ideographs are their own NFKC form
			i = end
			continue
		}
		p := norm.NFKC.PropertiesString(s[i:end])
		d := p.Decomposition()
		if len(d) == 0 {
			fn(r, i, end)
		} else {
			for _, dr := range string(d) {
				fn(dr, i, end)
			}
		}
		i = end
	}
}

// endRun looks for ID numbers in the run that just ended and starts a new one.
func (sc *idScan) endRun() {
	u := sc.units
	if len(u) >= 15 {
		sc.matchRun(u)
	}
	sc.units, sc.groups, sc.sepRun, sc.maxSep, sc.inSep = sc.units[:0], 0, 0, 0, false
}

// matchRun applies the three rules to the ID characters of one run. Matches that overlap (two valid
// numbers sharing digits) are masked as one span, each hiding its own middle, so that neither shows its
// birth date.
func (sc *idScan) matchRun(u []idUnit) {
	type window struct{ i, j int } // u[i:j]
	var ws []window
	// Rule 1: the whole run, without leading X or *, or trailing * (Markdown emphasis: **…**).
	if i, j := trimRun(u, 0, len(u)); sc.maxSep <= maxVisibleSep && idShaped(units(u[i:j])) {
		ws = append(ws, window{i, j})
	} else {
		// Rule 2: every window of 18 that passes in full.
		for i := 0; i+18 <= len(u); i++ {
			if idNumberValid(units(u[i : i+18])) {
				ws = append(ws, window{i, i + 18})
			}
		}
		// Rule 3: whole groups of the right shape, trimmed as in rule 1.
		for i := 0; i < len(u); {
			j := i
			for j < len(u) && u[j].group == u[i].group {
				j++
			}
			if k, l := trimRun(u, i, j); idShaped(units(u[k:l])) {
				ws = append(ws, window{k, l})
			}
			i = j
		}
		slices.SortFunc(ws, func(a, b window) int { return cmp.Or(a.i-b.i, a.j-b.j) })
	}
	hide := make([]bool, len(u))
	for n := 0; n < len(ws); {
		start, end := ws[n].i, ws[n].j
		for ; n < len(ws) && ws[n].i < end; n++ {
			end = max(end, ws[n].j)
			for k := ws[n].i + 6; k < ws[n].j-4; k++ {
				hide[k] = true
			}
		}
		b := make([]byte, end-start)
		for k := start; k < end; k++ {
			if b[k-start] = u[k].c; hide[k] {
				b[k-start] = '*'
			}
		}
		sc.matches = append(sc.matches, idMatch{start: u[start].start, end: u[end-1].end, masked: string(b)})
	}
}

// trimRun returns the bounds of u[i:j] without leading X or * and trailing *. A masked number always has
// a * inside, so trimming never makes one readable again.
func trimRun(u []idUnit, i, j int) (int, int) {
	for i < j && (u[i].c == 'X' || u[i].c == '*') {
		i++
	}
	for j > i && u[j-1].c == '*' {
		j--
	}
	return i, j
}

// idShaped reports whether n (normalised ID characters) has the shape of an ID number, right or mistyped,
// and is not a valid credit code.
func idShaped(n string) bool {
	switch len(n) {
	case 18:
		return idShape18(n) && !CheckCreditCode(n).Valid()
	case 15:
		return allDigits(n) && validProvince(n[:2]) && validDate("19"+n[6:12])
	}
	return false
}

// units returns the characters of u.
func units(u []idUnit) string {
	b := make([]byte, len(u))
	for i := range u {
		b[i] = u[i].c
	}
	return string(b)
}

// maskNormalised masks an ID number already normalised to ASCII: the first 6 and the last 4 characters
// are kept.
func maskNormalised(n string) string {
	return n[:6] + strings.Repeat("*", len(n)-10) + n[len(n)-4:]
}

// idNormalize returns the ID characters of s when s, but for surrounding white space, is one run of ID
// characters and separators (see the top of this file), and "" otherwise.
func idNormalize(s string) string {
	var b []byte
	other := false
	(&idScan{}).each(s, func(r rune, _, _ int) {
		switch cls, c := idClass(r); cls {
		case idChar:
			b = append(b, c)
		case idOther:
			other = true
		}
	})
	if other {
		return ""
	}
	return string(b)
}
