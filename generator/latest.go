package generator

import (
	"cmp"
	"slices"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// latestSize is how many of each list's newest entries the home page shows.
const latestSize = 10

// latestEntry is an entry as the home page lists it.
type latestEntry struct {
	id, title, listName, validFrom string
	date                           int64 // the page's date (Unix seconds): the first sort key
}

// latest keeps the first latestSize entries of each list in the order Hugo lists a section's pages
// (DefaultPageSort: date newest first, then the title by zh-cn collation, then the page's path), so that
// the home page can show them without Hugo holding the entry pages (docs/render.md).
type latest struct {
	coll  *collate.Collator
	lists map[string][]latestEntry
}

func newLatest() *latest {
	return &latest{coll: collate.New(language.Make("zh-cn")), lists: map[string][]latestEntry{}}
}

// less is Hugo's order of two entries of one list.
func (l *latest) less(a, b *latestEntry) int {
	if a.date != b.date {
		return cmp.Compare(b.date, a.date) // newest first
	}
	if c := l.coll.CompareString(a.title, b.title); c != 0 {
		return c
	}
	return strings.Compare(strings.ToLower(a.id+".md"), strings.ToLower(b.id+".md"))
}

// add offers an entry of list.
func (l *latest) add(list string, en latestEntry) {
	s := l.lists[list]
	i, _ := slices.BinarySearchFunc(s, en, func(x, y latestEntry) int { return l.less(&x, &y) })
	if i >= latestSize {
		return
	}
	s = slices.Insert(s, i, en)
	if len(s) > latestSize {
		s = s[:latestSize]
	}
	l.lists[list] = s
}

// fields is the home page's front matter value for list: its newest entries (id, title, list_name,
// valid_from), nil when it has none.
func (l *latest) fields(list string) []Fields {
	var out []Fields
	for _, en := range l.lists[list] {
		var f Fields
		f.Add("id", en.id)
		f.Add("title", en.title)
		f.Add("list_name", en.listName)
		f.Add("valid_from", en.validFrom)
		out = append(out, f)
	}
	return out
}
