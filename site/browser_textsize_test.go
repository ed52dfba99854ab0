package site_test

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowser_TextSize: 长者模式 in a real headless Chromium at 360 px with JavaScript off, served by xinyong
// serve: the masthead's link switches every page to larger text (20 px instead of 16) and back, and in the
// larger text no page scrolls sideways and the page's own content still starts on the first screen.
func TestBrowser_TextSize(t *testing.T) {
	ts := servePublished(t, 200)

	ctx, jsErrors := browser(t)
	if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true), chromedp.EmulateViewport(360, 800)); err != nil {
		t.Fatal(err)
	}
	rootSize := func() string {
		t.Helper()
		var size string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`getComputedStyle(document.documentElement).fontSize`, &size)); err != nil {
			t.Fatal(err)
		}
		return size
	}
	var entry string
	err := chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/black/"),
		chromedp.AttributeValue(`main table a[href^="/black/"]`, "href", &entry, nil, chromedp.ByQuery),
		chromedp.Click(`a.text-size-large`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.text-size-standard`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	var loc string
	chromedp.Run(ctx, chromedp.Location(&loc))
	if !strings.HasSuffix(loc, "/black/") {
		t.Errorf("the switch went to %s, want back to /black/", loc)
	}
	if size := rootSize(); size != "20px" {
		t.Fatalf("长者模式: root font size %s, want 20px", size)
	}
	for _, path := range []string{"/", "/black/", entry, "/cases/", "/search/?q=" + "有限公司", "/status/", "/changes/", "/contact/", "/list_names/", "/verify/"} {
		var scrollWidth int64
		var headingTop float64
		err := chromedp.Run(ctx,
			chromedp.Navigate(ts.URL+path),
			chromedp.WaitReady("body", chromedp.ByQuery),
			chromedp.Evaluate(`document.documentElement.scrollWidth`, &scrollWidth),
			chromedp.Evaluate(`(() => { const h = document.querySelector("main h1"); return h ? h.getBoundingClientRect().top : -1; })()`, &headingTop),
		)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if size := rootSize(); size != "20px" {
			t.Errorf("%s in 长者模式: root font size %s", path, size)
		}
		if scrollWidth > 360 {
			var wide string
			chromedp.Run(ctx, chromedp.Evaluate(`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > 361).slice(0,8).map(e => e.tagName + "." + e.className + ":" + Math.round(e.getBoundingClientRect().right)).join(" ")`, &wide))
			t.Errorf("%s in 长者模式 scrolls sideways (%d px wide): %s", path, scrollWidth, wide)
		}
		if headingTop < 0 || headingTop > 700 {
			t.Errorf("%s in 长者模式: the heading starts %.0f px down", path, headingTop)
		}
	}
	err = chromedp.Run(ctx,
		chromedp.Click(`a.text-size-standard`, chromedp.ByQuery),
		chromedp.WaitVisible(`a.text-size-large`, chromedp.ByQuery),
	)
	if err != nil {
		t.Fatal(err)
	}
	if size := rootSize(); size != "16px" {
		t.Errorf("back to the standard size: root font size %s", size)
	}
	if errs := jsErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
