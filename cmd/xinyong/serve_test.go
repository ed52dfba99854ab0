package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"xinyong"
	"xinyong/search"
)

func TestServeWithoutRelease(t *testing.T) {
	data := t.TempDir()
	code, _, stderr := runCmd(t, nil, "serve", "--data", data, "--addr", "127.0.0.1:0")
	if code != 1 || !strings.Contains(stderr, "xinyong run") || !strings.Contains(stderr, "还没有已发布的版本") {
		t.Errorf("serve without a release: exit %d, %q", code, stderr)
	}
}

// syncBuffer is a buffer written by the command and read by the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// minimalRelease writes a release with a two-page site and an index of one doc, and makes it current.
func minimalRelease(t *testing.T, data string) {
	t.Helper()
	dir := filepath.Join(data, "releases", "r1")
	files := map[string]string{
		"site/index.html":        "<!DOCTYPE html><title>信用盘锦</title><p>首页</p>",
		"site/404.html":          "<!DOCTYPE html><title>页面不存在</title>",
		"site/search/index.html": "<!DOCTYPE html><title>信用信息查询</title><!--xinyong:search--><!--/xinyong:search-->",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code := xinyong.MakeCreditCode("91211103", "MA0XY123")
	doc := search.Doc{Kind: search.KindSubject, ID: code, URL: "/subjects/" + code + "/", Name: "盘锦鑫源化工有限公司",
		Code: code, Lists: []string{xinyong.ListRed}}
	docs := func(yield func(search.Doc, error) bool) { yield(doc, nil) }
	if _, err := search.Build(context.Background(), filepath.Join(dir, "index"), docs); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join("releases", "r1"), filepath.Join(data, "current")); err != nil {
		t.Fatal(err)
	}
}

// TestServe starts the server on a free port, searches, and stops it as SIGTERM would.
func TestServe(t *testing.T) {
	data := t.TempDir()
	minimalRelease(t, data)
	var stdout, stderr syncBuffer
	e := &env{stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }, now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.run(ctx, []string{"serve", "--data", data, "--addr", "127.0.0.1:0"}) }()

	addr := regexp.MustCompile(`msg=serving addr=(\S+)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); {
		if m := addr.FindStringSubmatch(stderr.String()); m != nil {
			base = "http://" + m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if base == "" {
		cancel()
		t.Fatalf("the server did not start: %s", stderr.String())
	}
	resp, err := http.Get(base + "/search/?q=" + "%E9%91%AB%E6%BA%90") // 鑫源
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<mark>鑫源</mark>") {
		t.Errorf("search: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(stderr.String(), "shutting down") {
		t.Errorf("no shutdown log: %s", stderr.String())
	}
}

// TestServe_ConnFlags: connection limits that are neither positive nor -1 are usage errors.
func TestServe_ConnFlags(t *testing.T) {
	data := t.TempDir()
	for _, args := range [][]string{
		{"--max-conns", "0"},
		{"--max-conns", "-2"},
		{"--max-conns-per-ip", "-5"},
	} {
		code, _, stderr := runCmd(t, nil, append([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"}, args...)...)
		if code != 2 || !strings.Contains(stderr, "max-conns") {
			t.Errorf("serve %v: exit %d, %s", args, code, stderr)
		}
	}
}
