package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"xinyong"
	"xinyong/archive"
	"xinyong/archive/tsatest"
	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// The tests of /api/proof and /verify/ record the fixture's release in a real log (package archive) the
// way a publication does: one switch per release, the SHA-256 of every file of its site, committed into
// DATA/log. Before it, a release of the day before served the same site and one page more, taken down by
// the fixture's release: the old version of an entry page, as after 信用修复.

const (
	testOrigin  = "credit.example.invalid/log"
	entryPage   = "black/E02/index.html" // an entry page of the fixture
	earlierAsOf = "2026-06-14"
)

// takenDown is the page the earlier release served and the fixture's release no longer does.
var takenDown = []byte("<!doctype html><title>盘锦鑫源化工有限公司 · 已撤下的旧版本</title>\n")

// siteSums returns the SHA-256 of every regular file of a site, in byte order, as a publication records
// them.
func siteSums(t *testing.T, site string) []archive.Sum {
	t.Helper()
	var sums []archive.Sum
	err := filepath.WalkDir(site, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sums = append(sums, sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(sums, func(a, b archive.Sum) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(sums)
}

// testKey makes a signing key for the log.
func testKey(t *testing.T) *archive.Key {
	t.Helper()
	skey, _, err := archive.GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	key, err := archive.ParseKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// recordLog writes the log of two switches into data: the earlier release (r0, the site and takenDown),
// then r1 (the site as served), signed with opt.Key (nil: unsigned) and stamped by opt.Timestamp.
func recordLog(t *testing.T, data string, opt archive.Options) {
	t.Helper()
	opt.Origin = testOrigin
	l, err := archive.Open(publish.Layout{Root: data}.Log())
	if err != nil {
		t.Fatal(err)
	}
	site := publish.Layout{Root: data}.Release("r1").Site()
	sums := siteSums(t, site)
	earlier := append(slices.Clone(sums), sha256.Sum256(takenDown))
	slices.SortFunc(earlier, func(a, b archive.Sum) int { return bytes.Compare(a[:], b[:]) })
	at := time.Date(2026, 6, 13, 18, 0, 0, 0, time.UTC) // 02:00 in Beijing on the 14th
	for i, sw := range []struct {
		release, asOf string
		sums          []archive.Sum
	}{{"r0", earlierAsOf, earlier}, {"r1", fixture.AsOf.String(), sums}} {
		p, err := l.Append(context.Background(), archive.Switch{Release: sw.release, AsOf: sw.asOf,
			Event: archive.EventPublished, At: at.Add(time.Duration(i) * 24 * time.Hour)},
			sw.sums, filepath.Join(t.TempDir(), "pending"), opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Commit(p.Dir); err != nil {
			t.Fatal(err)
		}
	}
}

// newLoggedServer is newServer with the log of recordLog.
func newLoggedServer(t *testing.T, signed bool, opt Options) (*Server, string) {
	t.Helper()
	s, data, _ := newServer(t, opt)
	var lo archive.Options
	if signed {
		lo.Key = testKey(t)
	}
	recordLog(t, data, lo)
	return s, data
}

func sumOf(b []byte) string {
	s := sha256.Sum256(b)
	return fmt.Sprintf("%x", s)
}

func readPage(t *testing.T, data, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(publish.Layout{Root: data}.Release("r1").Site(), path))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestProofAPI(t *testing.T) {
	s, data := newLoggedServer(t, true, Options{})
	h := s.Handler()
	page := readPage(t, data, entryPage)
	vkey, err := os.ReadFile(filepath.Join(publish.Layout{Root: data}.Log(), archive.VKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	proof := func(target string) (*httptest.ResponseRecorder, *archive.Proof) {
		t.Helper()
		w := get(t, h, target)
		if w.Header().Get("Content-Type") != "application/json; charset=utf-8" ||
			w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Cache-Control") != "no-cache" {
			t.Errorf("%s: headers %v", target, w.Header())
		}
		checkSecurityHeaders(t, target, w)
		var p archive.Proof
		if w.Code == http.StatusOK {
			if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
				t.Fatalf("%s: %v", target, err)
			}
		}
		return w, &p
	}

	// A page served now: found, and the proof checks against the log's published key, by a client that
	// has only the answer and the key.
	sum := sha256.Sum256(page)
	w, p := proof("/api/proof?sha256=" + sumOf(page))
	if w.Code != 200 || !p.Found {
		t.Fatalf("served page: %d %s", w.Code, w.Body)
	}
	v, err := archive.Check(p, sum, string(vkey))
	if err != nil {
		t.Fatal(err)
	}
	if !v.Signed || len(v.Periods) != 1 || v.Periods[0].From.AsOf != earlierAsOf || !v.Periods[0].Current ||
		v.Periods[0].To.AsOf != fixture.AsOf.String() {
		t.Errorf("served page: %+v", v)
	}
	// Upper case and spaces around the sum are the same sum.
	if w, p := proof("/api/proof?sha256=+" + strings.ToUpper(sumOf(page)) + "+"); w.Code != 200 || !p.Found {
		t.Errorf("upper case: %d %s", w.Code, w.Body)
	}

	// The page taken down: found, with the switch that removed it.
	w, p = proof("/api/proof?sha256=" + sumOf(takenDown))
	if w.Code != 200 || !p.Found || p.Current != nil {
		t.Fatalf("taken down: %d %s", w.Code, w.Body)
	}
	v, err = archive.Check(p, sha256.Sum256(takenDown), string(vkey))
	if err != nil || len(v.Periods) != 1 || v.Periods[0].Removed == nil || v.Periods[0].Removed.AsOf != fixture.AsOf.String() {
		t.Errorf("taken down: %+v, %v", v, err)
	}
	// Nothing of the page is in the proof: no name of a subject, only sums, ids, dates and counts.
	if bytes.Contains(w.Body.Bytes(), []byte("鑫源")) {
		t.Errorf("the proof of a removed page names its subject: %s", w.Body)
	}

	// A page changed by one byte: never recorded.
	changed := bytes.Clone(page)
	changed[len(changed)/2] ^= 1
	if w, p := proof("/api/proof?sha256=" + sumOf(changed)); w.Code != 200 || p.Found || len(p.Events) != 0 || p.Checkpoint == "" {
		t.Errorf("changed page: %d %s", w.Code, w.Body)
	}

	// Malformed sums: 400 with the message, as JSON.
	for _, bad := range []string{"", "abc", strings.Repeat("g", 64), sumOf(page) + "0", "<script>"} {
		w, _ := proof("/api/proof?sha256=" + bad)
		var e apiError
		if w.Code != http.StatusBadRequest || json.Unmarshal(w.Body.Bytes(), &e) != nil ||
			e.Error != xinyong.MsgVerifyPageBadSHA256 || e.Kind != "bad_sha256" {
			t.Errorf("sha256=%q: %d %s", bad, w.Code, w.Body)
		}
	}

	// HEAD answers the headers only.
	if w := do(t, h, http.MethodHead, "/api/proof?sha256="+sumOf(page)); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d %d bytes", w.Code, w.Body.Len())
	}
}

func TestProofAPI_NoLog(t *testing.T) {
	s, _, _ := newServer(t, Options{})
	h := s.Handler()
	w := get(t, h, "/api/proof?sha256="+strings.Repeat("0", 64))
	var e apiError
	if w.Code != http.StatusServiceUnavailable || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Error != xinyong.MsgVerifyPageNoLog ||
		w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("no log: %d %v %s", w.Code, w.Header(), w.Body)
	}
	// The verify page says so too, in the site's page.
	w = get(t, h, "/verify/?sha256="+strings.Repeat("0", 64))
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), xinyong.MsgVerifyPageNoLog) ||
		!strings.Contains(w.Body.String(), "site-header") {
		t.Errorf("verify without a log: %d", w.Code)
	}
}

func TestProofAPI_RateLimited(t *testing.T) {
	s, data := newLoggedServer(t, false, Options{RateLimit: 1, RateBurst: 2})
	h := s.Handler()
	target := "/api/proof?sha256=" + sumOf(readPage(t, data, entryPage))
	codes := []int{}
	for range 4 {
		codes = append(codes, get(t, h, target).Code)
	}
	if codes[0] != 200 || codes[3] != http.StatusTooManyRequests {
		t.Errorf("codes %v", codes)
	}
	w := get(t, h, "/verify/?sha256="+sumOf(readPage(t, data, entryPage)))
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("verify over the rate: %d %v", w.Code, w.Header())
	}
}

// upload is a POST /verify/ of a file as a browser sends the form.
func upload(t *testing.T, h http.Handler, name string, content []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	r := httptest.NewRequest(http.MethodPost, "/verify/", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// verifyAnswer is the text of the verify page's answer and error, for checking.
func verifyAnswer(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	doc := parseHTML(t, w.Body.Bytes())
	var out []string
	for _, n := range find(doc, func(n *html.Node) bool {
		return hasClass(n, "verify-result") || hasClass(n, "notice") && attr(n, "role") == "alert"
	}) {
		out = append(out, text(n))
	}
	return strings.Join(out, "\n")
}

func TestVerifyUpload(t *testing.T) {
	s, data := newLoggedServer(t, true, Options{})
	h := s.Handler()
	page := readPage(t, data, entryPage)
	// The file's name is never shown back; neither is its content.
	const name = "张三 211102199001011175.html"

	w := upload(t, h, name, page)
	answer := verifyAnswer(t, w)
	if w.Code != 200 || !strings.Contains(answer, xinyong.MsgVerifyPageFound) || !strings.Contains(answer, earlierAsOf) ||
		!strings.Contains(answer, fmt.Sprintf(xinyong.MsgVerifyPageStill, fixture.AsOf)) || !strings.Contains(answer, sumOf(page)) ||
		!strings.Contains(answer, xinyong.MsgVerifyPageSigned) || !strings.Contains(answer, testOrigin) {
		t.Fatalf("published page: %d\n%s", w.Code, answer)
	}
	if !strings.Contains(w.Body.String(), `href="/api/proof?sha256=`+sumOf(page)+`"`) {
		t.Error("no link to the proof")
	}
	checkSecurityHeaders(t, "POST /verify/", w)
	if w.Header().Get("Cache-Control") != cacheNone {
		t.Errorf("Cache-Control %q", w.Header().Get("Cache-Control"))
	}
	for _, echo := range []string{"211102199001011175", "张三", "E02</"} {
		if strings.Contains(w.Body.String(), echo) {
			t.Errorf("the answer shows %q of the upload", echo)
		}
	}

	// One byte changed: not found, and what that means.
	changed := bytes.Clone(page)
	changed[len(changed)/2] ^= 1
	w = upload(t, h, "page.html", changed)
	answer = verifyAnswer(t, w)
	if w.Code != 200 || !strings.Contains(answer, xinyong.MsgVerifyPageNotFound) || !strings.Contains(answer, xinyong.MsgVerifyPageNotFoundText) ||
		strings.Contains(answer, xinyong.MsgVerifyPageFirst) || !strings.Contains(answer, sumOf(changed)) {
		t.Errorf("changed page: %d\n%s", w.Code, answer)
	}

	// The page taken down: published from the earlier date to the same, and the release that took it down.
	w = upload(t, h, "old.html", takenDown)
	answer = verifyAnswer(t, w)
	if w.Code != 200 || !strings.Contains(answer, xinyong.MsgVerifyPageFound) || !strings.Contains(answer, xinyong.MsgVerifyPageRemoved) ||
		!strings.Contains(answer, fmt.Sprintf(xinyong.MsgVerifyPageRemovedBy, "r1", fixture.AsOf, "2026-06-15 02:00")) ||
		strings.Contains(answer, "至今") {
		t.Errorf("taken-down page: %d\n%s", w.Code, answer)
	}

	// Over the limit: a clear message, 413.
	w = upload(t, h, "big.html", bytes.Repeat([]byte("x"), MaxUpload+1))
	if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(verifyAnswer(t, w), fmt.Sprintf(xinyong.MsgVerifyPageTooLarge, 5)) {
		t.Errorf("oversize: %d\n%s", w.Code, verifyAnswer(t, w))
	}
	// Exactly the limit is taken.
	if w = upload(t, h, "limit.html", bytes.Repeat([]byte("x"), MaxUpload)); w.Code != 200 {
		t.Errorf("at the limit: %d", w.Code)
	}
	// No file chosen; not a form upload.
	if w = upload(t, h, "", nil); w.Code != http.StatusBadRequest || !strings.Contains(verifyAnswer(t, w), xinyong.MsgVerifyPageNoFile) {
		t.Errorf("no file: %d", w.Code)
	}
	r := httptest.NewRequest(http.MethodPost, "/verify/", strings.NewReader("sha256=abc"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusBadRequest || !strings.Contains(verifyAnswer(t, w), xinyong.MsgVerifyPageBadUpload) {
		t.Errorf("not multipart: %d", w.Code)
	}
}

// TestVerifyUpload_Oversize sends a file over the limit to a real server: the browser, still sending,
// must get the answer (413 and the message), not a reset connection.
func TestVerifyUpload_Oversize(t *testing.T) {
	s, _ := newLoggedServer(t, false, Options{})
	addr := serveReal(t, s)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "big.html")
	fw.Write(bytes.Repeat([]byte("<p>x</p>\n"), 2*MaxUpload/9))
	mw.Close()
	resp, err := http.Post("http://"+addr+"/verify/", mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(b, []byte(fmt.Sprintf(xinyong.MsgVerifyPageTooLarge, 5))) {
		t.Errorf("oversize: %s", resp.Status)
	}
}

func TestVerifyPage(t *testing.T) {
	s, data := newLoggedServer(t, false, Options{})
	h := s.Handler()
	page := readPage(t, data, entryPage)

	// Without a question: the page with both forms, in the site's chrome, and its explanation.
	w := get(t, h, "/verify/")
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `enctype="multipart/form-data"`) || !strings.Contains(body, `name="sha256"`) ||
		!strings.Contains(body, "核验能证明什么") || !strings.Contains(body, "site-footer") || verifyAnswer(t, w) != "" ||
		strings.Contains(body, verifyStart) {
		t.Fatalf("/verify/: %d\n%s", w.Code, body)
	}
	// The static page stands without the server: it says checking needs it.
	static, err := os.ReadFile(filepath.Join(publish.Layout{Root: data}.Release("r1").Site(), "verify", "index.html"))
	if err != nil || !bytes.Contains(static, []byte(verifyStart)) {
		t.Fatalf("the built verify page: %v", err)
	}

	// A pasted sum, unsigned log.
	w = get(t, h, "/verify/?sha256="+strings.ToUpper(sumOf(page)))
	answer := verifyAnswer(t, w)
	if w.Code != 200 || !strings.Contains(answer, xinyong.MsgVerifyPageFound) || !strings.Contains(answer, earlierAsOf) ||
		!strings.Contains(answer, xinyong.MsgVerifyPageUnsigned) {
		t.Errorf("pasted sum: %d\n%s", w.Code, answer)
	}
	// The form shows the sum checked, in lower case.
	if !strings.Contains(w.Body.String(), `value="`+sumOf(page)+`"`) {
		t.Error("the form does not keep the sum")
	}
	// A malformed sum: 400, and it is not shown back.
	w = get(t, h, "/verify/?sha256=211102199001011175")
	if w.Code != http.StatusBadRequest || !strings.Contains(verifyAnswer(t, w), xinyong.MsgVerifyPageBadSHA256) ||
		strings.Contains(w.Body.String(), "211102199001011175") {
		t.Errorf("malformed: %d", w.Code)
	}
	// HEAD, and methods.
	if w := do(t, h, http.MethodHead, "/verify/"); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d", w.Code)
	}
	for _, m := range []string{http.MethodPut, http.MethodDelete, http.MethodOptions} {
		if w := do(t, h, m, "/verify/"); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD, POST" {
			t.Errorf("%s /verify/: %d %v", m, w.Code, w.Header())
		}
	}
	if w := do(t, h, http.MethodPost, "/verify"); w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST /verify: %d", w.Code)
	}

	// Links to the page: the footer of every page, the sitemap, and the citation of entry and case pages.
	for _, p := range []string{"/", "/sitemap/", "/" + strings.TrimSuffix(entryPage, "index.html"), "/cases/C08/"} {
		if w := get(t, h, p); w.Code != 200 || !strings.Contains(w.Body.String(), `href="/verify/"`) {
			t.Errorf("%s: no link to /verify/ (%d)", p, w.Code)
		}
	}
	for _, p := range []string{"/" + strings.TrimSuffix(entryPage, "index.html"), "/cases/C08/"} {
		doc := parseHTML(t, get(t, h, p).Body.Bytes())
		if len(find(doc, func(n *html.Node) bool { return hasClass(n, "cite-verify") })) != 1 {
			t.Errorf("%s: no link to /verify/ in the citation", p)
		}
	}
}

// TestVerifyPage_Stamped: a log whose checkpoints a time-stamping authority stamped (a throwaway TSA of
// archive/tsatest, over the real protocol): the proof carries the stamp and the page says when the
// checkpoint existed by, and who stamped it.
func TestVerifyPage_Stamped(t *testing.T) {
	tsa := tsatest.New(t)
	s, data, _ := newServer(t, Options{})
	recordLog(t, data, archive.Options{Key: testKey(t), Timestamp: func(ctx context.Context, cp []byte) ([]byte, error) {
		return archive.Timestamp(ctx, nil, tsa.URL, cp)
	}})
	h := s.Handler()
	w := get(t, h, "/verify/?sha256="+sumOf(readPage(t, data, entryPage)))
	doc := parseHTML(t, w.Body.Bytes())
	stamp := find(doc, func(n *html.Node) bool { return hasClass(n, "verify-stamp") })
	if w.Code != 200 || len(stamp) != 1 || !strings.Contains(text(stamp[0]), tsa.Cert.Subject.CommonName) ||
		!strings.Contains(text(stamp[0]), time.Now().In(xinyong.Shanghai).Format("2006-01-02")) {
		t.Fatalf("stamped log: %d\n%s", w.Code, verifyAnswer(t, w))
	}
	// A log without a stamp says nothing of one.
	s2, data2 := newLoggedServer(t, true, Options{})
	w = get(t, s2.Handler(), "/verify/?sha256="+sumOf(readPage(t, data2, entryPage)))
	if strings.Contains(w.Body.String(), "verify-stamp") || !strings.Contains(verifyAnswer(t, w), xinyong.MsgVerifyPageFound) {
		t.Errorf("unstamped log: %d\n%s", w.Code, verifyAnswer(t, w))
	}
}

// TestProof_DuringCommit: a proof that does not check against the log's files (here a state that does not
// match them, as a commit that rotates the key between reading the proof and the key leaves it) is made
// again, and answered once the log is consistent; a log that stays inconsistent is a 500 and an error in
// the server's log.
func TestProof_DuringCommit(t *testing.T) {
	s, data, logs := newServer(t, Options{})
	recordLog(t, data, archive.Options{Key: testKey(t)})
	h := s.Handler()
	dir := publish.Layout{Root: data}.Log()
	statePath := filepath.Join(dir, archive.StateFile)
	newState, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	// The state of the first switch, under the second's checkpoint and set.
	l, _ := archive.Open(dir)
	old := l.State
	old.Size, old.Release = 2, "r0"
	b, _ := json.Marshal(old)
	replace := func(b []byte) {
		tmp := statePath + ".tmp"
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, statePath); err != nil {
			t.Fatal(err)
		}
	}
	target := "/api/proof?sha256=" + sumOf(readPage(t, data, entryPage))

	replace(b)
	w := get(t, h, target)
	var e apiError
	if w.Code != http.StatusInternalServerError || json.Unmarshal(w.Body.Bytes(), &e) != nil || e.Kind != "internal" ||
		!strings.Contains(logs.String(), "proof failed") {
		t.Fatalf("an inconsistent log: %d %s", w.Code, w.Body)
	}

	// The commit ends while the first proof is being made again.
	done := make(chan struct{})
	go func() {
		time.Sleep(proofRetry / 2)
		replace(newState)
		close(done)
	}()
	w = get(t, h, target)
	<-done
	var p archive.Proof
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &p) != nil || !p.Found {
		t.Errorf("during a commit: %d %s", w.Code, w.Body)
	}
}

// TestVerify_RepairedAfterPrune: real publications. A reader saved an entry's page on the first night; the
// entry was repaired, the next publication took the page down, and the release that served it was pruned.
// The page still verifies: 已发布 on the first night's 数据日期, taken down by the second release; neither
// the verify page's answer nor /api/proof names the repaired subject.
func TestVerify_RepairedAfterPrune(t *testing.T) {
	path := fixture.MustFile(t, func(ctx context.Context, w *exchange.DB) error {
		_, err := demo.Generate(ctx, w, demo.Options{Entries: 120, Seed: 7, AsOf: fixture.AsOf})
		return err
	})
	db, err := exchange.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	data := t.TempDir()
	built := time.Date(2026, 6, 14, 18, 0, 0, 0, time.UTC)
	run := func(at time.Time) *publish.Result {
		t.Helper()
		res, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Keep: 1,
			Now: func() time.Time { return at }})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := run(built)
	entries, _ := filepath.Glob(filepath.Join(first.Dir, publish.ContentDir, "black", "*.md"))
	slices.Sort(entries)
	var id, name string
	for _, f := range entries {
		if filepath.Base(f) == "_index.md" {
			continue
		}
		b, _ := os.ReadFile(f)
		fm, _, err := generator.ReadPage(b)
		if err != nil {
			t.Fatal(err)
		}
		id, name = fm.String("id"), fm.String("title")
		break
	}
	page, err := os.ReadFile(filepath.Join(first.Dir, publish.SiteDir, "black", id, "index.html"))
	if err != nil || name == "" || !bytes.Contains(page, []byte(name)) {
		t.Fatalf("entry %s (%q): %v", id, name, err)
	}
	w, err := exchange.OpenWritable(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	as := fixture.AsOf.String()
	if _, err := w.SQL().ExecContext(context.Background(), `UPDATE xy_list_entries SET status = 'repaired', status_changed_on = '`+as+
		`', updated_at = '`+as+`T20:00:00+08:00' WHERE id = ?`, id); err != nil {
		t.Fatal(err)
	}
	w.Close()
	night := run(built.Add(time.Hour))
	if _, err := os.Stat(first.Dir); !os.IsNotExist(err) {
		t.Fatalf("the first release was not pruned: %v", err)
	}

	s, err := New(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	h := s.Handler()
	if w := get(t, h, "/black/"+id+"/"); w.Code != http.StatusNotFound {
		t.Fatalf("the repaired entry's page is still served: %d", w.Code)
	}
	resp := upload(t, h, "saved.html", page)
	answer := verifyAnswer(t, resp)
	if resp.Code != 200 || !strings.Contains(answer, xinyong.MsgVerifyPageFound) || !strings.Contains(answer, fixture.AsOf.String()) ||
		!strings.Contains(answer, xinyong.MsgVerifyPageRemoved) || !strings.Contains(answer, night.ID) || strings.Contains(answer, "至今") {
		t.Fatalf("the saved page of the repaired entry: %d\n%s", resp.Code, answer)
	}
	proof := get(t, h, "/api/proof?sha256="+sumOf(page))
	for what, b := range map[string][]byte{"/verify/": resp.Body.Bytes(), "/api/proof": proof.Body.Bytes()} {
		if bytes.Contains(b, []byte(name)) || bytes.Contains(b, []byte(id+"/")) {
			t.Errorf("%s names the repaired entry (%s, %q)", what, id, name)
		}
	}
	changed := bytes.Replace(page, []byte(name), []byte(name+" "), 1)
	if resp := upload(t, h, "changed.html", changed); !strings.Contains(verifyAnswer(t, resp), xinyong.MsgVerifyPageNotFound) {
		t.Errorf("a changed copy of the repaired entry's page: %s", verifyAnswer(t, resp))
	}
}

// TestVerifyView_Periods: the answer's periods as the page words them — a page served twice (taken down,
// then served again by a rollback), the release that took it down, the current one, Beijing time.
func TestVerifyView_Periods(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 6, 14, 18+h, 0, 0, 0, time.UTC) }
	v := &archive.Verified{SHA256: strings.Repeat("ab", 32), Found: true, Origin: testOrigin, Size: 9, Signed: true,
		Periods: []archive.Period{
			{From: archive.Switch{Release: "R1", AsOf: "2026-06-15", Event: archive.EventPublished, At: at(0)},
				To:      archive.Switch{Release: "R1", AsOf: "2026-06-15"},
				Removed: &archive.Switch{Release: "R2", AsOf: "2026-06-16", Event: archive.EventPublished, At: at(24)}},
			{From: archive.Switch{Release: "R1", AsOf: "2026-06-15", Event: archive.EventRolledBack, At: at(30)},
				To: archive.Switch{Release: "R1", AsOf: "2026-06-15", Event: archive.EventRolledBack, At: at(30)}, Current: true},
		}}
	var vw verifyView
	vw.answer(v)
	want := []periodView{
		{Title: "第 1 次发布", First: "2026-06-15", FirstAt: "版本 R1，2026-06-15 02:00 起发布", Last: "2026-06-15", LastAt: "版本 R1",
			Removed: "版本 R2（数据日期 2026-06-16），2026-06-16 02:00 起不再发布本页"},
		{Title: "第 2 次发布", First: "2026-06-15", FirstAt: "版本 R1，2026-06-16 08:00 起发布（版本回退）",
			Last: "至今仍在公示（当前版本的数据日期为 2026-06-15）", LastAt: "版本 R1，2026-06-16 08:00 起发布（版本回退）"},
	}
	if !slices.Equal(vw.Periods, want) {
		t.Errorf("periods:\n%+v\nwant\n%+v", vw.Periods, want)
	}
	if vw.Log != testOrigin+"，共 9 条记录" || vw.Proof != "/api/proof?sha256="+v.SHA256 || !vw.Found || !vw.Signed {
		t.Errorf("view %+v", vw)
	}
}
