package publish

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"xinyong"
	"xinyong/generator"
)

// Rollback makes another release current: id, or with id "" the newest release older than the current one,
// and returns its manifest. It takes the data directory's lock, so it never interleaves with a publication.
//
// It refuses with a *RepublishError, switching nothing, when the release would show an entry or a case that
// is no longer public: one the newest release (the latest known state of the database) does not publish,
// because it was repaired, revoked, removed, withdrawn or expired since, or an entry whose publication
// period (public_until) ended before today. The release is not rebuilt without them: its pages, lists,
// search index and downloads all name them, and only a new publication removes them everywhere. Rolling
// forward (to a release newer than the current one) is a rollback like any other.
func Rollback(data, id string, today xinyong.Date) (*Manifest, error) {
	return RollbackWith(data, id, today, RollbackOptions{})
}

// RollbackOptions are what a rollback needs beside the release: how the publication log is signed, the
// clock and a logger.
type RollbackOptions struct {
	Log    LogOptions
	Now    func() time.Time
	Logger *slog.Logger
}

// RollbackWith is Rollback that also records the switch in the publication log (event rolled-back): the
// pages of the release are what the site serves again from now on. The switch is appended before current
// is switched and committed after.
func RollbackWith(data, id string, today xinyong.Date, opt RollbackOptions) (*Manifest, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if today.IsZero() {
		return nil, errors.New("rollback: no date of today")
	}
	l := Layout{Root: data}
	unlock, err := lock(l)
	if err != nil {
		return nil, err
	}
	defer unlock()
	ids, err := List(data)
	if err != nil {
		return nil, err
	}
	var cur string
	if r, err := l.Current(); err == nil {
		cur = r.ID()
	}
	if id == "" {
		i := slices.Index(ids, cur)
		if i <= 0 {
			return nil, ErrNoEarlier
		}
		id = ids[i-1]
	}
	if !slices.Contains(ids, id) {
		return nil, &NoReleaseError{ID: id}
	}
	m, err := ReadManifest(l.Release(id).Dir)
	if err != nil {
		return nil, err
	}
	newest := ids[len(ids)-1] // ids sort by time
	shown, err := republished(l.Release(id).Content(), l.Release(newest).Content(), today)
	if err != nil {
		return nil, fmt.Errorf("compare release %s with the newest release %s: %w", id, newest, err)
	}
	if len(shown) > 0 {
		return nil, &RepublishError{Release: id, Newest: newest, Today: today, Pages: shown}
	}
	if id == cur {
		return m, nil // already current: nothing switches, nothing to record
	}
	pending, err := rollbackLog(context.Background(), l, l.Release(id), m, opt.Log, opt.Now(), opt.Logger)
	if err != nil {
		return nil, fmt.Errorf("rollback: record in the publication log: %w", err)
	}
	if err := switchCurrent(l, id); err != nil {
		os.RemoveAll(pending)
		return nil, err
	}
	commitRollbackLog(l, pending, opt.Logger)
	return m, nil
}

// RepublishError is Rollback's refusal: the release would show pages that are no longer public.
type RepublishError struct {
	Release string       // the release asked for
	Newest  string       // the newest release
	Today   xinyong.Date // in Asia/Shanghai
	// Pages are the entries and cases the release would publish again, as section/id ("red/E1",
	// "black/E2", "cases/C3"), red, black, then cases, each in id order.
	Pages []string
}

// pagesShown is how many pages RepublishError's message names; Pages holds them all.
const pagesShown = 20

func (e *RepublishError) Error() string {
	list := strings.Join(e.Pages[:min(len(e.Pages), pagesShown)], xinyong.MsgRollbackPageSep)
	if len(e.Pages) > pagesShown {
		list += xinyong.MsgRollbackPagesMore
	}
	return fmt.Sprintf(xinyong.MsgRollbackRepublish, e.Release, len(e.Pages), list, e.Newest, e.Today)
}

// casesSection is the section of the export tree whose pages may be withdrawal notices.
const casesSection = "cases"

// rollbackSections are the sections of an export tree whose pages name someone and can be taken down.
var rollbackSections = []string{xinyong.ListRed, xinyong.ListBlack, casesSection}

// republished returns the pages the export tree target publishes that the export tree newest does not, and
// the entries of target whose public_until is before today.
func republished(target, newest string, today xinyong.Date) ([]string, error) {
	for _, dir := range []string{target, newest} {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			// Without the tree nothing can be compared: refusing is safe, guessing is not.
			return nil, fmt.Errorf(xinyong.MsgRollbackNoTree, dir)
		}
	}
	var out []string
	for _, section := range rollbackSections {
		ids, err := generator.PageIDs(filepath.Join(target, section))
		if err != nil {
			return nil, err
		}
		newIDs, err := generator.PageIDs(filepath.Join(newest, section))
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			p, err := readPageFacts(filepath.Join(target, section, id+".md"))
			if err != nil {
				return nil, err
			}
			if p.withdrawn {
				continue // a withdrawal notice shows no one
			}
			public, err := publicIn(newest, section, id, newIDs)
			if err != nil {
				return nil, err
			}
			if !public || !p.publicUntil.IsZero() && p.publicUntil.Before(today) {
				out = append(out, section+"/"+id)
			}
		}
	}
	return out, nil
}

// publicIn reports whether the export tree dir publishes the page section/id, given the ids of the
// section's pages: the page exists and is not a withdrawal notice.
func publicIn(dir, section, id string, ids []string) (bool, error) {
	if _, found := slices.BinarySearch(ids, id); !found {
		return false, nil
	}
	if section != casesSection {
		return true, nil
	}
	p, err := readPageFacts(filepath.Join(dir, section, id+".md"))
	return !p.withdrawn, err
}

// pageFacts is what a rollback reads from a page's front matter.
type pageFacts struct {
	withdrawn   bool         // withdrawn: true (a case's withdrawal notice)
	publicUntil xinyong.Date // public_until: the last day an entry may be public; zero when unlimited
}

// readPageFacts reads the two top-level keys a rollback needs from the front matter of an export page,
// with the export's own reader (generator.ReadKeys: it stops at the closing "---" and never reads the body).
func readPageFacts(path string) (pageFacts, error) {
	var p pageFacts
	page, err := os.ReadFile(path)
	if err != nil {
		return p, err
	}
	fm, err := generator.ReadKeys(page, "withdrawn", "public_until")
	if err == nil {
		p.publicUntil, err = fm.Date("public_until")
	}
	if err != nil {
		return p, fmt.Errorf("%s: %w", path, err)
	}
	p.withdrawn = fm.Bool("withdrawn")
	return p, nil
}
