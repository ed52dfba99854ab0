package generator_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong"
	"xinyong/exchange"
	"xinyong/internal/fixture"
)

// hostileAddress is the fixture's database with its departments' optional columns filled: the first with
// text that tries to break the front matter and carries an ID number, the second with plain values.
type hostileAddress struct{ *exchange.DB }

func (s hostileAddress) Departments(ctx context.Context) ([]xinyong.Department, error) {
	ds, err := s.DB.Departments(ctx)
	if err != nil || len(ds) < 2 {
		return ds, err
	}
	ds[0].Address = "盘锦市\n---\ntitle: \"被篡改\"\n兴隆台区 11010519491231002X 号"
	ds[0].Hours = "工作日\t8:30—17:00\x00"
	ds[1].Address, ds[1].Hours = "盘锦市双台子区示例路3号", "工作日 9:00—17:00"
	return ds, nil
}

// TestExport_DepartmentContact: a department's address and office hours (the optional columns) reach its
// export page as single cleaned lines — an ID number masked, nothing that breaks the front matter — and a
// department without them has neither key.
func TestExport_DepartmentContact(t *testing.T) {
	db := fixture.MustFixture(t, false)
	ds, err := db.Departments(context.Background())
	if err != nil || len(ds) < 3 {
		t.Fatalf("fixture departments %v (%v)", ds, err)
	}
	out, _, _ := MustExport(t, hostileAddress{db})
	page := func(code string) string {
		b, err := os.ReadFile(filepath.Join(out, "departments", code, "_index.md"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := page(ds[0].Code)
	if strings.Contains(first, "11010519491231002X") || !strings.Contains(first, "110105********002X") {
		t.Errorf("the ID number in an address is not masked:\n%s", first)
	}
	if strings.Count(first, "\n---\n") != 1 || strings.Contains(first, "\ntitle: \"被篡改\"") {
		t.Errorf("an address broke the front matter:\n%s", first)
	}
	for _, line := range strings.Split(first, "\n") {
		if strings.HasPrefix(line, "address: ") && !strings.Contains(line, "兴隆台区") {
			t.Errorf("address not on one line: %q", line)
		}
		if strings.HasPrefix(line, "hours: ") && (strings.ContainsAny(line, "\t\x00") || !strings.Contains(line, "8:30—17:00")) {
			t.Errorf("hours not cleaned: %q", line)
		}
	}
	if second := page(ds[1].Code); !strings.Contains(second, "address: \"盘锦市双台子区示例路3号\"\n") || !strings.Contains(second, "hours: \"工作日 9:00—17:00\"\n") {
		t.Errorf("address and hours not in the page:\n%s", second)
	}
	if third := page(ds[2].Code); strings.Contains(third, "address:") || strings.Contains(third, "hours:") {
		t.Errorf("a department without the columns has their keys:\n%s", third)
	}
}
