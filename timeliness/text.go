package timeliness

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"xinyong"
)

// Percent formats an on-time rate for people: "95.3%", or "无" when nothing is due.
func Percent(rate *float64) string {
	if rate == nil {
		return xinyong.MsgTimelinessNoRate
	}
	return strconv.FormatFloat(*rate*100, 'f', 1, 64) + "%"
}

// Years joins sorted years for a sentence, consecutive ones as a range: "2007 至 2026", "2022、2027".
func Years(ys []int) string {
	var s []string
	for i := 0; i < len(ys); {
		j := i
		for j+1 < len(ys) && ys[j+1] == ys[j]+1 {
			j++
		}
		switch {
		case j == i:
			s = append(s, strconv.Itoa(ys[i]))
		case j == i+1:
			s = append(s, strconv.Itoa(ys[i]), strconv.Itoa(ys[j]))
		default:
			s = append(s, strconv.Itoa(ys[i])+" 至 "+strconv.Itoa(ys[j]))
		}
		i = j + 1
	}
	return strings.Join(s, "、")
}

func counts(c Counts) string {
	return fmt.Sprintf(xinyong.MsgTimelinessCounts, c.Due, c.OnTime, c.Late, c.Overdue, c.Pending, Percent(c.OnTimeRate))
}

func deptName(code, name string) string {
	if name == "" {
		return code
	}
	return name
}

// WriteText writes the report for people, in Chinese.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format+"\n", args...) }
	if r.From == "" {
		p(xinyong.MsgTimelinessHeadTo, r.AsOf, r.To)
	} else {
		p(xinyong.MsgTimelinessHead, r.AsOf, r.From, r.To)
	}
	p(xinyong.MsgTimelinessRule, r.DeadlineDays, r.TakedownDays, Years(r.Calendar.Years))
	if len(r.Calendar.Uncovered) > 0 {
		p(xinyong.MsgTimelinessUncovered, Years(r.Calendar.Uncovered))
	}
	if r.History != "" {
		p(xinyong.MsgTimelinessHistory, r.History)
	} else {
		p(xinyong.MsgTimelinessNoHistory)
	}
	p("")
	p("%s%s", xinyong.MsgTimelinessTotal, counts(r.Totals))
	if r.Skipped > 0 {
		p(xinyong.MsgTimelinessSkipped, r.Skipped)
	}
	p("")
	p(xinyong.MsgTimelinessDepartments)
	for _, d := range r.Departments {
		line := fmt.Sprintf(xinyong.MsgTimelinessDept, deptName(d.Code, d.Name), d.Code) + counts(d.Counts)
		if r.History != "" {
			line += fmt.Sprintf(xinyong.MsgTimelinessDeptTakedowns, d.TakedownsChecked, d.TakedownsLate)
		}
		p("  %s", line)
	}
	p("")
	p(xinyong.MsgTimelinessLate, len(r.Late))
	for _, it := range r.Late {
		by := xinyong.MsgTimelinessByValidFrom
		if it.PublishedBy == ByHistory {
			by = xinyong.MsgTimelinessByHistory
		}
		p("  "+xinyong.MsgTimelinessLateItem, it.List+"/"+it.ID, deptName(it.Department, it.DepartmentName),
			it.DecidedOn, it.Deadline, it.PublishedOn, by, it.WorkingDaysLate)
	}
	none(p, len(r.Late))
	p("")
	p(xinyong.MsgTimelinessOverdue, len(r.Overdue))
	for _, it := range r.Overdue {
		p("  "+xinyong.MsgTimelinessOverdueItem, it.List+"/"+it.ID, deptName(it.Department, it.DepartmentName),
			it.DecidedOn, it.Deadline, it.WorkingDaysLate)
	}
	none(p, len(r.Overdue))
	if r.History != "" {
		p("")
		p(xinyong.MsgTimelinessTakedowns, len(r.TakedownsLate), r.TakedownDays)
		for _, t := range r.TakedownsLate {
			status := xinyong.MsgStatusRepaired
			if t.Status == xinyong.StatusRevoked {
				status = xinyong.MsgStatusRevoked
			}
			p("  "+xinyong.MsgTimelinessTakedownItem, t.List+"/"+t.ID, deptName(t.Department, t.DepartmentName),
				status, t.StatusChangedOn, t.Deadline, t.LastPublicOn, t.WorkingDaysLate)
		}
		none(p, len(r.TakedownsLate))
	}
	return bw.Flush()
}

func none(p func(string, ...any), n int) {
	if n == 0 {
		p("  %s", xinyong.MsgTimelinessNone)
	}
}
