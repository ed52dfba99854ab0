package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"xinyong/archive"
	"xinyong/archive/tsatest"
	"xinyong/publish"
)

// The pages of the test log: a record page served from the first switch on, one taken down by the second
// switch (as after 信用修复), one changed by it, and one added by the third.
const (
	pageKept    = "<!doctype html><title>张三贸易有限公司</title><p>严重违法失信企业名单</p>\n"
	pageRemoved = "<!doctype html><title>李四商店</title><p>经营异常名录</p>\n"
	pageOld     = "<!doctype html><title>/red/</title><p>红榜 2 条</p>\n"
	pageNew     = "<!doctype html><title>/red/</title><p>红榜 3 条</p>\n"
	pageLate    = "<!doctype html><title>王五</title><p>守信激励对象</p>\n"
)

func pageSums(pages ...string) []archive.Sum {
	var out []archive.Sum
	for _, p := range pages {
		out = append(out, sha256.Sum256([]byte(p)))
	}
	slices.SortFunc(out, func(a, b archive.Sum) int { return bytes.Compare(a[:], b[:]) })
	return slices.Compact(out)
}

// testLog writes a real publication log into DATA/log of a new data directory, as three publications
// append and commit it, signed with a new key when signed; it returns the data directory and the verifier
// key ("" unsigned).
func testLog(t *testing.T, signed bool) (data, vkey string) {
	t.Helper()
	return stampedLog(t, signed, nil)
}

// stampedLog is testLog with each checkpoint stamped by tsa (nil: not stamped).
func stampedLog(t *testing.T, signed bool, tsa *tsatest.TSA) (data, vkey string) {
	t.Helper()
	data = t.TempDir()
	layout := publish.Layout{Root: data}
	l, err := archive.Open(layout.Log())
	if err != nil {
		t.Fatal(err)
	}
	opt := archive.Options{Origin: "credit.example.invalid/log"}
	if tsa != nil {
		opt.Timestamp = func(ctx context.Context, checkpoint []byte) ([]byte, error) {
			return archive.Timestamp(ctx, nil, tsa.URL, checkpoint)
		}
	}
	if signed {
		skey, v, err := archive.GenerateKey("credit.example.invalid/log")
		if err != nil {
			t.Fatal(err)
		}
		if opt.Key, err = archive.ParseKey(skey); err != nil {
			t.Fatal(err)
		}
		vkey = v
	}
	switches := []struct {
		release, asOf string
		pages         []string
	}{
		{"20260615T020000Z", "2026-06-15", []string{pageKept, pageRemoved, pageOld}},
		{"20260616T020000Z", "2026-06-16", []string{pageKept, pageNew}},
		{"20261207T020000Z", "2026-12-07", []string{pageKept, pageNew, pageLate}},
	}
	for i, s := range switches {
		sw := archive.Switch{Release: s.release, AsOf: s.asOf, Event: archive.EventPublished,
			At: time.Date(2026, 6, 14+i, 18, 0, 0, 0, time.UTC)}
		p, err := l.Append(context.Background(), sw, pageSums(s.pages...), layout.Release(s.release).Log(), opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Commit(p.Dir); err != nil {
			t.Fatal(err)
		}
	}
	return data, vkey
}

// savePage writes a page as curl would save it.
func savePage(t *testing.T, name, page string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestVerify_Data: xinyong verify --data with a real signed log: a saved page still served prints its
// first as-of date and that it is served; a page taken down prints the date it was last published and when
// it was removed; one character changed, or a page never published, is not found (exit 1); the key from
// the data directory is said not to be checked independently, a pinned one is not; a wrong pinned key
// fails (exit 1).
func TestVerify_Data(t *testing.T) {
	data, vkey := testLog(t, true)
	kept := savePage(t, "kept.html", pageKept)
	removed := savePage(t, "removed.html", pageRemoved)
	changed := savePage(t, "changed.html", strings.Replace(pageKept, "张三", "张四", 1))

	code, stdout, stderr := runCmd(t, nil, "verify", "--data", data, kept)
	if code != 0 {
		t.Fatalf("verify kept: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		kept + "：已核验 本站于数据日期 2026-06-15 首次发布此页面，至数据日期 2026-12-07 仍在公示（版本 20261207T020000Z）",
		"SHA-256 " + archive.Sum(sha256.Sum256([]byte(pageKept))).String(),
		"检查点：credit.example.invalid/log，共 ",
		"未独立核对",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify kept: output lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--vkey", vkey, removed)
	if code != 0 {
		t.Fatalf("verify removed: exit %d\n%s", code, stdout)
	}
	want := removed + "：已核验 本站于数据日期 2026-06-15 首次发布此页面，最后一次发布于数据日期 2026-06-15（版本 20260615T020000Z），" +
		"于 2026-06-16 02:00（北京时间）撤下（此后的版本 20260616T020000Z，数据日期 2026-06-16）"
	if !strings.Contains(stdout, want) || !strings.Contains(stdout, "签名已用指定的核验密钥核对") || strings.Contains(stdout, "未独立核对") {
		t.Errorf("verify removed with a pinned key: output lacks %q or says the key was not checked:\n%s", want, stdout)
	}

	code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--vkey", vkey, changed)
	if code != 1 || !strings.Contains(stdout, changed+"：未找到：本站任何时候都没有发布与此文件完全相同的页面") ||
		!strings.Contains(stdout, "仅 HTML") || !strings.Contains(stdout, "curl") {
		t.Errorf("verify changed: exit %d, want 1 with 未找到 and the hint:\n%s", code, stdout)
	}

	// Several files: each one's answer, exit 1 because one is not found.
	code, stdout, _ = runCmd(t, nil, "verify", "--data", data, kept, changed, removed)
	if code != 1 || strings.Count(stdout, "已核验") != 2 || strings.Count(stdout, "未找到") != 1 {
		t.Errorf("verify three files: exit %d, want 1 with two verified and one not found:\n%s", code, stdout)
	}

	// A wrong key, pinned as a key or as a file: the checkpoint's signature does not verify.
	_, other, _ := archive.GenerateKey("credit.example.invalid/log")
	otherFile := filepath.Join(t.TempDir(), "other.vkey")
	os.WriteFile(otherFile, []byte(other+"\n"), 0o644)
	for _, v := range []string{other, "@" + otherFile} {
		code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--vkey", v, kept)
		if code != 1 || !strings.Contains(stdout, "核验失败") || strings.Contains(stdout, "已核验") {
			t.Errorf("verify --vkey %s: exit %d, want 1 and 核验失败:\n%s", v, code, stdout)
		}
	}
	// The right key from a file.
	keyFile := filepath.Join(t.TempDir(), "panjin-log.vkey")
	os.WriteFile(keyFile, []byte(vkey+"\n"), 0o644)
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--vkey", "@"+keyFile, kept); code != 0 {
		t.Errorf("verify --vkey @file: exit %d\n%s", code, stdout)
	}

	// A tampered checkpoint in the data directory: its signature (the same tree, another signature) no
	// longer verifies; its size changed, it no longer matches the log.
	logDir := publish.Layout{Root: data}.Log()
	cp, _ := os.ReadFile(filepath.Join(logDir, archive.CheckpointFile))
	text, sig, _ := strings.Cut(string(cp), "\n\n")
	forged := []byte(text + "\n\n" + sig[:len(sig)-6] + "AAAA=\n")
	os.WriteFile(filepath.Join(logDir, archive.CheckpointFile), forged, 0o644)
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", data, kept); code != 1 || !strings.Contains(stdout, "核验失败") {
		t.Errorf("verify against a checkpoint with a forged signature: exit %d, want 1:\n%s", code, stdout)
	}
	lines := strings.SplitN(string(cp), "\n", 3)
	lines[1] = "99"
	os.WriteFile(filepath.Join(logDir, archive.CheckpointFile), []byte(strings.Join(lines, "\n")), 0o644)
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", data, kept); code != 1 || !strings.Contains(stdout, "damaged") {
		t.Errorf("verify against a checkpoint of another size: exit %d, want 1:\n%s", code, stdout)
	}
}

// TestVerify_JSON: --json prints one object per file with its status and archive.Verified.
func TestVerify_JSON(t *testing.T) {
	data, vkey := testLog(t, true)
	kept := savePage(t, "kept.html", pageKept)
	changed := savePage(t, "changed.html", pageKept+" ")
	missing := filepath.Join(t.TempDir(), "missing.html")
	code, stdout, stderr := runCmd(t, nil, "verify", "--json", "--data", data, "--vkey", vkey, kept, changed, missing)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one not found, one unreadable)\n%s", code, stderr)
	}
	var results []struct {
		File, Status, SHA256, Error string
		KeySource                   string `json:"key_source"`
		Verified                    *archive.Verified
	}
	if err := json.Unmarshal([]byte(stdout), &results); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if len(results) != 3 {
		t.Fatalf("%d results, want 3:\n%s", len(results), stdout)
	}
	r := results[0]
	if r.File != kept || r.Status != "verified" || r.KeySource != "pinned" || r.Verified == nil || !r.Verified.Signed ||
		len(r.Verified.Periods) != 1 || r.Verified.Periods[0].From.AsOf != "2026-06-15" || !r.Verified.Periods[0].Current ||
		r.Verified.Latest == nil || r.Verified.Latest.AsOf != "2026-12-07" {
		t.Errorf("kept: %+v", r)
	}
	if r := results[1]; r.Status != "not-found" || r.Verified == nil || r.Verified.Found {
		t.Errorf("changed: %+v", r)
	}
	if r := results[2]; r.Status != "unreadable" || r.Error == "" || r.Verified != nil {
		t.Errorf("missing: %+v", r)
	}
}

// TestVerify_Unsigned: a log published without a key verifies, and says its checkpoint is not signed; a
// pinned key then fails, since nothing is signed with it.
func TestVerify_Unsigned(t *testing.T) {
	data, _ := testLog(t, false)
	kept := savePage(t, "kept.html", pageKept)
	code, stdout, _ := runCmd(t, nil, "verify", "--data", data, kept)
	if code != 0 || !strings.Contains(stdout, "检查点未签名") || !strings.Contains(stdout, "数据日期 2026-06-15") {
		t.Errorf("unsigned: exit %d\n%s", code, stdout)
	}
	_, vkey, _ := archive.GenerateKey("credit.example.invalid/log")
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--vkey", vkey, kept); code != 1 {
		t.Errorf("unsigned with a pinned key: exit %d, want 1\n%s", code, stdout)
	}
}

// TestVerify_NoLog: a data directory without a log is a failure that says so (exit 1).
func TestVerify_NoLog(t *testing.T) {
	kept := savePage(t, "kept.html", pageKept)
	code, stdout, _ := runCmd(t, nil, "verify", "--data", t.TempDir(), kept)
	if code != 1 || !strings.Contains(stdout, "还没有发布日志") {
		t.Errorf("exit %d, want 1 and 还没有发布日志:\n%s", code, stdout)
	}
}

// proofServer is a site answering /api/proof and /log/vkey from the log of a data directory, as
// xinyong serve does (written here from archive's API, not the server's code). tamper, when set, changes
// each proof before it is sent.
func proofServer(t *testing.T, data string, tamper func(*archive.Proof)) *httptest.Server {
	t.Helper()
	logDir := publish.Layout{Root: data}.Log()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/proof", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		sum, err := archive.ParseSum(r.URL.Query().Get("sha256"))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "sha256 参数应为 64 位十六进制数"})
			return
		}
		l, err := archive.Open(logDir)
		if err != nil {
			t.Error(err)
			return
		}
		p, err := l.Prove(sum)
		if errors.Is(err, archive.ErrNoLog) {
			w.WriteHeader(http.StatusServiceUnavailable)
			json.NewEncoder(w).Encode(map[string]string{"error": "尚无发布日志"})
			return
		}
		if err != nil {
			t.Error(err)
			return
		}
		if tamper != nil {
			tamper(p)
		}
		json.NewEncoder(w).Encode(p)
	})
	mux.Handle("GET /log/", http.StripPrefix("/log/", http.FileServer(http.Dir(logDir))))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestVerify_URL: --url gets proofs from a site's /api/proof and its key from /log/vkey (said not to be
// checked independently); a pinned key is used instead; a site whose proof was changed fails; a site
// without a log answers 503, whose message is shown.
func TestVerify_URL(t *testing.T) {
	data, vkey := testLog(t, true)
	kept := savePage(t, "kept.html", pageKept)
	removed := savePage(t, "removed.html", pageRemoved)
	changed := savePage(t, "changed.html", strings.Replace(pageKept, "<p>", "<p> ", 1))
	srv := proofServer(t, data, nil)

	code, stdout, stderr := runCmd(t, nil, "verify", "--url", srv.URL, kept, removed)
	if code != 0 {
		t.Fatalf("--url: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"首次发布此页面，至数据日期 2026-12-07 仍在公示",
		"撤下（此后的版本 20260616T020000Z，数据日期 2026-06-16）",
		"签名已用 " + srv.URL + "/log/vkey 的核验密钥核对，但该密钥与证明取自同一来源，未独立核对",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("--url: output lacks %q:\n%s", want, stdout)
		}
	}
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", srv.URL+"/", "--vkey", vkey, kept); code != 0 ||
		!strings.Contains(stdout, "签名已用指定的核验密钥核对") {
		t.Errorf("--url with a pinned key: exit %d\n%s", code, stdout)
	}
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", srv.URL, "--vkey", vkey, changed); code != 1 || !strings.Contains(stdout, "未找到") {
		t.Errorf("--url, a changed page: exit %d, want 1 and 未找到\n%s", code, stdout)
	}
	_, other, _ := archive.GenerateKey("credit.example.invalid/log")
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", srv.URL, "--vkey", other, kept); code != 1 || !strings.Contains(stdout, "核验失败") {
		t.Errorf("--url with a wrong key: exit %d, want 1\n%s", code, stdout)
	}

	// A site that says a page taken down is still served: it moves the removal's dates. The entry no longer
	// matches the signed tree.
	forged := proofServer(t, data, func(p *archive.Proof) {
		for i, ep := range p.Events {
			p.Events[i].Entry = strings.ReplaceAll(ep.Entry, "2026-06-16", "2026-12-07")
		}
	})
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", forged.URL, "--vkey", vkey, removed); code != 1 || !strings.Contains(stdout, "核验失败") {
		t.Errorf("--url, a changed proof: exit %d, want 1 and 核验失败\n%s", code, stdout)
	}
	// A site that answers the proof of another page for every page, under the page's own sum.
	keptSum := archive.Sum(sha256.Sum256([]byte(pageKept)))
	l, _ := archive.Open(publish.Layout{Root: data}.Log())
	keptProof, _ := l.Prove(keptSum)
	liar := proofServer(t, data, func(p *archive.Proof) {
		sum := p.SHA256
		*p = *keptProof
		p.SHA256 = sum
	})
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", liar.URL, "--vkey", vkey, changed); code != 1 || !strings.Contains(stdout, "核验失败") {
		t.Errorf("--url, another page's proof: exit %d, want 1 and 核验失败\n%s", code, stdout)
	}

	// A site without a log yet: /api/proof answers 503 with a message, which verify shows; no vkey (404).
	empty := proofServer(t, t.TempDir(), nil)
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", empty.URL, kept); code != 1 ||
		!strings.Contains(stdout, "HTTP 503：尚无发布日志") {
		t.Errorf("--url without a log: exit %d, want 1 and the 503's message\n%s", code, stdout)
	}
}

// TestVerify_URLLimits: a site answering more than a proof can hold is refused, and so is one that does
// not answer within --timeout.
func TestVerify_URLLimits(t *testing.T) {
	kept := savePage(t, "kept.html", pageKept)
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/log/vkey" {
			http.NotFound(w, r)
			return
		}
		w.Write(bytes.Repeat([]byte(" "), maxProofBytes+10))
	}))
	defer big.Close()
	if code, stdout, _ := runCmd(t, nil, "verify", "--url", big.URL, kept); code != 1 || !strings.Contains(stdout, "不是本站的证明") {
		t.Errorf("an oversized answer: exit %d, want 1\n%s", code, stdout)
	}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	start := time.Now()
	code, _, stderr := runCmd(t, nil, "verify", "--url", slow.URL, "--timeout", "200ms", kept)
	if code != 1 || time.Since(start) > 10*time.Second {
		t.Errorf("a site that does not answer: exit %d after %v, want 1 at the timeout\n%s", code, time.Since(start), stderr)
	}
}

// TestVerify_UsageErrors: exit 2 for no file, both --data and --url, a URL that is not a site's, a
// --vkey that is not a verifier key, a flag after a file.
func TestVerify_UsageErrors(t *testing.T) {
	kept := savePage(t, "kept.html", pageKept)
	for _, args := range [][]string{
		{"verify"},
		{"verify", "--data", t.TempDir()},
		{"verify", "--data", t.TempDir(), "--url", "https://credit.example.invalid/", kept},
		{"verify", "--url", "ftp://credit.example.invalid/", kept},
		{"verify", "--url", "credit.example.invalid", kept},
		{"verify", "--vkey", "PRIVATE+KEY+x+00000000+AAAA", kept},
		{"verify", "--vkey", "@" + filepath.Join(t.TempDir(), "missing.vkey"), kept},
		{"verify", kept, "--data", t.TempDir()},
		{"verify", "--timeout", "soon", kept},
	} {
		if code, _, stderr := runCmd(t, nil, args...); code != 2 || !strings.Contains(stderr, "verify") && !strings.Contains(stderr, "--") {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
}

// TestLogKey: log-key writes a key file of mode 0600 that archive.ReadKeyFile reads, prints its verifier
// key on stdout (which note.NewVerifier parses, named by the site's address) and what to do next on stderr;
// it never prints the private key; it refuses to overwrite the file without --force, and refuses a file
// in the data directory's releases, current or log; without --out it is a usage error.
func TestLogKey(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	key := filepath.Join(dir, "log.key")
	env := map[string]string{"XINYONG_DATA": data, "XINYONG_BASE_URL": "https://credit.panjin.gov.cn/"}
	code, stdout, stderr := runCmd(t, env, "log-key", "--out", key)
	if code != 0 {
		t.Fatalf("log-key: exit %d\n%s", code, stderr)
	}
	fi, err := os.Stat(key)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	vkey := strings.TrimSpace(stdout)
	v, err := note.NewVerifier(vkey)
	if err != nil || v.Name() != "credit.panjin.gov.cn/log" || strings.Count(stdout, "\n") != 1 {
		t.Fatalf("stdout %q is not one verifier key named credit.panjin.gov.cn/log: %v", stdout, err)
	}
	k, err := archive.ReadKeyFile(key)
	if err != nil || k.VKey != vkey {
		t.Fatalf("the key file's verifier key %v (%v) is not the one printed %q", k, err, vkey)
	}
	b, _ := os.ReadFile(key)
	if strings.Contains(stdout+stderr, strings.TrimSpace(string(b))) || strings.Contains(stdout+stderr, "PRIVATE+KEY") {
		t.Error("log-key printed the private key")
	}
	for _, want := range []string{"log_key_file = \"" + key + "\"", "/log/vkey", "保密", "另行公布"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}

	// The key signs: a checkpoint signed with it verifies with the printed key.
	signed, err := note.Sign(&note.Note{Text: "credit.panjin.gov.cn/log\n1\nAAAA\n"}, k.Signer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(signed, note.VerifierList(v)); err != nil {
		t.Errorf("a note signed with the key does not verify with the printed key: %v", err)
	}

	// No overwrite without --force; the file is unchanged.
	code, stdout, stderr = runCmd(t, env, "log-key", "--out", key)
	if after, _ := os.ReadFile(key); code != 2 || stdout != "" || !bytes.Equal(after, b) || !strings.Contains(stderr, "--force") {
		t.Errorf("log-key over an existing file: exit %d, stdout %q, stderr %q; want 2, the file unchanged", code, stdout, stderr)
	}
	code, stdout, _ = runCmd(t, env, "log-key", "--out", key, "--force", "--origin", "panjin.example.invalid/log")
	after, _ := os.ReadFile(key)
	fi, _ = os.Stat(key)
	if code != 0 || bytes.Equal(after, b) || fi.Mode().Perm() != 0o600 || !strings.HasPrefix(stdout, "panjin.example.invalid/log+") {
		t.Errorf("log-key --force --origin: exit %d, stdout %q, mode %v; want a new key of mode 0600 named by --origin", code, stdout, fi.Mode().Perm())
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, ".log.key.tmp*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// Not in the published part of the data directory, by path or through a link.
	os.MkdirAll(filepath.Join(data, "log"), 0o755)
	os.MkdirAll(filepath.Join(data, "releases", "R1", "site"), 0o755)
	os.Symlink(filepath.Join("releases", "R1"), filepath.Join(data, "current"))
	os.Symlink(filepath.Join(data, "releases", "R1", "site"), filepath.Join(dir, "site-link"))
	for _, out := range []string{
		filepath.Join(data, "log", "log.key"),
		filepath.Join(data, "releases", "R1", "site", "log.key"),
		filepath.Join(data, "current", "log.key"),
		filepath.Join(dir, "site-link", "log.key"),
	} {
		code, _, stderr := runCmd(t, env, "log-key", "--out", out)
		if code != 2 || !strings.Contains(stderr, "数据目录") {
			t.Errorf("log-key --out %s: exit %d, stderr %q; want 2", out, code, stderr)
		}
		if _, err := os.Lstat(out); err == nil {
			t.Errorf("log-key wrote %s", out)
		}
	}
	// Beside the data directory's parts is allowed.
	if code, _, stderr := runCmd(t, env, "log-key", "--out", filepath.Join(data, "log.key")); code != 0 {
		t.Errorf("log-key --out DATA/log.key: exit %d\n%s", code, stderr)
	}

	for _, args := range [][]string{
		{"log-key"},
		{"log-key", "--origin", "has space", "--out", filepath.Join(dir, "k2")},
		{"log-key", "--out", filepath.Join(dir, "missing", "k")},
	} {
		code, stdout, stderr := runCmd(t, env, args...)
		if code != 2 || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2", args, code, stdout, stderr)
		}
	}
	if _, stderr := func() (int, string) { c, _, s := runCmd(t, env, "log-key"); return c, s }(); !strings.Contains(stderr, "不在终端显示") {
		t.Errorf("log-key without --out does not say why: %s", stderr)
	}
}

// TestVerify_Published: the whole way, with real publications. log-key makes the key, `xinyong run` signs
// the log with it and has each checkpoint stamped by a throwaway RFC 3161 authority; a record page saved as
// curl saves it verifies with the pinned key and the authority's root (exit 0, its as-of date, still
// served), and with one character changed does not (exit 1). Its entry is repaired and published again,
// the first release pruned: the saved page still verifies, now taken down, from the data directory and
// from a site answering /api/proof and serving the current release's /log/.
func TestVerify_Published(t *testing.T) {
	p := newPublished(t)
	dir := t.TempDir()
	key := filepath.Join(dir, "log.key")
	code, vkey, stderr := runCmd(t, nil, "log-key", "--data", p.data, "--out", key)
	if code != 0 {
		t.Fatalf("log-key: exit %d\n%s", code, stderr)
	}
	vkeyFile := filepath.Join(dir, "panjin-log.vkey")
	os.WriteFile(vkeyFile, []byte(vkey), 0o644)
	tsa := tsatest.New(t)
	rootsFile := filepath.Join(dir, "tsa-roots.pem")
	os.WriteFile(rootsFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsa.CA.Raw}), 0o644)
	cfg := filepath.Join(dir, "xinyong.toml")
	os.WriteFile(cfg, []byte("log_key_file = \""+key+"\"\nlog_tsa_url = \""+tsa.URL+"\"\n"), 0o644)

	a := p.run("--config", cfg)
	layout := publish.Layout{Root: p.data}
	page, err := os.ReadFile(filepath.Join(layout.Release(a).Site(), "black", "E02", "index.html"))
	if err != nil {
		t.Fatalf("release A does not serve /black/E02/: %v", err)
	}
	saved := savePage(t, "E02.html", string(page))
	changed := savePage(t, "E02-changed.html", strings.Replace(string(page), "</title>", " </title>", 1))

	if tsa.Answered() == 0 {
		t.Fatal("the publication did not ask the time-stamping authority")
	}
	code, stdout, stderr := runCmd(t, nil, "verify", "--data", p.data, "--vkey", "@"+vkeyFile, "--tsa-roots", rootsFile, saved)
	if code != 0 {
		t.Fatalf("verify the saved page: exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"首次发布此页面，至数据日期 2026-06-15 仍在公示（版本 " + a + "）", "签名已用指定的核验密钥核对",
		"可信时间戳：检查点不晚于 ", "其证书已核对至 --tsa-roots 指定的根证书"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify the saved page: output lacks %q:\n%s", want, stdout)
		}
	}
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", p.data, "--vkey", "@"+vkeyFile, changed); code != 1 || !strings.Contains(stdout, "未找到") {
		t.Errorf("verify the page with one character changed: exit %d, want 1 and 未找到\n%s", code, stdout)
	}

	// 信用修复: the entry is taken down by the next publication, which keeps one release: A is pruned.
	p.repair("E02")
	b := p.run("--config", cfg, "--keep", "1")
	if _, err := os.Stat(layout.Release(a).Dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("release A was not pruned: %v", err)
	}
	if _, err := os.Stat(filepath.Join(layout.Release(b).Site(), "black", "E02", "index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("release B still serves /black/E02/: %v", err)
	}
	want := "首次发布此页面，最后一次发布于数据日期 2026-06-15（版本 " + a + "），于 "
	code, stdout, stderr = runCmd(t, nil, "verify", "--data", p.data, "--vkey", vkey, "--tsa-roots", rootsFile, saved)
	if code != 0 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "可信时间戳") || !strings.Contains(stdout, "撤下（此后的版本 "+b) {
		t.Errorf("verify the page taken down: exit %d, want 0 and %q\n%s%s", code, want, stdout, stderr)
	}

	// The same from the site: /api/proof from the log, /log/ from the current release's site, as served.
	srv := proofServer(t, p.data, nil)
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/log/") {
			http.ServeFile(w, r, filepath.Join(layout.Release(b).Site(), filepath.FromSlash(r.URL.Path)))
			return
		}
		srv.Config.Handler.ServeHTTP(w, r)
	}))
	defer site.Close()
	code, stdout, stderr = runCmd(t, nil, "verify", "--url", site.URL, saved)
	if code != 0 || !strings.Contains(stdout, want) || !strings.Contains(stdout, site.URL+"/log/vkey") {
		t.Errorf("verify --url, the key from the site: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", site.URL, "--vkey", vkey, changed); code != 1 {
		t.Errorf("verify --url, the changed page: exit %d, want 1\n%s", code, stdout)
	}
}

// TestVerify_Timestamp: a log whose checkpoints a throwaway RFC 3161 authority stamped: verify prints the
// stamp's time, checks its chain with --tsa-roots, and fails (exit 1) with another authority's roots or a
// stamp that is not the checkpoint's.
func TestVerify_Timestamp(t *testing.T) {
	tsa := tsatest.New(t)
	data, vkey := stampedLog(t, true, tsa)
	if tsa.Answered() != 3 {
		t.Fatalf("the authority answered %d requests, want one per checkpoint (3)", tsa.Answered())
	}
	kept := savePage(t, "kept.html", pageKept)
	dir := t.TempDir()
	roots := filepath.Join(dir, "roots.pem")
	os.WriteFile(roots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tsa.CA.Raw}), 0o644)

	code, stdout, _ := runCmd(t, nil, "verify", "--data", data, "--vkey", vkey, "--tsa-roots", roots, kept)
	if code != 0 || !strings.Contains(stdout, "可信时间戳：检查点不晚于 ") || !strings.Contains(stdout, "其证书已核对至 --tsa-roots 指定的根证书") {
		t.Errorf("with the authority's roots: exit %d\n%s", code, stdout)
	}
	code, stdout, _ = runCmd(t, nil, "verify", "--json", "--data", data, "--vkey", vkey, kept)
	var results []struct{ Timestamp *verifyTimestamp }
	if err := json.Unmarshal([]byte(stdout), &results); code != 0 || err != nil || len(results) != 1 ||
		results[0].Timestamp == nil || results[0].Timestamp.Time.IsZero() || results[0].Timestamp.Chained {
		t.Errorf("--json without roots: exit %d, %v\n%s", code, err, stdout)
	}

	other := tsatest.New(t)
	otherRoots := filepath.Join(dir, "other.pem")
	os.WriteFile(otherRoots, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: other.CA.Raw}), 0o644)
	if code, stdout, _ = runCmd(t, nil, "verify", "--data", data, "--tsa-roots", otherRoots, kept); code != 1 || !strings.Contains(stdout, "可信时间戳不成立") {
		t.Errorf("with another authority's roots: exit %d, want 1\n%s", code, stdout)
	}
	// The time stamp of an earlier checkpoint beside the current one: it stamps other bytes.
	srv := proofServer(t, data, func(p *archive.Proof) {
		resp, err := archive.Timestamp(context.Background(), nil, tsa.URL, []byte("an earlier checkpoint\n"))
		if err != nil {
			t.Error(err)
		}
		p.Timestamp = resp
	})
	if code, stdout, _ = runCmd(t, nil, "verify", "--url", srv.URL, "--vkey", vkey, kept); code != 1 || !strings.Contains(stdout, "可信时间戳不成立") {
		t.Errorf("another checkpoint's time stamp: exit %d, want 1\n%s", code, stdout)
	}
	if code, _, stderr := runCmd(t, nil, "verify", "--data", data, "--tsa-roots", kept, kept); code != 2 || !strings.Contains(stderr, "PEM") {
		t.Errorf("--tsa-roots without a certificate: exit %d, want 2\n%s", code, stderr)
	}
}

// TestVerify_LogCommittedMeanwhile: a publication that commits a switch while verify reads the log (its
// state read before, its checkpoint after) does not make a page fail: the proof is made again from the log
// as it now is.
func TestVerify_LogCommittedMeanwhile(t *testing.T) {
	data, _ := testLog(t, false)
	layout := publish.Layout{Root: data}
	before, err := archive.Open(layout.Log()) // as verify opened it
	if err != nil {
		t.Fatal(err)
	}
	// Another switch, committed by another process since.
	l, _ := archive.Open(layout.Log())
	sw := archive.Switch{Release: "20261208T020000Z", AsOf: "2026-12-08", Event: archive.EventPublished,
		At: time.Date(2026, 12, 7, 18, 0, 0, 0, time.UTC)}
	p, err := l.Append(context.Background(), sw, pageSums(pageKept, pageNew), layout.Release(sw.Release).Log(), archive.Options{})
	if err == nil {
		err = l.Commit(p.Dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	sum := archive.Sum(sha256.Sum256([]byte(pageKept)))
	// verify's log is of the state before the commit (whose set and partial bundle the commit removed):
	// the log notices and proves from the new state (archive TestLog_ProveFromStaleState).
	if before.State.Size >= l.State.Size {
		t.Fatal("verify's log is not older than the commit: the test does not make the race")
	}
	ds := &dataSource{dir: layout.Log(), log: before}
	proof, err := ds.prove(context.Background(), sum)
	if err != nil {
		t.Fatal(err)
	}
	text, _, _ := strings.Cut(proof.Checkpoint, "\n\n")
	if _, size, _, err := archive.ParseCheckpoint(text + "\n"); err != nil || size != l.State.Size {
		t.Fatalf("the proof's checkpoint is of size %d (%v), the log's %d", size, err, l.State.Size)
	}
	v, err := archive.Check(proof, sum, "")
	if err != nil || v.Latest == nil || v.Latest.AsOf != "2026-12-08" {
		t.Errorf("the proof made again does not check, or not against the new switch: %+v, %v", v, err)
	}
}

// TestVerify_Stdin: "-" verifies the standard input, as curl pipes a page.
func TestVerify_Stdin(t *testing.T) {
	data, _ := testLog(t, true)
	for _, tt := range []struct {
		page string
		code int
		want string
	}{
		{pageKept, 0, "-：已核验 本站于数据日期 2026-06-15 首次发布此页面"},
		{pageKept + "\n", 1, "-：未找到"},
	} {
		var out, errb bytes.Buffer
		e := &env{stdin: strings.NewReader(tt.page), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, now: time.Now}
		code := exitCode(e.run(context.Background(), []string{"verify", "--data", data, "-"}), &errb)
		if code != tt.code || !strings.Contains(out.String(), tt.want) {
			t.Errorf("verify - : exit %d, want %d and %q\n%s%s", code, tt.code, tt.want, out.String(), errb.String())
		}
	}
}

// TestVerify_PrintsNoControls: a log made by someone else (unsigned, checked with no key) whose release
// names carry a terminal escape sequence and a bidirectional override verifies, but neither reaches the
// output.
func TestVerify_PrintsNoControls(t *testing.T) {
	data := t.TempDir()
	layout := publish.Layout{Root: data}
	l, _ := archive.Open(layout.Log())
	sw := archive.Switch{Release: "R\x1b[2J\u202e1", AsOf: "2026-06-15\x1b]0;x\x07", Event: archive.EventPublished,
		At: time.Date(2026, 6, 14, 18, 0, 0, 0, time.UTC)}
	p, err := l.Append(context.Background(), sw, pageSums(pageKept), layout.Release("R1").Log(), archive.Options{Origin: "o/log"})
	if err == nil {
		err = l.Commit(p.Dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	kept := savePage(t, "kept.html", pageKept)
	code, stdout, _ := runCmd(t, nil, "verify", "--data", data, kept)
	if code != 0 || !strings.Contains(stdout, "已核验") || strings.ContainsAny(stdout, "\x1b\x07\u202e") {
		t.Errorf("exit %d, output %q: want verified, without control characters", code, stdout)
	}
}

// TestVerify_Periods: a page published, taken down and served again by a rollback prints each period, the
// second marked as a rollback's.
func TestVerify_Periods(t *testing.T) {
	data := t.TempDir()
	layout := publish.Layout{Root: data}
	l, _ := archive.Open(layout.Log())
	for i, s := range []struct {
		release, asOf, event string
		pages                []string
	}{
		{"20260615T020000Z", "2026-06-15", archive.EventPublished, []string{pageKept, pageRemoved}},
		{"20260616T020000Z", "2026-06-16", archive.EventPublished, []string{pageKept}},
		{"20260615T020000Z", "2026-06-15", archive.EventRolledBack, []string{pageKept, pageRemoved}},
	} {
		sw := archive.Switch{Release: s.release, AsOf: s.asOf, Event: s.event, At: time.Date(2026, 6, 15, 18+i, 0, 0, 0, time.UTC)}
		p, err := l.Append(context.Background(), sw, pageSums(s.pages...), filepath.Join(t.TempDir(), "pending"), archive.Options{Origin: "o/log"})
		if err == nil {
			err = l.Commit(p.Dir)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	removed := savePage(t, "removed.html", pageRemoved)
	code, stdout, _ := runCmd(t, nil, "verify", "--data", data, removed)
	for _, want := range []string{
		"首次发布此页面，至数据日期 2026-06-15 仍在公示（版本 20260615T020000Z）",
		"共公示过 2 次：",
		"1. 数据日期 2026-06-15 至 2026-06-15（版本 20260615T020000Z 至 20260615T020000Z），于 2026-06-16 03:00（北京时间）撤下",
		"2. 数据日期 2026-06-15（回退后重新发布） 至 2026-06-15（版本 20260615T020000Z 至 20260615T020000Z），仍在公示",
	} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("exit %d, output lacks %q:\n%s", code, want, stdout)
		}
	}
}

// TestVerify_KeyRotation: the office rotates the log's key (docs/archive.md): the next publications sign
// with the new key and, while log_previous_key_file names the old one, with it too, so that a reader who
// pinned the old key keeps verifying; once the old key is dropped, only the new one verifies.
func TestVerify_KeyRotation(t *testing.T) {
	p := newPublished(t)
	dir := t.TempDir()
	oldKey, newKey := filepath.Join(dir, "old.key"), filepath.Join(dir, "new.key")
	_, oldV, _ := runCmd(t, nil, "log-key", "--data", p.data, "--out", oldKey)
	cfg := filepath.Join(dir, "old.toml")
	os.WriteFile(cfg, []byte("log_key_file = \""+oldKey+"\"\n"), 0o644)
	a := p.run("--config", cfg)
	page, err := os.ReadFile(filepath.Join(publish.Layout{Root: p.data}.Release(a).Site(), "black", "E02", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	saved := savePage(t, "E02.html", string(page))

	code, newV, stderr := runCmd(t, nil, "log-key", "--data", p.data, "--out", newKey)
	if code != 0 {
		t.Fatalf("log-key for the same log: exit %d\n%s", code, stderr)
	}
	both := filepath.Join(dir, "rotating.toml")
	os.WriteFile(both, []byte("log_key_file = \""+newKey+"\"\nlog_previous_key_file = \""+oldKey+"\"\n"), 0o644)
	p.run("--config", both, "--force")
	for _, v := range []string{oldV, newV} {
		if code, stdout, _ := runCmd(t, nil, "verify", "--data", p.data, "--vkey", strings.TrimSpace(v), saved); code != 0 {
			t.Errorf("while rotating, verify with %s: exit %d\n%s", v, code, stdout)
		}
	}
	vkey, _ := os.ReadFile(filepath.Join(publish.Layout{Root: p.data}.Log(), "vkey"))
	if strings.TrimSpace(string(vkey)) != strings.TrimSpace(newV) {
		t.Errorf("/log/vkey is %s, want the new key", vkey)
	}

	after := filepath.Join(dir, "new.toml")
	os.WriteFile(after, []byte("log_key_file = \""+newKey+"\"\n"), 0o644)
	p.run("--config", after, "--force")
	if code, _, _ := runCmd(t, nil, "verify", "--data", p.data, "--vkey", strings.TrimSpace(oldV), saved); code != 1 {
		t.Errorf("after the rotation, the old key still verifies: exit %d", code)
	}
	if code, stdout, _ := runCmd(t, nil, "verify", "--data", p.data, "--vkey", strings.TrimSpace(newV), saved); code != 0 {
		t.Errorf("after the rotation, the new key: exit %d\n%s", code, stdout)
	}
}
