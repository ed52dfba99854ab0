package server

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
	"os"
	"sync"
	"time"
	"xinyong/publish"

	"xinyong"
	"xinyong/scheduler"
)

// The status page shows the latest publication runs and rollbacks recorded in <data>/state.db:
// /status/ in the site's look (themes/xinyong/layouts/status.html, between these markers) and
// /api/status as JSON.
const (
	statusStart = "<!--xinyong:status-->"
	statusEnd   = "<!--/xinyong:status-->"
	// statusRuns is how many runs the page shows.
	statusRuns = 30
)

// runs reads the latest runs; nil without error when nothing was scheduled yet.
func (s *Server) runs() ([]scheduler.Run, error) {
	s.statusMu.Lock()
	defer s.statusMu.Unlock()
	path := publish.Layout{Root: s.data}.State()
	if s.status == nil {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		st, err := scheduler.OpenState(path)
		if err != nil {
			return nil, err
		}
		s.status = st
	}
	return s.status.Latest(statusRuns)
}

// statusState is the state database opened for the status page, with its lock.
type statusState struct {
	statusMu sync.Mutex
	status   *scheduler.State
}

func (s *Server) serveStatusAPI(w http.ResponseWriter, r *http.Request, st *state) {
	const ctype = "application/json; charset=utf-8"
	w.Header().Set("Cache-Control", cacheNone)
	runs, err := s.runs()
	if err != nil {
		s.log.Error("status", "error", err)
		writeBody(w, r, http.StatusInternalServerError, ctype, mustJSON(apiError{Error: xinyong.MsgServeInternal, Kind: "internal"}))
		return
	}
	public := make([]publicRun, 0, len(runs))
	for _, r := range runs {
		public = append(public, publicRunOf(r))
	}
	writeBody(w, r, http.StatusOK, ctype, mustJSON(struct {
		Release string      `json:"release"`
		Demo    bool        `json:"demo"` // the current release was made from demo data
		Runs    []publicRun `json:"runs"`
	}{st.id, st.demo, public}))
}

// publicRun is what /api/status shows of a run: no error text, which may name the database's host, port,
// user and name and file paths (the operator reads it with xinyong status), but its cause.
type publicRun struct {
	ID        int64     `json:"id"`
	Trigger   string    `json:"trigger"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Outcome   string    `json:"outcome"`
	Release   string    `json:"release,omitempty"`
	AsOf      string    `json:"as_of,omitempty"`
	Red       int       `json:"red"`
	Black     int       `json:"black"`
	Cases     int       `json:"cases"`
	Cause     string    `json:"cause,omitempty"`      // scheduler.Cause*
	CauseText string    `json:"cause_text,omitempty"` // the cause in Chinese, as on /status/
}

func publicRunOf(r scheduler.Run) publicRun {
	p := publicRun{ID: r.ID, Trigger: r.Trigger, Start: r.Start, End: r.End, Outcome: r.Outcome, Release: r.Release,
		AsOf: r.AsOf, Red: r.Red, Black: r.Black, Cases: r.Cases}
	if showsCause(r) {
		p.Cause, p.CauseText = r.Cause, xinyong.StatusCause(r.Cause)
	}
	return p
}

// showsCause reports whether the status shows a cause for r: a failed or refused publication, or a
// busy run that alerted.
func showsCause(r scheduler.Run) bool {
	switch r.Outcome {
	case scheduler.Failed, scheduler.Refused:
		return true
	case scheduler.Busy:
		return r.Cause == scheduler.CauseBlocked
	}
	return false
}

func (s *Server) serveStatus(w http.ResponseWriter, r *http.Request, st *state) {
	page, err := st.root.ReadFile("status/index.html")
	if err != nil {
		s.serveStatic(w, r, st) // no status page in this release: the 404 page
		return
	}
	start, end := bytes.Index(page, []byte(statusStart)), bytes.Index(page, []byte(statusEnd))
	if start < 0 || end < start {
		s.log.Error("the status page has no markers")
		s.errorPage(w, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
		return
	}
	runs, err := s.runs()
	if err != nil {
		s.log.Error("status", "error", err)
		s.errorPage(w, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
		return
	}
	var body bytes.Buffer
	body.Write(page[:start])
	if err := statusTemplate.Execute(&body, statusView(st.id, runs)); err != nil {
		s.log.Error("status page", "error", err)
		s.errorPage(w, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
		return
	}
	body.Write(page[end+len(statusEnd):])
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", cacheNone)
	w.Write(body.Bytes())
}

// runView is one row of the status table.
type runView struct {
	Start, Duration, Trigger, Outcome, Release, AsOf, Cause string
	Red, Black, Cases                                       int
	Failed                                                  bool
}

func statusView(current string, runs []scheduler.Run) map[string]any {
	rows := make([]runView, 0, len(runs))
	for _, r := range runs {
		v := runView{Start: r.Start.In(xinyong.Shanghai).Format("2006-01-02 15:04:05"),
			Trigger: xinyong.StatusTrigger(r.Trigger), Outcome: xinyong.StatusOutcome(r.Outcome),
			Release: r.Release, AsOf: r.AsOf, Red: r.Red, Black: r.Black, Cases: r.Cases,
			Failed: r.Outcome == scheduler.Failed || r.Outcome == scheduler.Refused || r.Outcome == scheduler.RollbackRefused ||
				r.Cause == scheduler.CauseBlocked}
		if showsCause(r) {
			v.Cause = xinyong.StatusCause(r.Cause)
		}
		if v.Outcome == "" {
			v.Outcome = xinyong.StatusOutcome("")
		}
		if !r.End.IsZero() {
			v.Duration = xinyong.DurationText(r.End.Sub(r.Start))
		}
		rows = append(rows, v)
	}
	return map[string]any{"Current": current, "Runs": rows, "L": xinyong.StatusLabels()}
}

// statusTemplate renders the runs; html/template escapes every value. It shows a failure's cause, never its
// error text.
var statusTemplate = template.Must(template.New("status").Parse(`
<p>{{ .L.current }}<span class="code">{{ .Current }}</span></p>
{{- if .Runs }}
<div class="table-wrap">
  <table class="data-table">
    <caption class="visually-hidden">{{ .L.caption }}</caption>
    <thead><tr><th scope="col">{{ .L.start }}</th><th scope="col">{{ .L.trigger }}</th><th scope="col">{{ .L.outcome }}</th><th scope="col">{{ .L.release }}</th><th scope="col" class="num">{{ .L.red }}</th><th scope="col" class="num">{{ .L.black }}</th><th scope="col" class="num">{{ .L.cases }}</th><th scope="col">{{ .L.duration }}</th></tr></thead>
    <tbody>
    {{- range .Runs }}
      <tr>
        <th scope="row" class="nowrap">{{ .Start }}</th>
        <td data-label="{{ $.L.trigger }}">{{ .Trigger }}</td>
        <td data-label="{{ $.L.outcome }}">{{ if .Failed }}<strong>{{ .Outcome }}</strong>{{ with .Cause }}<br><span class="note">{{ . }}</span>{{ end }}{{ else }}{{ .Outcome }}{{ end }}</td>
        <td data-label="{{ $.L.release }}"><span class="code">{{ .Release }}</span></td>
        <td data-label="{{ $.L.red }}" class="num">{{ .Red }}</td>
        <td data-label="{{ $.L.black }}" class="num">{{ .Black }}</td>
        <td data-label="{{ $.L.cases }}" class="num">{{ .Cases }}</td>
        <td data-label="{{ $.L.duration }}">{{ .Duration }}</td>
      </tr>
    {{- end }}
    </tbody>
  </table>
</div>
{{- else }}
<p>{{ .L.none }}</p>
{{- end }}
<p><a href="/api/status">{{ .L.json }}</a></p>
`))
