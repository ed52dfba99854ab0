package site_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"xinyong/archive"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// servePublishedWithLog is servePublished with a check that the publication recorded its release in the
// publication log (publish's log step), which /verify/ answers from.
func servePublishedWithLog(t *testing.T, entries int) *httptest.Server {
	t.Helper()
	data := t.TempDir()
	if _, err := publish.Run(context.Background(), publish.Options{Source: fixture.MustDemo(t, entries), AsOf: fixture.AsOf, Data: data}); err != nil {
		t.Fatal(err)
	}
	l, err := archive.Open(publish.Layout{Root: data}.Log())
	if err != nil {
		t.Fatal(err)
	}
	if l.State.Size == 0 || l.State.AsOf != fixture.AsOf.String() {
		t.Fatalf("the publication recorded no switch in its log: %+v", l.State)
	}
	srv, err := server.New(data, server.Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestBrowser_Verify: a reader saves an entry page and checks it on /verify/ in a real headless Chromium
// with JavaScript off, at a phone's width: the footer leads to the page, the file is chosen in the form's
// file input and sent, and the answer, rendered by the server in the site's page, says 已发布 with the
// page's 数据日期; the same page with one character changed is 未找到. Neither answer scrolls sideways.
func TestBrowser_Verify(t *testing.T) {
	ts := servePublishedWithLog(t, 200)

	// The page as curl saves it.
	resp, err := http.Get(ts.URL + "/black/")
	if err != nil {
		t.Fatal(err)
	}
	list, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	i := bytes.Index(list, []byte(`href="/black/E`))
	if i < 0 {
		t.Fatal("no entry on /black/")
	}
	entry := string(list[i+len(`href="`):])
	entry = entry[:strings.IndexByte(entry, '"')]
	resp, err = http.Get(ts.URL + entry)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	dir := t.TempDir()
	saved := filepath.Join(dir, "saved.html")
	changed := filepath.Join(dir, "changed.html")
	os.WriteFile(saved, page, 0o644)
	os.WriteFile(changed, bytes.Replace(page, []byte("失信"), []byte("守信"), 1), 0o644)

	ctx, jsErrors := browser(t)
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true), chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	check := func(file string) (answer string) {
		t.Helper()
		var loc string
		var scrollWidth int64
		err := chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+entry),
			chromedp.Click(`footer a[href="/verify/"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#verify-file`, chromedp.ByQuery),
			chromedp.SetUploadFiles(`#verify-file`, []string{file}, chromedp.ByQuery),
			chromedp.Submit(`#verify-file`, chromedp.ByQuery),
			chromedp.WaitVisible(`.verify-result`, chromedp.ByQuery),
			chromedp.Text(`.verify-result`, &answer, chromedp.ByQuery),
			chromedp.Location(&loc),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
		)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(file), err)
		}
		if !strings.HasSuffix(loc, "/verify/") {
			t.Errorf("%s: the answer is at %s", filepath.Base(file), loc)
		}
		if scrollWidth > 360 {
			var wide string
			chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 361).slice(0,8).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`, &wide))
			t.Errorf("%s: the answer scrolls sideways (%d px wide): %s", filepath.Base(file), scrollWidth, wide)
		}
		return answer
	}
	answer := check(saved)
	sum := sha256.Sum256(page)
	if !strings.Contains(answer, "已发布") || !strings.Contains(answer, "首次发布的数据日期") ||
		!strings.Contains(answer, fixture.AsOf.String()) || !strings.Contains(answer, "至今仍在公示") ||
		!strings.Contains(answer, archive.Sum(sum).String()) {
		t.Errorf("the saved page:\n%s", answer)
	}
	if answer := check(changed); !strings.Contains(answer, "未找到") || strings.Contains(answer, "已发布") ||
		strings.Contains(answer, fixture.AsOf.String()) {
		t.Errorf("the changed page:\n%s", answer)
	}
	if errs := jsErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
