package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/publish"
)

// text renders a section as the command prints it.
func text(t *testing.T, secs ...*Section) string {
	t.Helper()
	var b bytes.Buffer
	if err := (&Report{Sections: secs}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// wantLines checks that out has a line with each mark and text, and nothing of the forbidden strings.
func wantLines(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("report lacks %q:\n%s", w, out)
		}
	}
}

func failures(sec *Section) []Check {
	var out []Check
	for _, c := range sec.Checks {
		if c.Status == Fail {
			out = append(out, c)
		}
	}
	return out
}

func TestContractMatchesExchange(t *testing.T) {
	if len(contract) != len(exchange.Columns) {
		t.Fatalf("contract has %d tables, exchange.Columns %d", len(contract), len(exchange.Columns))
	}
	for _, tb := range contract {
		var names []string
		for _, c := range tb.columns {
			names = append(names, c.name)
		}
		if !slices.Equal(names, exchange.Columns[tb.name]) {
			t.Errorf("%s: doctor checks %v, exchange reads %v", tb.name, names, exchange.Columns[tb.name])
		}
	}
}

func TestSQLite_Fixture(t *testing.T) {
	for _, extras := range []bool{false, true} {
		sec := CheckDB(context.Background(), fixture.MustFixture(t, extras), Options{})
		out := text(t, sec)
		if f := failures(sec); len(f) > 0 {
			t.Errorf("extras=%v: failures on the fixture: %+v\n%s", extras, f, out)
		}
		wantLines(t, out,
			"✓ xy_departments：表 main.xy_departments",
			"✓ xy_list_entries：合同规定的 17 列齐全，类型可用",
			"✓ xy_cases：共 "+map[bool]string{false: "12", true: "13"}[extras]+" 行", // extras: a case with ID numbers
			"! xy_list_entries：抽查",                                                // the fixture's hostile rows
			"E21：subject.id: 编号 \"S 009/x\" 不能用作网址",                               // an example, in the export's words
			"110105********0021：",                                                 // an id that is an ID number, masked
			"! xy_subjects：随名单条目和案例抽查",
			"0 项未通过")
		if strings.Contains(out, fixture.IDZhang) || strings.Contains(out, "110105194912310021") {
			t.Errorf("the report shows an ID number:\n%s", out)
		}
	}
}

func TestSQLite_SampleLimit(t *testing.T) {
	sec := CheckDB(context.Background(), fixture.MustDemo(t, 300), Options{Sample: 50})
	out := text(t, sec)
	wantLines(t, out, "✓ xy_list_entries：共 300 行", "xy_list_entries：抽查 50 行")
	if f := failures(sec); len(f) > 0 {
		t.Errorf("failures on the demo database: %+v", f)
	}
}

// sqliteDB creates a SQLite exchange database holding the fixture, changes it with the statements, and
// returns its path.
func sqliteDB(t *testing.T, stmts ...string) string {
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

func TestSQLite_MissingTableAndColumn(t *testing.T) {
	path := sqliteDB(t, "ALTER TABLE xy_list_entries DROP COLUMN valid_to", "DROP TABLE xy_cases")
	sec := CheckDatabase(context.Background(), "sqlite:"+path, Options{})
	out := text(t, sec)
	wantLines(t, out,
		"✓ 已连接 SQLite 交换数据库 "+path,
		"✗ xy_list_entries 缺少列 valid_to（类型 DATE）",
		"✗ xy_cases 不存在：在数据库文件中找不到这个表或视图（应有列：id、kind、title",
		"– xy_list_entries：未抽查",
		"– xy_cases：未抽查",
		"✓ xy_departments：抽查 4 行",
		"2 项未通过")
	if got := len(failures(sec)); got != 2 {
		t.Errorf("%d failures, want 2:\n%s", got, out)
	}
}

func TestSQLite_Empty(t *testing.T) {
	sec := CheckDatabase(context.Background(), sqliteDB(t, "DELETE FROM xy_list_entries", "DELETE FROM xy_cases"), Options{})
	out := text(t, sec)
	wantLines(t, out, "! xy_list_entries：没有任何行，xinyong run 会拒绝发布", "✓ xy_cases：共 0 行", "0 项未通过")
	if strings.Contains(out, "xy_list_entries：抽查") || strings.Contains(out, "xy_cases：抽查") {
		t.Errorf("a sample line for an empty table:\n%s", out)
	}
}

func TestSQLite_PublicAsText(t *testing.T) {
	cols := strings.Join(exchange.Columns["xy_list_entries"], ", ")
	path := sqliteDB(t,
		"ALTER TABLE xy_list_entries RENAME TO old_entries",
		`CREATE TABLE xy_list_entries (id TEXT, list TEXT, list_name TEXT, subject_id TEXT, reason TEXT, basis TEXT,
			decision_no TEXT, measures TEXT, department TEXT, severity TEXT, decided_on DATE, valid_from DATE,
			valid_to DATE, public VARCHAR(1), status TEXT, status_changed_on DATE, updated_at TIMESTAMP)`,
		"INSERT INTO xy_list_entries ("+cols+") SELECT "+cols+" FROM old_entries")
	out := text(t, CheckDatabase(context.Background(), path, Options{}))
	wantLines(t, out,
		"✗ xy_list_entries 的列 public 类型为 VARCHAR(1)，无法使用：应为 INTEGER",
		"✗ xy_list_entries 的列 public：抽查 44 行，其中 42 行的值为文本或小数形式的 1（例如 \"1\"）")
}

func TestSQLite_ConnectFailures(t *testing.T) {
	dir := t.TempDir()
	for dsn, want := range map[string]string{
		"":                               "✗ 未指定交换数据库",
		filepath.Join(dir, "missing.db"): "✗ SQLite 交换数据库文件 " + filepath.Join(dir, "missing.db") + " 不存在",
		"sqlite:" + dir:                  "不是 SQLite 数据库文件",
		"mysql://localhost/x":            "✗ 交换数据库地址无法使用：bad database DSN: unknown scheme",
	} {
		sec := CheckDatabase(context.Background(), dsn, Options{})
		out := text(t, sec)
		wantLines(t, out, want)
		if len(sec.Checks) != 1 {
			t.Errorf("%q: %d checks after a connection failure, want 1:\n%s", dsn, len(sec.Checks), out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "missing.db")); !os.IsNotExist(err) {
		t.Errorf("doctor created the missing database")
	}
}

func TestDataDir(t *testing.T) {
	dir := t.TempDir()
	out := text(t, CheckDataDir(dir, 0))
	wantLines(t, out, "✓ "+dir+" 可写", "✓ 可用空间", "✓ 尚未发布过")
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("doctor left %d files in the data directory", len(entries))
	}

	// A directory that does not exist yet is fine when it can be created; nothing is created.
	missing := filepath.Join(dir, "a", "b")
	out = text(t, CheckDataDir(missing, 0))
	wantLines(t, out, "✓ 目录尚不存在，首次发布时将在 "+dir+" 下创建", "0 项未通过")
	if _, err := os.Stat(filepath.Join(dir, "a")); !os.IsNotExist(err) {
		t.Errorf("doctor created the data directory")
	}

	// Low free space is a warning.
	out = text(t, CheckDataDir(dir, 1<<62))
	wantLines(t, out, "! 可用空间只有", "建议至少 4096.0 PiB", "0 项未通过")
}

func TestDataDir_Unusable(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	for path, want := range map[string]string{
		file:                        "✗ 不是目录",
		"":                          "✗ 未指定数据目录",
		filepath.Join(file, "data"): "✗ 目录不存在，也无法创建：" + file + ": not a directory",
		unwritableDir(t):            "不可写",
	} {
		sec := CheckDataDir(path, 0)
		out := text(t, sec)
		wantLines(t, out, want)
		if !(&Report{Sections: []*Section{sec}}).Failed() {
			t.Errorf("%s: the report does not fail:\n%s", path, out)
		}
	}
}

// unwritableDir returns a directory in which no file can be created. root can write into any mode, so as
// root it is a directory of /proc, where no regular file can be created.
func unwritableDir(t *testing.T) string {
	if os.Geteuid() == 0 {
		return "/proc/self"
	}
	dir := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(dir, 0o555)
	t.Cleanup(func() { os.Chmod(dir, 0o755) })
	return dir
}

func TestDataDir_Current(t *testing.T) {
	dir := t.TempDir()
	rel := filepath.Join(dir, publish.ReleasesDir, "20260615T020000Z")
	os.MkdirAll(rel, 0o755)
	link := filepath.Join(dir, publish.CurrentLink)
	os.Symlink(filepath.Join(publish.ReleasesDir, "20260615T020000Z"), link)

	// Without release.json.
	wantLines(t, text(t, CheckDataDir(dir, 0)), "✗ current 链接有误："+rel+" 缺少可读的 release.json")

	m := publish.Manifest{ID: "20260615T020000Z", AsOf: "2026-06-15", BuiltAt: time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)}
	b, _ := json.Marshal(m)
	os.WriteFile(filepath.Join(rel, publish.ManifestFile), b, 0o644)
	wantLines(t, text(t, CheckDataDir(dir, 0)), "✓ 当前版本 20260615T020000Z（公示日期 2026-06-15，生成于 2026-06-15 10:00）")

	os.RemoveAll(rel)
	wantLines(t, text(t, CheckDataDir(dir, 0)), "✗ current 链接有误：指向的 "+rel+" 不存在")

	os.Remove(link)
	os.Mkdir(link, 0o755)
	wantLines(t, text(t, CheckDataDir(dir, 0)), "✗ current 链接有误：current 应是指向 releases/<版本> 的符号链接")
}

func TestConfig(t *testing.T) {
	theme := t.TempDir()
	good := Config{File: "x.toml", LogLevel: "warn", LogFormat: "json", BaseURL: "https://credit.panjin.gov.cn/",
		Keep: 7, MaxShrink: 0.2}
	sec := CheckConfig(good)
	if len(failures(sec)) > 0 {
		t.Errorf("a good configuration fails: %+v", failures(sec))
	}
	wantLines(t, text(t, sec), "✓ 配置文件 x.toml 可以解析", "✓ 定时发布计划 \"0 2 * * *\"", "✓ 发布保护：一次发布最多移除 20% 的条目")

	bad := Config{File: "x.toml", FileErr: os.ErrNotExist, LogLevel: "loud", LogFormat: "xml",
		BaseURL: "credit.panjin.gov.cn", Theme: theme, Keep: 0, MaxShrink: 2, Schedule: "every night", Webhook: "ftp://x/"}
	sec = CheckConfig(bad)
	wantLines(t, text(t, sec),
		"✗ 配置文件 x.toml 有误：file does not exist",
		"✗ 日志级别 \"loud\" 无效",
		"✗ 日志格式 \"xml\" 无效",
		"✗ base_url \"credit.panjin.gov.cn\" 无效",
		"✗ 主题目录 "+theme+" 无法使用：缺少 layouts 子目录",
		"✗ keep = 0 无效",
		"✗ max_shrink = 2 无效",
		"✗ schedule \"every night\" 无效",
		"✗ alert_webhook 无效")
	if got := len(failures(sec)); got != 9 {
		t.Errorf("%d failures, want 9", got)
	}

	os.Mkdir(filepath.Join(theme, "layouts"), 0o755)
	out := text(t, CheckConfig(Config{LogLevel: "info", LogFormat: "text", BaseURL: "http://localhost:1313/", Theme: theme,
		Keep: 3, MaxShrink: 1, Webhook: "https://oapi.dingtalk.com/robot/send?access_token=SECRET"}))
	wantLines(t, out, "✓ 未使用配置文件", "! 网站网址 http://localhost:1313/ 不是 https", "✓ 主题目录 "+theme,
		"✓ 告警地址 https://oapi.dingtalk.com/…", "0 项未通过")
	if strings.Contains(out, "SECRET") {
		t.Errorf("the report shows the webhook's token:\n%s", out)
	}
}

func TestReport_JSON(t *testing.T) {
	sec := &Section{Name: "x", Title: "X"}
	sec.ok("a", "", "好")
	sec.warn("b", "t", "注意")
	var b bytes.Buffer
	r := &Report{Sections: []*Section{sec}}
	if err := r.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		OK       bool
		Warnings int
		Sections []struct {
			Checks []struct{ Status, Key, Subject, Text string }
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !got.OK || got.Warnings != 1 || got.Sections[0].Checks[1].Status != "warn" || got.Sections[0].Checks[1].Subject != "t" {
		t.Errorf("JSON report: %s", b.String())
	}
}
