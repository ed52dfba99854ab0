package search

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
)

// TestBuild_Probes: Build records three code and three name probes, taken from documents whose code or
// name no other document has, never a natural person, and the index it built answers them.
func TestBuild_Probes(t *testing.T) {
	docs := fixture()
	// A second document named like the first company, and one with the second company's code: neither
	// name nor code identifies one document any more.
	twin := docs[0]
	twin.ID, twin.URL, twin.Code = "S9001", "/subjects/S9001/", ""
	same := docs[1]
	same.ID, same.URL, same.Name = "S9002", "/subjects/S9002/", "盘锦同码测试有限公司"
	docs = append(docs, twin, same)

	st, err := Build(context.Background(), filepath.Join(t.TempDir(), "index"), docsOf(docs))
	if err != nil {
		t.Fatal(err)
	}
	want := []Probe{
		{ProbeByCode, codeXinyuan, "/subjects/" + codeXinyuan + "/"},
		{ProbeByCode, codeLiaoning, "/subjects/" + codeLiaoning + "/"},
		{ProbeByCode, codeXinyuanLoan, "/subjects/" + codeXinyuanLoan + "/"},
		{ProbeByName, "盘锦鑫源化工贸易有限公司", "/subjects/" + codeXinyuanTrade + "/"},
		{ProbeByName, "辽宁鑫源化工集团", "/subjects/" + codeLiaoning + "/"},
		{ProbeByName, "盘锦市鑫源小额贷款有限公司", "/subjects/" + codeXinyuanLoan + "/"},
	}
	if !slices.Equal(st.Probes, want) {
		t.Errorf("probes\ngot  %v\nwant %v", st.Probes, want)
	}
}

func TestIndex_Check(t *testing.T) {
	x := openFixture(t)
	xinyuan := "/subjects/" + codeXinyuan + "/"
	tests := []struct {
		name   string
		probes []Probe
		ok     bool
	}{
		{"none", nil, true},
		{"code and name", []Probe{{ProbeByCode, codeXinyuan, xinyuan}, {ProbeByName, "盘锦鑫源化工有限公司", xinyuan}}, true},
		{"another first hit", []Probe{{ProbeByName, "盘锦鑫源化工贸易有限公司", xinyuan}}, false},
		{"no hit", []Probe{{ProbeByName, "不存在的名称", xinyuan}}, false},
		{"not a query", []Probe{{ProbeByName, "", xinyuan}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := x.Check(context.Background(), tt.probes)
			if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrProbe) {
				t.Errorf("Check: %v, want ok=%v", err, tt.ok)
			}
		})
	}
	x.Close()
	if err := x.Check(context.Background(), []Probe{{ProbeByCode, codeXinyuan, xinyuan}}); !errors.Is(err, ErrProbe) {
		t.Errorf("Check on a closed index: %v", err)
	}
}
