package site

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Sitemap limits: Google allows 50,000 URLs and 50 MB per file, Baidu 50,000 URLs and 10 MB; we stay below
// both with room to spare.
const (
	sitemapMaxURLs  = 45000
	sitemapMaxBytes = 9 << 20
)

type sitemapURL struct {
	Loc     string
	LastMod string
}

var (
	noindexMeta  = regexp.MustCompile(`<meta name="?robots"? content="?[^">]*noindex`)
	modifiedMeta = regexp.MustCompile(`<meta property="?article:modified_time"? content="?([0-9T:+\-Z]+)`)
	pagerPath    = regexp.MustCompile(`/page/[0-9]+/$`)
)

// writeSitemapsLimited writes the sitemaps and robots.txt of the built site in dir (siteFiles.writeSitemaps)
// with the given limits of one sitemap file, reading every page of dir: what Build does for Hugo's pages
// and the record renderer's, in one call.
func writeSitemapsLimited(dir, baseURL string, maxURLs, maxBytes int) (urls int, err error) {
	files := newSiteFiles(dir, baseURL)
	if err := files.walk(); err != nil {
		return 0, err
	}
	return files.writeSitemaps(maxURLs, maxBytes)
}

// siteFiles counts the files of a built site and collects the URLs of its sitemaps, from a walk of the
// site (walk) and from the pages the record renderer reports as it writes them (written), which are then
// not read back. It is safe for concurrent use.
type siteFiles struct {
	dir, baseURL string
	// prev, when set, are the URLs the previous build's sitemaps listed, with their lastmod: a page linked
	// from that build (the same bytes) is listed as it was there, without reading its head (readPrevious).
	prev map[string]string
	// skipSections, when set, are top-level directories walk leaves out whole: the record sections, whose
	// pages the renderer reports (Build, render.Prelink).
	skipSections []string
	mu           sync.Mutex
	files, pages int // all files; HTML files
	urls         []sitemapURL
}

func newSiteFiles(dir, baseURL string) *siteFiles {
	return &siteFiles{dir: filepath.Clean(dir), baseURL: strings.TrimSuffix(baseURL, "/")}
}

// walk counts every file of the site as it is now, and adds its pages to the sitemap.
func (s *siteFiles) walk() error {
	err := filepath.WalkDir(s.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if len(s.skipSections) > 0 && filepath.Dir(p) == s.dir && slices.Contains(s.skipSections, d.Name()) {
				return filepath.SkipDir // a record section, the renderer's and the prelinking's (Build)
			}
			return nil
		}
		s.count(p, false)
		if d.Name() != "index.html" {
			return nil
		}
		head, err := readHead(p)
		if err != nil {
			return err
		}
		s.page(p, head)
		return nil
	})
	if err != nil {
		return fmt.Errorf("sitemap: %w", err)
	}
	return nil
}

// written is render.Options.Written: a page the record renderer wrote (html nil: linked from the previous
// build, read back here), with its .gz when gz.
func (s *siteFiles) written(file string, html []byte, gz bool) error {
	s.count(file, gz)
	head := html
	if head == nil && s.prev != nil {
		if u, ok := s.url(file); ok {
			if lastmod, listed := s.prev[u.Loc]; listed {
				u.LastMod = lastmod
				s.add(u)
			}
		}
		return nil
	}
	if head == nil {
		var err error
		if head, err = readHead(file); err != nil {
			return fmt.Errorf("sitemap: %w", err)
		}
	} else if i := bytes.Index(head, []byte("</head>")); i >= 0 {
		head = head[:i]
	}
	s.page(file, head)
	return nil
}

func (s *siteFiles) count(file string, gz bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files++
	if gz {
		s.files++
	}
	if strings.HasSuffix(file, ".html") {
		s.pages++
	}
}

// page adds the page at file, whose <head> is head, to the sitemap unless it is a paginator page or
// marked noindex.
func (s *siteFiles) page(file string, head []byte) {
	u, ok := s.url(file)
	if !ok || noindexMeta.Match(head) {
		return
	}
	if m := modifiedMeta.FindSubmatch(head); m != nil {
		u.LastMod = string(m[1])
	}
	s.add(u)
}

func (s *siteFiles) add(u sitemapURL) {
	s.mu.Lock()
	s.urls = append(s.urls, u)
	s.mu.Unlock()
}

// url is the sitemap URL of the page at file; false for a paginator page.
func (s *siteFiles) url(file string) (sitemapURL, bool) {
	// The record renderer reports a hundred thousand pages on a busy night, each under s.dir: their URL is
	// cut from the path, and only a path with /page/ in it is matched against pagerPath.
	dir := filepath.Dir(file)
	rel, ok := strings.CutPrefix(dir, s.dir+string(filepath.Separator))
	if !ok {
		rel, _ = filepath.Rel(s.dir, dir)
	}
	urlPath := "/"
	if rel != "." && dir != s.dir {
		urlPath = "/" + filepath.ToSlash(rel) + "/"
	}
	if strings.Contains(urlPath, "/page/") && pagerPath.MatchString(urlPath) {
		return sitemapURL{}, false
	}
	return sitemapURL{Loc: s.baseURL + escapePath(urlPath)}, true
}

// sitemapEntry is a <url> as writeSitemaps writes it; sitemapEntries finds them as this expression does.
var sitemapEntry = regexp.MustCompile(`<url><loc>([^<]*)</loc>(?:<lastmod>([^<]*)</lastmod>)?</url>`)

// sitemapEntries calls fn with the location and lastmod of every match of sitemapEntry in b, leftmost
// first and not overlapping, as FindAllSubmatch would, without the regular expression's machinery: a busy
// night reads the previous build's 100,000 URLs this way (TestSitemapEntries compares the two).
func sitemapEntries(b []byte, fn func(loc, lastmod []byte)) {
	const open, closeLoc, openMod, closeMod, closeURL = "<url><loc>", "</loc>", "<lastmod>", "</lastmod>", "</url>"
	for {
		i := bytes.Index(b, []byte(open))
		if i < 0 {
			return
		}
		rest := b[i+len(open):]
		b = b[i+1:] // a failed match is retried from the next byte, as the expression would
		n := bytes.IndexByte(rest, '<')
		if n < 0 || !bytes.HasPrefix(rest[n:], []byte(closeLoc)) {
			continue
		}
		loc, rest := rest[:n], rest[n+len(closeLoc):]
		var lastmod []byte
		if bytes.HasPrefix(rest, []byte(openMod)) {
			m := bytes.IndexByte(rest[len(openMod):], '<')
			if m >= 0 && bytes.HasPrefix(rest[len(openMod)+m:], []byte(closeMod+closeURL)) {
				lastmod, rest = rest[len(openMod):len(openMod)+m], rest[len(openMod)+m+len(closeMod):]
			}
		}
		if !bytes.HasPrefix(rest, []byte(closeURL)) {
			continue
		}
		fn(loc, lastmod)
		b = rest[len(closeURL):]
	}
}

// readPrevious reads the URLs of the sitemaps of a previous build's site (sitemap-N.xml, as this file
// writes them), for the pages that build shares with this one. Without them (a site built before them, a
// file that cannot be read) prev stays nil and every shared page's head is read instead.
func (s *siteFiles) readPrevious(site string) {
	files, err := filepath.Glob(filepath.Join(site, "sitemap-*.xml"))
	if err != nil || len(files) == 0 {
		return
	}
	prev := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return
		}
		sitemapEntries(b, func(loc, lastmod []byte) {
			prev[html.UnescapeString(string(loc))] = string(lastmod)
		})
	}
	s.prev = prev
}

// writeSitemaps writes sitemap.xml, a sitemap index over sitemap-N.xml files, and robots.txt into the site,
// and counts them; it returns the number of URLs. Hugo's own sitemap is one file (too big past 50,000 URLs
// and single-threaded), so it is off. Every HTML page is listed except pages marked noindex (natural
// persons, withdrawal notices), paginator pages and the 404 page; lastmod comes from the page's
// article:modified_time.
func (s *siteFiles) writeSitemaps(maxURLs, maxBytes int) (int, error) {
	dir, baseURL, list := s.dir, s.baseURL, s.urls
	slices.SortFunc(list, func(a, b sitemapURL) int { return strings.Compare(a.Loc, b.Loc) })

	var files []string
	var buf bytes.Buffer
	flush := func() error {
		if buf.Len() == 0 {
			return nil
		}
		buf.WriteString("</urlset>\n")
		name := fmt.Sprintf("sitemap-%d.xml", len(files)+1)
		files = append(files, name)
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return err
		}
		buf.Reset()
		return nil
	}
	n := 0
	for _, u := range list {
		var entry bytes.Buffer
		entry.WriteString("  <url><loc>")
		xml.EscapeText(&entry, []byte(u.Loc))
		entry.WriteString("</loc>")
		if u.LastMod != "" {
			entry.WriteString("<lastmod>" + u.LastMod + "</lastmod>")
		}
		entry.WriteString("</url>\n")
		if buf.Len() > 0 && (n == maxURLs || buf.Len()+entry.Len()+len("</urlset>\n") > maxBytes) {
			if err := flush(); err != nil {
				return 0, fmt.Errorf("sitemap: %w", err)
			}
			n = 0
		}
		if buf.Len() == 0 {
			buf.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
		}
		buf.Write(entry.Bytes())
		n++
	}
	if err := flush(); err != nil {
		return 0, fmt.Errorf("sitemap: %w", err)
	}

	var idx bytes.Buffer
	idx.WriteString(xml.Header + `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, f := range files {
		idx.WriteString("  <sitemap><loc>")
		xml.EscapeText(&idx, []byte(baseURL+"/"+f))
		idx.WriteString("</loc></sitemap>\n")
	}
	idx.WriteString("</sitemapindex>\n")
	if err := os.WriteFile(filepath.Join(dir, "sitemap.xml"), idx.Bytes(), 0o644); err != nil {
		return 0, fmt.Errorf("sitemap: %w", err)
	}
	robots := "User-agent: *\nAllow: /\nDisallow: /search/\nDisallow: /api/\n\nSitemap: " + baseURL + "/sitemap.xml\n"
	if err := os.WriteFile(filepath.Join(dir, "robots.txt"), []byte(robots), 0o644); err != nil {
		return 0, fmt.Errorf("robots.txt: %w", err)
	}
	s.files += len(files) + 2 // the sitemaps, the index and robots.txt
	return len(list), nil
}

// readHead returns a page up to the end of its <head>, where the robots and modified-time metas are.
func readHead(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var head []byte
	r := bufio.NewReaderSize(f, 8192)
	for {
		line, err := r.ReadSlice('\n')
		head = append(head, line...)
		if bytes.Contains(line, []byte("</head>")) || err == io.EOF || len(head) > 64<<10 {
			return head, nil
		}
		if err != nil && err != bufio.ErrBufferFull {
			return nil, err
		}
	}
}

// escapePath percent-encodes a URL path (term pages of list names are Chinese).
func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}
