package search

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"xinyong"
)

// What people paste (issue 14): a 认定文号 in any bracket style, an entry or case id, a name in traditional
// characters, a lenient credit code copied from its own page. Each finds its record, first.

func TestDecisionNumber(t *testing.T) {
	x := openFixture(t)
	const name = "盘锦鑫源化工有限公司"
	for _, q := range []string{
		decisionXinyuan,      // 〔〕, as published
		"盘环罚[2026]142号",      // half-width square brackets
		"盘环罚［2026］142号",      // full-width square brackets
		"盘环罚(2026)142号",      // half-width round brackets
		"盘环罚（2026）142号",      // full-width round brackets
		"盘环罚【2026】142号",      // black lenticular brackets
		" 盘环罚 〔2026〕 142 号 ", // spaces, as a PDF copy leaves them
		"盘环罚〔２０２６〕１４２号",      // full-width digits
		"盤環罰〔2026〕142號",      // traditional characters
	} {
		res := search(t, x, Request{Q: q})
		if len(res.Hits) == 0 || res.Hits[0].Name != name {
			t.Errorf("%q: hits %q, want %s first", q, names(res), name)
			continue
		}
		if res.Total != 1 {
			t.Errorf("%q: %d hits (%q), want the one record", q, res.Total, names(res))
		}
		h := res.Hits[0]
		if !h.RefMatched || h.Matched == nil || h.Matched.ID != "E0000003" || h.Matched.URL != "/black/E0000003/" ||
			h.Matched.DecisionNo != decisionXinyuan {
			t.Errorf("%q: matched %+v, want entry E0000003 at /black/E0000003/", q, h.Matched)
		}
		if h.Entries != nil {
			t.Errorf("%q: hit carries the stored entries %+v", q, h.Entries)
		}
		if res.Notice != "" {
			t.Errorf("%q: notice %q", q, res.Notice)
		}
	}
	// The other entry of the same subject, with 第 in its number; and another subject's.
	res := wantFirst(t, x, "盘市监罚字[2026]第12号", name)
	if len(res.Hits) > 0 && (res.Hits[0].Matched == nil || res.Hits[0].Matched.ID != "E0000004") {
		t.Errorf("盘市监罚字[2026]第12号: matched %+v, want E0000004", res.Hits[0].Matched)
	}
	wantFirst(t, x, "盘税(2025)7号", "盘锦（辽河）石油装备有限公司")
	// A 文号 is not a name query: another number of the same office, or a part of one, finds nothing,
	// rather than every name with 盘 and 罚.
	wantSet(t, x, Request{Q: "盘环罚〔2026〕143号"})
	wantSet(t, x, Request{Q: "盘环罚〔2025〕142号"})
	// But a name of that shape that is no 文号 is found as a name, its matched part marked.
	res = wantSet(t, x, Request{Q: "渔港5号"}, "大洼区田庄台镇渔港5号")
	if len(res.Hits) == 1 && segText(res.Hits[0].Segments, true) != "渔港5号" {
		t.Errorf("渔港5号: segments %+v", res.Hits[0].Segments)
	}
	// Found by its 文号, a name shows no matched part.
	res = wantFirst(t, x, decisionXinyuan, name)
	if len(res.Hits) > 0 && segText(res.Hits[0].Segments, true) != "" {
		t.Errorf("%s: segments %+v, want none matched", decisionXinyuan, res.Hits[0].Segments)
	}
}

func TestParse_DecisionNumber(t *testing.T) {
	for q, want := range map[string]bool{
		"盘环罚〔2026〕142号":   true,
		"盘环罚(2026)142号":   true,
		"（2026）辽1103执12号": true,
		"盘市监罚字[2026]第12号": true,
		"盘税2026-7号":       true,
		"盘锦市第一建筑工程有限公司":   false,
		"盘锦（辽河）石油":        false,
		"E0000003":        false,
		"142号":            false,
		"盘锦 2026":         false,
		"辽宁(2026)":        false, // a bracketed year with nothing after it
		codeXinyuan:       false,
		"张三":              false,
		"盘锦鑫源化工有限公司142号楼": false, // not a 文号: digits then 号 then more
	} {
		q0, err := Parse(q)
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if q0.refOnly != want {
			t.Errorf("%q: refOnly %v, want %v", q, q0.refOnly, want)
		}
		if want && (q0.code != "" || q0.ref == "") {
			t.Errorf("%q: a 文号 searched as a code, or not as a reference: %+v", q, q0)
		}
		// A 文号 is looked up as a reference alone; as a name only when that finds nothing.
		if want {
			b, err := json.Marshal(q0.bleveQuery(nil, false))
			if err != nil || !strings.Contains(string(b), `"field":"ref"`) || strings.Contains(string(b), `"field":"name`) ||
				strings.Contains(string(b), `"field":"code`) {
				t.Errorf("%q: first query %s, want the reference alone", q, b)
			}
		}
	}
}

func TestEntryAndCaseID(t *testing.T) {
	x := openFixture(t)
	for _, c := range []struct{ q, name, entry, url string }{
		{"E0000003", "盘锦鑫源化工有限公司", "E0000003", "/black/E0000003/"},
		{"e0000004", "盘锦鑫源化工有限公司", "E0000004", "/black/E0000004/"},
		{"Ｅ００００００３", "盘锦鑫源化工有限公司", "E0000003", "/black/E0000003/"},
		{" E0000010 ", "盘锦（辽河）石油装备有限公司", "E0000010", "/red/E0000010/"},
		{"E0000011", "盘锦ABC科技有限公司", "E0000011", "/red/E0000011/"},
	} {
		res := wantFirst(t, x, c.q, c.name)
		if len(res.Hits) == 0 {
			continue
		}
		if m := res.Hits[0].Matched; m == nil || m.ID != c.entry || m.URL != c.url {
			t.Errorf("%q: matched %+v, want %s at %s", c.q, m, c.entry, c.url)
		}
		for _, h := range res.Hits[1:] {
			if h.RefMatched || h.Matched != nil {
				t.Errorf("%q: another hit %q marked as matched", c.q, h.Name)
			}
		}
	}
	// A case by its id: the case itself, with no entry.
	res := wantFirst(t, x, "C0000001", "张记餐馆诚信经营获评守信主体")
	if len(res.Hits) > 0 && (!res.Hits[0].RefMatched || res.Hits[0].Matched != nil || res.Hits[0].URL != "/cases/C0000001/") {
		t.Errorf("C0000001: hit %+v", res.Hits[0])
	}
	wantFirst(t, x, "2026-001", "盘锦鑫源化工有限公司拒不履行行政处罚决定案")
	// An id nobody has finds nothing.
	wantSet(t, x, Request{Q: "E0000099"})
}

func TestTraditionalCharacters(t *testing.T) {
	x := openFixture(t)
	// The reporter's query: 盤錦 is 盘锦, a stop word, so it finds every name with 盘锦.
	res := search(t, x, Request{Q: "盤錦"})
	simplified := search(t, x, Request{Q: "盘锦"})
	if res.Total == 0 || res.Total != simplified.Total {
		t.Errorf("盤錦: %d hits, 盘锦: %d", res.Total, simplified.Total)
	}
	wantFirst(t, x, "盤錦鑫源化工有限公司", "盘锦鑫源化工有限公司")
	wantSet(t, x, Request{Q: "鑫源化工貿易"}, "盘锦鑫源化工贸易有限公司")
	res = wantFirst(t, x, "盤錦（遼河）石油裝備", "盘锦（辽河）石油装备有限公司")
	if len(res.Hits) > 0 {
		var matched []string
		for _, s := range res.Hits[0].Segments {
			if s.Matched {
				matched = append(matched, s.Text)
			}
		}
		if strings.Join(matched, "|") != "盘锦|辽河|石油装备" {
			t.Errorf("盤錦（遼河）石油裝備: matched segments %q", matched)
		}
	}
	// A name registered in traditional characters: found by either spelling, highlighted as stored.
	const luyuan = "盤山縣綠源農業發展有限公司"
	for _, q := range []string{"绿源农业", "綠源農業", "盘山县绿源农业发展有限公司", luyuan, "綠源农业"} {
		res := wantSet(t, x, Request{Q: q}, luyuan)
		if len(res.Hits) == 1 && !strings.Contains(segText(res.Hits[0].Segments, true), "綠源農業") {
			t.Errorf("%q: segments %+v, want 綠源農業 matched", q, res.Hits[0].Segments)
		}
	}
	wantFirst(t, x, "盘山县绿源农业发展有限公司", luyuan)
}

// segText joins the texts of the segments matched (or not).
func segText(segs []Segment, matched bool) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Matched == matched {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func TestLenientCode(t *testing.T) {
	x := openFixture(t)
	if xinyong.CheckCreditCode(codeLenient).Valid() || !xinyong.CheckCreditCode(codeLenient).WellFormed() {
		t.Fatalf("fixture: %s is not a lenient code", codeLenient)
	}
	// Pasted from its own page: found, and the notice does not call the input wrong.
	for _, q := range []string{codeLenient, strings.ToLower(codeLenient), " " + codeLenient[:8] + " " + codeLenient[8:]} {
		res := wantFirst(t, x, q, "盘锦宏远机械制造有限公司")
		if res.Notice != xinyong.MsgSearchCodeLenient {
			t.Errorf("%q: notice %q, want %q", q, res.Notice, xinyong.MsgSearchCodeLenient)
		}
		if !strings.Contains(res.Notice, "该代码未通过校验，但为认定部门报送的代码") {
			t.Errorf("%q: notice %q", q, res.Notice)
		}
		if len(res.Hits) > 0 && (!res.Hits[0].CodeMatched || res.Hits[0].Code != codeLenient) {
			t.Errorf("%q: hit %+v, want its code matched", q, res.Hits[0])
		}
		// On a later page too (the notice is about the code, not about the hits shown).
		res = search(t, x, Request{Q: q, Page: 2, Size: 1})
		if res.Notice != xinyong.MsgSearchCodeLenient {
			t.Errorf("%q page 2: notice %q", q, res.Notice)
		}
	}
	// The same code with its right check character is another code: it is not in the index, and the
	// notice is today's; so is a wrong check character of a valid code in the index.
	valid := xinyong.MakeCreditCode("91211103", "MA0JX001")
	other := codeLenient[:17] + "0"
	if other[17] == valid[17] {
		other = codeLenient[:17] + "1"
	}
	for _, q := range []string{codeXinyuan[:17] + string(otherCheck(codeXinyuan[17])), other} {
		res := search(t, x, Request{Q: q})
		if !strings.Contains(res.Notice, "统一社会信用代码有误") {
			t.Errorf("%q: notice %q, want the code called wrong", q, res.Notice)
		}
	}
	res := search(t, x, Request{Q: valid})
	if res.Notice != "" {
		t.Errorf("%q: notice %q", valid, res.Notice)
	}
}

// TestRefsAudit: the ref field holds the ids and the 认定文号 of the fixture, and the 文号 that carried an
// ID number only masked.
func TestRefsAudit(t *testing.T) {
	x := openFixture(t)
	var refs []string
	err := x.Audit(context.Background(), func(field, v string) error {
		if field == fRef {
			refs = append(refs, v)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"e0000003", "盘环罚[2026]142号", "盘市监罚字[2026]第12号", "c0000001", "e0000020"} {
		found := false
		for _, r := range refs {
			found = found || r == want
		}
		if !found {
			t.Errorf("ref %q not indexed (refs: %q)", want, refs)
		}
	}
	for _, r := range refs {
		if strings.Contains(strings.ToUpper(r), zhangsanID) || strings.Contains(r, zhangsanID[6:14]) {
			t.Errorf("ref %q holds the ID number", r)
		}
	}
}
