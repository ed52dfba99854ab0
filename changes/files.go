package changes

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"xinyong"
	"xinyong/internal/tree"
)

// SiteDataDir is where the delta files and their index are served, relative to the built site: /data/changes/.
const SiteDataDir = "data/changes"

// IndexFile and SumsFile are the index of the recent delta files and their checksums in the format of
// sha256sum, in SiteDataDir.
const (
	IndexFile = "index.json"
	SumsFile  = "SHA256SUMS"
)

// Recent is how many releases the index (and the /changes/ pages) keep.
const Recent = 60

// Format names of the files, so that a reader can tell them apart; Version goes up when a field changes
// meaning or goes away (new fields may appear without notice).
const (
	FormatDelta   = "xinyong-changes-delta"
	FormatIndex   = "xinyong-changes-index"
	FormatHistory = "xinyong-changes-history"
	Version       = 1
)

// Meta describes the release a delta belongs to.
type Meta struct {
	Release  string    // the new release's id
	Previous string    // the release it replaces (the current one); "" for none
	AsOf     string    // the as-of date, YYYY-MM-DD
	BuiltAt  time.Time // when the publication started; written in UTC
	BaseURL  string    // the site's address for the entry URLs of the delta file; "" for xinyong.DefaultBaseURL
}

// Index is index.json: the recent delta files, newest first.
type Index struct {
	Format   string        `json:"format"`
	Version  int           `json:"version"`
	Release  string        `json:"release"` // the release that wrote it (the newest)
	Versions []VersionInfo `json:"versions"`
}

// VersionInfo describes one release's delta file.
type VersionInfo struct {
	Release  string    `json:"release"`
	Previous string    `json:"previous,omitempty"`
	AsOf     string    `json:"as_of"`
	BuiltAt  time.Time `json:"built_at"`
	Initial  bool      `json:"initial,omitempty"` // the first release recorded: everything is added
	Counts   Counts    `json:"counts"`
	File     string    `json:"file"` // <release>.json, in the same directory
	Size     int64     `json:"size"`
	SHA256   string    `json:"sha256"`
}

// DeltaHead is the head of a delta file, <release>.json: its first keys, before the lists.
type DeltaHead struct {
	Format   string    `json:"format"`
	Version  int       `json:"version"`
	Release  string    `json:"release"`
	Previous string    `json:"previous,omitempty"`
	AsOf     string    `json:"as_of"`
	BuiltAt  time.Time `json:"built_at"`
	Initial  bool      `json:"initial,omitempty"`
	Counts   Counts    `json:"counts"`
	// Departments are, in the first release recorded only, its entries by department (the first
	// publication's page summarises them instead of listing them): department codes and names, no entry.
	Departments []DepartmentCount `json:"departments,omitempty"`
}

// DepartmentCount is how many entries of a release a department decided.
type DepartmentCount struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// GroupCount is how many items of a delta file's list are of one list (red, black, cases) and list name.
type GroupCount struct {
	List     string
	ListName string
	Count    int
}

// DeltaFile is a delta file: the head, then the lists, each in key order.
type DeltaFile struct {
	DeltaHead
	Added   []FileItem `json:"added"`
	Changed []FileItem `json:"changed"`
	Removed []Ref      `json:"removed"` // list and id: nothing else, ever

	// The sizes of the lists by list and list name (removed ones by list only), counted by ReadDelta over
	// every item, also those past its limit.
	AddedBy, ChangedBy, RemovedBy []GroupCount `json:"-"`
}

// FileItem is an added or changed entry in a delta file.
type FileItem struct {
	List     string `json:"list"`
	ID       string `json:"id"`
	ListName string `json:"list_name,omitempty"`
	URL      string `json:"url"`
}

// WriteFiles writes the delta file of meta.Release, index.json and SHA256SUMS into outDir (a scratch
// directory, created if missing, whose files the pipeline moves into the site's SiteDataDir after the
// build, so that Hugo never reads them). The delta files of the recent releases before it are carried over
// from prevDataDir (the previous release's site/data/changes; "" for none): hard-linked (or copied), each
// checked against the previous index's SHA-256; one that is missing or does not match is left out.
func WriteFiles(ctx context.Context, prevDataDir, outDir string, meta Meta, d *Delta) (*Index, error) {
	if meta.Release == "" || strings.ContainsAny(meta.Release, `/\`) {
		return nil, fmt.Errorf("changes: bad release id %q", meta.Release)
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	v, err := writeDelta(outDir, meta, d)
	if err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	idx := &Index{Format: FormatIndex, Version: Version, Release: meta.Release, Versions: []VersionInfo{v}}
	if prevDataDir != "" {
		carried, err := carry(ctx, prevDataDir, outDir, Recent-1)
		if err != nil {
			return nil, fmt.Errorf("changes: %w", err)
		}
		idx.Versions = append(idx.Versions, carried...)
	}
	if err := writeIndex(outDir, idx); err != nil {
		return nil, fmt.Errorf("changes: %w", err)
	}
	return idx, nil
}

// writeDelta streams the delta file and returns its description.
func writeDelta(outDir string, meta Meta, d *Delta) (VersionInfo, error) {
	v := VersionInfo{Release: meta.Release, Previous: meta.Previous, AsOf: meta.AsOf, BuiltAt: meta.BuiltAt.UTC(),
		Initial: d.Initial, Counts: d.Counts(), File: meta.Release + ".json"}
	f, err := os.Create(filepath.Join(outDir, v.File))
	if err != nil {
		return v, err
	}
	defer f.Close()
	sum := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, sum)}
	w := bufio.NewWriterSize(cw, 1<<16)
	head := DeltaHead{Format: FormatDelta, Version: Version, Release: v.Release, Previous: v.Previous, AsOf: v.AsOf,
		BuiltAt: v.BuiltAt, Initial: v.Initial, Counts: v.Counts, Departments: d.Departments}
	data, err := json.Marshal(head)
	if err != nil {
		return v, err
	}
	// The head without its closing brace, then the lists, one item per line.
	w.Write(data[:len(data)-1])
	base := strings.TrimSuffix(meta.BaseURL, "/")
	if base == "" {
		base = strings.TrimSuffix(xinyong.DefaultBaseURL, "/")
	}
	items := func(name string, list []Item) error {
		return writeArray(w, name, len(list), func(i int) any {
			it := list[i]
			return FileItem{List: it.List, ID: it.ID, ListName: it.ListName, URL: base + it.Path()}
		})
	}
	if err := items("added", d.Added); err != nil {
		return v, err
	}
	if err := items("changed", d.Changed); err != nil {
		return v, err
	}
	if err := writeArray(w, "removed", len(d.Removed), func(i int) any { return d.Removed[i] }); err != nil {
		return v, err
	}
	w.WriteString("\n}\n")
	if err := w.Flush(); err != nil {
		return v, err
	}
	if err := f.Close(); err != nil {
		return v, err
	}
	v.Size, v.SHA256 = cw.n, hex.EncodeToString(sum.Sum(nil))
	return v, nil
}

// writeArray writes `,\n"name": [` and the n items, one per line.
func writeArray(w *bufio.Writer, name string, n int, item func(i int) any) error {
	fmt.Fprintf(w, ",\n%q: [", name)
	for i := range n {
		data, err := json.Marshal(item(i))
		if err != nil {
			return err
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n  ")
		w.Write(data)
	}
	if n > 0 {
		w.WriteByte('\n')
	}
	_, err := w.WriteString("]")
	return err
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// carry brings up to n delta files of the previous index into outDir and returns their descriptions.
func carry(ctx context.Context, prevDataDir, outDir string, n int) ([]VersionInfo, error) {
	prev, err := ReadIndex(prevDataDir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil // the previous release recorded no changes
	}
	if err != nil {
		return nil, err
	}
	var out []VersionInfo
	for _, v := range prev.Versions {
		if len(out) == n {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !validFileName(v.File) {
			continue
		}
		src, dst := filepath.Join(prevDataDir, v.File), filepath.Join(outDir, v.File)
		if _, err := os.Lstat(dst); err == nil {
			continue // the new release's own file (a release id used twice): never replaced
		}
		if sum, err := tree.FileSHA256(src); err != nil || sum != v.SHA256 {
			continue
		}
		if err := tree.LinkOrCopy(src, dst); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// validFileName accepts a delta file's name from an index: a plain file name, nothing that climbs out.
func validFileName(name string) bool {
	return strings.HasSuffix(name, ".json") && name != IndexFile && filepath.Base(name) == name &&
		!strings.HasPrefix(name, ".")
}

// ReadIndex reads index.json from a directory of delta files (a release's site/data/changes).
func ReadIndex(dir string) (*Index, error) {
	data, err := os.ReadFile(filepath.Join(dir, IndexFile))
	if err != nil {
		return nil, err
	}
	var idx Index
	if err := json.Unmarshal(data, &idx); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, IndexFile), err)
	}
	if idx.Format != FormatIndex {
		return nil, fmt.Errorf("%s: not a changes index", filepath.Join(dir, IndexFile))
	}
	return &idx, nil
}

// writeIndex writes index.json and SHA256SUMS.
func writeIndex(outDir string, idx *Index) error {
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(outDir, IndexFile), append(data, '\n'), 0o644); err != nil {
		return err
	}
	var sums strings.Builder
	for _, v := range idx.Versions {
		sums.WriteString(v.SHA256 + "  " + v.File + "\n")
	}
	return os.WriteFile(filepath.Join(outDir, SumsFile), []byte(sums.String()), 0o644)
}
