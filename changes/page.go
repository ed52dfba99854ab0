package changes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"xinyong"
	"xinyong/generator"
)

// PageDir is the section of the content tree that holds the pages: content/changes/_index.md is /changes/,
// content/changes/<release>.md is /changes/<release>/ (layouts changes/section.html, changes/page.html and
// the feed changes/section.rss.xml).
const PageDir = "changes"

// Limits of the pages: the delta files hold every entry, the pages at most PageItems of each list, and
// /changes/ itself shows the lists of its Detailed newest releases.
const (
	PageItems = 200
	Detailed  = 3
)

// WritePages writes the /changes/ section into the export tree contentDir: the section page and one page
// per release of idx, whose lists come from the delta files in dataDir (WriteFiles' outDir). Every value
// goes through the export's front matter emitter; the theme prints only front matter values.
//
// An entry that an older release added or changed but that is no longer public in contentDir is shown as
// a removed one is, by list and id only: no list name, no link to a page that is gone. (The delta files
// themselves never change once published.)
func WritePages(contentDir, dataDir string, idx *Index) error {
	dir := filepath.Join(contentDir, PageDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	known := make(map[string]bool, len(idx.Versions))
	for _, v := range idx.Versions {
		known[v.Release] = true
	}
	var latest []*DeltaFile
	for i, v := range idx.Versions {
		f, err := ReadDelta(filepath.Join(dataDir, v.File), PageItems)
		if err != nil {
			return fmt.Errorf("changes: %w", err)
		}
		f.Added = stillPublic(contentDir, f.Added)
		f.Changed = stillPublic(contentDir, f.Changed)
		if i < Detailed {
			latest = append(latest, f)
		}
		page := ReleasePage(v, f, i+1, known[v.Previous])
		if err := os.WriteFile(filepath.Join(dir, v.Release+".md"), page, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "_index.md"), Page(idx, latest), 0o644)
}

// Page returns /changes/: every release of idx with its counts and files, and the lists (at most PageItems
// each) of the releases in latest, which are the newest ones, newest first.
func Page(idx *Index, latest []*DeltaFile) []byte {
	var fm generator.Fields
	fm.Add("title", xinyong.MsgChangesTitle)
	fm.Add("description", xinyong.MsgChangesDescription)
	fm.Add("release", idx.Release)
	fm.Add("data_path", "/"+SiteDataDir+"/")
	fm.Add("index_file", IndexFile)
	fm.Add("sums_file", SumsFile)
	fm.Add("page_items", PageItems)
	versions := make([]generator.Fields, 0, len(idx.Versions))
	for _, v := range idx.Versions {
		versions = append(versions, versionFields(v))
	}
	fm.Add("versions", versions)
	details := make([]generator.Fields, 0, len(latest))
	for _, f := range latest {
		var d generator.Fields
		d.Add("release", f.Release)
		d.Add("url", releasePath(f.Release))
		d.Add("title", releaseTitle(f.AsOf, f.Release))
		d.Add("added", f.Counts.Added)
		d.Add("changed", f.Counts.Changed)
		d.Add("removed", f.Counts.Removed)
		addLists(&d, f)
		details = append(details, d)
	}
	fm.Add("latest", details)
	return generator.Document(fm, "")
}

// ReleasePage returns /changes/<release>/: the release, its counts and file, and its lists (at most
// PageItems each). position is the release's place in the index, 1 for the newest: the page's weight, which
// orders the section and its feed. (The page has no date: Hugo leaves out pages dated in the future, and a
// release must not vanish from its own feed because of a clock; the feed takes its dates from built_at.)
// prevKnown says whether the previous release has a page to link to.
func ReleasePage(v VersionInfo, f *DeltaFile, position int, prevKnown bool) []byte {
	var fm generator.Fields
	fm.Add("title", releaseTitle(v.AsOf, v.Release))
	fm.Add("description", countsText(v.Counts))
	fm.Add("weight", max(position, 1))
	fm.Add("data_path", "/"+SiteDataDir+"/")
	fm.Add("page_items", PageItems)
	for _, kv := range versionFields(v) {
		fm.Add(kv.Key, kv.Value)
	}
	if prevKnown {
		fm.Add("previous_url", releasePath(v.Previous))
	}
	addLists(&fm, f)
	return generator.Document(fm, "")
}

// versionFields are the fields of one release in the front matter.
func versionFields(v VersionInfo) generator.Fields {
	var fm generator.Fields
	fm.Add("release", v.Release)
	fm.Add("url", releasePath(v.Release))
	fm.Add("previous", v.Previous)
	fm.Add("as_of", v.AsOf)
	fm.Add("built_at", shanghai(v.BuiltAt))
	if v.Initial {
		fm.Add("initial", true)
	}
	fm.Add("added", v.Counts.Added)
	fm.Add("changed", v.Counts.Changed)
	fm.Add("removed", v.Counts.Removed)
	fm.Add("unchanged", v.Counts.Unchanged)
	fm.Add("counts_text", countsText(v.Counts))
	fm.Add("file", v.File)
	fm.Add("size", int(v.Size))
	fm.Add("size_text", humanSize(v.Size))
	fm.Add("sha256", v.SHA256)
	return fm
}

// addLists adds the lists of a delta file: added_items and changed_items (list, id, list name, page path),
// removed_items (list and id only: the page is gone, and nothing may name the subject), and more_* flags
// when a list is longer than what the page shows.
func addLists(fm *generator.Fields, f *DeltaFile) {
	fm.Add("added_items", itemFields(f.Added))
	fm.Add("changed_items", itemFields(f.Changed))
	removed := make([]generator.Fields, 0, len(f.Removed))
	for _, r := range f.Removed {
		var it generator.Fields
		it.Add("list", r.List)
		it.Add("id", r.ID)
		removed = append(removed, it)
	}
	fm.Add("removed_items", removed)
	if f.Counts.Added > len(f.Added) {
		fm.Add("more_added", true)
	}
	if f.Counts.Changed > len(f.Changed) {
		fm.Add("more_changed", true)
	}
	if f.Counts.Removed > len(f.Removed) {
		fm.Add("more_removed", true)
	}
}

func itemFields(items []FileItem) []generator.Fields {
	out := make([]generator.Fields, 0, len(items))
	for _, x := range items {
		var it generator.Fields
		it.Add("list", x.List)
		it.Add("id", x.ID)
		if x.URL != "" {
			it.Add("list_name", x.ListName)
			it.Add("url", Ref{List: x.List, ID: x.ID}.Path())
		}
		out = append(out, it)
	}
	return out
}

// stillPublic returns items with the list name and URL cleared of those whose page is no longer public in
// the export tree contentDir (gone, or a withdrawal notice).
func stillPublic(contentDir string, items []FileItem) []FileItem {
	for i, x := range items {
		if !isPublic(contentDir, x.List, x.ID) {
			items[i] = FileItem{List: x.List, ID: x.ID}
		}
	}
	return items
}

// isPublic reports whether the export tree contentDir has the page list/id and it is not a withdrawal
// notice. An id or list that would leave the section (they come from a delta file, which is not trusted as
// a path) and a page that cannot be read are not public.
func isPublic(contentDir, list, id string) bool {
	if strings.ContainsAny(list+id, `/\`) || strings.HasPrefix(id, ".") {
		return false
	}
	page, err := os.ReadFile(filepath.Join(contentDir, list, id+".md"))
	if err != nil {
		return false
	}
	withdrawn, _, err := pageFacts(page)
	return err == nil && !withdrawn
}

// releasePath is a release's page: /changes/<release>/.
func releasePath(release string) string { return "/" + PageDir + "/" + release + "/" }

// releaseTitle is a release's title: its as-of date and id.
func releaseTitle(asOf, release string) string {
	day := asOf
	if d, err := xinyong.ParseDate(asOf); err == nil {
		day = d.Chinese()
	}
	return fmt.Sprintf(xinyong.MsgChangesReleaseTitle, day, release)
}

// countsText says what a release changed, for people.
func countsText(c Counts) string {
	return fmt.Sprintf(xinyong.MsgChangesCounts, c.Added, c.Changed, c.Removed)
}

// shanghai writes a time in RFC 3339 in Asia/Shanghai, as the export writes times; "" for the zero time.
func shanghai(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(xinyong.Shanghai).Format(time.RFC3339)
}

// humanSize writes a size in bytes for people: 512 B, 12.3 KB, 4.5 MB (units of 1,024 bytes).
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n)/unit, 0
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %s", v, [...]string{"KB", "MB", "GB", "TB"}[i])
}
