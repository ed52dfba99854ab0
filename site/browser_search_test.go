package site_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"xinyong"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/server"
)

// servePublished publishes a demo of entries entries and serves it with xinyong serve (no rate limit), as
// the public reaches it; the server stops with the test.
func servePublished(t *testing.T, entries int) *httptest.Server {
	t.Helper()
	data := t.TempDir()
	if _, err := publish.Run(context.Background(), publish.Options{Source: fixture.MustDemo(t, entries), AsOf: fixture.AsOf, Data: data}); err != nil {
		t.Fatal(err)
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

// TestBrowser_Search searches the published site in a real headless Chromium, as the public does: by a
// part of a name and by a credit code, with JavaScript off (plain form, results rendered by the server)
// and on (suggestions from /api/search), and opens a result.
func TestBrowser_Search(t *testing.T) {
	ts := servePublished(t, 500)

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
	// What people paste (issue 14): a 认定文号 read on a subject's page, typed with other brackets, finds the
	// subject and names the entry, whose link opens the entry's page; a lenient credit code (published as
	// the department reported it, with a wrong check character) finds its subject with the gentle notice.
	var entry, decision string
	for _, h := range api.Hits {
		var rows [][2]string
		err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(false),
			chromedp.Navigate(ts.URL+h.URL),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
			chromedp.Evaluate(`Array.from(document.querySelectorAll('main tbody tr')).map(r => {
				const a = r.querySelector('th a'), d = r.querySelector('td[data-label="认定文号"]');
				return [a ? a.getAttribute('href') : '', d ? d.textContent.trim() : ''];
			})`, &rows),
		)
		if err != nil {
			t.Fatalf("subject page %s: %v", h.URL, err)
		}
		for _, r := range rows {
			if strings.Contains(r[1], "〔") && r[0] != "" {
				entry, decision = r[0], r[1]
				break
			}
		}
		if entry != "" {
			break
		}
	}
	if entry == "" {
		t.Fatal("no 认定文号 with 〔〕 on the pages of the first subjects")
	}
	pasted := strings.NewReplacer("〔", "(", "〕", ")").Replace(decision)
	t.Logf("认定文号 %s of %s, pasted as %s", decision, entry, pasted)
	for _, js := range []bool{false, true} {
		matched := `main .hit-matched a[href="` + entry + `"]`
		var loc string
		err := chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(!js),
			chromedp.Navigate(ts.URL+"/"),
			chromedp.SendKeys(`main form[role="search"] input[name="q"]`, pasted, chromedp.ByQuery),
			chromedp.Submit(`main form[role="search"] input[name="q"]`, chromedp.ByQuery),
			chromedp.WaitVisible(matched, chromedp.ByQuery),
			chromedp.Click(matched, chromedp.ByQuery),
			chromedp.WaitVisible(`main h1`, chromedp.ByQuery),
			chromedp.Location(&loc),
		)
		if err != nil {
			t.Fatalf("search %q (JavaScript %v): %v", pasted, js, err)
		}
		if !strings.HasSuffix(loc, entry) {
			t.Errorf("search %q (JavaScript %v) opened %s, want %s", pasted, js, loc, entry)
		}
	}
	var lenient, lenientURL string
	for page := 1; page <= 20 && lenient == ""; page++ {
		var res struct {
			Pages int
			Hits  []struct{ Code, URL string }
		}
		resp, err := http.Get(ts.URL + "/api/search?q=" + url.QueryEscape("公司") + "&kind=subject&size=50&page=" + strconv.Itoa(page))
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&res)
		resp.Body.Close()
		for _, h := range res.Hits {
			if h.Code != "" && !xinyong.CheckCreditCode(h.Code).Valid() {
				lenient, lenientURL = h.Code, h.URL
				break
			}
		}
		if page >= res.Pages {
			break
		}
	}
	if lenient == "" {
		t.Fatal("no subject with a lenient code found through the API")
	}
	t.Logf("lenient code %s of %s", lenient, lenientURL)
	var notice string
	err = chromedp.Run(ctx, emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(ts.URL+"/"),
		chromedp.SendKeys(`main form[role="search"] input[name="q"]`, lenient, chromedp.ByQuery),
		chromedp.Submit(`main form[role="search"] input[name="q"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`main a[href="`+lenientURL+`"]`, chromedp.ByQuery),
		chromedp.Text(`main .notice`, &notice, chromedp.ByQuery),
		emulation.SetScriptExecutionDisabled(false), // for the suggestions below
	)
	if err != nil {
		t.Fatalf("search %q: %v", lenient, err)
	}
	if !strings.Contains(notice, "该代码未通过校验，但为认定部门报送的代码") || strings.Contains(notice, "有误") {
		t.Errorf("search %q: notice %q, want the gentle one", lenient, notice)
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
