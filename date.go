package xinyong

import (
	"fmt"
	"time"
)

// Shanghai is the time zone in which every date of the site is reckoned.
var Shanghai = mustLoadLocation("Asia/Shanghai")

func mustLoadLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// Asia/Shanghai has been UTC+8 without DST since 1991; a fixed zone is exact for every date we publish.
		return time.FixedZone("CST", 8*60*60)
	}
	return loc
}

// Date is a calendar date without a time of day. The zero Date means "no date".
type Date struct {
	t time.Time // midnight UTC of the date; UTC keeps day arithmetic free of zone effects
}

// NewDate returns the date y-m-d, normalising out-of-range values as time.Date does.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// DateOf returns the calendar date of t in Asia/Shanghai.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Shanghai).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String formats d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Chinese formats d as 2026年1月15日, for reading.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.t.Year(), d.t.Month(), d.t.Day())
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.t.Compare(e.t) }

// AddDays returns the date n days after d.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns the last day of a period of n months that starts on d, as the Civil Code counts it
// (民法典 第二百零一、二百零二条): the period begins the day after d and ends on the day of the final month
// that corresponds to d, or on that month's last day when it has no such day. So 2026-01-15 plus 3 months
// is 2026-04-15, and 2025-11-30 plus 3 months is 2026-02-28.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	if day > last {
		day = last
	}
	return NewDate(first.Year(), first.Month(), day)
}

// Time returns midnight of d in Asia/Shanghai.
func (d Date) Time() time.Time {
	y, m, day := d.t.Date()
	return time.Date(y, m, day, 0, 0, 0, 0, Shanghai)
}

// MinDate returns the earlier of two dates, treating the zero Date as "no limit".
func MinDate(a, b Date) Date {
	switch {
	case a.IsZero():
		return b
	case b.IsZero():
		return a
	case b.Before(a):
		return b
	}
	return a
}
