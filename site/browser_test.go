package site_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"xinyong"
)

// chromium finds Debian's chromium. Tests that prove the site in a real browser are never skipped in CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found; .ci/run installs it (apt-get install chromium)")
	}
	t.Skip("chromium not found: apt-get install chromium")
	return ""
}

// browser starts a headless Chromium for one test and collects JavaScript errors.
func browser(t *testing.T) (ctx context.Context, jsErrors func() []string) {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox, // root in CI
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	var mu sync.Mutex
	var errs []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			errs = append(errs, e.ExceptionDetails.Error())
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError {
				errs = append(errs, "console.error")
			}
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), errs...)
	}
}

// serve serves a built site the way a static server would, with 404.html for unknown paths.
func serve(t *testing.T, dir string) string {
	t.Helper()
	files := http.FileServer(http.Dir(dir))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := filepath.Join(dir, filepath.FromSlash(r.URL.Path))
		if strings.HasSuffix(r.URL.Path, "/") {
			p = filepath.Join(p, "index.html")
		}
		if _, err := os.Stat(p); err != nil {
			b, _ := os.ReadFile(filepath.Join(dir, "404.html"))
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			w.Write(b)
			return
		}
		files.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestBrowser_Journey walks the site as a reader would, in a real headless Chromium: home, black list, an
// entry, its subject, a case with its citation block, the case printed to PDF, and screenshots at phone
// and desktop widths (of these pages, 联系我们 and 网站地图), with no JavaScript error and no horizontal scrolling on a phone.
func TestBrowser_Journey(t *testing.T) {
	dir := demoSite(t)
	base := serve(t, dir)
	ctx, jsErrors := browser(t)
	shots := t.TempDir()

	var title, entryURL, subjectURL, caseURL, cite string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(base+"/"),
		chromedp.Title(&title),
		chromedp.Click(`a[href="/black/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href^="/black/E"]`, chromedp.ByQuery),
		chromedp.Click(`main a[href^="/black/E"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href^="/subjects/"]`, chromedp.ByQuery),
		chromedp.Location(&entryURL),
		chromedp.Click(`main a[href^="/subjects/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href^="/black/E"], main a[href^="/red/E"]`, chromedp.ByQuery),
		chromedp.Location(&subjectURL),
		chromedp.Navigate(base+"/cases/"),
		chromedp.Click(`main a[href^="/cases/C"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`//*[contains(., "引用本页")]`, chromedp.BySearch),
		chromedp.Location(&caseURL),
		chromedp.Text(`//*[contains(text(), "引用本页")]/ancestor::*[self::section or self::aside or self::div][1]`, &cite, chromedp.BySearch),
	)
	if err != nil {
		t.Fatalf("journey (at entry %q, subject %q, case %q): %v", entryURL, subjectURL, caseURL, err)
	}
	if !strings.Contains(title, "信用盘锦") {
		t.Errorf("home title %q", title)
	}
	caseID := strings.TrimSuffix(caseURL[strings.LastIndex(strings.TrimSuffix(caseURL, "/"), "/")+1:], "/")
	// The demo site's citations name the demo's reserved address and say that the data is made up.
	// It cites the case's own version, and the retrieval date is the reader's: filled in by the browser
	// (the page carries no date of the night).
	for _, want := range []string{xinyong.DemoBaseURL + "cases/" + caseID + "/", "记录版本：", "演示"} {
		if !strings.Contains(cite, want) {
			t.Errorf("citation block %q lacks %q", cite, want)
		}
	}
	now := time.Now().In(xinyong.Shanghai)
	if !strings.Contains(cite, "检索日期："+now.Format("2006年1月2日")) && !strings.Contains(cite, "检索日期："+now.Add(-time.Minute).Format("2006年1月2日")) {
		t.Errorf("citation block %q: the browser did not fill in today's retrieval date (%s)", cite, now.Format("2006年1月2日"))
	}

	var pdf []byte
	err = chromedp.Run(ctx, chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPrintBackground(false).Do(ctx)
		return err
	}))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 2000 {
		t.Errorf("PDF of %d bytes", len(pdf))
	}
	// In print, too, the page opens with the demo notice.
	var printed string
	err = chromedp.Run(ctx,
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(demoNoticeJS, &printed),
		emulation.SetEmulatedMedia().WithMedia(""),
	)
	if err != nil || printed != "" {
		t.Errorf("printed: %s (%v)", printed, err)
	}
	os.WriteFile(filepath.Join(shots, "case.pdf"), pdf, 0o644)

	for _, width := range []int64{360, 1280} {
		// 联系我们 and 网站地图 too: the demo's identity makes the footer's longest lines.
		for _, path := range []string{"/", "/black/", strings.TrimPrefix(entryURL, base), strings.TrimPrefix(caseURL, base), "/contact/", "/sitemap/",
			"/feeds/", "/list_names/", "/list_names/失信被执行人/", "/stats/", "/text-size/", "/quality/"} {
			if resp, err := http.Get(base + path); err != nil {
				t.Errorf("%s: %v", path, err)
			} else {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					t.Errorf("%s: %s (want 200)", path, resp.Status)
				}
			}
			var png []byte
			var scrollWidth int64
			var notice string
			var headingTop float64
			err := chromedp.Run(ctx,
				chromedp.EmulateViewport(width, 800),
				chromedp.Navigate(base+path),
				chromedp.WaitReady("body", chromedp.ByQuery),
				chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
				chromedp.Evaluate(demoNoticeJS, &notice),
				chromedp.Evaluate(`(() => { const h = document.querySelector("main h1"); return h ? h.getBoundingClientRect().top : -1; })()`, &headingTop),
				chromedp.FullScreenshot(&png, 80),
			)
			if err != nil {
				t.Fatalf("%s at %d px: %v", path, width, err)
			}
			if len(png) < 1000 {
				t.Errorf("%s at %d px: empty screenshot", path, width)
			}
			if scrollWidth > width {
				t.Errorf("%s at %d px scrolls sideways (%d px wide)", path, width, scrollWidth)
			}
			if notice != "" {
				t.Errorf("%s at %d px: %s", path, width, notice)
			}
			// The page's own content starts in the first screen: on a phone the header (with the demo
			// notice) takes under 400 of its 800 px.
			if headingTop < 0 || headingTop > 400 {
				t.Errorf("%s at %d px: the page's heading starts %.0f px down (want within the first 400 px)", path, width, headingTop)
			}
			name := strings.NewReplacer("/", "_").Replace(strings.Trim(path, "/"))
			os.WriteFile(filepath.Join(shots, name+"-"+strconv.FormatInt(width, 10)+".jpg"), png, 0o644)
		}
	}
	// /search/ shows one search box (its own, with the filters), and an entry page a print button.
	var searchBoxes, printButtons int
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 800),
		chromedp.Navigate(base+"/search/"),
		chromedp.WaitReady("body", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('input[type="search"]').length`, &searchBoxes),
		chromedp.Navigate(entryURL),
		chromedp.WaitReady("body", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll(".record-head .print-button").length`, &printButtons),
	)
	if err != nil || searchBoxes != 1 || printButtons != 1 {
		t.Errorf("/search/ has %d search boxes (want 1), an entry page %d print buttons (want 1) (%v)", searchBoxes, printButtons, err)
	}
	// Keyboard: the first Tab reaches the skip link, and focus is visible.
	var focused string
	var focusVisible bool
	err = chromedp.Run(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitReady("body", chromedp.ByQuery),
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(`document.activeElement.getAttribute("href") || document.activeElement.tagName`, &focused),
		chromedp.Evaluate(`(() => { const s = getComputedStyle(document.activeElement);
			return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none"; })()`, &focusVisible),
	)
	if err != nil {
		t.Fatalf("keyboard: %v", err)
	}
	if focused != "#main" || !focusVisible {
		t.Errorf("first Tab focuses %q (visible focus %v), want the skip link to #main with a visible focus", focused, focusVisible)
	}

	// WCAG 2.1 AA contrast of every visible text on the pages of the journey, computed in the page.
	for _, path := range []string{"/", "/black/", strings.TrimPrefix(entryURL, base), strings.TrimPrefix(subjectURL, base),
		strings.TrimPrefix(caseURL, base), "/stats/", "/repair/"} {
		var low []string
		var lang string
		err := chromedp.Run(ctx,
			chromedp.EmulateViewport(1280, 800),
			chromedp.Navigate(base+path),
			chromedp.WaitReady("body", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.lang`, &lang),
			chromedp.Evaluate(contrastJS, &low),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if lang != "zh-CN" {
			t.Errorf("%s: lang=%q, want zh-CN", path, lang)
		}
		for _, l := range low {
			t.Errorf("%s: contrast below WCAG AA: %s", path, l)
		}
	}
	if errs := jsErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
	if os.Getenv("XINYONG_KEEP_SCREENSHOTS") != "" {
		t.Logf("screenshots and PDF in %s", shots)
		t.Cleanup(func() { os.CopyFS(os.Getenv("XINYONG_KEEP_SCREENSHOTS"), os.DirFS(shots)) })
	}
}

// demoNoticeJS returns "" when the demo notice is shown at the top of the page, readable (at least 14 px,
// within the viewport's width, above the masthead), and what is wrong otherwise.
const demoNoticeJS = `(() => {
  const n = document.querySelector('.demo-notice');
  if (!n) return 'no demo notice';
  const r = n.getBoundingClientRect(); const st = getComputedStyle(n);
  const m = document.querySelector('.masthead').getBoundingClientRect();
  const size = parseFloat(getComputedStyle(n.querySelector('p')).fontSize);
  if (st.display === 'none' || st.visibility === 'hidden' || r.height < 10) return 'demo notice hidden';
  if (r.top > 1 || r.bottom > m.top + 1) return 'demo notice not at the top: ' + r.top + '..' + r.bottom + ', masthead at ' + m.top;
  if (r.right > window.innerWidth + 1 || n.scrollWidth > n.clientWidth) return 'demo notice wider than the page';
  if (size < 14) return 'demo notice in ' + size + ' px';
  if (!n.innerText.includes('演示数据')) return 'demo notice says ' + n.innerText;
  return '';
})()`

// contrastJS returns a description of every visible text element whose contrast with its background is
// below WCAG 2.1 AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
const contrastJS = `(() => {
  const parse = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return [255,255,255,1];
    const p = m[1].split(',').map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const lum = ([r,g,b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); };
    return 0.2126*f(r) + 0.7152*f(g) + 0.0722*f(b); };
  const bg = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
    if (c[3] > 0.5) return c; } return [255,255,255,1]; };
  const out = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const t = walker.currentNode; const el = t.parentElement;
    if (!el || seen.has(el) || !t.textContent.trim()) continue;
    seen.add(el);
    const st = getComputedStyle(el); const r = el.getBoundingClientRect();
    if (st.visibility === 'hidden' || st.display === 'none' || r.width === 0 || r.height === 0) continue;
    if (el.closest('svg')) continue; // chart labels are checked by their own fill below the text
    const fg = parse(st.color); const b = bg(el);
    const l1 = lum(fg), l2 = lum(b); const ratio = (Math.max(l1,l2)+0.05)/(Math.min(l1,l2)+0.05);
    const size = parseFloat(st.fontSize); const bold = parseInt(st.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need) out.push(el.tagName.toLowerCase() + ' "' + t.textContent.trim().slice(0,20) + '" ' + ratio.toFixed(2) + ':1');
  }
  return out.slice(0, 20);
})()`
