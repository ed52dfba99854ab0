package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"golang.org/x/mod/sumdb/note"

	"xinyong"
	"xinyong/archive"
	"xinyong/internal/tree"
	"xinyong/publish"
)

// verify is `xinyong verify`: for each saved page, whether the site published exactly these bytes and in
// which periods, from a proof of the publication log (docs/archive.md) checked here with archive.Check. The
// proof comes from the data directory's log (--data) or from a site's /api/proof (--url); the verifier
// key from --vkey, which a journalist pins to the key the city announced elsewhere, or else from the same
// source as the proof, which the output then says was not checked independently. Exit status 0 only when
// every file verified; 1 when any was not found, failed or could not be read; 2 for a usage error.
func (e *env) verify(ctx context.Context, args []string) error {
	fs := e.flagSet("verify")
	c, err := e.commonFlags(fs, args)
	if err != nil {
		return err
	}
	data := fs.String("data", "", "")
	base := fs.String("url", "", "")
	vkeyFlag := fs.String("vkey", "", "")
	asJSON := fs.Bool("json", false, "")
	tsaRoots := fs.String("tsa-roots", "", "")
	timeout := Duration(30 * time.Second)
	fs.Var(&timeout, "timeout", "")
	if err := e.parseArgs(fs, args, -1); err != nil {
		return err
	}
	if _, err := e.logger(c); err != nil {
		return err
	}
	more := fmt.Sprintf(xinyong.MsgHelpMore, "verify")
	files := fs.Args()
	if len(files) == 0 {
		return usageMsg("%s%s", xinyong.MsgVerifyNoFiles, more)
	}
	for _, f := range files {
		// Flags end at the first file: a flag after one would be read as a file name.
		if strings.HasPrefix(f, "-") && f != "-" {
			return usageMsg(xinyong.MsgFlagAfterArg+"%s", "verify", f, more)
		}
	}
	if *data != "" && *base != "" {
		return usageMsg("%s%s", xinyong.MsgVerifyDataAndURL, more)
	}
	var src proofSource
	if *base != "" {
		u, err := siteBase(*base)
		if err != nil {
			return usageMsg(xinyong.MsgVerifyBadURL+"%s", *base, more)
		}
		src = &siteSource{base: u, client: &http.Client{Timeout: time.Duration(timeout)}}
	} else {
		if *data == "" {
			*data = c.Data
		}
		src = &dataSource{dir: publish.Layout{Root: *data}.Log()}
	}
	var roots *x509.CertPool
	if *tsaRoots != "" {
		if roots, err = readRoots(*tsaRoots); err != nil {
			return err
		}
	}
	k := verifyKey{source: keyPinned}
	if *vkeyFlag != "" {
		if k.vkey, err = pinnedKey(*vkeyFlag); err != nil {
			return err
		}
	} else {
		where, vkey, err := src.vkey(ctx)
		if err != nil {
			return err
		}
		k = verifyKey{vkey: vkey, where: where, source: keySameSource}
		if vkey == "" {
			k.source = keyNone
		}
	}

	var results []verifyResult
	notFound := false
	for _, file := range files {
		r := e.verifyFile(ctx, file, src, k, roots)
		if r.Status == statusNotFound {
			notFound = true
		}
		results = append(results, r)
		if !*asJSON {
			fmt.Fprint(e.stdout, r.text)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(results); err != nil {
			return err
		}
	} else if notFound {
		fmt.Fprintln(e.stdout, xinyong.MsgVerifyNotFoundHint)
	}
	for _, r := range results {
		if r.Status != statusVerified {
			return errSilent // each file's line says why
		}
	}
	return nil
}

// The status of a file in the output of verify --json.
const (
	statusVerified   = "verified"   // the site published exactly these bytes: Verified says when
	statusNotFound   = "not-found"  // the log never recorded these bytes
	statusFailed     = "failed"     // the proof does not hold, or could not be had
	statusUnreadable = "unreadable" // the file could not be read
)

// Where the verifier key came from (verify --json: key_source).
const (
	keyPinned     = "pinned"      // --vkey
	keySameSource = "same-source" // DATA/log/vkey or BASE/log/vkey: the source of the proof itself
	keyNone       = "none"        // the source has no key: an unsigned log
)

type verifyKey struct {
	vkey   string
	where  string // for keySameSource: the file or URL
	source string
}

// verifyResult is one file's answer; verify --json prints them as a JSON array (docs/archive.md).
type verifyResult struct {
	File      string            `json:"file"`
	Status    string            `json:"status"`
	SHA256    string            `json:"sha256,omitempty"`
	KeySource string            `json:"key_source,omitempty"`
	Verified  *archive.Verified `json:"verified,omitempty"`
	// Timestamp is the checkpoint's RFC 3161 time stamp, checked, when it has one.
	Timestamp *verifyTimestamp `json:"timestamp,omitempty"`
	Error     string           `json:"error,omitempty"`
	text      string           // the lines of the text output
}

// verifyTimestamp is what verify --json says of a checked time stamp: the checkpoint existed no later than
// Time, on the word of the authority named Subject, whose certificate chains to --tsa-roots when Chained.
type verifyTimestamp struct {
	Time    time.Time `json:"time"`
	Subject string    `json:"subject"`
	Chained bool      `json:"chained"`
}

func (e *env) verifyFile(ctx context.Context, file string, src proofSource, k verifyKey, roots *x509.CertPool) verifyResult {
	r := verifyResult{File: file}
	fail := func(status, msg string) verifyResult {
		msg = printable(msg)
		r.Status, r.Error, r.text = status, msg, msg+"\n"
		return r
	}
	sum, err := e.fileSum(file)
	if err != nil {
		return fail(statusUnreadable, fmt.Sprintf(xinyong.MsgVerifyUnreadable, file, pathError(err)))
	}
	r.SHA256 = sum.String()
	p, err := src.prove(ctx, sum)
	if err != nil {
		return fail(statusFailed, fmt.Sprintf(xinyong.MsgVerifyNoProof, file, err))
	}
	v, err := archive.Check(p, sum, k.vkey)
	if err != nil {
		return fail(statusFailed, fmt.Sprintf(xinyong.MsgVerifyFailed, file, err))
	}
	r.Verified, r.KeySource = v, k.source
	if !v.Found {
		r.Status = statusNotFound
		r.text = printable(fmt.Sprintf(xinyong.MsgVerifyNotFound, file, sum)) + "\n"
		return r
	}
	r.Status = statusVerified
	var b strings.Builder
	first, last := v.Periods[0], v.Periods[len(v.Periods)-1]
	fmt.Fprintf(&b, xinyong.MsgVerifyPublished+"\n", file, asOfText(first.From), periodEnd(last))
	if len(v.Periods) > 1 {
		fmt.Fprintf(&b, xinyong.MsgVerifyPeriods+"\n", len(v.Periods))
		for i, pd := range v.Periods {
			end := xinyong.MsgVerifyPeriodNow
			if pd.Removed != nil {
				end = fmt.Sprintf(xinyong.MsgVerifyPeriodDown, beijing(pd.Removed.At))
			}
			fmt.Fprintf(&b, xinyong.MsgVerifyPeriod+"\n", i+1, asOfText(pd.From), pd.To.AsOf, pd.From.Release, pd.To.Release, end)
		}
	}
	fmt.Fprintf(&b, xinyong.MsgVerifySum+"\n", sum)
	var signature string
	switch {
	case v.Signed && k.source == keyPinned:
		signature = xinyong.MsgVerifySignedPinned
	case v.Signed:
		signature = fmt.Sprintf(xinyong.MsgVerifySignedSame, k.where)
	case strings.Contains(p.Checkpoint, "\n\n"): // signature lines follow a blank line
		signature = xinyong.MsgVerifyNoKey
	default:
		signature = xinyong.MsgVerifyUnsigned
	}
	fmt.Fprintf(&b, xinyong.MsgVerifyCheckpoint+"\n", v.Origin, v.Size, signature)
	if len(p.Timestamp) > 0 {
		// The time stamp is over the checkpoint exactly as served; one that does not check fails the file,
		// as a bad signature does: the proof then carries a false date.
		ts, err := archive.CheckTimestamp(p.Timestamp, []byte(p.Checkpoint), roots)
		if err != nil {
			r.Verified = nil
			return fail(statusFailed, fmt.Sprintf(xinyong.MsgVerifyBadTimestamp, file, err))
		}
		r.Timestamp = &verifyTimestamp{Time: ts.Time, Subject: ts.Subject, Chained: ts.Chained}
		chain := xinyong.MsgVerifyTSANotChained
		if ts.Chained {
			chain = xinyong.MsgVerifyTSAChained
		}
		fmt.Fprintf(&b, xinyong.MsgVerifyTimestamp+"\n", ts.Time.In(xinyong.Shanghai).Format("2006-01-02 15:04:05"),
			xinyong.CleanLine(ts.Subject), chain)
	}
	r.text = printable(b.String())
	return r
}

// printable drops the control and format characters (escape sequences, bidirectional overrides) of what
// verify prints: a proof from a site, unsigned or checked with the site's own key, is the site's text,
// and must not drive the reader's terminal or reorder what it shows.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || unicode.Is(unicode.Cf, r)) {
			return -1
		}
		return r
	}, s)
}

// asOfText is the as-of date of the switch that began a period, marked when a rollback made it current.
func asOfText(sw archive.Switch) string {
	if sw.Event == archive.EventRolledBack {
		return sw.AsOf + xinyong.MsgVerifyRolledBack
	}
	return sw.AsOf
}

// periodEnd says how the last period ends: still served, or taken down.
func periodEnd(pd archive.Period) string {
	if pd.Removed == nil {
		return fmt.Sprintf(xinyong.MsgVerifyUntilNow, pd.To.AsOf, pd.To.Release)
	}
	return fmt.Sprintf(xinyong.MsgVerifyTakenDown, pd.To.AsOf, pd.To.Release, beijing(pd.Removed.At),
		pd.Removed.Release, pd.Removed.AsOf)
}

// beijing is a switch's time as the site shows times: Beijing time, to the minute.
func beijing(t time.Time) string {
	return t.In(xinyong.Shanghai).Format("2006-01-02 15:04") + "（北京时间）"
}

// fileSum is the SHA-256 of a file's bytes; "-" is the standard input (curl URL | xinyong verify -).
func (e *env) fileSum(path string) (archive.Sum, error) {
	if path == "-" {
		h := sha256.New()
		if _, err := io.Copy(h, e.input()); err != nil {
			return archive.Sum{}, err
		}
		return archive.Sum(h.Sum(nil)), nil
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return archive.Sum{}, errors.New(xinyong.MsgVerifyIsDir)
	}
	return tree.FileSum(path)
}

// pathError drops the path an os error repeats: the line names the file already.
func pathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, os.ErrNotExist) {
			return errors.New("文件不存在")
		}
		return pe.Err
	}
	return err
}

// pinnedKey reads --vkey: a verifier key, or @FILE holding one (as /log/vkey serves it).
func pinnedKey(value string) (string, error) {
	vkey := value
	if path, ok := strings.CutPrefix(value, "@"); ok {
		b, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) {
			return "", usageMsg(xinyong.MsgFlagNoFile, "--vkey", path)
		}
		if err != nil {
			return "", usageMsg(xinyong.MsgFlagUnreadableFile, "--vkey", path, pathError(err))
		}
		vkey = string(b)
	}
	vkey = strings.TrimSpace(vkey)
	if _, err := note.NewVerifier(vkey); err != nil {
		return "", usageMsg(xinyong.MsgVerifyBadVKey+"%s", err, fmt.Sprintf(xinyong.MsgHelpMore, "verify"))
	}
	return vkey, nil
}

// readRoots reads --tsa-roots: the PEM certificates of the time-stamping authorities to trust.
func readRoots(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, usageMsg(xinyong.MsgFlagNoFile, "--tsa-roots", path)
	}
	if err != nil {
		return nil, usageMsg(xinyong.MsgFlagUnreadableFile, "--tsa-roots", path, pathError(err))
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(b) {
		return nil, usageMsg(xinyong.MsgVerifyBadRoots+"%s", path, fmt.Sprintf(xinyong.MsgHelpMore, "verify"))
	}
	return roots, nil
}

// proofSource is where verify gets proofs and, unless one is pinned, the verifier key.
type proofSource interface {
	// prove returns the proof for sum.
	prove(ctx context.Context, sum archive.Sum) (*archive.Proof, error)
	// vkey returns the source's verifier key, "" when it has none (an unsigned log), and where it is.
	vkey(ctx context.Context) (where, vkey string, err error)
}

// dataSource proves from the publication log of a data directory.
type dataSource struct {
	dir string // DATA/log
	log *archive.Log
}

func (s *dataSource) prove(_ context.Context, sum archive.Sum) (*archive.Proof, error) {
	// A publication that commits a switch meanwhile is the log's to notice: Prove reads the files of one
	// committed state, and starts again from the new one.
	if s.log == nil {
		l, err := archive.Open(s.dir)
		if err != nil {
			return nil, err
		}
		s.log = l
	}
	p, err := s.log.Prove(sum)
	if errors.Is(err, archive.ErrNoLog) {
		return nil, fmt.Errorf(xinyong.MsgVerifyNoLog, s.dir)
	}
	return p, err
}

func (s *dataSource) vkey(context.Context) (string, string, error) {
	path := filepath.Join(s.dir, archive.VKeyFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return path, "", nil
	}
	if err != nil {
		return path, "", err
	}
	vkey := strings.TrimSpace(string(b))
	if _, err := note.NewVerifier(vkey); err != nil {
		return path, "", fmt.Errorf(xinyong.MsgVerifyBadKey, path, err)
	}
	return path, vkey, nil
}

// siteSource proves with a site's /api/proof and reads its /log/vkey.
type siteSource struct {
	base   *url.URL // ends with "/"
	client *http.Client
}

// Limits of what verify reads from a site. A proof holds every pages entry that lists the page (at most
// 64 KiB each, a few per page over the years); a verifier key is one line.
const (
	maxProofBytes = 32 << 20
	maxVKeyBytes  = 4 << 10
)

// siteBase parses --url: an http or https address of the site, made to end with "/".
func siteBase(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, errors.New("not a site address")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		u.RawPath = ""
	}
	return u, nil
}

// get fetches path (with query, "" for none) under the base, reading at most limit bytes of the answer;
// it returns the URL, the status and the body.
func (s *siteSource) get(ctx context.Context, path, query string, limit int64) (string, int, []byte, error) {
	u := s.base.JoinPath(path)
	u.RawQuery = query
	where := u.String()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, where, nil)
	if err != nil {
		return where, 0, nil, err
	}
	req.Header.Set("User-Agent", "xinyong-verify")
	resp, err := s.client.Do(req)
	if err != nil {
		return where, 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return where, resp.StatusCode, nil, err
	}
	if int64(len(body)) > limit {
		return where, resp.StatusCode, nil, fmt.Errorf(xinyong.MsgVerifyTooLarge, where, limit)
	}
	return where, resp.StatusCode, body, nil
}

func (s *siteSource) prove(ctx context.Context, sum archive.Sum) (*archive.Proof, error) {
	where, status, body, err := s.get(ctx, "api/proof", "sha256="+sum.String(), maxProofBytes)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, httpError(where, status, body)
	}
	var p archive.Proof
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf(xinyong.MsgVerifyNotProof, where, err)
	}
	return &p, nil
}

func (s *siteSource) vkey(ctx context.Context) (string, string, error) {
	where, status, body, err := s.get(ctx, "log/"+archive.VKeyFile, "", maxVKeyBytes)
	if err != nil {
		return where, "", err
	}
	switch status {
	case http.StatusOK:
	case http.StatusNotFound:
		return where, "", nil // an unsigned log publishes no key
	default:
		return where, "", httpError(where, status, body)
	}
	vkey := strings.TrimSpace(string(body))
	if _, err := note.NewVerifier(vkey); err != nil {
		return where, "", fmt.Errorf(xinyong.MsgVerifyBadKey, where, err)
	}
	return where, vkey, nil
}

// httpError says what a site answered instead of a proof or key: its status and, from a JSON error
// ({"error": "..."}, as /api/proof answers 400 and 503), its message.
func httpError(where string, status int, body []byte) error {
	var msg struct {
		Error string `json:"error"`
	}
	detail := ""
	if json.Unmarshal(body, &msg) == nil && msg.Error != "" {
		detail = "：" + xinyong.CleanLine(msg.Error)
		if r := []rune(detail); len(r) > 200 {
			detail = string(r[:200]) + "…"
		}
	}
	return fmt.Errorf(xinyong.MsgVerifyHTTP, where, status, detail)
}
