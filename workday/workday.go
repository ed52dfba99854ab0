// Package workday counts working days in mainland China by the State Council's yearly holiday notices
// (days off and the make-up working days, 调休), as deadlines such as "within 7 working days" need.
package workday

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinyong"
)

// data holds the holiday-cn files (data/README.md says where they come from and how to add a year).
//
//go:embed data/*.json data/LICENSE
var data embed.FS

// Year is one year's notice: its days off and its make-up working days.
type Year struct {
	Year   int
	Notice string   // the notice's title and 文号, from notices.json; "" if not named there
	Papers []string // the notice's address on gov.cn, as the data set gives it
	Off    []xinyong.Date
	Work   []xinyong.Date // weekend days that are working days
}

// Calendar knows the working days of the years it has a notice for. Outside them it counts Monday to
// Friday, which is wrong around every holiday: callers warn (Covered, Missing) rather than trust it.
// A Calendar is immutable and safe for concurrent use.
type Calendar struct {
	years map[int]*Year
	off   map[xinyong.Date]bool
	work  map[xinyong.Date]bool
}

// defaultCalendar parses the embedded files once; they are part of the binary, so an error is a bug in a
// vendored file, caught by the package's tests.
var defaultCalendar = sync.OnceValues(func() (*Calendar, error) { return Load(data, "data") })

// Default returns the calendar of the embedded notices. It panics if an embedded file does not parse,
// which the package's tests rule out.
func Default() *Calendar {
	c, err := defaultCalendar()
	if err != nil {
		panic(err)
	}
	return c
}

// file is a holiday-cn YYYY.json file.
type file struct {
	Year   int      `json:"year"`
	Papers []string `json:"papers"`
	Days   []struct {
		Name     string `json:"name"`
		Date     string `json:"date"`
		IsOffDay bool   `json:"isOffDay"`
	} `json:"days"`
}

// Load reads a calendar from the holiday-cn files YYYY.json in dir of fsys, and the notice names of
// dir/notices.json if there is one. A file without days (the data set's placeholder for a year whose
// notice has not come out) does not cover its year.
func Load(fsys fs.FS, dir string) (*Calendar, error) {
	c := &Calendar{years: map[int]*Year{}, off: map[xinyong.Date]bool{}, work: map[xinyong.Date]bool{}}
	notices := map[string]string{}
	if b, err := fs.ReadFile(fsys, path.Join(dir, "notices.json")); err == nil {
		if err := json.Unmarshal(b, &notices); err != nil {
			return nil, fmt.Errorf("workday: notices.json: %w", err)
		}
	}
	names, err := fs.Glob(fsys, path.Join(dir, "[0-9][0-9][0-9][0-9].json"))
	if err != nil {
		return nil, fmt.Errorf("workday: %w", err)
	}
	for _, name := range names {
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("workday: %w", err)
		}
		var f file
		if err := json.Unmarshal(b, &f); err != nil {
			return nil, fmt.Errorf("workday: %s: %w", name, err)
		}
		want, _ := strconv.Atoi(strings.TrimSuffix(path.Base(name), ".json"))
		if f.Year != want {
			return nil, fmt.Errorf("workday: %s: year %d in a file named for %d", name, f.Year, want)
		}
		if len(f.Days) == 0 {
			continue
		}
		y := &Year{Year: f.Year, Papers: f.Papers, Notice: notices[strconv.Itoa(f.Year)]}
		for _, d := range f.Days {
			date, err := xinyong.ParseDate(d.Date)
			if err != nil {
				return nil, fmt.Errorf("workday: %s: %w", name, err)
			}
			// A notice may move a day of the next January (or the last December) too; it counts where it
			// falls, but only its own year is "covered" by this file.
			if d.IsOffDay {
				c.off[date] = true
				y.Off = append(y.Off, date)
			} else {
				c.work[date] = true
				y.Work = append(y.Work, date)
			}
		}
		c.years[f.Year] = y
	}
	return c, nil
}

// Years returns the years the calendar covers, in order.
func (c *Calendar) Years() []int {
	ys := make([]int, 0, len(c.years))
	for y := range c.years {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	return ys
}

// Year returns the notice of year y, and false when the calendar does not cover y.
func (c *Calendar) Year(y int) (*Year, bool) {
	yr, ok := c.years[y]
	return yr, ok
}

// Covered reports whether the calendar has the State Council's notice for year y.
func (c *Calendar) Covered(year int) bool {
	_, ok := c.years[year]
	return ok
}

// Missing returns the years from a's to b's (in either order) that the calendar does not cover, in order;
// nil when it covers them all.
func (c *Calendar) Missing(a, b xinyong.Date) []int {
	ya, yb := year(a), year(b)
	if yb < ya {
		ya, yb = yb, ya
	}
	var out []int
	for y := ya; y <= yb; y++ {
		if !c.Covered(y) {
			out = append(out, y)
		}
	}
	return out
}

func year(d xinyong.Date) int { return d.Time().Year() }

// IsWorkday reports whether d is a working day: a make-up working day of a notice, or a Monday to Friday
// that no notice gives off. In a year the calendar does not cover, that is Monday to Friday.
func (c *Calendar) IsWorkday(d xinyong.Date) bool {
	if c.work[d] {
		return true
	}
	if c.off[d] {
		return false
	}
	wd := d.Time().Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the n-th working day after d, counting from the day after d; d itself never counts.
// So a decision of Friday 2026-01-09 plus 7 working days is Tuesday 2026-01-20. n <= 0 returns d.
func (c *Calendar) AddWorkdays(d xinyong.Date, n int) xinyong.Date {
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Between returns the number of working days after a up to and including b; 0 when b is not after a.
func (c *Calendar) Between(a, b xinyong.Date) int {
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}
