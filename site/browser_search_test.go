package site_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// TestBrowser_Search searches the published site in a real headless Chromium, as the public does: by a
// part of a name and by a credit code, with JavaScript off (plain form, results rendered by the server)
// and on (suggestions from /api/search), and opens a result.
func TestBrowser_Search(t *testing.T) {
	data := t.TempDir()
	if _, err := publish.Run(context.Background(), publish.Options{Source: fixture.MustDemo(t, 500), AsOf: fixture.AsOf, Data: data}); err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(data, server.Options{RateLimit: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	// A subject with a credit code, found through the API: its name, a part of it, its code and its URL.
	var api struct {
		Hits []struct{ Name, Code, URL string }
	}
	resp, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape("有限公司") + "&kind=subject")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&api)
	resp.Body.Close()
	var name, code, subject string
	for _, h := range api.Hits {
		if h.Code != "" && len([]rune(h.Name)) >= 8 {
			name, code, subject = h.Name, h.Code, h.URL
			break
		}
	}
	if subject == "" {
		t.Fatalf("no subject with a code in %+v", api.Hits)
	}
	part := string([]rune(strings.TrimPrefix(name, "盘锦"))[:4]) // e.g. 鑫源化工 of 盘锦鑫源化工有限公司
	result := `main a[href="` + subject + `"]`

	ctx, jsErrors := browser(t)
	for _, js := range []bool{false, true} {
		if err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(!js)); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{part, strings.ToLower(code)} {
			var loc string
			err := chromedp.Run(ctx,
				chromedp.Navigate(ts.URL+"/"),
				chromedp.SendKeys(`main form[role="search"] input[name="q"]`, q, chromedp.ByQuery),
				chromedp.Submit(`main form[role="search"] input[name="q"]`, chromedp.ByQuery),
				chromedp.WaitVisible(result, chromedp.ByQuery),
				chromedp.Click(result, chromedp.ByQuery),
				chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
				chromedp.Location(&loc),
			)
			if err != nil {
				t.Fatalf("search %q (JavaScript %v): %v", q, js, err)
			}
			if !strings.HasSuffix(loc, subject) {
				t.Errorf("search %q (JavaScript %v) opened %s, want %s", q, js, loc, subject)
			}
		}
	}
	// With JavaScript the search box suggests as one types.
	var suggestions []string
	err = chromedp.Run(ctx,
		chromedp.Navigate(ts.URL+"/black/"),
		chromedp.SendKeys(`header form[role="search"] input[name="q"]`, part, chromedp.ByQuery),
		chromedp.WaitVisible(`[role="listbox"] [role="option"]`, chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll('[role="listbox"] [role="option"]')).map(e => e.textContent)`, &suggestions),
	)
	if err != nil {
		t.Fatalf("suggestions for %q: %v", part, err)
	}
	found := false
	for _, s := range suggestions {
		found = found || strings.Contains(s, name)
	}
	if !found {
		t.Errorf("suggestions for %q: %q, want %s among them", part, suggestions, name)
	}
	if errs := jsErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}
