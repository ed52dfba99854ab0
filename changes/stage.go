package changes

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"xinyong/generator"
	"xinyong/internal/tree"
)

// Dirs says where Stage reads and writes; package publish fills it from its layout of a release.
type Dirs struct {
	// The current release's export tree, the delta files it serves (/data/changes/) and its history; each
	// "" when there is none. An export tree without its home page is compared as no tree.
	PrevContent, PrevData, PrevHistory string
	// Content is the staged export tree: it is compared with PrevContent, and the /changes/ pages are
	// written into it.
	Content string
	// Data is where the delta files are written, for the pipeline to move into the site (SiteDataDir) after
	// the build, as it does with the open-data files.
	Data string
	// History is where the history is written.
	History string
	// PrevSums and Sums are the content sums (tree.Sums) the exports wrote of PrevContent and Content; ""
	// when there are none. With both, an entry page whose SHA-256 is the same in both is unchanged without
	// reading either page (DiffSums); sums that are missing or damaged only mean that every page is read.
	PrevSums, Sums string
}

// Stage does everything this package does for a release, before its site is built: it compares the
// staged export tree with the previous release's, writes the delta files into dirs.Data, the history into
// dirs.History and the /changes/ pages into dirs.Content/changes/. A publication passes paths inside its
// staging directory, so that one that fails later leaves no trace, and the history becomes the data
// directory's only when the release becomes current.
func Stage(ctx context.Context, dirs Dirs, meta Meta) (*Delta, *Index, error) {
	prevContent := dirs.PrevContent
	if prevContent != "" {
		if _, err := os.Stat(filepath.Join(prevContent, "_index.md")); err != nil {
			prevContent = "" // a release without its export tree: compare with nothing
		}
	}
	var prevSums, newSums *tree.Sums
	if prevContent != "" && dirs.PrevSums != "" && dirs.Sums != "" {
		// Either unusable: compare by reading the pages, which is always right.
		if p, err := tree.ReadSums(dirs.PrevSums); err == nil {
			if n, err := tree.ReadSums(dirs.Sums); err == nil {
				prevSums, newSums = p, n
			}
		}
	}
	d, err := DiffSums(ctx, prevContent, dirs.Content, prevSums, newSums)
	if err != nil {
		return nil, nil, err
	}
	if d.Initial {
		// The first publication's page summarises it by list and department instead of listing every entry.
		if d.Departments, err = CountDepartments(ctx, dirs.Content, d.Added); err != nil {
			return nil, nil, err
		}
	}
	idx, err := WriteFiles(ctx, dirs.PrevData, dirs.Data, meta, d)
	if err != nil {
		return nil, nil, err
	}
	if err := Record(ctx, dirs.PrevHistory, dirs.History, meta, d); err != nil {
		return nil, nil, err
	}
	if err := WritePages(dirs.Content, dirs.Data, idx); err != nil {
		return nil, nil, err
	}
	return d, idx, nil
}

// CountDepartments counts the entries items of the export tree contentDir by the department their pages
// name (department.code and .name), ordered by count, most first, then by code. It reads every item's
// page, on every CPU: Stage does it once, for the first release recorded.
func CountDepartments(ctx context.Context, contentDir string, items []Item) ([]DepartmentCount, error) {
	depts := make([]DepartmentCount, len(items))
	errs := make([]error, len(items))
	parallel(len(items), func(i int) {
		if ctx.Err() != nil {
			return
		}
		path := filepath.Join(contentDir, items[i].List, items[i].ID+".md")
		page, err := os.ReadFile(path)
		if err != nil {
			errs[i] = err
			return
		}
		fm, err := generator.ReadKeys(page, "department")
		if err != nil {
			errs[i] = fmt.Errorf("%s: %w", path, err)
			return
		}
		d := fm.Mapping("department")
		depts[i] = DepartmentCount{Code: d.String("code"), Name: d.String("name")}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	at := map[string]int{} // a code's place in out
	var out []DepartmentCount
	for i, d := range depts {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if d.Code == "" {
			continue // a page without a department: counted by list only
		}
		if j, ok := at[d.Code]; ok {
			out[j].Count++
			continue
		}
		d.Count = 1
		at[d.Code] = len(out)
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b DepartmentCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Code, b.Code)
	})
	return out, nil
}
