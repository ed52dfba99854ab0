package search

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
)

// sumsFile names the file, beside the segments, that lists every document of the index with a sum of its
// stored text: Update compares the next night's documents with it to find what was added, changed and
// deleted. Every indexed field is derived from the stored document, so equal sums mean equal postings.
const sumsFile = "xinyong-docs.sum"

// maxStale bounds, as a fraction of the documents, the documents deleted or replaced in the segments since
// the last full build: beyond it Update builds afresh, so that segments full of deleted documents and
// the segments of many nights do not pile up.
const maxStale = 0.25

// docSum is the first 16 bytes of the SHA-256 of a stored document.
type docSum [16]byte

func sumOf(stored string) docSum {
	h := sha256.Sum256([]byte(stored))
	return docSum(h[:16])
}

// docSums lists the documents of an index by id (kind/id) with their sums, in index order.
type docSums struct {
	ids  []string
	sums []docSum
}

func (s *docSums) add(id string, sum docSum) {
	s.ids = append(s.ids, id)
	s.sums = append(s.sums, sum)
}

// write writes the list as lines of "<sum in hex> <kind/id>".
func (s *docSums) write(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	w := bufio.NewWriterSize(f, 1<<16)
	var hx [32]byte
	for i, id := range s.ids {
		hex.Encode(hx[:], s.sums[i][:])
		w.Write(hx[:])
		w.WriteByte(' ')
		w.WriteString(id)
		w.WriteByte('\n')
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("search: %s: %w", sumsFile, err)
	}
	return nil
}

// readSums reads the sums file of the index in dir into a map by id.
func readSums(dir string) (map[string]docSum, error) {
	f, err := os.Open(filepath.Join(dir, sumsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := make(map[string]docSum)
	r := bufio.NewReaderSize(f, 1<<16)
	for n := 1; ; n++ {
		line, err := r.ReadSlice('\n')
		if err == io.EOF && len(line) == 0 {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s line %d: %w", sumsFile, n, err)
		}
		hx, id, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
		var sum docSum
		if !ok || len(hx) != 32 || len(id) == 0 {
			return nil, fmt.Errorf("%s line %d: malformed", sumsFile, n)
		}
		if _, err := hex.Decode(sum[:], hx); err != nil {
			return nil, fmt.Errorf("%s line %d: %w", sumsFile, n, err)
		}
		if _, dup := m[string(id)]; dup {
			return nil, fmt.Errorf("%s line %d: duplicate %s", sumsFile, n, id)
		}
		m[string(id)] = sum
	}
}

// Update writes into dir, which must not exist or be empty, the index of docs that Build would write, made
// from the finished index in prev (the previous release's, which it never modifies) when it can: the
// previous segments are hard-linked (copied when links fail), then one batch deletes the documents that
// are gone and indexes those that are new or changed, found by comparing each document's sum with prev's
// sums file. Deleted documents leave the term statistics of the copied segments (Bleve counts only live
// documents), so the results, their scores and their order are those of a full build.
//
// It builds afresh with Build, saying why in Stats.Fallback, when prev is "" or is not a finished index of
// this format with a sums file, or when the documents deleted or replaced since the last full build would
// exceed maxStale of them. docs is then read a second time: it must be re-iterable, as ReadDocsFile is.
func Update(ctx context.Context, dir, prev string, docs iter.Seq2[Doc, error]) (Stats, error) {
	if prev == "" {
		return Build(ctx, dir, docs)
	}
	full := func(why string, err error) (Stats, error) {
		if err != nil {
			why += ": " + err.Error()
		}
		st, err := Build(ctx, dir, docs)
		st.Fallback = why
		return st, err
	}
	pm, err := readMeta(prev)
	if err != nil {
		return full("previous index unusable", err)
	}
	old, err := readSums(prev)
	if err != nil {
		return full("previous index has no usable document list", err)
	}
	if len(old) != pm.Stats.Docs {
		return full("previous index unusable", fmt.Errorf("%s lists %d documents, the index %d", sumsFile, len(old), pm.Stats.Docs))
	}

	start := time.Now()
	existed, err := checkEmptyDir(dir)
	if err != nil {
		return Stats{}, err
	}
	done := false
	defer func() {
		if !done {
			clearDir(dir, existed)
		}
	}()

	st, batch, sums, err := diffDocs(ctx, docs, old)
	if err != nil {
		return st, err
	}
	st.Stale = pm.Stats.Stale + st.Changed + st.Deleted
	if float64(st.Stale) > maxStale*float64(max(st.Docs, pm.Stats.Docs)) {
		clearDir(dir, existed)
		done = true // the full build clears up after itself
		return full(fmt.Sprintf("%d documents deleted or replaced since the last full build", st.Stale), nil)
	}
	if pm.Stats.Docs == 0 || st.Docs == 0 {
		clearDir(dir, existed)
		done = true
		return full("previous or new index empty", nil)
	}
	err = copyIndex(prev, dir)
	if err == nil {
		err = applyBatch(ctx, dir, batch, old)
	}
	if err != nil {
		if ctx.Err() != nil {
			return st, ctx.Err()
		}
		clearDir(dir, existed) // a previous index that does not open or take the batch: build afresh
		done = true
		return full("previous index unusable", err)
	}
	st.Incremental = true
	if err := finish(ctx, dir, &st, sums, start); err != nil {
		return st, err
	}
	done = true
	return st, nil
}

// change is a document to index again (new or changed), or, with fields nil, an id to delete.
type change struct {
	id     string
	fields map[string]any
}

// diffDocs prepares every document as Build does (the same checks, counts and probes) and returns those
// to index again; old is left holding the ids that are gone.
func diffDocs(ctx context.Context, docs iter.Seq2[Doc, error], old map[string]docSum) (Stats, []change, *docSums, error) {
	var batch []change
	var added, changed int
	sums := &docSums{}
	st, err := eachDoc(ctx, docs, sums, func(id string, p preparedDoc) error {
		switch sum, ok := old[id]; {
		case !ok:
			added++
			batch = append(batch, change{id, p.fields})
		case sum != p.sum:
			changed++
			batch = append(batch, change{id, p.fields})
		}
		delete(old, id)
		return nil
	})
	if err != nil {
		return st, nil, nil, err
	}
	st.Added, st.Changed, st.Deleted = added, changed, len(old)
	return st, batch, sums, nil
}

// copyIndex puts the Bleve files of the index in prev into dir: the segments (store/*.zap), which Bleve
// never writes again, as hard links; the others (store/root.bolt, which the update rewrites, and
// index_meta.json) as copies. The meta and sums files are written anew.
func copyIndex(prev, dir string) error {
	err := filepath.WalkDir(prev, func(from string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(prev, from)
		to := filepath.Join(dir, rel)
		switch {
		case rel == metaFile || rel == sumsFile:
			return nil
		case e.IsDir():
			return os.MkdirAll(to, 0o755)
		case !e.Type().IsRegular():
			return fmt.Errorf("%s is not a regular file", rel)
		case strings.HasSuffix(rel, ".zap") && os.Link(from, to) == nil:
			return nil
		}
		return copyFile(from, to)
	})
	if err != nil {
		return fmt.Errorf("search: previous index: %w", err)
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// applyBatch opens the copied index in dir and applies, in one batch, the deletions of the ids left in gone
// and the changes, then closes it: the batch is persisted as a new segment and the deletions in root.bolt.
func applyBatch(ctx context.Context, dir string, batch []change, gone map[string]docSum) (err error) {
	idx, err := bleve.Open(dir)
	if err != nil {
		return fmt.Errorf("search: open previous index copy: %w", err)
	}
	defer func() {
		if cerr := idx.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("search: close updated index: %w", cerr)
		}
	}()
	b := idx.NewBatch()
	for id := range gone {
		b.Delete(id)
	}
	for _, c := range batch {
		if err := b.Index(c.id, c.fields); err != nil {
			return fmt.Errorf("search: index %s: %w", c.id, err)
		}
	}
	if b.Size() == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := idx.Batch(b); err != nil {
		return fmt.Errorf("search: update index: %w", err)
	}
	return nil
}
