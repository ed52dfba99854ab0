package render

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"xinyong/internal/tree"
)

// FeedItems is the most entries a list feed carries: the latest additions.
const FeedItems = 50

// FeedFile is the name of a list's feed in the list's directory: /red/index.xml, /departments/<code>/index.xml.
const FeedFile = "index.xml"

// The feed as encoding/xml writes it: RSS 2.0, with the Atom self link feed readers ask for. Every value is
// escaped by the encoder, so that no text of the database can break the XML.
type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	Title       string  `xml:"title"`
	Link        string  `xml:"link"`
	GUID        rssGUID `xml:"guid"`
	PubDate     string  `xml:"pubDate"`
	Description string  `xml:"description"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	URL         string `xml:",chardata"`
}

// feedRows returns the rows of a list's feed: of the list's rows n, in the lists' order (date newest first,
// then title and path: sortRows), row(i) giving the i-th, the FeedItems newest by date, ties by id (then
// list: a department's feed has both). Only the head of the sorted list is looked at: the rows up to the
// FeedItems-th and those of its date after it, whose order among themselves is by title.
func feedRows(n int, row func(i int) *Row) []*Row {
	var out []*Row
	for i := 0; i < n; i++ {
		x := row(i)
		if len(out) >= FeedItems && x.date != out[FeedItems-1].date {
			break
		}
		out = append(out, x)
	}
	slices.SortStableFunc(out, func(a, b *Row) int {
		if a.date != b.date {
			return cmp.Compare(b.date, a.date)
		}
		if c := strings.Compare(a.ID, b.ID); c != 0 {
			return c
		}
		return strings.Compare(a.List, b.List)
	})
	return out[:min(len(out), FeedItems)]
}

// feed returns the bytes of the feed of the list page p (a section or a department's term page) with the
// rows of feedRows. Nothing in it depends on the build: its lastBuildDate is the newest item's date, so the
// feed of a list whose latest additions did not change has the same bytes.
func (r *Renderer) feed(p *Page, rows []*Row) ([]byte, error) {
	sep, err := r.tr.translate("titleSeparator")
	if err != nil {
		return nil, err
	}
	desc, err := r.tr.translate("feedListDescription", map[string]any{"Title": p.Title, "Count": FeedItems})
	if err != nil {
		return nil, err
	}
	title := p.Title + sep + r.site.Title
	if demo, _ := r.site.Home.Params["demo"].(bool); demo {
		// A demo site says so everywhere, as the pages' titles do (head.html).
		prefix, err := r.tr.translate("demoTitlePrefix")
		if err != nil {
			return nil, err
		}
		title = prefix + title
	}
	ch := rssChannel{Title: title, Link: p.Permalink, Description: desc, Language: "zh-CN",
		Self: atomLink{Href: p.Permalink + FeedFile, Rel: "self", Type: "application/rss+xml"}}
	for i, x := range rows {
		date := time.Unix(x.date, 0).In(r.loc).Format(time.RFC1123Z)
		if i == 0 {
			ch.LastBuildDate = date
		}
		label, err := r.tr.translate("changesList_" + x.List)
		if err != nil {
			return nil, err
		}
		d, err := r.tr.translate("feedItemDescription", map[string]any{"List": label, "ListName": x.ListName,
			"Department": x.Department})
		if err != nil {
			return nil, err
		}
		link := r.base + x.section + "/" + x.name + "/"
		ch.Items = append(ch.Items, rssItem{Title: x.Title, Link: link, GUID: rssGUID{IsPermaLink: "true", URL: link},
			PubDate: date, Description: d})
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: ch}); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// writeFeed writes the feed of the list page p into its directory under out (out/red/, out/departments/<code>/). A feed with the same bytes as the previous site's (Reuse) is hard-linked from it,
// as an unchanged record page is: a night that changed nothing among a list's latest additions leaves its
// feed the same file.
func (r *Renderer) writeFeed(out string, p *Page, rows []*Row) error {
	b, err := r.feed(p, rows)
	if err != nil {
		return err
	}
	rel := filepath.FromSlash(strings.TrimPrefix(p.RelPermalink, relURL(r.base)))
	if u, err := url.PathUnescape(rel); err == nil {
		rel = u
	}
	dir := filepath.Join(out, rel)
	if err := mkdir(dir); err != nil {
		return err
	}
	dst := filepath.Join(dir, FeedFile)
	// Never write through a file that may be a link to the previous site's.
	if err := os.Remove(dst); err != nil && !os.IsNotExist(err) {
		return err
	}
	if r.reuse != nil && r.reuse.Site != "" {
		prev := filepath.Join(r.reuse.Site, rel, FeedFile)
		if old, err := os.ReadFile(prev); err == nil && bytes.Equal(old, b) && os.Link(prev, dst) == nil {
			return nil
		}
	}
	return tree.WriteFile(dst, b)
}
