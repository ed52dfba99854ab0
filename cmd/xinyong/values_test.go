package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestRun_BadValues: a flag value that cannot be used gets one Chinese sentence naming the flag and the
// value.
func TestRun_BadValues(t *testing.T) {
	dir := t.TempDir()
	db := fixtureDB(t)
	out := filepath.Join(dir, "out")
	missing := filepath.Join(dir, "missing.toml")
	noTheme := filepath.Join(dir, "no-theme")
	tests := []struct {
		args []string
		env  map[string]string
		code int
		want string
	}{
		{[]string{"export", "--db", db, "--out", out, "--as-of", "2026-13-01"}, nil, 2,
			"--as-of 的值 2026-13-01 不是有效日期（应为 YYYY-MM-DD，例如 2026-06-15）"},
		{[]string{"run", "--db", db, "--data", dir, "--as-of", "15.06.2026"}, nil, 2, "--as-of 的值 15.06.2026 不是有效日期"},
		{[]string{"demo", "--db", filepath.Join(dir, "d.db"), "--as-of", "2026-02-30"}, nil, 2, "--as-of 的值 2026-02-30 不是有效日期"},
		{[]string{"export", "--db", "mysql://u:secret@h/x", "--out", out}, nil, 2, "--db 的值 mysql://u:"},
		{[]string{"run", "--db", "mysql://h/x", "--data", dir}, nil, 2, "--db 的值 mysql://h/x 不是可用的交换数据库地址"},
		{[]string{"demo", "--db", "ftp://h/x"}, nil, 2, "--db 的值 ftp://h/x 不是可用的交换数据库地址"},
		{[]string{"demo", "--db", "postgres://h/x"}, nil, 2, "--db 的值 postgres://h/x 是 PostgreSQL 数据库"},
		{[]string{"export", "--config", missing, "--out", out}, nil, 2, "--config 的值 " + missing + " 所指的文件不存在"},
		{[]string{"status"}, map[string]string{"XINYONG_CONFIG": missing}, 2, "XINYONG_CONFIG 的值 " + missing + " 所指的文件不存在"},
		{[]string{"build", "--content", dir, "--out", out, "--theme", noTheme}, nil, 1, "--theme 的值 " + noTheme + " 所指的目录不存在"},
		{[]string{"run"}, nil, 2, "run：必须指定 --db DSN（运行 xinyong run --help 查看用法）"},
		{[]string{"status", "-n", "0"}, nil, 2, "status：-n 至少为 1，实为 0"},
		{[]string{"export", "--db", db, "--out", out, "--log-format", "xml"}, nil, 2, "xinyong: --log-format 的值 xml 无效，应为 text 或 json\n"},
		{[]string{"doctor", "--format", "xml"}, nil, 2, "doctor：--format 的值 xml 无效，应为 text 或 json"},
		{[]string{"run", "--db", db}, map[string]string{"XINYONG_BUILD_TIMEOUT": "soon"}, 2, "环境变量 XINYONG_BUILD_TIMEOUT 的值 soon 无效"},
	}
	for _, tt := range tests {
		code, _, stderr := runCmd(t, tt.env, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
		if strings.Contains(stderr, "secret") {
			t.Errorf("%v: stderr shows the password: %q", tt.args, stderr)
		}
	}
}
