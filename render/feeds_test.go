package render_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/render"
	"xinyong/themes"
)

// rssFeed is what a feed reader needs of a list feed.
type rssFeed struct {
	XMLName xml.Name `xml:"rss"`
	Version string   `xml:"version,attr"`
	Channel struct {
		Title string `xml:"title"`
		// The Atom self link, before the RSS link: a field without a namespace takes either.
		Self struct {
			Href string `xml:"href,attr"`
		} `xml:"http://www.w3.org/2005/Atom link"`
		Link          string `xml:"link"`
		Description   string `xml:"description"`
		Language      string `xml:"language"`
		LastBuildDate string `xml:"lastBuildDate"`
		Items         []struct {
			Title       string `xml:"title"`
			Link        string `xml:"link"`
			GUID        string `xml:"guid"`
			PubDate     string `xml:"pubDate"`
			Description string `xml:"description"`
		} `xml:"item"`
	} `xml:"channel"`
}

// readFeed parses a feed with encoding/xml and checks what RSS 2.0 requires of it and what the site
// promises: the channel's title, link and description, each item's title, link, guid = link, an RFC 1123Z
// pubDate, newest first (ties by the entry page's id), at most render.FeedItems, and lastBuildDate the
// newest item's date.
func readFeed(t *testing.T, path string) rssFeed {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(xml.Header)) {
		t.Errorf("%s: no XML declaration", path)
	}
	var f rssFeed
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	c := f.Channel
	if f.Version != "2.0" || c.Title == "" || !strings.HasPrefix(c.Link, "https://") || c.Description == "" || c.Language != "zh-CN" {
		t.Errorf("%s: channel %q %q %q %q (version %q)", path, c.Title, c.Link, c.Description, c.Language, f.Version)
	}
	if !strings.HasSuffix(c.Self.Href, "/index.xml") || !strings.HasPrefix(c.Self.Href, c.Link) {
		t.Errorf("%s: atom:link %q", path, c.Self.Href)
	}
	if len(c.Items) > render.FeedItems {
		t.Errorf("%s: %d items", path, len(c.Items))
	}
	var prev time.Time
	prevID := ""
	for i, it := range c.Items {
		d, err := time.Parse(time.RFC1123Z, it.PubDate)
		if err != nil || it.Title == "" || it.Description == "" || it.GUID != it.Link || !strings.HasPrefix(it.Link, c.Link[:strings.Index(c.Link[8:], "/")+9]) {
			t.Errorf("%s: item %d %+v (%v)", path, i, it, err)
		}
		id := strings.TrimSuffix(it.Link, "/")
		id = id[strings.LastIndex(id, "/")+1:]
		if i > 0 && (d.After(prev) || d.Equal(prev) && id < prevID) {
			t.Errorf("%s: item %d (%s, %s) after (%s, %s)", path, i, it.PubDate, id, prev, prevID)
		}
		if i == 0 && c.LastBuildDate != it.PubDate {
			t.Errorf("%s: lastBuildDate %q, newest item %q", path, c.LastBuildDate, it.PubDate)
		}
		prev, prevID = d, id
	}
	if len(c.Items) == 0 && c.LastBuildDate != "" {
		t.Errorf("%s: lastBuildDate without items", path)
	}
	return f
}

// TestRenderTree_Feeds: the renderer writes /red/index.xml, /black/index.xml and a feed per department
// beside the lists' pages, valid RSS with the latest additions linked to pages that exist; the list pages
// link them; two builds of the same export write the same bytes, and a build reusing the previous site
// links its unchanged feeds instead of writing them.
func TestRenderTree_Feeds(t *testing.T) {
	b := demoSite(t)
	out, _ := renderTree(t, b)
	feeds := []string{"red", "black"}
	depts, err := os.ReadDir(filepath.Join(out, "departments"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		if d.IsDir() {
			feeds = append(feeds, "departments/"+d.Name())
		}
	}
	if len(feeds) < 4 {
		t.Fatalf("feeds %v", feeds)
	}
	for _, rel := range feeds {
		f := readFeed(t, filepath.Join(out, rel, "index.xml"))
		if !strings.HasPrefix(f.Channel.Title, "【演示】") {
			t.Errorf("%s: the demo's feed is titled %q", rel, f.Channel.Title)
		}
		items := f.Channel.Items
		if rel == "red" || rel == "black" {
			if len(items) != render.FeedItems {
				t.Errorf("%s: %d items, want %d (the demo has more)", rel, len(items), render.FeedItems)
			}
		}
		for _, it := range items {
			page := strings.TrimPrefix(it.Link, b.chrome.Site.Home)
			if _, err := os.Stat(filepath.Join(out, page, "index.html")); err != nil {
				t.Errorf("%s: item %s links no page: %v", rel, it.Link, err)
			}
			if rel == "red" && !strings.HasPrefix(page, "red/") || rel == "black" && !strings.HasPrefix(page, "black/") {
				t.Errorf("%s: item %s of another list", rel, it.Link)
			}
		}
		html, err := os.ReadFile(filepath.Join(out, rel, "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		link := `<link rel="alternate" type="application/rss+xml" href="/` + rel + `/index.xml"`
		if !bytes.Contains(html, []byte(link)) {
			t.Errorf("%s/index.html has no %s", rel, link)
		}
	}

	if b, err := os.ReadFile(filepath.Join(out, "red", "index.xml")); err == nil && testing.Verbose() {
		t.Logf("red/index.xml:\n%.1200s", b)
	}
	again, _ := renderTree(t, b)
	r, err := render.New(themes.Xinyong(), render.Options{Chrome: b.chrome, Reuse: &render.Reuse{Content: b.content, Site: out}})
	if err != nil {
		t.Fatal(err)
	}
	reused := t.TempDir()
	if _, err := r.RenderTree(context.Background(), b.content, reused, 0); err != nil {
		t.Fatal(err)
	}
	for _, rel := range feeds {
		a, _ := os.ReadFile(filepath.Join(out, rel, "index.xml"))
		c, _ := os.ReadFile(filepath.Join(again, rel, "index.xml"))
		if !bytes.Equal(a, c) {
			t.Errorf("%s: two builds of the same export wrote different feeds", rel)
		}
		fa, _ := os.Stat(filepath.Join(out, rel, "index.xml"))
		fr, err := os.Stat(filepath.Join(reused, rel, "index.xml"))
		if err != nil || !os.SameFile(fa, fr) {
			t.Errorf("%s: the unchanged feed was not linked from the previous site (%v)", rel, err)
		}
	}
}
