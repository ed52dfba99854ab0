package render

import (
	"context"
	"os"
	"path/filepath"

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
			fm, err := readFrontMatter(filepath.Join(content, section, name+".md"))
			if err != nil {
				return err
			}
			if section == "subjects" {
				x, err := r.newSubjectRow(name, fm)
				rows.subjects = append(rows.subjects, x)
				return err
			}
			x, err := r.newRow(section, name, fm)
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

// RenderLists writes the list, taxonomy and term pages from rows, as RenderTree does after the records.
func (r *Renderer) RenderLists(ctx context.Context, content, out string, rows *ListRows) (Stats, error) {
	st, err := r.renderLists(ctx, content, out, rows.entries, rows.subjects)
	if err != nil {
		return st, err
	}
	tx, err := r.renderTaxonomies(ctx, content, out, rows.entries)
	st.Lists += tx.Lists
	st.Bytes += tx.Bytes
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
