package archive

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"golang.org/x/mod/sumdb/tlog"

	"xinyong/internal/tree"
)

// indexRecord is one line of an index file: a sum and the entry listing it.
const indexRecord = 32 + 8

// writeIndex writes the lookup file of a switch's pages entries (chunks[i], the sums of entry first+i):
// each sum with the index of the entry listing it, sorted by sum then entry.
func writeIndex(path string, first int64, chunks [][]Sum) error {
	type rec struct {
		sum   Sum
		entry uint64
	}
	var recs []rec
	for i, c := range chunks {
		for _, s := range c {
			recs = append(recs, rec{s, uint64(first + int64(i))})
		}
	}
	slices.SortFunc(recs, func(a, b rec) int {
		if c := bytes.Compare(a.sum[:], b.sum[:]); c != 0 {
			return c
		}
		return cmp.Compare(a.entry, b.entry)
	})
	out := make([]byte, 0, len(recs)*indexRecord)
	for _, r := range recs {
		out = append(out, r.sum[:]...)
		out = binary.BigEndian.AppendUint64(out, r.entry)
	}
	return writeFile(path, out)
}

// Commit installs a pending switch once its release is current: its index, set and checkpoint, then its
// state, which makes it count. Committing the same pending switch again does nothing.
func (l *Log) Commit(pendingDir string) error {
	p, err := Open(pendingDir)
	if err != nil {
		return err
	}
	if p.State.Size == 0 {
		return fmt.Errorf("log: %s holds no pending switch", pendingDir)
	}
	st := p.State
	if st.Size <= l.State.Size {
		return nil // committed already
	}
	// The pending files are never written again once appended: each is hard-linked into place under a
	// temporary name and renamed over the old one (copied where links do not work), the state last.
	if st.Index != "" {
		if err := install(filepath.Join(pendingDir, indexDir+"-"+st.Index), filepath.Join(l.Dir, indexDir, st.Index)); err != nil {
			return err
		}
	}
	next := &Log{Dir: l.Dir, State: st}
	for _, name := range []string{SetFile, SetHashesFile, CheckpointFile, TimestampFile} {
		err := install(filepath.Join(pendingDir, name), next.committed(name, st.Size))
		if errors.Is(err, os.ErrNotExist) && name == TimestampFile {
			continue
		}
		if err != nil {
			return err
		}
	}
	// The latest checkpoint, its time stamp and key under the names a site publishes, then the state.
	for _, name := range []string{CheckpointFile, TimestampFile, VKeyFile, StateFile} {
		err := install(filepath.Join(pendingDir, name), filepath.Join(l.Dir, name))
		if errors.Is(err, os.ErrNotExist) && (name == TimestampFile || name == VKeyFile) {
			os.Remove(filepath.Join(l.Dir, name)) // none for this checkpoint
			continue
		}
		if err != nil {
			return err
		}
	}
	if err := syncDir(l.Dir); err != nil {
		return err
	}
	// The sets of earlier states are not needed any more (a proof that still reads one finds it gone and
	// starts again from the new state).
	if old := l.State.Size; old > 0 && old != st.Size {
		os.Remove(l.committed(SetFile, old))
		os.Remove(l.committed(SetHashesFile, old))
		// So are the partial tiles and entry bundles of the old tree's right edge, which the new tree has
		// under wider names (the releases that published them keep their own links).
		for _, p := range partials(old) {
			if !slices.Contains(partials(st.Size), p) {
				os.Remove(filepath.Join(l.Dir, p))
			}
		}
	}
	l.State = st
	return nil
}

// partials returns the paths of the partial tiles and entry bundles of the tree of size n.
func partials(n int64) []string {
	var out []string
	for _, t := range tlog.NewTiles(TileHeight, 0, n) {
		if t.W < 1<<TileHeight {
			out = append(out, TilePath(t))
		}
	}
	if w := n % (1 << TileHeight); w != 0 {
		out = append(out, BundlePath(n/(1<<TileHeight), w))
	}
	return out
}

// DropSet removes the set and its tree from a committed switch's pending directory: the log holds them
// now, and a switch that is committed is never recovered.
func DropSet(pendingDir string) {
	os.Remove(filepath.Join(pendingDir, SetFile))
	os.Remove(filepath.Join(pendingDir, SetHashesFile))
}

// Recover commits the pending switch of the current release (its log directory) when the log does not
// have it: the process ended between making the release current and committing its switch. A current
// release whose switch is older than the log's state (after a rollback) is left alone.
func (l *Log) Recover(releaseLog string) (bool, error) {
	p, err := Open(releaseLog)
	if err != nil || p.State.Size == 0 {
		return false, err
	}
	if p.State.Size <= l.State.Size {
		return false, nil
	}
	// The pending switch must extend what is committed: it was appended to this very state.
	if p.State.Origin != l.State.Origin && l.State.Size > 0 {
		return false, fmt.Errorf("log: %s is for origin %q, the log's is %q", releaseLog, p.State.Origin, l.State.Origin)
	}
	if err := l.Commit(releaseLog); err != nil {
		return false, err
	}
	return true, nil
}

// PublishPending makes dir the log as a site publishes it once the pending switch p is committed:
// its checkpoint, time stamp and verifier key (from the pending directory), and every tile and entry
// bundle of its tree (full ones and the partial ones of its right edge, which are in the log directory
// already under their own names), hard-linked (copied where links do not work). The files are all that a
// client of C2SP tlog-tiles reads; the state, set and index stay private to the log directory.
func (l *Log) PublishPending(p *Pending, dir string) error {
	for _, name := range []string{CheckpointFile, TimestampFile, VKeyFile} {
		err := linkOrCopy(filepath.Join(p.Dir, name), filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) && name != CheckpointFile {
			continue
		}
		if err != nil {
			return err
		}
	}
	n := p.State.Size
	for _, t := range tlog.NewTiles(TileHeight, 0, n) {
		if err := linkOrCopy(filepath.Join(l.Dir, TilePath(t)), filepath.Join(dir, TilePath(t))); err != nil {
			return err
		}
	}
	for b := int64(0); b*(1<<TileHeight) < n; b++ {
		w := min(int64(1<<TileHeight), n-b*(1<<TileHeight))
		p := BundlePath(b, w)
		if err := linkOrCopy(filepath.Join(l.Dir, p), filepath.Join(dir, p)); err != nil {
			return err
		}
	}
	return nil
}

// install puts src at dst atomically: a hard link (or a copy) under a temporary name, renamed over dst.
func install(src, dst string) error {
	if _, err := os.Stat(src); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp := dst + ".tmp"
	os.Remove(tmp)
	if err := tree.LinkOrCopy(src, tmp); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// syncDir makes the renames in dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// linkOrCopy is tree.LinkOrCopy into a directory it makes first.
func linkOrCopy(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return tree.LinkOrCopy(src, dst)
}

// lookup returns the indexes of the committed pages entries that list sum, in log order.
func (l *Log) lookup(sum Sum) ([]int64, error) {
	names, err := os.ReadDir(filepath.Join(l.Dir, indexDir))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var found []int64
	for _, d := range names {
		name := d.Name()
		var lo, hi int64
		if _, err := fmt.Sscanf(name, "%020d-%020d", &lo, &hi); err != nil || len(name) != 41 {
			continue // a temporary file
		}
		if lo >= l.State.Size {
			continue // an index of a switch never committed
		}
		xs, err := lookupFile(filepath.Join(l.Dir, indexDir, name), sum)
		if err != nil {
			return nil, err
		}
		found = append(found, xs...)
	}
	slices.Sort(found)
	return slices.Compact(found), nil
}

// lookupFile finds sum in one index file by binary search.
func lookupFile(path string, sum Sum) ([]int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	n := int(fi.Size() / indexRecord)
	var rec [indexRecord]byte
	var readErr error
	at := func(i int) []byte {
		if _, err := f.ReadAt(rec[:], int64(i)*indexRecord); err != nil && readErr == nil {
			readErr = err
		}
		return rec[:]
	}
	i := sort.Search(n, func(i int) bool { return bytes.Compare(at(i)[:32], sum[:]) >= 0 })
	var out []int64
	for ; i < n && readErr == nil; i++ {
		r := at(i)
		if !bytes.Equal(r[:32], sum[:]) {
			break
		}
		out = append(out, int64(binary.BigEndian.Uint64(r[32:])))
	}
	return out, readErr
}
