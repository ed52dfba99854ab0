package generator

import (
	"cmp"
	"maps"
	"slices"

	"xinyong"
)

// tally counts what the export publishes, for the department, district, measures, statistics and
// data-quality pages. Its maps grow with the number of departments, districts, list names and months, not
// with the number of rows; list names and measures, which are free text, are capped.
type tally struct {
	byDept     map[string]map[string]int // department code → list → entries
	byDistrict map[string]map[string]int // district code → list → entries
	byMonth    map[string]map[string]int // YYYY-MM of valid_from → list → entries whose publication began then (published)
	casesDept  map[string]int
	lists      map[listKey]*listTally
	overflow   bool // more list names than maxListNames: the measures page is incomplete
}

type listKey struct{ list, name string }

type listTally struct {
	n         int
	procedure string
	depts     map[string]bool
	measures  map[string]bool
	// absorbed holds the measures texts whose lines were already added to measures: adding them again
	// adds nothing (a line is in the set already, or the set is full and stays so), so they are skipped.
	absorbed map[string]bool
}

const (
	maxListNames = 500
	maxMeasures  = 60 // per list name
)

func newTally() *tally {
	return &tally{byDept: map[string]map[string]int{}, byDistrict: map[string]map[string]int{},
		byMonth: map[string]map[string]int{}, casesDept: map[string]int{}, lists: map[listKey]*listTally{}}
}

func inc(m map[string]map[string]int, key, list string) {
	if m[key] == nil {
		m[key] = map[string]int{}
	}
	m[key][list]++
}

// published counts an entry whose publication began in month (YYYY-MM of its valid_from), whether or not
// it is public today: the months' counts are of what was published in each month, not of what is left of
// it (an old month's entries have mostly ended since, and counting only today's would show a rise that
// never happened).
func (t *tally) published(list, month string) {
	inc(t.byMonth, month, list)
}

// validFrom is the entry's valid_from as text; measuresText the cleaned measures, which measures lists.
func (t *tally) entry(list, listName, procedure, dept, district, validFrom, measuresText string, measures []string) {
	inc(t.byDept, dept, list)
	if _, ok := xinyong.DistrictName(district); ok {
		inc(t.byDistrict, district, list)
	}
	k := listKey{list, listName}
	lt := t.lists[k]
	if lt == nil {
		if len(t.lists) >= maxListNames {
			t.overflow = true
			return
		}
		lt = &listTally{procedure: procedure, depts: map[string]bool{}, measures: map[string]bool{}}
		t.lists[k] = lt
	}
	lt.n++
	lt.depts[dept] = true
	if lt.absorbed[measuresText] {
		return
	}
	for _, m := range measures {
		if len(lt.measures) < maxMeasures {
			lt.measures[m] = true
		}
	}
	if len(lt.absorbed) < maxAbsorbed {
		if lt.absorbed == nil {
			lt.absorbed = map[string]bool{}
		}
		lt.absorbed[measuresText] = true
	}
}

// maxAbsorbed bounds listTally.absorbed; texts beyond it are only added again, as before.
const maxAbsorbed = 1024

// pages writes the department, district, measures and statistics pages.
func (t *tally) pages(e *export) error {
	var fm Fields
	fm.Add("title", xinyong.MsgSectionDepartments)
	if err := e.write("departments/_index.md", Document(fm, "")); err != nil {
		return err
	}
	var deptRows []Fields
	type deptOrder struct {
		total, cases int
		name, code   string
	}
	var order []deptOrder // deptRows' sort keys, in the same order
	for _, code := range slices.Sorted(maps.Keys(e.depts)) {
		d := e.depts[code]
		var f Fields
		f.Add("title", d.Name)
		f.Add("code", d.Code)
		f.Add("credit_code", d.CreditCode)
		f.Add("phone", d.Phone)
		f.Add("address", d.Address) // optional columns: absent from the front matter when empty
		f.Add("hours", d.Hours)
		f.Add("red_count", t.byDept[code][xinyong.ListRed])
		f.Add("black_count", t.byDept[code][xinyong.ListBlack])
		f.Add("case_count", t.casesDept[code])
		if err := e.write("departments/"+code+"/_index.md", Document(f, "")); err != nil {
			return err
		}
		deptRows = append(deptRows, f)
		order = append(order, deptOrder{t.byDept[code][xinyong.ListRed] + t.byDept[code][xinyong.ListBlack], t.casesDept[code], d.Name, code})
	}
	// The statistics' table of departments: the most entries first (then the most cases), ties by name; not
	// by the departments' codes, which mean nothing to a reader.
	idx := make([]int, len(deptRows))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		x, y := order[a], order[b]
		return cmp.Or(cmp.Compare(y.total, x.total), cmp.Compare(y.cases, x.cases), cmp.Compare(x.name, y.name), cmp.Compare(x.code, y.code))
	})
	sorted := make([]Fields, len(deptRows))
	for i, j := range idx {
		sorted[i] = deptRows[j]
	}
	deptRows = sorted

	fm = nil
	fm.Add("title", xinyong.MsgSectionDistricts)
	if err := e.write("districts/_index.md", Document(fm, "")); err != nil {
		return err
	}
	var districtRows []Fields
	for _, code := range xinyong.DistrictCodes() {
		var f Fields
		name, _ := xinyong.DistrictName(code)
		f.Add("title", name)
		f.Add("code", code)
		f.Add("red_count", t.byDistrict[code][xinyong.ListRed])
		f.Add("black_count", t.byDistrict[code][xinyong.ListBlack])
		if err := e.write("districts/"+code+"/_index.md", Document(f, "")); err != nil {
			return err
		}
		districtRows = append(districtRows, f)
	}

	fm = nil
	fm.Add("title", xinyong.MsgSectionListNames)
	if err := e.write("list_names/_index.md", Document(fm, "")); err != nil {
		return err
	}
	if err := t.listNamePages(e); err != nil {
		return err
	}

	keys := slices.SortedFunc(maps.Keys(t.lists), func(a, b listKey) int {
		return cmp.Or(-cmp.Compare(a.list, b.list), cmp.Compare(a.name, b.name)) // red first
	})
	var lists []Fields
	for _, k := range keys {
		lt := t.lists[k]
		var names []string
		for _, code := range slices.Sorted(maps.Keys(lt.depts)) {
			names = append(names, e.depts[code].Name)
		}
		var f Fields
		f.Add("list", k.list)
		f.Add("list_name", k.name)
		f.Add("procedure", lt.procedure)
		f.Add("count", lt.n)
		f.Add("departments", names)
		f.Add("measures", slices.Sorted(maps.Keys(lt.measures)))
		lists = append(lists, f)
	}
	fm = nil
	fm.Add("title", xinyong.MsgSectionMeasures)
	fm.Add("lists", lists)
	if t.overflow {
		fm.Add("incomplete", true)
	}
	if err := e.write("measures/_index.md", Document(fm, "")); err != nil {
		return err
	}

	var months []Fields
	current := e.AsOf.String()[:7]
	for _, m := range slices.Sorted(maps.Keys(t.byMonth)) {
		var f Fields
		f.Add("month", m)
		f.Add("red", t.byMonth[m][xinyong.ListRed])
		f.Add("black", t.byMonth[m][xinyong.ListBlack])
		if m == current {
			f.Add("partial_until", e.AsOf.String()) // the month of the as-of date is not over
		}
		months = append(months, f)
	}
	// The list names by list (red first), the most entries first, ties by name.
	byCount := slices.Clone(keys)
	slices.SortStableFunc(byCount, func(a, b listKey) int {
		return cmp.Or(-cmp.Compare(a.list, b.list), cmp.Compare(t.lists[b].n, t.lists[a].n), cmp.Compare(a.name, b.name))
	})
	var byList []Fields
	for _, k := range byCount {
		var f Fields
		f.Add("list", k.list)
		f.Add("list_name", k.name)
		f.Add("count", t.lists[k].n)
		byList = append(byList, f)
	}
	fm = nil
	fm.Add("title", xinyong.MsgSectionStats)
	fm.Add("red_count", e.res.Red)
	fm.Add("black_count", e.res.Black)
	fm.Add("case_count", e.res.Cases)
	fm.Add("by_list_name", byList)
	fm.Add("by_department", deptRows)
	fm.Add("by_district", districtRows)
	fm.Add("by_month", months)
	return e.write("stats/_index.md", Document(fm, ""))
}

// qualityPage writes the public summary of the data-quality report: counts only, no row ids.
func qualityPage(e *export, s ReportSummary) error {
	var kinds []Fields
	for _, k := range slices.Sorted(maps.Keys(s.ByKind)) {
		var f Fields
		f.Add("kind", k)
		label, _ := xinyong.ReportLabel(k)
		f.Add("label", label)
		f.Add("level", Level(k))
		f.Add("count", s.ByKind[k])
		kinds = append(kinds, f)
	}
	var fm Fields
	fm.Add("title", xinyong.MsgSectionQuality)
	fm.Add("rejected", s.Rejected)
	fm.Add("hidden", s.Hidden)
	fm.Add("warnings", s.Warnings)
	fm.Add("by_kind", kinds)
	return e.write("quality/_index.md", Document(fm, ""))
}
