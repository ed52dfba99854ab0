package archive

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of the log's tiles: 2^8 = 256 hashes or entries in a full tile (C2SP tlog-tiles).
const TileHeight = 8

// The files of the log directory (DATA/log) and of a release's log/ directory.
const (
	StateFile      = "state.json"     // the committed state: size, root, the release last recorded
	hashesFile     = "hashes"         // the tree's stored hashes (tlog.StoredHashIndex order), 32 bytes each
	SetFile        = "set"            // the distinct sums the last recorded release serves, sorted, 32 bytes each
	SetHashesFile  = "set.hashes"     // the stored hashes of that set's Merkle tree
	indexDir       = "index"          // per switch, its pages entries' sums → entry index (lookup)
	CheckpointFile = "checkpoint"     // the signed checkpoint of the committed state (C2SP tlog-checkpoint)
	TimestampFile  = "checkpoint.tsr" // an RFC 3161 time-stamp response over the checkpoint, when configured
	VKeyFile       = "vkey"           // the signed-note verifier key
	TileDir        = "tile"           // tile/<L>/<N>[.p/<W>] and tile/entries/<N>[.p/<W>]
	// checkpointsDir keeps every committed checkpoint and its time stamp by tree size (<size>,
	// <size>.tsr), and setsDir the set and its tree of the state committed last (<size>, <size>.hashes):
	// names that are never reused, so that a proof made while a commit runs reads the files of one state.
	checkpointsDir = "checkpoints"
	setsDir        = "sets"
)

// committed returns the path of a file of the committed state of size n: the checkpoint (or its time
// stamp), and the set (or its tree).
func (l *Log) committed(name string, n int64) string {
	switch name {
	case CheckpointFile:
		return filepath.Join(l.Dir, checkpointsDir, fmt.Sprint(n))
	case TimestampFile:
		return filepath.Join(l.Dir, checkpointsDir, fmt.Sprint(n)+".tsr")
	case SetFile:
		return filepath.Join(l.Dir, setsDir, fmt.Sprint(n))
	case SetHashesFile:
		return filepath.Join(l.Dir, setsDir, fmt.Sprint(n)+".hashes")
	}
	return filepath.Join(l.Dir, name)
}

// State is what DATA/log/state.json records of the log as last committed.
type State struct {
	Format  string    `json:"format"` // "xinyong-log-state"
	Version int       `json:"version"`
	Origin  string    `json:"origin"`
	Size    int64     `json:"size"`
	Root    tlog.Hash `json:"root"`
	Release string    `json:"release,omitempty"` // the release recorded last
	AsOf    string    `json:"as_of,omitempty"`
	Pages   int64     `json:"pages"`             // distinct sums that release serves
	Index   string    `json:"index,omitempty"`   // the name of that switch's index file in index/
	Signed  bool      `json:"signed"`            // the checkpoint carries a signature
	Stamped bool      `json:"stamped,omitempty"` // checkpoint.tsr is beside it
}

const stateFormat = "xinyong-log-state"

// Log is the publication log in a directory (DATA/log): an append-only RFC 6962 Merkle tree of entries,
// stored as its hashes and published as C2SP tlog-tiles.
type Log struct {
	Dir   string
	State State // as committed; Size 0 for a new log
}

// Open reads the log in dir; a directory without a state is a new, empty log.
func Open(dir string) (*Log, error) {
	l := &Log{Dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, StateFile))
	if errors.Is(err, os.ErrNotExist) {
		l.State = State{Format: stateFormat, Version: 1, Root: emptyRoot()}
		return l, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &l.State); err != nil {
		return nil, fmt.Errorf("log: %s: %v", filepath.Join(dir, StateFile), err)
	}
	if l.State.Format != stateFormat {
		return nil, fmt.Errorf("log: %s: not a log state", filepath.Join(dir, StateFile))
	}
	return l, nil
}

// emptyRoot is the hash of the empty tree, SHA-256 of nothing.
func emptyRoot() tlog.Hash {
	h, _ := tlog.TreeHash(0, tlog.HashReaderFunc(func([]int64) ([]tlog.Hash, error) { return nil, nil }))
	return h
}

// fileHashes reads stored hashes from a file of 32-byte hashes, and from pending, the hashes stored after
// the file's first n.
type fileHashes struct {
	f       *os.File
	n       int64 // hashes in the file that count
	pending []tlog.Hash
}

func (r *fileHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		switch {
		case x >= r.n && x-r.n < int64(len(r.pending)):
			out[i] = r.pending[x-r.n]
		case x < r.n && r.f != nil:
			if _, err := r.f.ReadAt(out[i][:], x*tlog.HashSize); err != nil {
				return nil, fmt.Errorf("log: read hash %d: %w", x, err)
			}
		default:
			return nil, fmt.Errorf("log: hash %d not stored", x)
		}
	}
	return out, nil
}

// hashReader returns a reader of the committed tree's stored hashes; close the file when done.
func (l *Log) hashReader() (*fileHashes, error) {
	r := &fileHashes{n: tlog.StoredHashCount(l.State.Size)}
	if l.State.Size == 0 {
		return r, nil
	}
	f, err := os.Open(filepath.Join(l.Dir, hashesFile))
	if err != nil {
		return nil, err
	}
	r.f = f
	return r, nil
}

// Pending is an appended switch that is written but not yet committed: the tiles are in the log
// directory (new names; they count once the state does), the rest in a directory of the release
// (Release.Log), from which Commit takes it once the release is current.
type Pending struct {
	Dir        string // the release's log directory holding the new state
	State      State
	Checkpoint []byte
	Entries    int64 // entries this switch appended
	Added      int64
	Removed    int64
	// StampErr is why the time-stamping authority gave no time stamp: the checkpoint is published
	// without one (it is signed all the same), and the caller says so.
	StampErr error
}

// Options are what an append needs beside the switch and the sums.
type Options struct {
	Origin string // the log's name; with a signer, the signer's name. Fixed by the first append
	Key    *Key   // nil: the checkpoint is not signed
	// Also are more keys that sign every checkpoint beside Key: the previous key while a new one is being
	// rotated in, so that verifiers who pinned it keep verifying until they take the new one
	// (docs/archive.md, "Rotating the key"). Each must be named for the log, as Key.
	Also []*Key
	// Timestamp, when set, returns an RFC 3161 time-stamp response over the checkpoint's bytes, published
	// beside it (checkpoint.tsr).
	Timestamp func(ctx context.Context, checkpoint []byte) ([]byte, error)
}

// Append records a switch of the served release: the sums (distinct, in byte order) of every page it
// serves. The pages entries list what was added and removed against the release recorded last, and a
// release entry ends the switch. The new tiles are written into the log directory; the new state, set,
// index, checkpoint and verifier key into pendingDir, which Commit installs. Nothing the committed state
// names is changed: a switch that never becomes current leaves the log as it was.
func (l *Log) Append(ctx context.Context, sw Switch, sums []Sum, pendingDir string, opt Options) (*Pending, error) {
	if !slices.IsSortedFunc(sums, func(a, b Sum) int { return bytes.Compare(a[:], b[:]) }) {
		return nil, errors.New("log: sums not sorted")
	}
	origin, err := l.origin(opt)
	if err != nil {
		return nil, err
	}
	prev, err := l.readSet()
	if err != nil {
		return nil, err
	}
	added, removed := diffSums(prev, sums)
	sw.At = sw.At.UTC().Truncate(time.Second)

	var (
		entries [][]byte
		chunks  [][]Sum // the sums of each pages entry, for the index
	)
	for chunk := range slices.Chunk(added, sumsPerEntry) {
		entries = append(entries, (&PagesEntry{Switch: sw, Change: ChangeAdded, Sums: chunk}).Marshal())
		chunks = append(chunks, chunk)
	}
	for chunk := range slices.Chunk(removed, sumsPerEntry) {
		entries = append(entries, (&PagesEntry{Switch: sw, Change: ChangeRemoved, LastRelease: l.State.Release,
			LastAsOf: l.State.AsOf, Sums: chunk}).Marshal())
		chunks = append(chunks, chunk)
	}
	if err := os.MkdirAll(pendingDir, 0o755); err != nil {
		return nil, err
	}
	setRoot, err := writeSet(pendingDir, sums)
	if err != nil {
		return nil, err
	}
	first := l.State.Size
	entries = append(entries, (&ReleaseEntry{Switch: sw, Previous: l.State.Release, Pages: int64(len(sums)),
		Added: int64(len(added)), Removed: int64(len(removed)), First: first, PagesRoot: setRoot}).Marshal())
	for _, e := range entries {
		if len(e) > maxEntry {
			return nil, fmt.Errorf("log: entry of %d bytes", len(e)) // sumsPerEntry keeps them under
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// The tree's new stored hashes, appended to the hashes file after the committed ones (whatever an
	// append that was never committed left there is cut off first).
	hr, err := l.hashReader()
	if err != nil {
		return nil, err
	}
	if hr.f != nil {
		defer hr.f.Close()
	}
	n := l.State.Size
	for _, e := range entries {
		hs, err := tlog.StoredHashes(n, e, hr)
		if err != nil {
			return nil, err
		}
		hr.pending = append(hr.pending, hs...)
		n++
	}
	root, err := tlog.TreeHash(n, hr)
	if err != nil {
		return nil, err
	}
	if err := l.appendHashes(hr); err != nil {
		return nil, err
	}
	if err := l.writeTiles(l.State.Size, n, hr, entries); err != nil {
		return nil, err
	}

	index := fmt.Sprintf("%020d-%020d", first, n-1)
	if err := writeIndex(filepath.Join(pendingDir, indexDir+"-"+index), first, chunks); err != nil {
		return nil, err
	}
	st := State{Format: stateFormat, Version: 1, Origin: origin, Size: n, Root: root, Release: sw.Release,
		AsOf: sw.AsOf, Pages: int64(len(sums)), Index: index, Signed: opt.Key != nil}
	cp, err := Checkpoint(origin, n, root, opt.Key, opt.Also...)
	if err != nil {
		return nil, err
	}
	var stampErr error
	if opt.Timestamp != nil {
		tsr, err := opt.Timestamp(ctx, cp)
		if err == nil {
			if err := writeFile(filepath.Join(pendingDir, TimestampFile), tsr); err != nil {
				return nil, err
			}
			st.Stamped = true
		} else if ctx.Err() != nil {
			return nil, ctx.Err()
		} else {
			stampErr = err
		}
	}
	if err := writeFile(filepath.Join(pendingDir, CheckpointFile), cp); err != nil {
		return nil, err
	}
	if opt.Key != nil {
		if err := writeFile(filepath.Join(pendingDir, VKeyFile), []byte(opt.Key.VKey+"\n")); err != nil {
			return nil, err
		}
	}
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := writeFile(filepath.Join(pendingDir, StateFile), append(b, '\n')); err != nil {
		return nil, err
	}
	return &Pending{Dir: pendingDir, State: st, Checkpoint: cp, Entries: n - l.State.Size,
		Added: int64(len(added)), Removed: int64(len(removed)), StampErr: stampErr}, nil
}

// origin returns the log's origin: the committed one, which a signer must name; for a new log the
// signer's name, else opt.Origin.
func (l *Log) origin(opt Options) (string, error) {
	origin := l.State.Origin
	if origin == "" {
		origin = opt.Origin
		if opt.Key != nil {
			origin = opt.Key.Name()
		}
	}
	if err := CheckOrigin(origin); err != nil {
		return "", fmt.Errorf("log: %w", err)
	}
	if opt.Key != nil && opt.Key.Name() != origin {
		return "", fmt.Errorf(msgKeyOrigin, opt.Key.Name(), origin)
	}
	for _, k := range opt.Also {
		if opt.Key == nil {
			return "", errors.New("log: a previous key without a signing key")
		}
		if k.Name() != origin {
			return "", fmt.Errorf(msgKeyOrigin, k.Name(), origin)
		}
		if k.KeyHash() == opt.Key.KeyHash() {
			return "", errors.New("log: the previous key is the signing key itself")
		}
	}
	return origin, nil
}

const msgKeyOrigin = "log: the signing key is named %q, the log's origin is %q: a key for this log is made with xinyong log-key --origin with the log's origin"

// diffSums returns the sums of b not in a and of a not in b; both are sorted.
func diffSums(a, b []Sum) (added, removed []Sum) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && bytes.Compare(a[i][:], b[j][:]) < 0):
			removed = append(removed, a[i])
			i++
		case i == len(a) || bytes.Compare(a[i][:], b[j][:]) > 0:
			added = append(added, b[j])
			j++
		default:
			i, j = i+1, j+1
		}
	}
	return added, removed
}

// readSet reads the sums the release recorded last serves.
func (l *Log) readSet() ([]Sum, error) {
	if l.State.Size == 0 {
		return nil, nil
	}
	b, err := os.ReadFile(l.committed(SetFile, l.State.Size))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) != l.State.Pages*32 {
		return nil, fmt.Errorf("log: %s holds %d bytes, the state says %d sums", l.committed(SetFile, l.State.Size), len(b), l.State.Pages)
	}
	sums := make([]Sum, len(b)/32)
	for i := range sums {
		copy(sums[i][:], b[i*32:])
	}
	return sums, nil
}

// writeSet writes the set and its Merkle tree's stored hashes into dir and returns the tree hash.
func writeSet(dir string, sums []Sum) (tlog.Hash, error) {
	set := make([]byte, 0, len(sums)*32)
	r := &fileHashes{}
	for i, s := range sums {
		set = append(set, s[:]...)
		hs, err := tlog.StoredHashes(int64(i), s[:], r)
		if err != nil {
			return tlog.Hash{}, err
		}
		r.pending = append(r.pending, hs...)
	}
	root, err := tlog.TreeHash(int64(len(sums)), r)
	if err != nil {
		return tlog.Hash{}, err
	}
	hashes := make([]byte, 0, len(r.pending)*32)
	for _, h := range r.pending {
		hashes = append(hashes, h[:]...)
	}
	if err := writeFile(filepath.Join(dir, SetFile), set); err != nil {
		return tlog.Hash{}, err
	}
	return root, writeFile(filepath.Join(dir, SetHashesFile), hashes)
}

// appendHashes writes the pending stored hashes after the committed ones.
func (l *Log) appendHashes(r *fileHashes) error {
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(l.Dir, hashesFile), os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if err := f.Truncate(r.n * tlog.HashSize); err != nil {
		f.Close()
		return err
	}
	b := make([]byte, 0, len(r.pending)*tlog.HashSize)
	for _, h := range r.pending {
		b = append(b, h[:]...)
	}
	if _, err := f.WriteAt(b, r.n*tlog.HashSize); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeTiles writes the hash tiles and the entry bundles the tree of size n has and the tree of size old
// had not (partial ones under new names, .p/<W>), each complete before it is renamed into place.
func (l *Log) writeTiles(old, n int64, r tlog.HashReader, entries [][]byte) error {
	for _, t := range tlog.NewTiles(TileHeight, old, n) {
		data, err := tlog.ReadTileData(t, r)
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(l.Dir, TilePath(t)), data); err != nil {
			return err
		}
	}
	// Entry bundles: 256 entries each, the last one partial. The first bundle touched may hold
	// committed entries: those are read back from the committed bundle.
	firstBundle := old / (1 << TileHeight)
	var all [][]byte
	if old%(1<<TileHeight) != 0 {
		prev, err := l.ReadBundle(firstBundle, old%(1<<TileHeight))
		if err != nil {
			return err
		}
		all = prev
	}
	all = append(all, entries...)
	for b := firstBundle; b*(1<<TileHeight) < n; b++ {
		lo := b*(1<<TileHeight) - firstBundle*(1<<TileHeight)
		hi := min(lo+(1<<TileHeight), int64(len(all)))
		var buf bytes.Buffer
		for _, e := range all[lo:hi] {
			buf.Write(binary.BigEndian.AppendUint16(nil, uint16(len(e))))
			buf.Write(e)
		}
		if err := writeFile(filepath.Join(l.Dir, BundlePath(b, hi-lo)), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// TilePath is a hash tile's path in the C2SP tlog-tiles layout: tile/<L>/<N>[.p/<W>].
func TilePath(t tlog.Tile) string {
	p := t.Path() // tile/<H>/<L>/<N>[.p/<W>], the Go checksum database's layout
	_, rest, _ := strings.Cut(strings.TrimPrefix(p, "tile/"), "/")
	return TileDir + "/" + rest
}

// BundlePath is the path of entry bundle n holding w entries: tile/entries/<N>[.p/<W>].
func BundlePath(n, w int64) string {
	p := TilePath(tlog.Tile{H: TileHeight, L: 0, N: n, W: int(w)})
	return strings.Replace(p, TileDir+"/0/", TileDir+"/entries/", 1)
}

// ReadBundle reads the first w entries of entry bundle n, from the bundle file holding exactly w or, for a
// full bundle, 256.
func (l *Log) ReadBundle(n, w int64) ([][]byte, error) {
	b, err := os.ReadFile(filepath.Join(l.Dir, BundlePath(n, w)))
	if errors.Is(err, os.ErrNotExist) && w < 1<<TileHeight {
		b, err = os.ReadFile(filepath.Join(l.Dir, BundlePath(n, 1<<TileHeight)))
	}
	if err != nil {
		return nil, err
	}
	entries, err := ParseBundle(b)
	if err != nil {
		return nil, fmt.Errorf("log: bundle %d: %w", n, err)
	}
	if int64(len(entries)) < w {
		return nil, fmt.Errorf("log: bundle %d holds %d entries, want %d", n, len(entries), w)
	}
	return entries[:w], nil
}

// ParseBundle splits an entry bundle into its entries.
func ParseBundle(b []byte) ([][]byte, error) {
	var entries [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, errors.New("truncated entry length")
		}
		n := int(binary.BigEndian.Uint16(b))
		if len(b) < 2+n {
			return nil, errors.New("truncated entry")
		}
		entries = append(entries, b[2:2+n])
		b = b[2+n:]
	}
	return entries, nil
}

// ReadEntry reads committed entry i.
func (l *Log) ReadEntry(i int64) ([]byte, error) {
	if i < 0 || i >= l.State.Size {
		return nil, fmt.Errorf("log: no entry %d", i)
	}
	n := i / (1 << TileHeight)
	w := min(int64(1<<TileHeight), l.State.Size-n*(1<<TileHeight))
	entries, err := l.ReadBundle(n, w)
	if err != nil {
		return nil, err
	}
	return entries[i%(1<<TileHeight)], nil
}

// Checkpoint returns the C2SP tlog-checkpoint of a tree: the origin, the size and the base64 root hash,
// one per line, signed by key (and also by the keys of also, after it) as a note; unsigned (the three lines
// only) without a key.
func Checkpoint(origin string, n int64, root tlog.Hash, key *Key, also ...*Key) ([]byte, error) {
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, n, base64.StdEncoding.EncodeToString(root[:]))
	if key == nil {
		return []byte(text), nil
	}
	signers := []note.Signer{key.Signer}
	for _, k := range also {
		signers = append(signers, k.Signer)
	}
	return note.Sign(&note.Note{Text: text}, signers...)
}

// ParseCheckpoint reads a checkpoint's text: origin, size and root.
func ParseCheckpoint(text string) (origin string, n int64, root tlog.Hash, err error) {
	lines := strings.SplitN(text, "\n", 4)
	if len(lines) < 4 {
		return "", 0, root, errors.New("checkpoint: fewer than three lines")
	}
	origin = lines[0]
	if n, err = strconv.ParseInt(lines[1], 10, 64); err != nil || n < 0 || strconv.FormatInt(n, 10) != lines[1] {
		return "", 0, root, fmt.Errorf("checkpoint: size %q", truncate(lines[1], 40))
	}
	h, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return "", 0, root, fmt.Errorf("checkpoint: root hash %q", truncate(lines[2], 80))
	}
	copy(root[:], h)
	if origin == "" {
		return "", 0, root, errors.New("checkpoint: no origin")
	}
	return origin, n, root, nil
}

// writeFile writes a file atomically: beside, synced, renamed over.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}
