package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/archive"
	"xinyong/exchange"
	"xinyong/internal/fixture"
)

// fixtureDB writes the fixture into a new SQLite database, runs the statements on it, and returns its path.
func fixtureDB(t *testing.T, stmts ...string) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "exchange.db")
	w, err := exchange.Create(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := fixture.Load(ctx, w, false); err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := w.SQL().ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	return path
}

func wantAll(t *testing.T, what, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("%s: output lacks %q:\n%s", what, w, out)
		}
	}
}

func TestDoctor_Good(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "xinyong.toml")
	os.WriteFile(cfg, []byte(fmt.Sprintf("db = %q\ndata = %q\n", "sqlite:"+db, filepath.Join(dir, "data"))), 0o644)

	code, stdout, stderr := runCmd(t, nil, "doctor", "--config", cfg)
	if code != 0 {
		t.Fatalf("doctor on the fixture: exit %d\n%s%s", code, stdout, stderr)
	}
	wantAll(t, "doctor", stdout, "交换数据库\n", "✓ 已连接 SQLite 交换数据库 "+db, "✓ xy_cases：合同规定的 11 列齐全",
		"数据目录 "+filepath.Join(dir, "data")+"\n", "✓ 目录尚不存在，首次发布时将在 "+dir+" 下创建",
		"配置\n", "✓ 配置文件 "+cfg+" 可以解析", "项警告，0 项未通过")
	if strings.Contains(stdout, fixture.IDZhang) {
		t.Errorf("doctor printed an ID number")
	}

	// The same for machines.
	code, stdout, _ = runCmd(t, map[string]string{"XINYONG_CONFIG": cfg}, "doctor", "--format", "json")
	var rep struct {
		OK       bool
		Failures int
		Sections []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("doctor --format json: %v\n%s", err, stdout)
	}
	if code != 0 || !rep.OK || rep.Failures != 0 || len(rep.Sections) != 3 || rep.Sections[0].Name != "database" {
		t.Errorf("doctor --format json: exit %d, %+v", code, rep)
	}
}

func TestDoctor_Failures(t *testing.T) {
	dir := t.TempDir()
	broken := fixtureDB(t, "ALTER TABLE xy_list_entries DROP COLUMN valid_to", "DROP TABLE xy_cases")
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	badCfg := filepath.Join(dir, "bad.toml")
	os.WriteFile(badCfg, []byte("databse = \"x\"\n"), 0o644)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := fmt.Sprintf("127.0.0.1:%d", l.Addr().(*net.TCPAddr).Port)
	l.Close()

	tests := []struct {
		name    string
		environ map[string]string
		args    []string
		want    []string
	}{
		{"missing table and column", nil, []string{"--db", broken, "--data", dir},
			[]string{"✗ xy_list_entries 缺少列 valid_to（类型 DATE）", "✗ xy_cases 不存在", "2 项未通过", "docs/doctor.md"}},
		{"no database", nil, []string{"--data", dir},
			[]string{"✗ 未指定交换数据库：请用 --db、配置项 db 或环境变量 XINYONG_DB 指定"}},
		{"unreachable PostgreSQL", nil, []string{"--db", "postgres://xinyong@" + closed + "/credit?sslmode=disable", "--data", dir},
			[]string{"✗ 无法连接 PostgreSQL 交换数据库 credit（" + closed + "，用户 xinyong）：", "connection refused"}},
		{"data directory is a file", nil, []string{"--db", fixtureDB(t), "--data", file},
			[]string{"数据目录 " + file, "✗ 不是目录", "1 项未通过"}},
		// A configuration file that does not parse is reported, and the rest is checked from the
		// environment.
		{"bad config file", map[string]string{"XINYONG_DB": broken, "XINYONG_LOG_LEVEL": "loud"}, []string{"--config", badCfg, "--data", dir},
			[]string{"✗ 配置文件 " + badCfg + " 有误：unknown key databse", "✗ 日志级别 \"loud\" 无效", "✗ xy_cases 不存在"}},
	}
	for _, tt := range tests {
		code, stdout, stderr := runCmd(t, tt.environ, append([]string{"doctor"}, tt.args...)...)
		if code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s%s", tt.name, code, stdout, stderr)
		}
		wantAll(t, tt.name, stdout, tt.want...)
	}
}

func TestDoctor_Usage(t *testing.T) {
	for _, args := range [][]string{
		{"doctor", "--format", "xml"},
		{"doctor", "--sample", "0"},
		{"doctor", "extra"},
		{"doctor", "--nope"},
	} {
		if code, _, stderr := runCmd(t, nil, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, stderr)
		}
	}
	// The help goes to stdout (TestHelp_EveryCommand).
	if code, stdout, _ := runCmd(t, nil, "doctor", "-h"); code != 0 || !strings.Contains(stdout, "--sample") {
		t.Errorf("doctor -h: exit %d, stdout %q", code, stdout)
	}
}

// TestDoctor_LogKey: doctor says whether the publication log will be signed: no key warns, a key file
// others can read or a key named for another log fails, a good key passes — and never prints the key.
func TestDoctor_LogKey(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	skey, _, err := archive.GenerateKey("credit.panjin.gov.cn/log")
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.key")
	os.WriteFile(good, []byte(skey+"\n"), 0o600)
	open := filepath.Join(dir, "open.key")
	os.WriteFile(open, []byte(skey+"\n"), 0o644)
	other, _, _ := archive.GenerateKey("other.example.invalid/log")
	data := filepath.Join(dir, "data")
	// A log named credit.panjin.gov.cn/log in the data directory.
	lg, _ := archive.Open(filepath.Join(data, "log"))
	p, err := lg.Append(context.Background(), archive.Switch{Release: "R1", AsOf: "2026-06-15", Event: archive.EventPublished, At: time.Now()},
		nil, filepath.Join(dir, "pending"), archive.Options{Origin: "credit.panjin.gov.cn/log"})
	if err != nil {
		t.Fatal(err)
	}
	if err := lg.Commit(p.Dir); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		conf string
		env  map[string]string
		want string
		code int
	}{
		{"none", "", nil, "! 未配置公示日志签名密钥", 0},
		{"good", fmt.Sprintf("log_key_file = %q\n", good), nil, "✓ 公示日志签名密钥可用（名称 credit.panjin.gov.cn/log）", 0},
		{"readable by others", fmt.Sprintf("log_key_file = %q\n", open), nil, "✗ 公示日志签名密钥不可用", 1},
		{"another log's", "", map[string]string{"XINYONG_LOG_KEY": other}, "✗ 公示日志签名密钥名为 other.example.invalid/log", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := filepath.Join(dir, c.name+".toml")
			os.WriteFile(cfg, []byte(fmt.Sprintf("db = %q\ndata = %q\n", "sqlite:"+db, data)+c.conf), 0o644)
			code, stdout, stderr := runCmd(t, c.env, "doctor", "--config", cfg)
			if code != c.code || !strings.Contains(stdout, c.want) {
				t.Fatalf("exit %d, want %d and %q:\n%s%s", code, c.code, c.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr, "PRIVATE+KEY") {
				t.Error("doctor printed the private key")
			}
		})
	}
}
