package doctor

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"strings"
	"testing"

	"xinyong/exchange"
	"xinyong/internal/fixture"
	"xinyong/internal/pgtest"
)

// pgFixture starts a PostgreSQL server holding the fixture in the contract's tables and returns its DSN
// and a writable connection for changing it.
func pgFixture(t *testing.T) (string, *exchange.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := pgtest.Start(t)
	w, err := exchange.OpenWritable(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	if err := w.CreateSchema(ctx); err != nil {
		t.Fatal(err)
	}
	if err := fixture.Load(ctx, w, false); err != nil {
		t.Fatal(err)
	}
	return dsn, w
}

func exec(t *testing.T, w *exchange.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := w.SQL().ExecContext(context.Background(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestPostgres_TablesAndViews(t *testing.T) {
	dsn, w := pgFixture(t)
	ctx := context.Background()

	sec := CheckDatabase(ctx, dsn, Options{})
	out := text(t, sec)
	if f := failures(sec); len(f) > 0 {
		t.Errorf("failures on the fixture's tables: %+v\n%s", f, out)
	}
	wantLines(t, out, "✓ 已连接 PostgreSQL 交换数据库", "，服务器版本 ", "✓ 表名按 search_path 查找：public",
		"✓ xy_list_entries：表 public.xy_list_entries", "✓ xy_list_entries：共 44 行", "! xy_list_entries：抽查 44 行")

	// A sample smaller than the tables stops the export's queries early; the connection pool recovers
	// from the cancelled queries for the next checks.
	sec = CheckDatabase(ctx, dsn, Options{Sample: 5})
	out = text(t, sec)
	if f := failures(sec); len(f) > 0 {
		t.Errorf("failures with a small sample: %+v\n%s", f, out)
	}
	wantLines(t, out, "xy_list_entries：抽查 5 行", "xy_cases：抽查 5 行")

	// The DBA's mapping: the platform's own tables, with their own names, columns and types, in their own
	// schema; the contract as views in a schema the connection puts first on its search_path.
	exec(t, w,
		"CREATE SCHEMA platform",
		"CREATE SCHEMA mapping",
		"ALTER TABLE xy_list_entries SET SCHEMA platform",
		"ALTER TABLE platform.xy_list_entries RENAME TO credit_list_item",
		"ALTER TABLE platform.credit_list_item RENAME COLUMN id TO item_no",
		"ALTER TABLE platform.credit_list_item RENAME COLUMN list TO list_type",
		"ALTER TABLE platform.credit_list_item RENAME COLUMN public TO open_to_public",
		"ALTER TABLE platform.credit_list_item ALTER COLUMN open_to_public TYPE boolean USING open_to_public = 1",
		"ALTER TABLE platform.credit_list_item RENAME COLUMN updated_at TO modified",
		"ALTER TABLE platform.credit_list_item ALTER COLUMN modified TYPE timestamp USING modified AT TIME ZONE 'UTC'",
		"ALTER TABLE platform.credit_list_item ALTER COLUMN reason TYPE varchar(8000000)",
		`CREATE VIEW mapping.xy_list_entries AS SELECT item_no AS id, list_type AS list, list_name, subject_id,
			reason, basis, decision_no, measures, department, severity, decided_on, valid_from, valid_to,
			open_to_public AS public, status, status_changed_on, modified AS updated_at
			FROM platform.credit_list_item`,
		"ALTER TABLE xy_departments RENAME TO dept",
		"CREATE VIEW mapping.xy_departments AS SELECT code::varchar(16) AS code, name, credit_code, phone FROM dept",
	)
	mapped := dsn + "&search_path=mapping,public"
	sec = CheckDatabase(ctx, mapped, Options{})
	out = text(t, sec)
	if f := failures(sec); len(f) > 0 {
		t.Errorf("failures on the views: %+v\n%s", f, out)
	}
	wantLines(t, out, "✓ 表名按 search_path 查找：mapping, public",
		"✓ xy_list_entries：视图 mapping.xy_list_entries", "✓ xy_list_entries：合同规定的 17 列齐全，类型可用",
		"✓ xy_departments：视图 mapping.xy_departments", "✓ xy_subjects：表 public.xy_subjects",
		"! xy_list_entries：抽查 44 行")

	// Without the search_path, the views are not found, and the report says where it looked.
	out = text(t, CheckDatabase(ctx, dsn, Options{}))
	wantLines(t, out, "✗ xy_list_entries 不存在：在 search_path（public）中找不到这个表或视图（应有列：id、list、list_name")
}

func TestPostgres_UnusableTypes(t *testing.T) {
	dsn, w := pgFixture(t)
	ctx := context.Background()
	exec(t, w,
		"ALTER TABLE xy_list_entries ALTER COLUMN decided_on TYPE integer USING 20260101",
		"ALTER TABLE xy_list_entries ALTER COLUMN valid_to TYPE bytea USING convert_to(valid_to::text, 'UTF8')",
		"ALTER TABLE xy_list_entries ALTER COLUMN public TYPE text",
		"ALTER TABLE xy_list_entries RENAME COLUMN status TO \"Status\"",
		"ALTER TABLE xy_cases ALTER COLUMN published_on TYPE timestamptz",
		"ALTER TABLE xy_departments ALTER COLUMN code TYPE char(8)",
	)
	sec := CheckDatabase(ctx, dsn, Options{})
	out := text(t, sec)
	wantLines(t, out,
		"✗ xy_list_entries 的列 decided_on 类型为 integer，无法使用：应为 date、timestamp 或 YYYY-MM-DD 格式的文本",
		"✗ xy_list_entries 的列 valid_to 类型为 bytea，无法使用",
		"✗ xy_list_entries 的列 public 类型为 text，无法使用：应为 integer、smallint、bigint 或 boolean",
		"✗ xy_list_entries 缺少列 status（类型 TEXT）；有大小写不同的列 \"Status\"",
		"✗ xy_cases 的列 published_on 类型为 timestamp with time zone，无法使用：应为 date（timestamptz 按 UTC 取日期",
		"(published_on AT TIME ZONE 'Asia/Shanghai')::date",
		"! xy_departments 的列 code 类型为 character(8)：定长字符类型会在值后补空格",
		"– xy_list_entries：未抽查",
	)
	if got := len(failures(sec)); got != 5 {
		t.Errorf("%d failures, want 5:\n%s", got, out)
	}

	// With every column there, the sample runs and shows what the types do to the rows.
	exec(t, w, "ALTER TABLE xy_list_entries RENAME COLUMN \"Status\" TO status")
	out = text(t, CheckDatabase(ctx, dsn, Options{}))
	wantLines(t, out,
		"! xy_list_entries：抽查 44 行，其中 44 行无法解析",
		"decided_on: \"20260101\" 不是 YYYY-MM-DD 格式的日期",
		"✗ xy_list_entries 的列 public：抽查 44 行，其中 42 行的值为文本或小数形式的 1（例如 \"1\"）")

	// A key the export's queries cannot sort by byte order or join on fails the query itself.
	exec(t, w, "ALTER TABLE xy_subjects ALTER COLUMN id TYPE bytea USING convert_to(id, 'UTF8')")
	out = text(t, CheckDatabase(ctx, dsn, Options{}))
	wantLines(t, out,
		"✗ xy_subjects 的列 id 类型为 bytea，无法使用：应为 text 或 varchar",
		"✗ xy_list_entries：按导出的查询读取失败：read list entries: ",
		"✗ xy_cases：按导出的查询读取失败：read cases: ")
}

func TestPostgres_Unreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	dsn := fmt.Sprintf("postgres://xinyong:s3cret@127.0.0.1:%d/credit?sslmode=disable", port)
	sec := CheckDatabase(context.Background(), dsn, Options{})
	out := text(t, sec)
	wantLines(t, out, fmt.Sprintf("✗ 无法连接 PostgreSQL 交换数据库 credit（127.0.0.1:%d，用户 xinyong）：", port),
		"connection refused", "1 项未通过")
	var js bytes.Buffer
	(&Report{Sections: []*Section{sec}}).WriteJSON(&js)
	if strings.Contains(out+js.String(), "s3cret") {
		t.Errorf("the report shows the password:\n%s\n%s", out, js.String())
	}
}
