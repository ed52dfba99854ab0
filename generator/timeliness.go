package generator

import (
	"fmt"

	"xinyong"
	"xinyong/timeliness"
)

// timelinessPage writes /timeliness/: each department's on-time rate of publication, overall and by month
// of decision. Counts only: no entry id, no subject. Published on is valid_from here, since the export does
// not read the release history (docs/timeliness.md).
func timelinessPage(e *export, r *timeliness.Report) error {
	var fm Fields
	fm.Add("title", xinyong.MsgSectionTimeliness)
	fm.Add("description", Description(xinyong.MsgTimelinessPageIntro))
	fm.Add("intro", xinyong.MsgTimelinessPageIntro)
	fm.Add("deadline_working_days", r.DeadlineDays)
	fm.Add("calendar_years", timeliness.Years(r.Calendar.Years))
	if len(r.Calendar.Uncovered) > 0 {
		fm.Add("calendar_warning", fmt.Sprintf(xinyong.MsgTimelinessUncoveredPage, timeliness.Years(r.Calendar.Uncovered)))
	}
	fm.Add("totals", countFields(r.Totals))
	var depts []Fields
	for _, d := range r.Departments {
		if d.Due == 0 && d.Pending == 0 {
			continue
		}
		f := countFields(d.Counts)
		f = append(Fields{{Key: "code", Value: d.Code}, {Key: "name", Value: d.Name}}, f...)
		var months []Fields
		for _, m := range d.Months {
			mf := countFields(m.Counts)
			months = append(months, append(Fields{{Key: "month", Value: m.Month}}, mf...))
		}
		f.Add("months", months)
		depts = append(depts, f)
	}
	fm.Add("departments", depts)
	return e.write("timeliness/_index.md", Document(fm, ""))
}

func countFields(c timeliness.Counts) Fields {
	var f Fields
	f.Add("due", c.Due)
	f.Add("on_time", c.OnTime)
	f.Add("late", c.Late)
	f.Add("overdue", c.Overdue)
	f.Add("rate", timeliness.Percent(c.OnTimeRate))
	return f
}
