package search

import (
	"context"
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

// maxStale bounds, as a fraction of the documents, the documents deleted or replaced in the segments since
// the last full build: beyond it Update builds afresh, so that segments full of deleted documents and
// the segments of many nights do not pile up.
const maxStale = 0.25

// Update writes into dir, which must not exist or be empty, the index of docs that Build would write, made
// from the finished index in prev (the previous release's, which it never modifies) when it can: the
// previous segments are hard-linked (copied when links fail), then one batch deletes the documents that
// are gone and indexes those that are new or changed, found by comparing each document's stored text with
// prev's document list (listFile). Deleted documents leave the term statistics of the copied segments
// (Bleve counts only live documents), so the results, their scores and their order are those of a full
// build.
//
// It builds afresh with Build, saying why in Stats.Fallback, when prev is "" or is not a finished index of
// this format with a document list written by this program (the same fingerprint: a new analyzer, or any
// other change of the program, rebuilds), or when the documents deleted or replaced since the last full
// build would exceed maxStale of them. docs is then read a second time: it must be re-iterable, as
// ReadDocsFile is.
func Update(ctx context.Context, dir, prev string, docs iter.Seq2[Doc, error]) (Stats, error) {
	return update(ctx, dir, prev, source{docs: docs})
}

// UpdateFile is Update of the documents file at path (DocsWriter's: one document a line). A line the
// previous index was made from, by its sum in prev's document list, is not decoded or prepared: its
// document is unchanged, and the list holds what the counts and the probes need of it.
func UpdateFile(ctx context.Context, dir, prev, path string) (Stats, error) {
	return update(ctx, dir, prev, source{path: path})
}

func update(ctx context.Context, dir, prev string, src source) (Stats, error) {
	if prev == "" {
		return build(ctx, dir, src)
	}
	full := func(why string, err error) (Stats, error) {
		if err != nil {
			why += ": " + err.Error()
		}
		st, err := build(ctx, dir, src)
		st.Fallback = why
		return st, err
	}
	pm, err := readMeta(prev)
	if err != nil {
		return full("previous index unusable", err)
	}
	old, err := readList(prev)
	if err != nil {
		return full("previous index has no usable document list", err)
	}
	if len(old.entries) != pm.Stats.Docs {
		return full("previous index has no usable document list", fmt.Errorf("%s lists %d documents, the index %d", listFile, len(old.entries), pm.Stats.Docs))
	}
	if old.fingerprint != fingerprint() {
		return full("previous index made by another program", nil)
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

	st, batch, gone, list, err := diffDocs(ctx, src, old)
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
		err = applyBatch(ctx, dir, batch, gone)
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
	if err := finish(ctx, dir, &st, list, start); err != nil {
		return st, err
	}
	done = true
	return st, nil
}

// change is a document to index again (new or changed).
type change struct {
	id     string
	fields map[string]any
}

// diffDocs reads the documents of src as Build does (the same checks, counts and probes), without
// preparing those whose line old lists, and returns those to index again and the ids of old's documents
// that are gone.
func diffDocs(ctx context.Context, src source, old *docList) (Stats, []change, []string, *docList, error) {
	byID := make(map[string]*docEntry, len(old.entries))
	var known map[docSum]*docEntry
	if old.fingerprint != "" && src.path != "" {
		known = make(map[docSum]*docEntry, len(old.entries))
	}
	for i := range old.entries {
		e := &old.entries[i]
		byID[e.id] = e
		if known != nil && e.raw != (docSum{}) {
			known[e.raw] = e
		}
	}
	var batch []change
	var added, changed int
	list := &docList{fingerprint: old.fingerprint}
	st, err := eachDoc(ctx, src, known, list, func(id string, p preparedDoc) error {
		e, ok := byID[id]
		switch {
		case p.reused:
		case !ok:
			added++
			batch = append(batch, change{id, p.fields})
		case e.stored != p.sum:
			changed++
			batch = append(batch, change{id, p.fields})
		}
		delete(byID, id)
		return nil
	})
	if err != nil {
		return st, nil, nil, nil, err
	}
	var gone []string
	for i := range old.entries {
		if id := old.entries[i].id; byID[id] != nil {
			gone = append(gone, id)
		}
	}
	st.Added, st.Changed, st.Deleted = added, changed, len(gone)
	return st, batch, gone, list, nil
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
		case rel == metaFile || rel == listFile:
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

// applyBatch opens the copied index in dir and applies, in one batch, the deletions of the ids in gone and
// the changes, then closes it: the batch is persisted as a new segment and the deletions in root.bolt.
func applyBatch(ctx context.Context, dir string, batch []change, gone []string) (err error) {
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
	for _, id := range gone {
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
