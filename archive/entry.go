package archive

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Sum is the SHA-256 of a published file's bytes.
type Sum [32]byte

// String is the sum in lower-case hexadecimal, as sha256sum prints it.
func (s Sum) String() string { return hex.EncodeToString(s[:]) }

// ParseSum reads a sum written in hexadecimal (64 characters, either case).
func ParseSum(s string) (Sum, error) {
	var sum Sum
	if len(s) != 64 {
		return sum, fmt.Errorf("SHA-256 %q: want 64 hexadecimal characters", truncate(s, 80))
	}
	if _, err := hex.Decode(sum[:], []byte(strings.ToLower(s))); err != nil {
		return sum, fmt.Errorf("SHA-256 %q: not hexadecimal", truncate(s, 80))
	}
	return sum, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// The two kinds of log entries (docs/archive.md, "Entries"). Every entry is UTF-8 text of `key value`
// lines; a pages entry then lists its sums, one per line.
const (
	pagesHeader   = "xinyong-log-pages v1"
	releaseHeader = "xinyong-log-release v1"
)

// The events a switch of the site records.
const (
	EventPublished  = "published"   // a publication (xinyong run, the schedule) made a release current
	EventRolledBack = "rolled-back" // xinyong rollback made a release current again
)

// The changes a pages entry lists.
const (
	ChangeAdded   = "added"   // the pages were not served before this switch and are now
	ChangeRemoved = "removed" // the pages were served before this switch and are not any more
)

// maxEntry is the largest entry a tlog-tiles entry bundle holds (a big-endian uint16 length).
const maxEntry = 1<<16 - 1

// sumsPerEntry is how many sums a pages entry lists at most: 1,000 lines of 65 bytes and the head stay
// under maxEntry.
const sumsPerEntry = 1000

// Switch is what one switch of the served release records: which release, its as-of date, when, and
// whether a publication or a rollback made it current.
type Switch struct {
	Release string    `json:"release"`         // the release id (publish.Release), e.g. 20261207T020000Z
	AsOf    string    `json:"as_of"`           // its as-of date, YYYY-MM-DD
	Event   string    `json:"event,omitempty"` // EventPublished or EventRolledBack
	At      time.Time `json:"at,omitzero"`     // when it was made current (UTC, to the second)
}

// PagesEntry is a log entry listing sums of pages that a switch added to or removed from the site.
type PagesEntry struct {
	Switch
	Change string // ChangeAdded or ChangeRemoved
	// Last is, for removed pages, the release and as-of date they were last served in: the release the
	// log recorded before this switch.
	LastRelease, LastAsOf string
	Sums                  []Sum // in byte order
}

// ReleaseEntry is the log entry that ends a switch: it follows the switch's pages entries.
type ReleaseEntry struct {
	Switch
	Previous string // the release recorded before, "" for the first
	Pages    int64  // distinct sums the release serves
	Added    int64  // sums that were not served before
	Removed  int64  // sums served before and not any more
	First    int64  // the index of the switch's first pages entry (its own index when there is none)
	// PagesRoot is the RFC 6962 Merkle tree hash of the release's distinct sums in byte order, each leaf
	// the sum's 32 bytes (leaf hash SHA-256(0x00 || sum)).
	PagesRoot tlog.Hash
}

func (s Switch) head(b *bytes.Buffer) {
	fmt.Fprintf(b, "release %s\nas-of %s\nevent %s\nat %s\n", s.Release, s.AsOf, s.Event, s.At.UTC().Format(time.RFC3339))
}

// Marshal encodes the entry as the log stores it.
func (e *PagesEntry) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(pagesHeader + "\n")
	e.head(&b)
	fmt.Fprintf(&b, "change %s\n", e.Change)
	if e.Change == ChangeRemoved {
		fmt.Fprintf(&b, "last-release %s\nlast-as-of %s\n", e.LastRelease, e.LastAsOf)
	}
	fmt.Fprintf(&b, "count %d\n\n", len(e.Sums))
	for _, s := range e.Sums {
		b.WriteString(s.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// Marshal encodes the entry as the log stores it.
func (e *ReleaseEntry) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(releaseHeader + "\n")
	e.head(&b)
	if e.Previous != "" {
		fmt.Fprintf(&b, "previous %s\n", e.Previous)
	}
	fmt.Fprintf(&b, "pages %d\nadded %d\nremoved %d\nfirst-entry %d\npages-root %s\n",
		e.Pages, e.Added, e.Removed, e.First, base64.StdEncoding.EncodeToString(e.PagesRoot[:]))
	return b.Bytes()
}

// Entry is a parsed log entry: one of Pages and Release is set.
type Entry struct {
	Pages   *PagesEntry
	Release *ReleaseEntry
}

// ParseEntry decodes an entry. It is strict: an entry that Marshal would not have written is an error.
func ParseEntry(data []byte) (Entry, error) {
	head, body, _ := bytes.Cut(data, []byte("\n\n"))
	sc := bufio.NewScanner(bytes.NewReader(head))
	sc.Buffer(nil, maxEntry+1)
	if !sc.Scan() {
		return Entry{}, errors.New("log entry: empty")
	}
	kind := sc.Text()
	fields := map[string]string{}
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if !ok || k == "" {
			return Entry{}, fmt.Errorf("log entry: malformed line %q", truncate(sc.Text(), 80))
		}
		if _, dup := fields[k]; dup {
			return Entry{}, fmt.Errorf("log entry: %s twice", k)
		}
		fields[k] = v
	}
	var sw Switch
	sw.Release, sw.AsOf, sw.Event = fields["release"], fields["as-of"], fields["event"]
	at, err := time.Parse(time.RFC3339, fields["at"])
	if err != nil {
		return Entry{}, fmt.Errorf("log entry: at: %v", err)
	}
	sw.At = at
	var e Entry
	switch kind {
	case pagesHeader:
		p := &PagesEntry{Switch: sw, Change: fields["change"], LastRelease: fields["last-release"], LastAsOf: fields["last-as-of"]}
		n, err := strconv.Atoi(fields["count"])
		if err != nil || n < 0 {
			return Entry{}, fmt.Errorf("log entry: count %q", fields["count"])
		}
		lines := strings.Split(strings.TrimSuffix(string(body), "\n"), "\n")
		if n == 0 {
			lines = nil
		}
		if len(lines) != n {
			return Entry{}, fmt.Errorf("log entry: count %d, %d sums", n, len(lines))
		}
		p.Sums = make([]Sum, n)
		for i, l := range lines {
			if p.Sums[i], err = ParseSum(l); err != nil {
				return Entry{}, fmt.Errorf("log entry: %v", err)
			}
		}
		e.Pages = p
	case releaseHeader:
		r := &ReleaseEntry{Switch: sw, Previous: fields["previous"]}
		for _, f := range []struct {
			key string
			v   *int64
		}{{"pages", &r.Pages}, {"added", &r.Added}, {"removed", &r.Removed}, {"first-entry", &r.First}} {
			if *f.v, err = strconv.ParseInt(fields[f.key], 10, 64); err != nil || *f.v < 0 {
				return Entry{}, fmt.Errorf("log entry: %s %q", f.key, fields[f.key])
			}
		}
		root, err := base64.StdEncoding.DecodeString(fields["pages-root"])
		if err != nil || len(root) != tlog.HashSize {
			return Entry{}, fmt.Errorf("log entry: pages-root %q", fields["pages-root"])
		}
		copy(r.PagesRoot[:], root)
		e.Release = r
	default:
		return Entry{}, fmt.Errorf("log entry: unknown kind %q", truncate(kind, 80))
	}
	// Strict: the entry must be exactly what Marshal writes, so that one page has one encoding.
	if !bytes.Equal(e.marshal(), data) {
		return Entry{}, errors.New("log entry: not in its canonical form")
	}
	return e, nil
}

func (e Entry) marshal() []byte {
	if e.Pages != nil {
		return e.Pages.Marshal()
	}
	return e.Release.Marshal()
}
