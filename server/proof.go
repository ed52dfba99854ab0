package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"xinyong"
	"xinyong/archive"
	"xinyong/publish"
)

// The publication log (package archive, DATA/log) on the server: /api/proof answers the proof for a page's
// SHA-256 as JSON, and /verify/ lets a reader upload a saved page (or paste its SHA-256) and shows, in the
// site's page, whether the site published exactly these bytes and on which 数据日期. Both work from the
// log's committed state, read again for every request: a publication commits the log right after it
// switches the release, and a request must never answer from a state older than the page it checks.
const (
	proofPath  = "/api/proof"
	verifyPath = "/verify/"
	// Markers of the verify page (themes/xinyong/layouts/verify.html): the server writes the forms and the
	// answer between them.
	verifyStart = "<!--xinyong:verify-->"
	verifyEnd   = "<!--/xinyong:verify-->"

	// MaxUpload is the largest file /verify/ takes: far above any page of the site (a record page is a few
	// kilobytes, a list page well under a megabyte).
	MaxUpload = 5 << 20
	// uploadDrain is how much of a larger upload is still read (and thrown away) so that the browser, which
	// is still sending, gets the answer instead of a reset connection; beyond it the connection is closed.
	uploadDrain = 4 * MaxUpload
	// uploadTime is the time an upload may take (the server's ReadTimeout is for requests without a body):
	// 5 MB over a slow mobile connection of 1 Mbit/s.
	uploadTime = 60 * time.Second

	// proofAttempts is how often a proof that does not check is made again. archive.Prove itself reads
	// one committed state; but the verifier key is read after it, and a commit that rotates the key in
	// between gives a proof signed with one key checked against the other, which Check refuses: the next
	// try reads both of one state.
	proofAttempts = 3
	proofRetry    = 100 * time.Millisecond
)

// errNoLog is the error of a request when nothing was recorded in the log yet (archive.ErrNoLog).
var errNoLog = archive.ErrNoLog

// errBadSum is the error of a SHA-256 that is not 64 hexadecimal characters.
var errBadSum = errors.New("malformed SHA-256")

// parseSum reads a SHA-256 as typed or pasted: spaces around it and upper-case letters are fine.
func parseSum(s string) (archive.Sum, error) {
	sum, err := archive.ParseSum(strings.TrimSpace(s))
	if err != nil {
		return sum, errBadSum
	}
	return sum, nil
}

// prove returns the log's proof for sum and what it establishes, checked with the log's own verifier key
// (DATA/log/vkey; none for an unsigned log). A proof that does not check is made again from the log as it
// then is (see proofAttempts); one that still does not is an error of the server.
func (s *Server) prove(ctx context.Context, sum archive.Sum) (*archive.Proof, *archive.Verified, error) {
	dir := publish.Layout{Root: s.data}.Log()
	var err error
	for i := range proofAttempts {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			case <-time.After(proofRetry):
			}
		}
		var p *archive.Proof
		var v *archive.Verified
		if p, v, err = proveOnce(dir, sum); err == nil || errors.Is(err, errNoLog) {
			return p, v, err
		}
	}
	return nil, nil, err
}

func proveOnce(dir string, sum archive.Sum) (*archive.Proof, *archive.Verified, error) {
	l, err := archive.Open(dir)
	if err != nil {
		return nil, nil, err
	}
	p, err := l.Prove(sum)
	if err != nil {
		return nil, nil, err
	}
	vkey, err := os.ReadFile(filepath.Join(dir, archive.VKeyFile))
	switch {
	case errors.Is(err, fs.ErrNotExist) && !l.State.Signed:
		vkey = nil
	case err != nil:
		return nil, nil, fmt.Errorf("log %s: the verifier key of a signed log: %w", dir, err)
	}
	v, err := archive.Check(p, sum, string(vkey))
	if err != nil {
		return nil, nil, fmt.Errorf("log %s: its own proof for %s does not check: %w", dir, sum, err)
	}
	return p, v, nil
}

// proofFailure turns an error of prove (or of reading the request) into its answer, logging the server's
// own errors.
func (s *Server) proofFailure(err error) failure {
	var rl *errRateLimited
	switch {
	case errors.Is(err, errBadSum):
		return failure{http.StatusBadRequest, xinyong.MsgVerifyPageBadSHA256, "bad_sha256"}
	case errors.As(err, &rl):
		return failure{http.StatusTooManyRequests, rl.Error(), "rate_limited"}
	case errors.Is(err, errNoLog):
		return failure{http.StatusServiceUnavailable, xinyong.MsgVerifyPageNoLog, "no_log"}
	case errors.Is(err, errNoFile):
		return failure{http.StatusBadRequest, xinyong.MsgVerifyPageNoFile, "no_file"}
	case errors.Is(err, errNotUpload):
		return failure{http.StatusBadRequest, xinyong.MsgVerifyPageBadUpload, "bad_upload"}
	case errors.Is(err, errTooLarge):
		return failure{http.StatusRequestEntityTooLarge, fmt.Sprintf(xinyong.MsgVerifyPageTooLarge, MaxUpload>>20), "too_large"}
	case errors.Is(err, context.Canceled):
		return failure{http.StatusServiceUnavailable, xinyong.MsgServeUnavailable, "unavailable"} // the client left
	}
	s.log.Error("proof failed", "error", err)
	return failure{http.StatusInternalServerError, xinyong.MsgServeInternal, "internal"}
}

// serveProof answers /api/proof?sha256=<hex>: the log's proof as JSON (archive.Proof; found false for a
// sum never recorded), for anyone, from any origin (a journalist's tool may call it from its own page).
// A proof changes with every publication: it is revalidated each time.
func (s *Server) serveProof(w http.ResponseWriter, r *http.Request) {
	const ctype = "application/json; charset=utf-8"
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Access-Control-Allow-Origin", "*")
	sum, err := parseSum(r.URL.Query().Get("sha256"))
	var p *archive.Proof
	if err == nil {
		if err = s.limit(r); err == nil {
			p, _, err = s.prove(r.Context(), sum)
		}
	}
	if err != nil {
		f := s.proofFailure(err)
		if rl := (*errRateLimited)(nil); errors.As(err, &rl) {
			h.Set("Retry-After", strconv.Itoa(rl.seconds()))
		}
		if f.status == http.StatusServiceUnavailable {
			h.Set("Retry-After", "3600")
		}
		writeBody(w, r, f.status, ctype, mustJSON(apiError{Error: f.msg, Kind: f.kind}))
		return
	}
	writeBody(w, r, http.StatusOK, ctype, mustJSON(p))
}

// Errors of an upload to /verify/.
var (
	errNoFile    = errors.New("no file uploaded")
	errNotUpload = errors.New("not a multipart/form-data upload")
	errTooLarge  = errors.New("upload too large")
)

// uploadedSum reads the file of a POST /verify/ (the form field "file" of a multipart/form-data body)
// and returns its SHA-256. The file is hashed as it arrives: it is neither kept nor shown.
func uploadedSum(w http.ResponseWriter, r *http.Request) (archive.Sum, error) {
	var sum archive.Sum
	// An upload takes longer than a request without a body may (ReadTimeout); the connection's deadlines
	// are moved for this request only. A writer that has none (a test's recorder) keeps its own.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Now().Add(uploadTime))
	rc.SetWriteDeadline(time.Now().Add(uploadTime + 30*time.Second))
	r.Body = http.MaxBytesReader(w, r.Body, uploadDrain)
	mr, err := r.MultipartReader()
	if err != nil {
		return sum, errNotUpload
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return sum, errNoFile
		}
		if err != nil {
			return sum, uploadError(err)
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		return hashPart(part)
	}
}

// hashPart hashes the file of a part, reading all of it (up to uploadDrain) even when it is too large, so
// that the browser gets the answer.
func hashPart(part *multipart.Part) (archive.Sum, error) {
	var sum archive.Sum
	h := sha256.New()
	n, err := io.Copy(h, part)
	if err != nil {
		return sum, uploadError(err)
	}
	if n > MaxUpload {
		return sum, errTooLarge
	}
	// A form sent without a file chosen has the part with an empty name and nothing in it.
	if n == 0 && part.FileName() == "" {
		return sum, errNoFile
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// uploadError is the error of a body that could not be read: too large, or not the multipart it says.
func uploadError(err error) error {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return errTooLarge
	}
	return fmt.Errorf("%w: %v", errNotUpload, err)
}

// serveVerify answers /verify/: without a question the page with its forms; with ?sha256= or an upload
// (POST), the page with the answer. A release without the page (made by an older theme) answers 404.
func (s *Server) serveVerify(w http.ResponseWriter, r *http.Request, st *state) {
	page, err := st.root.ReadFile("verify/index.html")
	if err != nil {
		s.notFound(w, r, st)
		return
	}
	start, end := bytes.Index(page, []byte(verifyStart)), bytes.Index(page, []byte(verifyEnd))
	if start < 0 || end < start {
		s.log.Error("the verify page has no markers", "release", st.id)
		s.errorPage(w, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
		return
	}
	w.Header().Set("Cache-Control", cacheNone)
	vw := verifyView{L: &theVerifyLabels, MaxMB: MaxUpload >> 20}
	status := http.StatusOK
	var sum archive.Sum
	q := r.URL.Query()
	// The client's rate is checked before an upload is read: an upload costs more than a search.
	switch {
	case r.Method == http.MethodPost:
		if err = s.limit(r); err == nil {
			sum, err = uploadedSum(w, r)
		}
	case q.Has("sha256"):
		if sum, err = parseSum(q.Get("sha256")); err == nil {
			err = s.limit(r)
		}
	default:
		err = errNothingAsked
	}
	if err == nil {
		vw.SHA256 = sum.String()
		var p *archive.Proof
		var v *archive.Verified
		if p, v, err = s.prove(r.Context(), sum); err == nil {
			vw.answer(v)
			vw.Stamp = s.stampText(p)
		}
	}
	if err != nil && !errors.Is(err, errNothingAsked) {
		f := s.proofFailure(err)
		status, vw.Error = f.status, f.msg
		if rl := (*errRateLimited)(nil); errors.As(err, &rl) {
			w.Header().Set("Retry-After", strconv.Itoa(rl.seconds()))
		}
	}
	if errors.Is(err, errBadSum) || errors.Is(err, errTooLarge) || errors.Is(err, errNotUpload) {
		vw.SHA256 = "" // nothing of the request is shown back but a sum the server computed or parsed
	}
	var body bytes.Buffer
	body.Write(page[:start])
	if err := verifyTemplate.Execute(&body, &vw); err != nil {
		s.log.Error("rendering the verify page", "error", err)
		s.errorPage(w, r, st, http.StatusInternalServerError, xinyong.MsgServeInternal)
		return
	}
	body.Write(page[end+len(verifyEnd):])
	writeBody(w, r, status, contentTypes[".html"], body.Bytes())
}

// errNothingAsked: /verify/ without a question shows the forms only.
var errNothingAsked = errors.New("nothing asked")

// verifyLabels are the fixed texts of the verify page (messages.go).
type verifyLabels struct {
	FileLabel, FileHint, FileButton           string
	SumLabel, SumPlaceholder, SumButton       string
	Found, FoundText, NotFound, NotFoundText  string
	NotFoundHint, SHA256, Period, First, Last string
	Removed, Log, Signature, Signed, Unsigned string
	Stamp, Proof, ProofHint                   string
}

var theVerifyLabels = verifyLabels{
	FileLabel: xinyong.MsgVerifyPageFileLabel, FileHint: xinyong.MsgVerifyPageFileHint, FileButton: xinyong.MsgVerifyPageFileButton,
	SumLabel: xinyong.MsgVerifyPageSumLabel, SumPlaceholder: xinyong.MsgVerifyPageSumPlaceholder, SumButton: xinyong.MsgVerifyPageSumButton,
	Found: xinyong.MsgVerifyPageFound, FoundText: xinyong.MsgVerifyPageFoundText, NotFound: xinyong.MsgVerifyPageNotFound,
	NotFoundText: xinyong.MsgVerifyPageNotFoundText, NotFoundHint: xinyong.MsgVerifyPageNotFoundHint,
	SHA256: xinyong.MsgVerifyPageSHA256, Period: xinyong.MsgVerifyPagePeriod, First: xinyong.MsgVerifyPageFirst,
	Last: xinyong.MsgVerifyPageLast, Removed: xinyong.MsgVerifyPageRemoved, Log: xinyong.MsgVerifyPageLog,
	Signature: xinyong.MsgVerifyPageSignature, Signed: xinyong.MsgVerifyPageSigned, Unsigned: xinyong.MsgVerifyPageUnsigned,
	Stamp: xinyong.MsgVerifyPageStamp, Proof: xinyong.MsgVerifyPageProof, ProofHint: xinyong.MsgVerifyPageProofHint,
}

// verifyView is what the verify page shows.
type verifyView struct {
	L      *verifyLabels
	MaxMB  int
	Error  string
	SHA256 string // the sum checked, computed by the server or parsed from the URL
	Answer bool   // the log answered: Found or not
	Found  bool
	// Periods are the stretches in which the site served the file, oldest first.
	Periods []periodView
	Log     string // the checkpoint: origin and size
	Signed  bool
	Stamp   string // what the checkpoint's time stamp attests; "" without one
	Proof   string // the URL of the proof as JSON
}

// periodView is one stretch in which the site served the file.
type periodView struct {
	Title          string
	First, FirstAt string // the first 数据日期, and the release that added it
	Last, LastAt   string // the last 数据日期 (or 至今仍在公示), and the release
	Removed        string // the release that took it down, "" while it is served
}

// answer fills the view from what the proof established.
func (vw *verifyView) answer(v *archive.Verified) {
	vw.Answer, vw.Found, vw.Signed = true, v.Found, v.Signed
	vw.Log = fmt.Sprintf(xinyong.MsgVerifyPageLogSize, v.Origin, v.Size)
	vw.Proof = proofPath + "?sha256=" + v.SHA256
	for i, p := range v.Periods {
		pv := periodView{Title: xinyong.MsgVerifyPagePeriod, First: p.From.AsOf, FirstAt: switchText(p.From),
			Last: p.To.AsOf, LastAt: switchText(p.To)}
		if len(v.Periods) > 1 {
			pv.Title = fmt.Sprintf(xinyong.MsgVerifyPagePeriodN, i+1)
		}
		if p.Current {
			pv.Last = fmt.Sprintf(xinyong.MsgVerifyPageStill, p.To.AsOf)
		}
		if p.Removed != nil {
			pv.Removed = removedText(*p.Removed)
		}
		vw.Periods = append(vw.Periods, pv)
	}
}

// stampText says what the checkpoint's RFC 3161 time stamp attests, "" when the log has none. The stamp's
// signature is checked against the certificate it carries; the server is given no TSA roots, so who signed
// is left to the reader (docs/archive-tsa.md): the page names the certificate and says so.
func (s *Server) stampText(p *archive.Proof) string {
	if len(p.Timestamp) == 0 {
		return ""
	}
	info, err := archive.CheckTimestamp(p.Timestamp, []byte(p.Checkpoint), nil)
	if err != nil {
		s.log.Warn("the log's time stamp does not check", "error", err)
		return xinyong.MsgVerifyPageStampBad
	}
	return fmt.Sprintf(xinyong.MsgVerifyPageStamped, info.Time.In(xinyong.Shanghai).Format("2006-01-02 15:04:05"), info.Subject)
}

// switchText describes the release of a 数据日期 as the log recorded it: its id and when it was made current,
// in Beijing time (the last release of a page taken down is known by its id only).
func switchText(sw archive.Switch) string {
	if sw.At.IsZero() {
		return fmt.Sprintf(xinyong.MsgVerifyPageReleaseID, sw.Release)
	}
	return fmt.Sprintf(xinyong.MsgVerifyPageRelease, sw.Release, beijing(sw.At)) + rolledBack(sw)
}

// removedText describes the release that took a page down.
func removedText(sw archive.Switch) string {
	return fmt.Sprintf(xinyong.MsgVerifyPageRemovedBy, sw.Release, sw.AsOf, beijing(sw.At)) + rolledBack(sw)
}

func beijing(t time.Time) string { return t.In(xinyong.Shanghai).Format("2006-01-02 15:04") }

func rolledBack(sw archive.Switch) string {
	if sw.Event == archive.EventRolledBack {
		return xinyong.MsgVerifyPageRolledBack
	}
	return ""
}

// verifyTemplate is what the server writes between the markers of the verify page: the two forms (an
// upload and a pasted SHA-256; both work without JavaScript) and the answer. html/template escapes every
// value; nothing of an uploaded file is shown but its SHA-256.
var verifyTemplate = template.Must(template.New("verify").Parse(`
<div class="verify-forms">
<form class="search-form verify-form" action="/verify/" method="post" enctype="multipart/form-data">
  <label for="verify-file">{{ .L.FileLabel }}</label>
  <div class="search-row">
    <input id="verify-file" name="file" type="file" required>
    <button type="submit">{{ .L.FileButton }}</button>
  </div>
  <p class="hint">{{ printf .L.FileHint .MaxMB }}</p>
</form>
<form class="search-form verify-form" action="/verify/" method="get">
  <label for="verify-sha256">{{ .L.SumLabel }}</label>
  <div class="search-row">
    <input id="verify-sha256" name="sha256" type="text" required maxlength="80" autocomplete="off" spellcheck="false" inputmode="latin" placeholder="{{ .L.SumPlaceholder }}" value="{{ .SHA256 }}">
    <button type="submit">{{ .L.SumButton }}</button>
  </div>
</form>
</div>
{{- with .Error }}
<div class="notice" role="alert"><p>{{ . }}</p></div>
{{- end }}
{{- if .Answer }}
<section class="verify-result {{ if .Found }}verify-found{{ else }}verify-not-found{{ end }}" aria-labelledby="verify-answer">
  {{- if .Found }}
  <h2 id="verify-answer">{{ .L.Found }}</h2>
  <p>{{ .L.FoundText }}</p>
  {{- else }}
  <h2 id="verify-answer">{{ .L.NotFound }}</h2>
  <p>{{ .L.NotFoundText }}</p>
  <p class="hint">{{ .L.NotFoundHint }}</p>
  {{- end }}
  <dl class="verify-facts">
    <div><dt>{{ .L.SHA256 }}</dt><dd class="code">{{ .SHA256 }}</dd></div>
  </dl>
  {{- range .Periods }}
  <h3>{{ .Title }}</h3>
  <dl class="verify-facts">
    <div><dt>{{ $.L.First }}</dt><dd><strong class="verify-first">{{ .First }}</strong><br><span class="note">{{ .FirstAt }}</span></dd></div>
    <div><dt>{{ $.L.Last }}</dt><dd><strong class="verify-last">{{ .Last }}</strong><br><span class="note">{{ .LastAt }}</span></dd></div>
    {{- with .Removed }}
    <div><dt>{{ $.L.Removed }}</dt><dd class="verify-removed">{{ . }}</dd></div>
    {{- end }}
  </dl>
  {{- end }}
  <dl class="verify-facts">
    <div><dt>{{ .L.Log }}</dt><dd>{{ .Log }}</dd></div>
    <div><dt>{{ .L.Signature }}</dt><dd>{{ if .Signed }}{{ .L.Signed }}（<a href="/log/vkey">/log/vkey</a>）{{ else }}{{ .L.Unsigned }}{{ end }}</dd></div>
    {{- with .Stamp }}
    <div><dt>{{ $.L.Stamp }}</dt><dd class="verify-stamp">{{ . }}</dd></div>
    {{- end }}
  </dl>
  <p><a href="{{ .Proof }}">{{ .L.Proof }}</a></p>
  <p class="hint">{{ .L.ProofHint }}</p>
</section>
{{- end }}
`))
