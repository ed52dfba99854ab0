package changes

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"xinyong"
	"xinyong/generator"
)

// PageDir is the section of the content tree that holds the pages: content/changes/_index.md is /changes/,
// content/changes/<release>.md is /changes/<release>/ (layouts changes/section.html, changes/page.html and
// the feed changes/section.rss.xml).
const PageDir = "changes"

// Limits of the pages: the delta files hold every entry, the pages at most PageItems of each list (red,
// black, cases) among the added, the changed and the removed, and /changes/ itself shows the lists of its
// Detailed newest releases.
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
	var latest []*Shown
	for i, v := range idx.Versions {
		f, err := ReadDelta(filepath.Join(dataDir, v.File), PageItems)
		if err != nil {
			return fmt.Errorf("changes: %w", err)
		}
		sh := describeFile(contentDir, f)
		if i < Detailed {
			latest = append(latest, sh)
		}
		page := releasePage(v, sh, i+1, known[v.Previous])
		if err := os.WriteFile(filepath.Join(dir, v.Release+".md"), page, 0o644); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "_index.md"), page(idx, latest), 0o644)
}

// Shown is a delta file as the pages show it: its added and changed items with what their pages in the
// export tree being published show (Describe), its removed ones by list and id.
type Shown struct {
	*DeltaFile
	Added, Changed []ShownItem
}

// ShownItem is an added or changed item of a delta file as the pages show it. Public says whether the
// entry's page is public in the export tree being published; then Name (the page's title: the subject's
// name as its page publishes it, masked for a person as there, or a case's title), ListName and
// Department (the deciding department's full name) are that page's. An item no longer public has only
// its list and id: nothing of a page that is gone, and nothing from an older release.
type ShownItem struct {
	List, ID                   string
	Public                     bool
	Name, ListName, Department string
}

// Describe returns the delta file f as the pages show it, reading the page of each of its added and
// changed items in the export tree contentDir.
func Describe(contentDir string, f *DeltaFile) *Shown { return describeFile(contentDir, f) }

func describeFile(contentDir string, f *DeltaFile) *Shown {
	// A delta file not read by ReadDelta has no counts by list: those of the items it holds.
	if f.AddedBy == nil {
		for _, x := range f.Added {
			f.AddedBy = count(f.AddedBy, x.List, x.ListName)
		}
	}
	if f.RemovedBy == nil {
		for _, x := range f.Removed {
			f.RemovedBy = count(f.RemovedBy, x.List, "")
		}
	}
	return &Shown{DeltaFile: f, Added: describe(contentDir, f.Added), Changed: describe(contentDir, f.Changed)}
}

func describe(contentDir string, items []FileItem) []ShownItem {
	out := make([]ShownItem, len(items))
	parallel(len(items), func(i int) {
		x := items[i]
		out[i] = ShownItem{List: x.List, ID: x.ID}
		if fm, ok := publicPage(contentDir, x.List, x.ID); ok {
			out[i].Public = true
			out[i].Name = fm.String("title")
			out[i].ListName = fm.String("list_name")
			out[i].Department = fm.Mapping("department").String("name")
		}
	})
	return out
}

// Page returns /changes/: every release of idx with its counts and files, and the lists (at most PageItems
// each) of the releases in latest, which are the newest ones, newest first, as read from the export tree
// contentDir (Describe).
func Page(contentDir string, idx *Index, latest []*DeltaFile) []byte {
	shown := make([]*Shown, len(latest))
	for i, f := range latest {
		shown[i] = describeFile(contentDir, f)
	}
	return page(idx, shown)
}

func page(idx *Index, latest []*Shown) []byte {
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
		if f.Initial {
			d.Add("initial", true)
		}
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
// PageItems each), as read from the export tree contentDir (Describe). position is the release's place in
// the index, 1 for the newest: the page's weight, which orders the section and its feed. (The page has no
// date: Hugo leaves out pages dated in the future, and a release must not vanish from its own feed because
// of a clock; the feed takes its dates from built_at.) prevKnown says whether the previous release has a
// page to link to.
func ReleasePage(contentDir string, v VersionInfo, f *DeltaFile, position int, prevKnown bool) []byte {
	return releasePage(v, describeFile(contentDir, f), position, prevKnown)
}

func releasePage(v VersionInfo, f *Shown, position int, prevKnown bool) []byte {
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

// pageLists are the lists in the order the pages show them: 红榜, 黑榜, cases.
var pageLists = []string{"red", "black", "cases"}

// addLists adds the lists of a delta file. The first release recorded is summarised (summary_lists: its
// entries by list and list name; summary_departments: by department), never listed. Any other has
// added_groups and changed_groups (the items grouped by list and list name, each public one with its
// name, department and page; those no longer public in a group of their list marked gone, by id only),
// removed_lists (the removed entries by list) and removed_items (list and id only: the page is gone, and
// nothing may name the subject), and more_* flags when a list is longer than what the page shows.
func addLists(fm *generator.Fields, f *Shown) {
	if f.Initial {
		lists := slices.Clone(f.AddedBy)
		sortGroups(lists)
		sl := make([]generator.Fields, 0, len(lists))
		for _, g := range lists {
			var it generator.Fields
			it.Add("list", g.List)
			if g.ListName != "" {
				it.Add("list_name", g.ListName)
			}
			it.Add("count", g.Count)
			sl = append(sl, it)
		}
		fm.Add("summary_lists", sl)
		sd := make([]generator.Fields, 0, len(f.Departments))
		for _, d := range f.Departments {
			var it generator.Fields
			it.Add("code", d.Code)
			it.Add("name", d.Name)
			it.Add("count", d.Count)
			sd = append(sd, it)
		}
		fm.Add("summary_departments", sd)
		return
	}
	fm.Add("added_groups", groupFields(f.Added))
	fm.Add("changed_groups", groupFields(f.Changed))
	byList := make([]generator.Fields, 0, len(pageLists))
	for _, list := range pageLists {
		n := 0
		for _, g := range f.RemovedBy {
			if g.List == list {
				n += g.Count
			}
		}
		if n > 0 {
			var it generator.Fields
			it.Add("list", list)
			it.Add("count", n)
			byList = append(byList, it)
		}
	}
	fm.Add("removed_lists", byList)
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

// sortGroups orders counts by pageLists, then by list name.
func sortGroups(g []GroupCount) {
	slices.SortStableFunc(g, func(a, b GroupCount) int {
		if c := cmp.Compare(listOrder(a.List), listOrder(b.List)); c != 0 {
			return c
		}
		return strings.Compare(a.ListName, b.ListName)
	})
}

// listOrder is a list's place in pageLists; an unknown list comes last.
func listOrder(list string) int {
	if i := slices.Index(pageLists, list); i >= 0 {
		return i
	}
	return len(pageLists)
}

// groupFields groups items by list (pageLists order) and list name (byte order), ids in the delta file's
// order within a group; the items of a list no longer public come after its groups, in one group marked
// gone. A public item has its id, page, name and department; a gone one its id only.
func groupFields(items []ShownItem) []generator.Fields {
	type key struct {
		order    int
		gone     bool
		listName string
	}
	keyOf := func(x ShownItem) key { return key{listOrder(x.List), !x.Public, x.ListName} }
	sorted := slices.Clone(items)
	slices.SortStableFunc(sorted, func(a, b ShownItem) int {
		ka, kb := keyOf(a), keyOf(b)
		if c := cmp.Compare(ka.order, kb.order); c != 0 {
			return c
		}
		if ka.gone != kb.gone {
			if ka.gone {
				return 1
			}
			return -1
		}
		return strings.Compare(ka.listName, kb.listName)
	})
	var out []generator.Fields
	for start := 0; start < len(sorted); {
		end := start + 1
		for end < len(sorted) && sorted[end].List == sorted[start].List && keyOf(sorted[end]) == keyOf(sorted[start]) {
			end++
		}
		first := sorted[start]
		var g generator.Fields
		g.Add("list", first.List)
		if first.Public {
			if first.ListName != "" {
				g.Add("list_name", first.ListName)
			}
		} else {
			g.Add("gone", true)
		}
		g.Add("count", end-start)
		its := make([]generator.Fields, 0, end-start)
		for _, x := range sorted[start:end] {
			var it generator.Fields
			it.Add("id", x.ID)
			if x.Public {
				it.Add("url", Ref{List: x.List, ID: x.ID}.Path())
				it.Add("name", x.Name)
				if x.Department != "" {
					it.Add("department", x.Department)
				}
			}
			its = append(its, it)
		}
		g.Add("items", its)
		out = append(out, g)
		start = end
	}
	if out == nil {
		out = []generator.Fields{}
	}
	return out
}

// publicPage reads the front matter of the page list/id of the export tree contentDir, if it has the page
// and it is not a withdrawal notice. An id or list that would leave the section (they come from a delta
// file, which is not trusted as a path) and a page that cannot be read are not public.
func publicPage(contentDir, list, id string) (generator.Fields, bool) {
	if strings.ContainsAny(list+id, `/\`) || strings.HasPrefix(id, ".") || strings.HasPrefix(list, ".") {
		return nil, false
	}
	page, err := os.ReadFile(filepath.Join(contentDir, list, id+".md"))
	if err != nil {
		return nil, false
	}
	fm, err := generator.ReadKeys(page, "title", "withdrawn", "list_name", "department")
	if err != nil || fm.Bool("withdrawn") {
		return nil, false
	}
	return fm, true
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
