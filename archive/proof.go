package archive

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Proof is what the log proves of one page: every pages entry that lists its sum, with its inclusion
// proof, and when the release recorded last still serves it, that release's entry and the page's
// inclusion in its pages tree; all against one checkpoint. It is what /api/proof answers (JSON) and what
// xinyong verify checks.
type Proof struct {
	Format     string `json:"format"` // "xinyong-proof"
	Version    int    `json:"version"`
	SHA256     string `json:"sha256"`
	Found      bool   `json:"found"`
	Checkpoint string `json:"checkpoint"`          // the signed note
	Timestamp  []byte `json:"timestamp,omitempty"` // RFC 3161 time-stamp response over Checkpoint
	// Events are the pages entries listing the sum, in log order.
	Events []EntryProof `json:"events,omitempty"`
	// Current, when the release recorded last serves the page: that release's entry and the sum's
	// inclusion in its pages tree (Index among Pages leaves).
	Current *CurrentProof `json:"current,omitempty"`
}

// EntryProof is a log entry with its inclusion proof in the checkpoint's tree.
type EntryProof struct {
	Index int64       `json:"index"`
	Entry string      `json:"entry"`
	Proof []tlog.Hash `json:"proof"`
}

// CurrentProof proves that the release recorded last serves the page.
type CurrentProof struct {
	Release EntryProof  `json:"release"`
	Index   int64       `json:"index"`
	Proof   []tlog.Hash `json:"proof"`
}

const proofFormat = "xinyong-proof"

// ErrNoLog is returned by Prove when nothing was recorded yet.
var ErrNoLog = errors.New("log: nothing recorded yet")

// Prove returns the proof for the page whose bytes have the given sum, against the committed checkpoint.
// A sum the log never recorded gives a Proof with Found false.
//
// A commit that happens meanwhile (the checkpoint and set replaced before the state) is noticed — the
// checkpoint's size or the set's length is not the state's — and the proof made again from the new state.
func (l *Log) Prove(sum Sum) (*Proof, error) {
	for attempt := 0; ; attempt++ {
		p, err := l.prove(sum)
		if errors.Is(err, errChanged) && attempt == 5 {
			return nil, fmt.Errorf("log %s: the checkpoint or the set does not match state.json: the log directory is damaged", l.Dir)
		}
		if !errors.Is(err, errChanged) {
			return p, err
		}
		time.Sleep(time.Duration(attempt+1) * 20 * time.Millisecond) // a commit takes milliseconds
		n, err := Open(l.Dir)
		if err != nil {
			return nil, err
		}
		l.State = n.State
	}
}

// errChanged: the log was committed to while a proof was being made.
var errChanged = errors.New("log: committed to meanwhile")

func (l *Log) prove(sum Sum) (*Proof, error) {
	if l.State.Size == 0 {
		return nil, ErrNoLog
	}
	cp, err := os.ReadFile(l.committed(CheckpointFile, l.State.Size))
	if errors.Is(err, os.ErrNotExist) {
		return nil, errChanged
	}
	if err != nil {
		return nil, err
	}
	text, _, _ := strings.Cut(string(cp), "\n\n")
	if _, size, root, err := ParseCheckpoint(text + "\n"); err != nil {
		return nil, err
	} else if size != l.State.Size || root != l.State.Root {
		return nil, errChanged
	}
	p := &Proof{Format: proofFormat, Version: 1, SHA256: sum.String(), Checkpoint: string(cp)}
	if tsr, err := os.ReadFile(l.committed(TimestampFile, l.State.Size)); err == nil && l.State.Stamped {
		p.Timestamp = tsr
	}
	idx, err := l.lookup(sum)
	if err != nil {
		return nil, err
	}
	hr, err := l.hashReader()
	if err != nil {
		return nil, err
	}
	if hr.f != nil {
		defer hr.f.Close()
	}
	for _, i := range idx {
		ep, err := l.entryProof(i, hr)
		if err != nil {
			return nil, err
		}
		p.Events = append(p.Events, ep)
	}
	// The set the last release serves: is the sum in it?
	k, ok, err := l.inSet(sum)
	if err != nil {
		return nil, err
	}
	if ok {
		rel, err := l.entryProof(l.State.Size-1, hr)
		if err != nil {
			return nil, err
		}
		f, err := os.Open(l.committed(SetHashesFile, l.State.Size))
		if errors.Is(err, os.ErrNotExist) {
			return nil, errChanged
		}
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if fi, err := f.Stat(); err != nil {
			return nil, err
		} else if fi.Size() != tlog.StoredHashCount(l.State.Pages)*tlog.HashSize {
			return nil, errChanged
		}
		sp, err := tlog.ProveRecord(l.State.Pages, k, &fileHashes{f: f, n: tlog.StoredHashCount(l.State.Pages)})
		if err != nil {
			return nil, err
		}
		p.Current = &CurrentProof{Release: rel, Index: k, Proof: sp}
	}
	p.Found = len(p.Events) > 0 || p.Current != nil
	return p, nil
}

func (l *Log) entryProof(i int64, hr tlog.HashReader) (EntryProof, error) {
	data, err := l.ReadEntry(i)
	if errors.Is(err, os.ErrNotExist) {
		// The partial bundle of an older state, removed by a commit since: start again from the new state.
		return EntryProof{}, errChanged
	}
	if err != nil {
		return EntryProof{}, err
	}
	rp, err := tlog.ProveRecord(l.State.Size, i, hr)
	if err != nil {
		return EntryProof{}, err
	}
	return EntryProof{Index: i, Entry: string(data), Proof: rp}, nil
}

// inSet finds sum in the set of the release recorded last, by binary search.
func (l *Log) inSet(sum Sum) (int64, bool, error) {
	f, err := os.Open(l.committed(SetFile, l.State.Size))
	if errors.Is(err, os.ErrNotExist) {
		return 0, false, errChanged
	}
	if err != nil {
		return 0, false, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return 0, false, err
	} else if fi.Size() != l.State.Pages*32 {
		return 0, false, errChanged
	}
	var buf [32]byte
	var readErr error
	k := sort.Search(int(l.State.Pages), func(i int) bool {
		if _, err := f.ReadAt(buf[:], int64(i)*32); err != nil && readErr == nil {
			readErr = err
		}
		return bytes.Compare(buf[:], sum[:]) >= 0
	})
	if readErr != nil {
		return 0, false, readErr
	}
	if int64(k) == l.State.Pages {
		return 0, false, nil
	}
	if _, err := f.ReadAt(buf[:], int64(k)*32); err != nil {
		return 0, false, err
	}
	return int64(k), buf == sum, nil
}

// Period is a stretch of releases that served a page: from the switch that added it to the last release
// that served it before one removed it, or to the release recorded last (Current).
type Period struct {
	From    Switch
	To      Switch  // Event, At: of the release that served it last (To.At is when that one was made current)
	Removed *Switch // the switch that took it down; nil while it is served
	Current bool    // served by the release recorded last, proved by its pages tree
}

// Verified is what Check established of a page.
type Verified struct {
	SHA256  string   `json:"sha256"`
	Found   bool     `json:"found"`
	Origin  string   `json:"origin"`
	Size    int64    `json:"size"`   // the checkpoint's tree size
	Signed  bool     `json:"signed"` // the checkpoint's signature was checked against the verifier key
	Periods []Period `json:"periods"`
	Latest  *Switch  `json:"latest,omitempty"` // the release recorded last, when Current
}

// Check verifies a proof for the page whose bytes have sum: the checkpoint's signature with vkey ("" for
// an unsigned log: then Signed is false), every entry's inclusion in the checkpoint's tree, that every
// pages entry lists the sum, and the sum's inclusion in the pages tree of the release recorded last. It
// returns the periods in which the page was served. Any mismatch is an error: the proof does not show that
// the site published these bytes.
func Check(p *Proof, sum Sum, vkey string) (*Verified, error) {
	if p == nil || p.Format != proofFormat || p.Version != 1 {
		return nil, errors.New("proof: not an xinyong proof (format xinyong-proof, version 1)")
	}
	if !strings.EqualFold(p.SHA256, sum.String()) {
		return nil, fmt.Errorf("proof: for SHA-256 %s, not for this page's %s", truncate(p.SHA256, 80), sum)
	}
	v := &Verified{SHA256: sum.String(), Found: p.Found}
	text := p.Checkpoint
	if vkey != "" {
		verifier, err := note.NewVerifier(strings.TrimSpace(vkey))
		if err != nil {
			return nil, fmt.Errorf("verifier key: %v", err)
		}
		n, err := note.Open([]byte(p.Checkpoint), note.VerifierList(verifier))
		if err != nil {
			return nil, fmt.Errorf("checkpoint: signature does not verify with the key %s: %v", verifier.Name(), err)
		}
		text, v.Signed = n.Text, true
	} else if strings.Contains(p.Checkpoint, "\n\n") {
		// A signed checkpoint read without a key: its text is what precedes the signatures.
		text, _, _ = strings.Cut(p.Checkpoint, "\n\n")
		text += "\n"
	}
	origin, size, root, err := ParseCheckpoint(text)
	if err != nil {
		return nil, err
	}
	v.Origin, v.Size = origin, size
	check := func(ep EntryProof) (Entry, error) {
		if ep.Index < 0 || ep.Index >= size {
			return Entry{}, fmt.Errorf("proof: entry %d outside the tree of %d", ep.Index, size)
		}
		if err := tlog.CheckRecord(ep.Proof, size, root, ep.Index, tlog.RecordHash([]byte(ep.Entry))); err != nil {
			return Entry{}, fmt.Errorf("proof: entry %d is not in the checkpoint's tree: %v", ep.Index, err)
		}
		return ParseEntry([]byte(ep.Entry))
	}
	var open *Period
	last := int64(-1)
	for _, ep := range p.Events {
		if ep.Index <= last {
			return nil, errors.New("proof: events not in log order")
		}
		last = ep.Index
		e, err := check(ep)
		if err != nil {
			return nil, err
		}
		pe := e.Pages
		if pe == nil {
			return nil, fmt.Errorf("proof: entry %d is not a pages entry", ep.Index)
		}
		if _, ok := sortSearch(pe.Sums, sum); !ok {
			return nil, fmt.Errorf("proof: entry %d does not list this page", ep.Index)
		}
		switch pe.Change {
		case ChangeAdded:
			if open != nil {
				return nil, fmt.Errorf("proof: entry %d adds a page already served", ep.Index)
			}
			open = &Period{From: pe.Switch}
		case ChangeRemoved:
			if open == nil {
				return nil, fmt.Errorf("proof: entry %d removes a page not served", ep.Index)
			}
			sw := pe.Switch
			open.Removed = &sw
			open.To = Switch{Release: pe.LastRelease, AsOf: pe.LastAsOf}
			v.Periods = append(v.Periods, *open)
			open = nil
		default:
			return nil, fmt.Errorf("proof: entry %d: change %q", ep.Index, pe.Change)
		}
	}
	if c := p.Current; c != nil {
		if c.Release.Index != size-1 {
			return nil, errors.New("proof: the current release's entry is not the checkpoint's last")
		}
		e, err := check(c.Release)
		if err != nil {
			return nil, err
		}
		r := e.Release
		if r == nil {
			return nil, errors.New("proof: the checkpoint's last entry is not a release entry")
		}
		if err := tlog.CheckRecord(c.Proof, r.Pages, r.PagesRoot, c.Index, tlog.RecordHash(sum[:])); err != nil {
			return nil, fmt.Errorf("proof: the page is not in the pages of release %s: %v", r.Release, err)
		}
		if open == nil {
			return nil, errors.New("proof: the page is served now but no entry adds it")
		}
		open.To, open.Current = r.Switch, true
		v.Periods = append(v.Periods, *open)
		latest := r.Switch
		v.Latest = &latest
		open = nil
	}
	if open != nil {
		return nil, errors.New("proof: a page added and never removed is not proved to be served now")
	}
	if v.Found != (len(v.Periods) > 0) {
		return nil, errors.New("proof: says found but proves nothing")
	}
	return v, nil
}

func sortSearch(sums []Sum, s Sum) (int, bool) {
	i := sort.Search(len(sums), func(i int) bool { return bytes.Compare(sums[i][:], s[:]) >= 0 })
	return i, i < len(sums) && sums[i] == s
}

// ProveConsistency returns the proof that the committed tree extends the tree of size old (RFC 6962
// consistency proof): the log was only appended to since that checkpoint.
func (l *Log) ProveConsistency(old int64) (tlog.TreeProof, error) {
	if old < 1 || old > l.State.Size {
		return nil, fmt.Errorf("log: no tree of size %d to prove against (the log has %d entries)", old, l.State.Size)
	}
	hr, err := l.hashReader()
	if err != nil {
		return nil, err
	}
	if hr.f != nil {
		defer hr.f.Close()
	}
	return tlog.ProveTree(l.State.Size, old, hr)
}
