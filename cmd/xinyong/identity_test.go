package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRun_SiteIdentity: the config file's [site] table reaches the footer of a publication built in a child
// process, and a change of it alone publishes again (the data did not change); an unknown key of the
// table and a link that is not http(s) are configuration errors.
func TestRun_SiteIdentity(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	cfg := filepath.Join(dir, "xinyong.toml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	footerOf := func() string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(data, "current", "site", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		return s[strings.Index(s, `<footer class="site-footer">`):]
	}
	run := func() string {
		t.Helper()
		code, out, stderr := runCmd(t, nil, "run", "--config", cfg, "--db", db, "--data", data, "--as-of", "2026-06-15")
		if code != 0 {
			t.Fatalf("run: exit %d: %s", code, stderr)
		}
		return out + stderr
	}

	write("[site]\nsite_code = \"2111000099\"\nicp = \"辽ICP备99999999号-1\"\nsponsor = \"盘锦市信用办\"\n")
	run()
	f := footerOf()
	for _, want := range []string{"网站标识码：2111000099", `<a href="https://beian.miit.gov.cn/" rel="external">辽ICP备99999999号-1</a>`, "主办单位：盘锦市信用办"} {
		if !strings.Contains(f, want) {
			t.Errorf("footer lacks %s:\n%s", want, f)
		}
	}
	if strings.Contains(f, "承办单位") || strings.Contains(f, "公网安备") {
		t.Errorf("footer shows fields not configured:\n%s", f)
	}

	write("[site]\nsite_code = \"2111000098\"\nicp = \"辽ICP备99999999号-1\"\nsponsor = \"盘锦市信用办\"\n")
	run()
	if f := footerOf(); !strings.Contains(f, "网站标识码：2111000098") {
		t.Errorf("a changed site_code was not published:\n%s", f)
	}

	for _, bad := range []string{"[site]\nsite_kode = \"1\"\n", "[site]\nicp = \"x\"\nicp_url = \"javascript:alert(1)\"\n"} {
		write(bad)
		code, _, stderr := runCmd(t, nil, "run", "--config", cfg, "--db", db, "--data", data)
		if code != 2 {
			t.Errorf("config %q: exit %d, want 2 (%s)", bad, code, stderr)
		}
	}
}
