package timeliness

import "xinyong"

// History is what the release history (package changes, its history file) says of each entry: the
// as-of date of the first and of the last release that showed it. It dates publications that happened
// later than an entry's valid_from says (a row entered late, with a valid_from in the past), and
// take-downs. The command fills it from the data directory (changes.ReadHistory); this package does not
// read files, so that the export (package generator, which changes uses) can measure too.
//
// The zero History is empty; set Release and Since and Add the entries.
type History struct {
	Release string // the release whose history this is (the current one)
	Since   string // the first release the history recorded
	entries map[string]Seen
}

// Seen is one entry of the history: the first and the last release that showed it, and their as-of dates.
type Seen struct {
	Key          string // "red/E1"
	FirstRelease string
	FirstAsOf    xinyong.Date
	LastRelease  string
	LastAsOf     xinyong.Date
}

// Add records one entry.
func (h *History) Add(s Seen) {
	if h.entries == nil {
		h.entries = map[string]Seen{}
	}
	h.entries[s.Key] = s
}

// first returns the as-of date of the first release that showed the entry key ("red/E1"), and false when
// the history does not know it, or knows it only from its first release: what was public before the
// history started says nothing about when it was published.
func (h *History) first(key string) (xinyong.Date, bool) {
	if h == nil {
		return xinyong.Date{}, false
	}
	s, ok := h.entries[key]
	if !ok || s.FirstRelease == h.Since || s.FirstAsOf.IsZero() {
		return xinyong.Date{}, false
	}
	return s.FirstAsOf, true
}

// last returns the as-of date and the id of the last release that showed the entry key, and false when no
// release the history knows showed it.
func (h *History) last(key string) (xinyong.Date, string, bool) {
	if h == nil {
		return xinyong.Date{}, "", false
	}
	s, ok := h.entries[key]
	if !ok || s.LastAsOf.IsZero() {
		return xinyong.Date{}, "", false
	}
	return s.LastAsOf, s.LastRelease, true
}
