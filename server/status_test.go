package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/scheduler"
	"xinyong/server"
)

// TestStatus: /status/ lists the recorded runs and rollbacks in the site's page, failures and refusals with
// their cause, and /api/status gives the same as JSON. Neither shows an error's text: it names the
// database's host, port, user and name, and file paths.
func TestStatus(t *testing.T) {
	data := t.TempDir()
	res, err := publish.Run(context.Background(), publish.Options{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf, Data: data})
	if err != nil {
		t.Fatal(err)
	}
	s, err := server.New(data, server.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s.Handler())
	defer ts.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/status/"); code != 200 || !strings.Contains(body, "尚无自动发布记录") {
		t.Fatalf("status before any run: %d %q", code, body)
	}

	st, err := scheduler.OpenState(filepath.Join(data, publish.StateFile))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 6, 15, 2, 0, 0, 0, time.UTC)
	for _, r := range []scheduler.Run{
		{Trigger: scheduler.BySchedule, Start: t0, End: t0.Add(time.Minute), Outcome: scheduler.Published, Release: res.ID, Red: 9, Black: 8},
		{Trigger: scheduler.ByHand, Start: t0.Add(time.Hour), End: t0.Add(time.Hour + time.Second), Outcome: scheduler.Failed,
			Error: "cannot connect to the exchange database: postgres postgres://xinyong:xxxxx@db.internal:5433/xy_exchange: <script>down</script> /var/lib/xinyong/state.db",
			Cause: scheduler.CauseDatabase},
		{Trigger: scheduler.BySchedule, Start: t0.Add(90 * time.Minute), End: t0.Add(91 * time.Minute), Outcome: scheduler.Failed,
			Error: "build: write /var/lib/xinyong/releases/.tmp-x/site/a.html: no space left on device"},
		{Trigger: scheduler.ByRollback, Start: t0.Add(2 * time.Hour), End: t0.Add(2 * time.Hour), Outcome: scheduler.RollbackRefused,
			Error: "未回退：版本 20260614T180000Z 会重新公开 1 条此后已撤下的信息：black/E02。"},
		{Trigger: scheduler.ByRollback, Start: t0.Add(3 * time.Hour), End: t0.Add(3 * time.Hour), Outcome: scheduler.RolledBack, Release: res.ID},
	} {
		id, err := st.Begin(&r)
		if err != nil {
			t.Fatal(err)
		}
		r.ID = id
		if err := st.Finish(&r); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()

	code, body := get("/status/")
	if code != 200 || !strings.Contains(body, "已发布") || !strings.Contains(body, "失败（网站保持不变）") ||
		!strings.Contains(body, res.ID) || !strings.Contains(body, `class="site-header"`) {
		t.Errorf("status page: %d\n%s", code, body)
	}
	// Rollbacks are shown with their own trigger and outcomes; failures with their cause (a failure
	// recorded without one: 发布失败).
	for _, want := range []string{"<td data-label=\"触发方式\">回退</td>", "<strong>已拒绝回退（会重新公开已撤下的信息）</strong>",
		"<td data-label=\"结果\">已回退</td>", "数据库无法连接", "发布失败"} {
		if !strings.Contains(body, want) {
			t.Errorf("status page lacks %q", want)
		}
	}
	_, apiBody := get("/api/status")
	for _, secret := range []string{"down", "db.internal", "5433", "xinyong:", "xy_exchange", "/var/lib", "black/E02", "no space", "\"error\""} {
		if strings.Contains(body, secret) || strings.Contains(apiBody, secret) {
			t.Errorf("/status/ or /api/status shows %q", secret)
		}
	}
	code, body = get("/api/status")
	var api struct {
		Release string
		Runs    []struct {
			scheduler.Run
			CauseText string `json:"cause_text"`
		}
	}
	if err := json.Unmarshal([]byte(body), &api); code != 200 || err != nil || api.Release != res.ID || len(api.Runs) != 5 ||
		api.Runs[0].Outcome != scheduler.RolledBack || api.Runs[0].Trigger != scheduler.ByRollback || api.Runs[0].Release != res.ID ||
		api.Runs[1].Outcome != scheduler.RollbackRefused || api.Runs[3].Outcome != scheduler.Failed ||
		api.Runs[3].Cause != scheduler.CauseDatabase || api.Runs[3].CauseText != "数据库无法连接" {
		t.Errorf("api/status: %d %v %+v", code, err, api)
	}
}
