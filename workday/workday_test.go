package workday_test

import (
	"slices"
	"testing"
	"testing/fstest"

	"xinyong"
	"xinyong/workday"
)

func mustDate(t *testing.T, s string) xinyong.Date {
	t.Helper()
	d, err := xinyong.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The 2026 days of the State Council's notice of 2025-11-04 (国办发明电〔2025〕7号), as the issue lists them.
func TestDefault_2026MatchesNotice(t *testing.T) {
	c := workday.Default()
	y, ok := c.Year(2026)
	if !ok {
		t.Fatal("2026 not covered")
	}
	var work []string
	for _, d := range y.Work {
		work = append(work, d.String())
	}
	slices.Sort(work)
	want := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}
	if !slices.Equal(work, want) {
		t.Errorf("make-up working days = %v, want %v", work, want)
	}
	off := map[string]bool{}
	for _, d := range y.Off {
		off[d.String()] = true
	}
	ranges := [][2]string{{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
		{"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"}, {"2026-10-01", "2026-10-07"}}
	n := 0
	for _, r := range ranges {
		for d := mustDate(t, r[0]); !d.After(mustDate(t, r[1])); d = d.AddDays(1) {
			n++
			if !off[d.String()] {
				t.Errorf("%s is not a day off", d)
			}
		}
	}
	if len(off) != n {
		t.Errorf("%d days off, want %d", len(off), n)
	}
	if y.Notice == "" || len(y.Papers) == 0 {
		t.Errorf("2026 notice = %q, papers %v; want both", y.Notice, y.Papers)
	}
}

func TestCalendar_Covered(t *testing.T) {
	c := workday.Default()
	for y := 2007; y <= 2026; y++ {
		if !c.Covered(y) {
			t.Errorf("Covered(%d) = false, want true", y)
		}
	}
	for _, y := range []int{2006, 2027} {
		if c.Covered(y) {
			t.Errorf("Covered(%d) = true, want false", y)
		}
	}
	if got := c.Missing(mustDate(t, "2026-12-28"), mustDate(t, "2027-01-08")); !slices.Equal(got, []int{2027}) {
		t.Errorf("Missing(2026-12-28, 2027-01-08) = %v, want [2027]", got)
	}
	if got := c.Missing(mustDate(t, "2024-01-01"), mustDate(t, "2026-12-31")); got != nil {
		t.Errorf("Missing(2024…2026) = %v, want nil", got)
	}
}

func TestCalendar_IsWorkday(t *testing.T) {
	c := workday.Default()
	tests := []struct {
		date string
		want bool
	}{
		{"2026-01-01", false}, // 元旦, Thursday
		{"2026-01-04", true},  // Sunday, make-up working day
		{"2026-02-14", true},  // Saturday, make-up
		{"2026-02-16", false}, // 春节, Monday
		{"2026-02-28", true},  // Saturday, make-up
		{"2026-03-07", false}, // ordinary Saturday
		{"2026-03-09", true},  // ordinary Monday
		{"2026-04-06", false}, // 清明, Monday
		{"2026-05-09", true},  // Saturday, make-up
		{"2026-06-19", false}, // 端午, Friday
		{"2026-09-20", true},  // Sunday, make-up
		{"2026-10-07", false}, // 国庆, Wednesday
		{"2026-10-10", true},  // Saturday, make-up
		{"2025-10-11", true},  // 2025's notice: Saturday, make-up
		{"2024-02-04", true},  // 2024's notice: Sunday, make-up
		{"2027-01-01", true},  // not covered: a Friday counts as a working day
	}
	for _, tt := range tests {
		if got := c.IsWorkday(mustDate(t, tt.date)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

// Seven working days after a decision, the day after it counting first, across each 2026 holiday and
// make-up day.
func TestCalendar_AddWorkdays(t *testing.T) {
	c := workday.Default()
	tests := []struct {
		name, decided, want string
	}{
		{"new year from december", "2025-12-31", "2026-01-12"}, // 1-1…1-3 off, Sunday 1-4 works
		{"plain weekend", "2026-03-13", "2026-03-24"},
		{"spring festival", "2026-02-10", "2026-02-26"}, // Saturday 2-14 works, 2-15…2-23 off
		{"saturday 2-28", "2026-02-24", "2026-03-04"},
		{"qingming", "2026-04-01", "2026-04-13"},
		{"labour day", "2026-04-29", "2026-05-12"}, // 5-1…5-5 off, Saturday 5-9 works
		{"dragon boat", "2026-06-17", "2026-06-29"},
		{"mid-autumn", "2026-09-18", "2026-09-29"},   // Sunday 9-20 works, 9-25…9-27 off
		{"national day", "2026-09-29", "2026-10-14"}, // 10-1…10-7 off, Saturday 10-10 works
		{"decided on a holiday", "2026-10-03", "2026-10-15"},
		{"uncovered year, weekdays", "2027-03-01", "2027-03-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkdays(mustDate(t, tt.decided), 7)
			if got.String() != tt.want {
				t.Errorf("AddWorkdays(%s, 7) = %s, want %s", tt.decided, got, tt.want)
			}
			if n := c.Between(mustDate(t, tt.decided), got); n != 7 {
				t.Errorf("Between(%s, %s) = %d, want 7", tt.decided, got, n)
			}
		})
	}
}

func TestCalendar_Between(t *testing.T) {
	c := workday.Default()
	tests := []struct {
		a, b string
		want int
	}{
		{"2026-09-30", "2026-10-08", 1}, // the national holiday
		{"2026-10-08", "2026-09-30", 0}, // b before a
		{"2026-01-12", "2026-01-12", 0},
		{"2026-02-13", "2026-02-24", 2}, // Saturday 2-14 and Tuesday 2-24
	}
	for _, tt := range tests {
		if got := c.Between(mustDate(t, tt.a), mustDate(t, tt.b)); got != tt.want {
			t.Errorf("Between(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"d/2030.json":    {Data: []byte(`{"year":2030,"papers":["https://example.invalid/n"],"days":[{"name":"x","date":"2030-01-01","isOffDay":true}]}`)},
		"d/2031.json":    {Data: []byte(`{"year":2031,"papers":[],"days":[]}`)}, // placeholder: not covered
		"d/notices.json": {Data: []byte(`{"2030":"某通知"}`)},
	}
	c, err := workday.Load(fsys, "d")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Years(); !slices.Equal(got, []int{2030}) {
		t.Errorf("Years() = %v, want [2030]", got)
	}
	if y, _ := c.Year(2030); y.Notice != "某通知" {
		t.Errorf("notice = %q", y.Notice)
	}
	bad := fstest.MapFS{"d/2030.json": {Data: []byte(`{"year":2029,"days":[]}`)}}
	if _, err := workday.Load(bad, "d"); err == nil {
		t.Error("Load accepted a file whose year does not match its name")
	}
}
