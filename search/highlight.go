package search

import "slices"

// terms returns the folded text of every query term, for highlighting.
func (q *Query) terms() [][]rune {
	ts := make([][]rune, 0, len(q.required)+len(q.optional))
	for _, g := range append(slices.Clip(q.required), q.optional...) {
		ts = append(ts, []rune(g.term))
	}
	return ts
}

// segments cuts name into runs of characters matched by a term and runs of other characters. Matching is
// on the folded text runes of the name (as the index sees them), so a term matches across the brackets or
// spaces between its characters, and the characters between stay unmatched. The segments' texts join to
// name exactly.
//
// The terms are simplified (see simplify); so is the name before it is compared, character for character
// when the conversion kept the number of characters (it almost always does), so that the traditional
// characters of a name are highlighted as the simplified ones they were found by.
func segments(name string, terms [][]rune) []Segment {
	orig := []rune(name)
	cmp := orig
	if s := []rune(simplify(name)); len(s) == len(orig) {
		cmp = s
	}
	var norm []rune // folded text runes of name
	var at []int    // index in orig of each rune of norm
	for i, r := range cmp {
		if r = fold(r); isTextRune(r) {
			norm = append(norm, r)
			at = append(at, i)
		}
	}
	matched := make([]bool, len(orig))
	for _, t := range terms {
		if len(t) == 0 {
			continue
		}
		for i := 0; i+len(t) <= len(norm); i++ {
			if slices.Equal(norm[i:i+len(t)], t) {
				for j := i; j < i+len(t); j++ {
					matched[at[j]] = true
				}
			}
		}
	}
	var segs []Segment
	start := 0
	for i := 1; i <= len(orig); i++ {
		if i == len(orig) || matched[i] != matched[start] {
			segs = append(segs, Segment{Text: string(orig[start:i]), Matched: matched[start]})
			start = i
		}
	}
	return segs
}
