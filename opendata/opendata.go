// Package opendata writes the open-data downloads of 信用盘锦 (/data/): the currently public red list, black
// list and typical cases as CSV (UTF-8 with a byte-order mark, so that Excel opens it) and as JSON Lines, and
// index.json, which names the release and gives the size, row count and SHA-256 of every file.
//
// The files are made from the export tree, not from the database, so they hold exactly what the site
// publishes: the same entries, the same cleaned and masked text. Personal data gets a second defence on the
// way out: every value passes through xinyong.MaskIDNumbersIn, and the ID-number column through
// xinyong.MaskIDNumber. CSV cells that a spreadsheet would take for a formula are defused (see csvSafe).
//
// The pages are read with the export's own front matter reader (generator.ReadEntryPage, ReadCasePage),
// the exact inverse of the emitter that wrote them. Write streams: at most two batches of pages are in
// memory at a time, whatever the size of the tree, and the same tree and Meta always give byte-identical
// files. A night's publication uses WriteReusing: the rows of records whose pages have the same SHA-256 as
// in the previous release (by the exports' content sums) are copied from the previous files, with a rows
// index (RowsFile) kept beside each release's content sums; the files are the same bytes either way.
package opendata

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"xinyong"
	"xinyong/generator"
	"xinyong/internal/tree"
)

// IndexFile and SumsFile are the names of the index and of the checksum list (in the format of
// sha256sum, so that `sha256sum -c SHA256SUMS` checks every file) in the output directory. Neither is in
// the index's own list of files.
const (
	IndexFile = "index.json"
	SumsFile  = "SHA256SUMS"
)

// Meta describes the publication the files belong to.
type Meta struct {
	Release     string    // the release id (release.Manifest.ID)
	DataVersion string    // the export's data version; "" to read it from the tree's _index.md
	AsOf        string    // the as-of date, YYYY-MM-DD; "" to read it from the tree's _index.md
	BuiltAt     time.Time // written in UTC
	BaseURL     string    // the site's address for the URL columns; "" for xinyong.BaseURL's default
}

// Index is index.json. Its keys come out in the order of the fields.
type Index struct {
	Release     string    `json:"release"`
	DataVersion string    `json:"data_version"`
	AsOf        string    `json:"as_of"`
	BuiltAt     time.Time `json:"built_at"`
	Demo        bool      `json:"demo"` // made from demo data (the export's home page says demo: true)
	Counts      Counts    `json:"counts"`
	Files       []File    `json:"files"`
}

// Counts are the rows of each data set (the same in its CSV and its JSON Lines file).
type Counts struct {
	Red   int `json:"red"`
	Black int `json:"black"`
	Cases int `json:"cases"`
}

// File describes one file of the downloads.
type File struct {
	Name      string `json:"name"`       // red.csv, ...
	Dataset   string `json:"dataset"`    // red, black or cases
	Format    string `json:"format"`     // csv or jsonl
	MediaType string `json:"media_type"` // the Content-Type to serve it with
	Rows      int    `json:"rows"`       // records, not counting the CSV header
	Size      int64  `json:"size"`       // bytes
	SHA256    string `json:"sha256"`     // lower-case hex
}

// The data sets, in the order of index.json, and the file formats.
const (
	DatasetRed   = "red"
	DatasetBlack = "black"
	DatasetCases = "cases"

	FormatCSV   = "csv"
	FormatJSONL = "jsonl"

	MediaTypeCSV   = "text/csv; charset=utf-8; header=present"
	MediaTypeJSONL = "application/jsonl; charset=utf-8"
	MediaTypeJSON  = "application/json"
)

// Write reads the export tree contentDir and writes red.csv, red.jsonl, black.csv, black.jsonl, cases.csv,
// cases.jsonl, index.json and SHA256SUMS into outDir (created if missing; files of the same names are replaced). It
// returns what it wrote to index.json. On error the files in outDir are incomplete: write into a scratch
// directory.
func Write(ctx context.Context, contentDir, outDir string, meta Meta) (*Index, error) {
	return WriteReusing(ctx, contentDir, outDir, meta, Reuse{})
}

// WriteReusing is Write, copying the rows of records whose pages did not change from the previous
// release's downloads (Reuse) and recording the rows index of the new ones. The files are byte-identical
// to Write's.
func WriteReusing(ctx context.Context, contentDir, outDir string, meta Meta, reuse Reuse) (*Index, error) {
	idx, _, err := writeReusing(ctx, contentDir, outDir, meta, reuse)
	return idx, err
}

// writeReusing is WriteReusing, also returning how many rows it copied.
func writeReusing(ctx context.Context, contentDir, outDir string, meta Meta, reuse Reuse) (*Index, int, error) {
	demo, err := fillMeta(contentDir, &meta)
	if err != nil {
		return nil, 0, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, 0, err
	}
	idx := &Index{Release: meta.Release, DataVersion: meta.DataVersion, AsOf: meta.AsOf,
		BuiltAt: meta.BuiltAt.UTC(), Demo: demo}
	base := strings.TrimSuffix(meta.BaseURL, "/")
	inc := newIncremental(reuse, base)
	for _, ds := range []string{DatasetRed, DatasetBlack, DatasetCases} {
		files, err := writeDataset(ctx, contentDir, outDir, ds, base, inc)
		if err != nil {
			return nil, 0, fmt.Errorf("opendata: %s: %w", ds, err)
		}
		idx.Files = append(idx.Files, files...)
		switch ds {
		case DatasetRed:
			idx.Counts.Red = files[0].Rows
		case DatasetBlack:
			idx.Counts.Black = files[0].Rows
		case DatasetCases:
			idx.Counts.Cases = files[0].Rows
		}
	}
	if err := writeIndex(outDir, idx); err != nil {
		return nil, 0, fmt.Errorf("opendata: %w", err)
	}
	if inc == nil {
		return idx, 0, nil
	}
	if inc.next != nil && reuse.Rows != "" {
		if err := writeRows(reuse.Rows, inc.next); err != nil {
			return nil, 0, fmt.Errorf("opendata: %w", err)
		}
	}
	return idx, inc.reused, nil
}

// newIncremental prepares what WriteReusing reuses and records; nil when it can do neither (no content
// sums, or no program ID to key the rows by).
func newIncremental(reuse Reuse, base string) *incremental {
	if reuse.Sums == "" {
		return nil
	}
	key, ok := rowsKey(base)
	if !ok {
		return nil
	}
	sums, err := tree.ReadSums(reuse.Sums)
	if err != nil {
		return nil
	}
	inc := &incremental{sums: sums, prevDir: reuse.PrevDir}
	if reuse.Rows != "" {
		inc.next = &rowsIndex{key: key}
	}
	if reuse.PrevRows != "" && reuse.PrevDir != "" {
		if prev, err := readRows(reuse.PrevRows); err == nil && prev.key == key {
			inc.prev = prev
		}
	}
	return inc
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
	for _, f := range idx.Files {
		sums.WriteString(f.SHA256 + "  " + f.Name + "\n") // two spaces: text mode, as sha256sum writes it
	}
	return os.WriteFile(filepath.Join(outDir, SumsFile), []byte(sums.String()), 0o644)
}

// fillMeta completes meta from the home page of the tree: the base URL's default (which depends on whether
// the tree is demo data, as it returns), and the as-of date and data version when they are not given. The
// home page is read in any case: a directory without one is not an export tree, and would give empty files.
func fillMeta(contentDir string, meta *Meta) (demo bool, err error) {
	page, err := os.ReadFile(filepath.Join(contentDir, "_index.md"))
	if err != nil {
		return false, fmt.Errorf("opendata: %s is not an export tree: %w", contentDir, err)
	}
	home, err := generator.ReadHomePage(page)
	if err != nil {
		return false, fmt.Errorf("opendata: %s is not an export tree: _index.md: %w", contentDir, err)
	}
	meta.BaseURL = xinyong.BaseURL(meta.BaseURL, home.Demo)
	if meta.AsOf == "" {
		meta.AsOf = home.AsOf
	}
	if meta.DataVersion == "" {
		meta.DataVersion = home.DataVersion
	}
	if meta.AsOf == "" {
		return false, errors.New("opendata: no as-of date")
	}
	return home.Demo, nil
}
