package changes

import (
	"bytes"
	"strconv"

	"github.com/goccy/go-yaml"
)

// The export writes front matter with its own emitter (generator.Document): one key per line, top-level
// keys at the start of the line, nested ones indented by two spaces per level, every string one
// double-quoted line. So a line that starts with "withdrawn: " can only be that top-level key, and the few
// keys read here are read line by line, without parsing the YAML of a million pages.

// ignored are front matter lines that do not belong to the entry itself and so never make it "changed":
//
//   - "  page: true" under a case's subject said, in exports before wave 2, that the subject had a page;
//   - a case's whole "subject:" block (the top-level key and the lines indented under it): a case names its
//     subject only while the subject has a public page (xinyong.CaseMayName), so the block comes and goes
//     with the subject's list entries, not with the case. Entry pages keep theirs: it shows their own row's
//     subject.
//
// Nothing else of an entry's or a case's page depends on anything but its own row (and its subject's and
// department's rows, which it shows): not on the as-of date (public_until, legal_max_end and repair_from are
// computed from the row's dates), not on other entries. A change of updated_at alone is a change: the
// department touched the row, and the page shows the new date.
var ignored = [][]byte{[]byte("  page: true")}

// frontMatterLines calls fn for each line of the page's front matter, without its newline, until fn
// returns false.
func frontMatterLines(page []byte, fn func(line []byte) bool) {
	rest, ok := bytes.CutPrefix(page, []byte("---\n"))
	if !ok {
		return
	}
	for len(rest) > 0 {
		line, tail, _ := bytes.Cut(rest, []byte("\n"))
		if string(line) == "---" || !fn(line) {
			return
		}
		rest = tail
	}
}

// withdrawn reports whether a page is a withdrawal notice (withdrawn: true), which is not public.
func withdrawn(page []byte) bool {
	found := false
	frontMatterLines(page, func(line []byte) bool {
		found = string(line) == "withdrawn: true"
		return !found
	})
	return found
}

// listName returns the list_name of an entry page; "" if it has none.
func listName(page []byte) string {
	var name string
	frontMatterLines(page, func(line []byte) bool {
		v, ok := bytes.CutPrefix(line, []byte("list_name: "))
		if ok {
			name = unquote(v)
		}
		return !ok
	})
	return name
}

// unquote returns the value of a YAML double-quoted scalar as the export writes it. Its escapes (\" \\ \n
// \t \uXXXX \UXXXXXXXX) mean the same in Go, so strconv does the work; anything else goes to the YAML
// library.
func unquote(v []byte) string {
	if s, err := strconv.Unquote(string(v)); err == nil {
		return s
	}
	var s string
	if err := yaml.Unmarshal(v, &s); err != nil {
		return ""
	}
	return s
}

// sameEntry reports whether two pages of an entry show the same entry: equal bytes, or equal but for the
// ignored front matter lines; a case's subject block is ignored when isCase.
func sameEntry(a, b []byte, isCase bool) bool {
	if bytes.Equal(a, b) {
		return true
	}
	return bytes.Equal(normalize(a, isCase), normalize(b, isCase))
}

// normalize returns the page without the ignored lines of its front matter.
func normalize(page []byte, isCase bool) []byte {
	end := frontMatterEnd(page)
	out := make([]byte, 0, len(page))
	rest := page[:end]
	inSubject := false
	for len(rest) > 0 {
		line, tail, found := bytes.Cut(rest, []byte("\n"))
		if isCase && (string(line) == "subject:" || inSubject && bytes.HasPrefix(line, []byte("  "))) {
			inSubject = true
			rest = tail
			continue
		}
		inSubject = false
		if !isIgnored(line) {
			out = append(out, line...)
			if found {
				out = append(out, '\n')
			}
		}
		rest = tail
	}
	return append(out, page[end:]...)
}

// frontMatterEnd returns the offset of the closing "---" line of the page's front matter (the whole length
// if there is none).
func frontMatterEnd(page []byte) int {
	if !bytes.HasPrefix(page, []byte("---\n")) {
		return 0
	}
	if i := bytes.Index(page[3:], []byte("\n---\n")); i >= 0 {
		return 3 + i + 1
	}
	return len(page)
}

func isIgnored(line []byte) bool {
	for _, l := range ignored {
		if bytes.Equal(line, l) {
			return true
		}
	}
	return false
}
