package changes

import (
	"bytes"
	"fmt"

	"xinyong/generator"
)

// Pages are read with the export's own reader (generator.ReadKeys, generator.ReadPage): the inverse of the
// emitter that wrote them, which rejects anything not in its form. Deciding whether a page is public and
// its list name reads two top-level keys and stops at the closing "---", which matters when a million
// pages are compared; the whole page is read only when two pages of an entry differ in their bytes.

// ignored is what in a page does not belong to the entry itself and so never makes it "changed":
//
//   - "page: true" in a top-level mapping (the line "  page: true") said, under a case's subject in exports
//     before wave 2, that the subject had a page;
//   - a case's whole subject mapping (the top-level key "subject"): a case names its subject only while the
//     subject has a public page (xinyong.CaseMayName), so the mapping comes and goes with the subject's
//     list entries, not with the case. Entry pages keep theirs: it shows their own row's subject.
//
// Nothing else of an entry's or a case's page depends on anything but its own row (and its subject's and
// department's rows, which it shows): not on the as-of date (public_until, legal_max_end and repair_from are
// computed from the row's dates), not on other entries. A change of updated_at alone is a change: the
// department touched the row, and the page shows the new date.
const (
	pageFlag   = "page"
	subjectKey = "subject"
)

// pageFacts reads whether a page is a withdrawal notice (withdrawn: true), which is not public, and the
// list_name of an entry page ("" if it has none).
func pageFacts(page []byte) (withdrawn bool, listName string, err error) {
	fm, err := generator.ReadKeys(page, "withdrawn", "list_name")
	return fm.Bool("withdrawn"), fm.String("list_name"), err
}

// sameEntry reports whether two pages of an entry, at paths pathA and pathB, show the same entry: equal
// bytes, or equal front matter but for what is ignored (a case's subject mapping when isCase) and equal
// bodies.
func sameEntry(pathA string, a []byte, pathB string, b []byte, isCase bool) (bool, error) {
	if bytes.Equal(a, b) {
		return true, nil
	}
	fa, bodyA, err := generator.ReadPage(a)
	if err != nil {
		return false, fmt.Errorf("%s: %w", pathA, err)
	}
	fb, bodyB, err := generator.ReadPage(b)
	if err != nil {
		return false, fmt.Errorf("%s: %w", pathB, err)
	}
	return bytes.Equal(bodyA, bodyB) && entryFields(fa, isCase).Equal(entryFields(fb, isCase)), nil
}

// entryFields returns the front matter without what is ignored.
func entryFields(fm generator.Fields, isCase bool) generator.Fields {
	out := make(generator.Fields, 0, len(fm))
	for _, f := range fm {
		if isCase && f.Key == subjectKey {
			continue
		}
		if m, ok := f.Value.(generator.Fields); ok {
			kept := make(generator.Fields, 0, len(m))
			for _, g := range m {
				if g.Key != pageFlag || g.Value != true {
					kept = append(kept, g)
				}
			}
			f.Value = kept
		}
		out = append(out, f)
	}
	return out
}
