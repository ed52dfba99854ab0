package server

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"xinyong"
	"xinyong/search"
)

// pageData is what a search page shows: the query as typed, the filters, and the result or the error.
type pageData struct {
	Q       string
	Filters search.Filters
	Result  *search.Result
	Error   string
}

// labels are the fixed texts of the results (messages.go).
type labels struct {
	Label, Placeholder, Button, Hint                  string
	Filters, FilterList, FilterKind, All              string
	ActiveFilters                                     string
	Results                                           string
	None, NoneHint                                    string
	Code, ListName, Department, District, Date, Pager string
	Prev, Next                                        string
	Matched, DecisionNo                               string
}

var theLabels = labels{
	Label: xinyong.MsgServeLabel, Placeholder: xinyong.MsgServePlaceholder, Button: xinyong.MsgServeButton,
	Hint: xinyong.MsgServeHint, Filters: xinyong.MsgServeFilters, FilterList: xinyong.MsgServeFilterList,
	FilterKind: xinyong.MsgServeFilterKind, All: xinyong.MsgServeAll, ActiveFilters: xinyong.MsgServeActiveFilters,
	Results: xinyong.MsgServeResults, None: xinyong.MsgServeNone, NoneHint: xinyong.MsgServeNoneHint,
	Code: xinyong.MsgServeCode, ListName: xinyong.MsgServeListName, Department: xinyong.MsgServeDepartment,
	District: xinyong.MsgServeDistrict, Date: xinyong.MsgServeDate, Pager: xinyong.MsgServePager,
	Prev: xinyong.MsgServePrev, Next: xinyong.MsgServeNext,
	Matched: xinyong.MsgServeMatched, DecisionNo: xinyong.MsgServeDecisionNo,
}

// view is the data of the results template.
type view struct {
	L       *labels
	Q       string // the query shown back (masked when it holds an ID number)
	Error   string
	Notice  string
	Lists   []option
	Kinds   []option
	Hidden  []param // filters set by links, kept by the form
	Active  []activeFilter
	Result  bool
	Total   string
	Start   int
	Hits    []hitView
	Prev    string
	Next    string
	PageOf  string
	HasHits bool
}

type option struct {
	Value, Label string
	Selected     bool
}

type param struct{ Name, Value string }

type activeFilter struct {
	Label, Value, RemoveURL, RemoveTitle string
}

type badge struct{ Label, Class string }

type link struct{ Text, URL, Title string }

type hitView struct {
	*search.Hit
	Badges      []badge
	ListNames   []link
	Departments []link
	Districts   []link
}

// textFilters are the filters set by a link in a result: URL parameter and name.
var textFilters = []struct {
	param, label string
	get          func(*search.Filters) *string
}{
	{"list_name", xinyong.MsgServeFilterListName, func(f *search.Filters) *string { return &f.ListName }},
	{"department", xinyong.MsgServeFilterDepartment, func(f *search.Filters) *string { return &f.Department }},
	{"district", xinyong.MsgServeFilterDistrict, func(f *search.Filters) *string { return &f.District }},
}

// searchURL is the address of a search with the query and filters; page 1 is left out.
func searchURL(q string, f search.Filters, page int) string {
	v := url.Values{}
	v.Set("q", q)
	for _, kv := range []param{{"list", f.List}, {"kind", f.Kind}, {"list_name", f.ListName},
		{"department", f.Department}, {"district", f.District}} {
		if kv.Value != "" {
			v.Set(kv.Name, kv.Value)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	return "/search/?" + v.Encode()
}

// makeView prepares what the template shows. Everything it takes from the request is echoed masked
// (maskText): the query (the result's own masked query when there is one) and every filter, in the form,
// the filter chips, their remove links and the links of the results, so that no ID number typed into the
// URL comes back in the page, even when the search was refused or failed.
func makeView(d *pageData) *view {
	vw := &view{L: &theLabels, Error: d.Error}
	vw.Q = maskText(d.Q)
	if d.Result != nil {
		vw.Q = d.Result.Query
	}
	q := vw.Q // the query of every link: what the page shows
	f := maskFilters(d.Filters)
	vw.Lists = []option{{"", theLabels.All, f.List == ""},
		{xinyong.ListRed, xinyong.MsgSectionRed, f.List == xinyong.ListRed},
		{xinyong.ListBlack, xinyong.MsgSectionBlack, f.List == xinyong.ListBlack}}
	vw.Kinds = []option{{"", theLabels.All, f.Kind == ""},
		{search.KindSubject, xinyong.MsgServeKindSubject, f.Kind == search.KindSubject},
		{search.KindCase, xinyong.MsgServeKindCase, f.Kind == search.KindCase}}
	for _, tf := range textFilters {
		value := *tf.get(&f)
		if value == "" {
			continue
		}
		vw.Hidden = append(vw.Hidden, param{tf.param, value})
		without := f
		*tf.get(&without) = ""
		vw.Active = append(vw.Active, activeFilter{Label: tf.label, Value: value,
			RemoveURL:   searchURL(q, without, 1),
			RemoveTitle: fmt.Sprintf(xinyong.MsgServeRemoveFilter, tf.label, value)})
	}
	res := d.Result
	if res == nil {
		return vw
	}
	vw.Result, vw.Notice = true, res.Notice
	vw.Total = fmt.Sprintf(xinyong.MsgServeTotal, res.Total)
	if reach := uint64(res.Pages() * res.Size); reach < res.Total {
		vw.Total = fmt.Sprintf(xinyong.MsgServeTotalCapped, res.Total, min(reach, search.MaxDepth))
	}
	vw.Start = (res.Page-1)*res.Size + 1
	vw.HasHits = len(res.Hits) > 0
	vw.Hits = make([]hitView, len(res.Hits))
	for i := range res.Hits {
		vw.Hits[i] = makeHit(&res.Hits[i], q, f)
	}
	if pages := res.Pages(); pages > 1 {
		vw.PageOf = fmt.Sprintf(xinyong.MsgServePageOf, res.Page, pages)
		if res.Page > 1 {
			vw.Prev = searchURL(q, f, min(res.Page-1, pages))
		}
		if res.Page < pages {
			vw.Next = searchURL(q, f, res.Page+1)
		}
	}
	return vw
}

// maskFilters returns the filters as they may be echoed: every value through maskText. A value that held
// an ID number matched nothing (the index holds none), so the masked value changes no result.
func maskFilters(f search.Filters) search.Filters {
	for _, v := range []*string{&f.List, &f.Kind, &f.ListName, &f.Department, &f.District} {
		if *v != "" {
			*v = maskText(*v)
		}
	}
	return f
}

// makeHit prepares one result: its badges and the filter links of its list names, departments and
// districts.
func makeHit(h *search.Hit, q string, f search.Filters) hitView {
	hv := hitView{Hit: h}
	switch {
	case h.Kind == search.KindCase:
		hv.Badges = append(hv.Badges, badge{xinyong.MsgServeKindCase, "badge-case"})
	case h.Person:
		hv.Badges = append(hv.Badges, badge{xinyong.MsgServeKindPerson, "badge-subject"})
	default:
		hv.Badges = append(hv.Badges, badge{xinyong.MsgServeKindSubject, "badge-subject"})
	}
	for _, l := range h.Lists {
		switch l {
		case xinyong.ListRed:
			hv.Badges = append(hv.Badges, badge{xinyong.MsgSectionRed, "badge-red"})
		case xinyong.ListBlack:
			hv.Badges = append(hv.Badges, badge{xinyong.MsgSectionBlack, "badge-black"})
		}
	}
	links := func(values []string, tf int) []link {
		out := make([]link, len(values))
		for i, value := range values {
			g := f
			*textFilters[tf].get(&g) = value
			out[i] = link{Text: value, URL: searchURL(q, g, 1),
				Title: fmt.Sprintf(xinyong.MsgServeFilterBy, textFilters[tf].label, value)}
		}
		return out
	}
	hv.ListNames = links(h.ListNames, 0)
	hv.Departments = links(h.Departments, 1)
	hv.Districts = links(h.Districts, 2)
	return hv
}

// resultsTemplate is what the server writes between the markers of the search page. Every value is text
// from the query or the index, escaped by html/template; names are cut into segments, the matched ones
// marked.
var resultsTemplate = template.Must(template.New("results").Parse(`
<form class="search-form search-form-page" role="search" action="/search/" method="get">
  <label for="q">{{ .L.Label }}</label>
  <div class="search-row">
    <input id="q" name="q" type="search" required maxlength="100" autocomplete="off" spellcheck="false" placeholder="{{ .L.Placeholder }}" value="{{ .Q }}">
    <button type="submit">{{ .L.Button }}</button>
  </div>
  <fieldset class="search-filters">
    <legend>{{ .L.Filters }}</legend>
    <label for="f-list">{{ .L.FilterList }}</label>
    <select id="f-list" name="list">
      {{- range .Lists }}<option value="{{ .Value }}"{{ if .Selected }} selected{{ end }}>{{ .Label }}</option>{{ end -}}
    </select>
    <label for="f-kind">{{ .L.FilterKind }}</label>
    <select id="f-kind" name="kind">
      {{- range .Kinds }}<option value="{{ .Value }}"{{ if .Selected }} selected{{ end }}>{{ .Label }}</option>{{ end -}}
    </select>
    {{- range .Hidden }}
    <input type="hidden" name="{{ .Name }}" value="{{ .Value }}">
    {{- end }}
  </fieldset>
</form>
{{- with .Active }}
<p class="search-active">{{ $.L.ActiveFilters }}
  {{- range . }} <a class="filter-chip" href="{{ .RemoveURL }}" title="{{ .RemoveTitle }}" aria-label="{{ .RemoveTitle }}">{{ .Label }}：{{ .Value }} <span aria-hidden="true">×</span></a>{{ end }}
</p>
{{- end }}
{{- with .Error }}
<div class="notice" role="alert"><p>{{ . }}</p></div>
{{- end }}
{{- with .Notice }}
<div class="notice notice-info" role="status"><p>{{ . }}</p></div>
{{- end }}
{{- if .Result }}
<section class="search-results" aria-labelledby="search-total">
  <h2 id="search-total" class="search-total">{{ .Total }}</h2>
  {{- if .HasHits }}
  <ol class="search-hits" start="{{ .Start }}" aria-label="{{ .L.Results }}">
    {{- range .Hits }}
    <li class="search-hit">
      <h3><a href="{{ .URL }}">{{ range .Segments }}{{ if .Matched }}<mark>{{ .Text }}</mark>{{ else }}{{ .Text }}{{ end }}{{ end }}</a></h3>
      <p class="hit-badges">{{ range .Badges }}<span class="badge {{ .Class }}">{{ .Label }}</span> {{ end }}</p>
      <dl class="hit-fields">
        {{- if .Code }}
        <div><dt>{{ $.L.Code }}</dt><dd class="code">{{ if .CodeMatched }}<mark>{{ .Code }}</mark>{{ else }}{{ .Code }}{{ end }}</dd></div>
        {{- end }}
        {{- with .Matched }}
        <div class="hit-matched"><dt>{{ $.L.Matched }}</dt><dd><a href="{{ .URL }}"><mark>{{ .ID }}</mark></a>{{ with .DecisionNo }}（{{ $.L.DecisionNo }} <mark>{{ . }}</mark>）{{ end }}</dd></div>
        {{- end }}
        {{- with .ListNames }}
        <div><dt>{{ $.L.ListName }}</dt><dd>{{ range $i, $l := . }}{{ if $i }}、{{ end }}<a href="{{ $l.URL }}" title="{{ $l.Title }}">{{ $l.Text }}</a>{{ end }}</dd></div>
        {{- end }}
        {{- with .Departments }}
        <div><dt>{{ $.L.Department }}</dt><dd>{{ range $i, $l := . }}{{ if $i }}、{{ end }}<a href="{{ $l.URL }}" title="{{ $l.Title }}">{{ $l.Text }}</a>{{ end }}</dd></div>
        {{- end }}
        {{- with .Districts }}
        <div><dt>{{ $.L.District }}</dt><dd>{{ range $i, $l := . }}{{ if $i }}、{{ end }}<a href="{{ $l.URL }}" title="{{ $l.Title }}">{{ $l.Text }}</a>{{ end }}</dd></div>
        {{- end }}
        {{- with .Date }}
        <div><dt>{{ $.L.Date }}</dt><dd><time datetime="{{ . }}">{{ . }}</time></dd></div>
        {{- end }}
      </dl>
      {{- with .Summary }}
      <p class="hit-summary">{{ . }}</p>
      {{- end }}
    </li>
    {{- end }}
  </ol>
  {{- else }}
  <div class="search-none">
    <p>{{ .L.None }}</p>
    <p>{{ .L.NoneHint }}</p>
  </div>
  {{- end }}
  {{- if .PageOf }}
  <nav class="pager search-pager" aria-label="{{ .L.Pager }}">
    <ul>
      {{- with .Prev }}
      <li><a href="{{ . }}" rel="prev">‹ {{ $.L.Prev }}</a></li>
      {{- end }}
      {{- with .Next }}
      <li><a href="{{ . }}" rel="next">{{ $.L.Next }} ›</a></li>
      {{- end }}
    </ul>
    <p class="status">{{ .PageOf }}</p>
  </nav>
  {{- end }}
</section>
{{- else if not .Error }}
<p class="hint">{{ .L.Hint }}</p>
{{- end }}
`))

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeSearchPage writes the release's search page with the form and the results of d, and returns the
// page (nil if it could not be made).
func (s *Server) writeSearchPage(w http.ResponseWriter, r *http.Request, st *state, status int, d *pageData) []byte {
	vw := makeView(d)
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	p := &st.page
	buf.Write(p.beforeTitle)
	title := p.title
	if vw.Q != "" && (vw.Result || d.Error != "") {
		title = fmt.Sprintf(xinyong.MsgServeTitle, vw.Q, p.title)
	}
	template.HTMLEscape(buf, []byte(title))
	buf.Write(p.afterTitle)
	if err := resultsTemplate.Execute(buf, vw); err != nil {
		s.log.Error("rendering the search page", "error", err)
		writeBody(w, r, http.StatusInternalServerError, "text/plain; charset=utf-8", []byte(xinyong.MsgServeInternal))
		return nil
	}
	buf.Write(p.tail)
	page := bytes.Clone(buf.Bytes())
	writeBody(w, r, status, contentTypes[".html"], page)
	return page
}
