package render

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"

	"xinyong/generator"
)

// ListRows are the sorted rows of an export tree's records, for BenchmarkRenderLists.
type ListRows struct {
	entries  []Row
	subjects []SubjectRow
}

// ReadListRows reads the rows of every record of the export tree content, sorted, as RenderTree takes them.
func (r *Renderer) ReadListRows(content string) (*ListRows, error) {
	var rows ListRows
	for _, section := range Sections() {
		err := listPages(filepath.Join(content, section), func(name string) error {
			b, err := os.ReadFile(filepath.Join(content, section, name+".md"))
			if err != nil {
				return err
			}
			fm, _, err := generator.ReadPage(b)
			if err != nil {
				return err
			}
			src := source{sum: sha256.Sum256(b)}
			if section == "subjects" {
				x, err := r.newSubjectRow(name, fm)
				x.src = src
				rows.subjects = append(rows.subjects, x)
				return err
			}
			x, err := r.newRow(section, name, fm)
			x.src = src
			rows.entries = append(rows.entries, x)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	sortRows(rows.entries, r.lang, rowKey)
	sortRows(rows.subjects, r.lang, subjectKey)
	return &rows, nil
}

// RenderLists writes the list, taxonomy and term pages from rows, as RenderTree does after the records,
// with the row store when the renderer has one (Options.RowStore and Rows, Reuse.RowStore), which it writes.
func (r *Renderer) RenderLists(ctx context.Context, content, out string, rows *ListRows) (Stats, error) {
	store, why := r.newRowStore()
	if why != "" {
		return Stats{}, errors.New(why)
	}
	r.store = store
	defer func() {
		r.store = nil
		store.free()
	}()
	if store != nil {
		// The slots are the rows' copies'; the rows themselves are the benchmark's, for the next run.
		entries, subjects := slices.Clone(rows.entries), slices.Clone(rows.subjects)
		store.place(entries, subjects)
		rows = &ListRows{entries: entries, subjects: subjects}
	}
	st, err := r.renderLists(ctx, content, out, rows.entries, rows.subjects)
	if err != nil {
		return st, err
	}
	tx, err := r.renderTaxonomies(ctx, content, out, rows.entries)
	st.Lists += tx.Lists
	st.Bytes += tx.Bytes
	if err == nil && store != nil {
		st.RowStoreReused, st.RowStoreExecuted = int(store.reused.Load()), int(store.executed.Load())
		err = store.write(r.rowsKey(), rows.entries, rows.subjects)
	}
	return st, err
}

func readFrontMatter(path string) (generator.Fields, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	fm, _, err := generator.ReadPage(b)
	return fm, err
}
