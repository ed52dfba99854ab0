package search

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"xinyong"
)

// search runs q on x and fails the test on error.
func search(t *testing.T, x *Index, r Request) *Result {
	t.Helper()
	res, err := x.Search(context.Background(), r)
	if err != nil {
		t.Fatalf("Search(%+v): %v", r, err)
	}
	for _, h := range res.Hits {
		if !(h.Score > 0) || math.IsInf(h.Score, 0) { // NaN fails the first test
			t.Errorf("%q: hit %q has score %v", r.Q, h.Name, h.Score)
		}
	}
	return res
}

func names(res *Result) []string {
	ns := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ns[i] = h.Name
	}
	return ns
}

// wantFirst checks that the first hit of q is name.
func wantFirst(t *testing.T, x *Index, q, name string) *Result {
	t.Helper()
	res := search(t, x, Request{Q: q})
	if len(res.Hits) == 0 || res.Hits[0].Name != name {
		t.Errorf("%q: first hit %q, want %q (all: %q)", q, names(res), name, names(res))
	}
	return res
}

// wantSet checks that q finds exactly the names given, in any order.
func wantSet(t *testing.T, x *Index, r Request, want ...string) *Result {
	t.Helper()
	res := search(t, x, r)
	got := names(res)
	slices.Sort(got)
	want = slices.Clone(want)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("%+v: got %q, want %q", r, got, want)
	}
	if int(res.Total) != len(want) {
		t.Errorf("%+v: Total %d, want %d", r, res.Total, len(want))
	}
	return res
}

func TestCodeLookup(t *testing.T) {
	x := openFixture(t)
	const name = "盘锦鑫源化工有限公司"
	for _, q := range []string{
		codeXinyuan,
		strings.ToLower(codeXinyuan),
		" " + codeXinyuan[:6] + " " + codeXinyuan[6:12] + " " + codeXinyuan[12:] + " ",
		strings.Map(func(r rune) rune { return r + 0xfee0 }, codeXinyuan), // full width
		codeXinyuan[:8] + "-" + codeXinyuan[8:],
	} {
		res := wantFirst(t, x, q, name)
		if len(res.Hits) > 0 && (!res.Hits[0].CodeMatched || res.Hits[0].Code != codeXinyuan) {
			t.Errorf("%q: hit %+v, want the code matched", q, res.Hits[0])
		}
		if res.Notice != "" {
			t.Errorf("%q: notice %q for a valid code", q, res.Notice)
		}
	}
}

func TestCodePrefix(t *testing.T) {
	x := openFixture(t)
	// 922111 starts the codes of the individual businesses of 市本级 regions 211102–211104 only.
	res := search(t, x, Request{Q: codeZhangji[:6]})
	if res.Total == 0 {
		t.Fatalf("6-character prefix %q found nothing", codeZhangji[:6])
	}
	for _, h := range res.Hits {
		if !strings.HasPrefix(h.Code, codeZhangji[:6]) || !h.CodeMatched {
			t.Errorf("prefix %q found %q (%s)", codeZhangji[:6], h.Name, h.Code)
		}
	}
	wantSet(t, x, Request{Q: codeZhangji[:12]}, "盘锦市兴隆台区张记餐馆")
	wantSet(t, x, Request{Q: strings.ToLower(codeLiaohe[:16])}, "盘锦（辽河）石油装备有限公司")

	// Five characters are not searched as a prefix: nothing has them in its name either.
	res = wantSet(t, x, Request{Q: codeZhangji[:5]})
	if !strings.Contains(res.Notice, "6") {
		t.Errorf("5-character prefix: notice %q, want the minimum length", res.Notice)
	}
}

func TestBadCheckCode(t *testing.T) {
	x := openFixture(t)
	last := codeXinyuan[17]
	wrong := byte('0')
	if last == '0' {
		wrong = '1'
	}
	bad := codeXinyuan[:17] + string(wrong)
	res := wantFirst(t, x, bad, "盘锦鑫源化工有限公司")
	if !strings.Contains(res.Notice, "校验码不符") || !strings.Contains(res.Notice, "应为 "+string(last)) {
		t.Errorf("notice %q, want 校验码不符 and 应为 %c", res.Notice, last)
	}
	// A code that was never issued still gets its notice, and finds nothing.
	never := xinyong.MakeCreditCode("91211103", "MA0YY999")
	res = search(t, x, Request{Q: never[:17] + string(otherCheck(never[17]))})
	if res.Notice == "" || res.Total != 0 {
		t.Errorf("unknown bad code: notice %q, total %d", res.Notice, res.Total)
	}
}

func otherCheck(c byte) byte {
	if c == 'A' {
		return 'B'
	}
	return 'A'
}

func TestExactNameFirst(t *testing.T) {
	x := openFixture(t)
	for _, name := range []string{
		"盘锦鑫源化工有限公司", "盘锦鑫源化工贸易有限公司", "辽宁鑫源化工集团", "张三", "张三丰",
		"盘锦（辽河）石油装备有限公司", "盘锦市兴隆台区张记餐馆", "盘锦港集团有限公司", "盘锦ABC科技有限公司",
	} {
		res := wantFirst(t, x, name, name)
		if len(res.Hits) > 0 {
			for _, s := range res.Hits[0].Segments {
				if !s.Matched && normalize(s.Text) != "" {
					t.Errorf("%q: exact hit has unmatched text %q", name, s.Text)
				}
			}
		}
	}
	// Punctuation and width do not matter.
	wantFirst(t, x, "盘锦(辽河)石油装备有限公司", "盘锦（辽河）石油装备有限公司")
	wantFirst(t, x, "盘锦 辽河 石油装备有限公司", "盘锦（辽河）石油装备有限公司")
	wantFirst(t, x, "盘锦辽河石油装备有限公司", "盘锦（辽河）石油装备有限公司")
	wantFirst(t, x, "盘锦ａｂｃ科技有限公司", "盘锦ABC科技有限公司")
}

func TestPartialName(t *testing.T) {
	x := openFixture(t)
	xinyuan := []string{"盘锦鑫源化工有限公司", "盘锦鑫源化工贸易有限公司", "辽宁鑫源化工集团", "盘锦鑫源化工有限公司拒不履行行政处罚决定案"}
	wantSet(t, x, Request{Q: "鑫源化工"}, xinyuan...)
	// Ubiquitous words neither widen nor narrow the match.
	wantSet(t, x, Request{Q: "鑫源化工有限公司"}, xinyuan...)
	wantSet(t, x, Request{Q: "鑫源化工公司"}, xinyuan...)
	wantSet(t, x, Request{Q: "盘锦 鑫源化工"}, xinyuan...)
	wantSet(t, x, Request{Q: "鑫源"}, append(xinyuan, "盘锦市鑫源小额贷款有限公司")...)
	wantSet(t, x, Request{Q: "鑫源化工贸易"}, "盘锦鑫源化工贸易有限公司")
	// A word left out of the middle (兴隆台区 → 兴隆台).
	wantFirst(t, x, "兴隆台张记餐馆", "盘锦市兴隆台区张记餐馆")
	wantSet(t, x, Request{Q: "张记"}, "盘锦市兴隆台区张记餐馆", "张记餐馆诚信经营获评守信主体")
	// Brackets of either width, or none.
	liaohe := []string{"盘锦（辽河）石油装备有限公司", "盘锦辽河油田建设有限公司"}
	wantSet(t, x, Request{Q: "（辽河）"}, liaohe...)
	wantSet(t, x, Request{Q: "(辽河)"}, liaohe...)
	wantSet(t, x, Request{Q: "辽河"}, liaohe...)
	wantSet(t, x, Request{Q: "(辽河)石油"}, "盘锦（辽河）石油装备有限公司")
	wantSet(t, x, Request{Q: "abc"}, "盘锦ABC科技有限公司")
	wantSet(t, x, Request{Q: "鑫源水产"})

	res := search(t, x, Request{Q: "鑫源化工"})
	for _, h := range res.Hits {
		var matched string
		for _, s := range h.Segments {
			if s.Matched {
				matched += s.Text
			}
		}
		if matched != "鑫源化工" {
			t.Errorf("%q: matched %q, want 鑫源化工", h.Name, matched)
		}
	}
}

func TestOneCharacter(t *testing.T) {
	x := openFixture(t)
	res := wantSet(t, x, Request{Q: "张"}, "张三", "张三丰", "盘锦市兴隆台区张记餐馆", "张记餐馆诚信经营获评守信主体")
	if res.Hits[0].Name != "张三" {
		t.Errorf("张: first %q, want the shortest name 张三", res.Hits[0].Name)
	}
	wantSet(t, x, Request{Q: "丰"}, "张三丰")
	wantSet(t, x, Request{Q: "Ｚ"}) // a lone Latin letter is a word: nothing is called Z
}

func TestPersonQuery(t *testing.T) {
	x := openFixture(t)
	res := wantSet(t, x, Request{Q: "张三"}, "张三", "张三丰")
	if res.Hits[0].Name != "张三" {
		t.Errorf("张三: first %q", res.Hits[0].Name)
	}
	for _, h := range res.Hits {
		if !h.Person || h.Code != "" {
			t.Errorf("person %q: Person %v, Code %q", h.Name, h.Person, h.Code)
		}
	}
}

func TestFilters(t *testing.T) {
	x := openFixture(t)
	wantSet(t, x, Request{Q: "鑫源化工", Filters: Filters{List: xinyong.ListRed}},
		"盘锦鑫源化工贸易有限公司", "辽宁鑫源化工集团")
	wantSet(t, x, Request{Q: "鑫源化工", Filters: Filters{Kind: KindCase}},
		"盘锦鑫源化工有限公司拒不履行行政处罚决定案")
	wantSet(t, x, Request{Q: "鑫源化工", Filters: Filters{Kind: KindSubject, List: xinyong.ListBlack}},
		"盘锦鑫源化工有限公司")
	wantSet(t, x, Request{Q: "鑫源", Filters: Filters{District: "211103"}},
		"盘锦鑫源化工有限公司", "盘锦市鑫源小额贷款有限公司", "盘锦鑫源化工有限公司拒不履行行政处罚决定案")
	wantSet(t, x, Request{Q: "鑫源", Filters: Filters{District: "兴隆台区", Department: "市市场监督管理局"}},
		"盘锦鑫源化工有限公司", "盘锦鑫源化工有限公司拒不履行行政处罚决定案")
	wantSet(t, x, Request{Q: "张", Filters: Filters{ListName: "失信被执行人"}}, "张三")
	wantSet(t, x, Request{Q: codeXinyuan, Filters: Filters{List: xinyong.ListRed}})

	for _, f := range []Filters{{List: "purple"}, {Kind: "person"}, {Department: strings.Repeat("局", 100)}} {
		_, err := x.Search(context.Background(), Request{Q: "鑫源", Filters: f})
		if qe := (*QueryError)(nil); !errors.As(err, &qe) || qe.Kind != ErrBadFilter {
			t.Errorf("filters %+v: error %v, want ErrBadFilter", f, err)
		}
	}
}

func TestTieBreakByDate(t *testing.T) {
	x := openFixture(t)
	// Every code starting 912111 matches the prefix equally: newer first.
	res := search(t, x, Request{Q: "912111", Size: MaxSize})
	if res.Total < 10 {
		t.Fatalf("912111: %d hits", res.Total)
	}
	for i := 1; i < len(res.Hits); i++ {
		a, b := res.Hits[i-1], res.Hits[i]
		if a.Score == b.Score && a.Date < b.Date {
			t.Errorf("%s (%s) before newer %s (%s) at the same score", a.Name, a.Date, b.Name, b.Date)
		}
	}
}

func TestIDNumberNeverIndexed(t *testing.T) {
	x := openFixture(t)
	// The query is refused with a notice, whatever its form.
	for _, q := range []string{
		zhangsanID, strings.ToLower(zhangsanID), zhangsanID[:6] + " " + zhangsanID[6:14] + " " + zhangsanID[14:],
		"张三 " + zhangsanID, zhangsanID[:17] + string(otherDigit(zhangsanID[17])), // mistyped check digit
		"211103900101123", // 15-digit number of before 1999
	} {
		res, err := x.Search(context.Background(), Request{Q: q})
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		if res.Notice != xinyong.MsgSearchIDNumber || res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("%q: notice %q, %d hits", q, res.Notice, res.Total)
		}
		if strings.Contains(res.Query, zhangsanID[6:14]) {
			t.Errorf("%q: query shown back as %q, unmasked", q, res.Query)
		}
	}

	// No term of any field holds the number or its birth-date part.
	secret := []string{zhangsanID, strings.ToLower(zhangsanID), zhangsanID[6:14]}
	for _, field := range []string{fName, fName1, fExact, fCode, fKind, fList, fListName, fDepartment, fDistrict, fDate} {
		dict, err := x.idx.FieldDict(field)
		if err != nil {
			t.Fatal(err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				t.Fatal(err)
			}
			if e == nil {
				break
			}
			for _, s := range secret {
				if strings.Contains(e.Term, s) {
					t.Errorf("field %s has term %q", field, e.Term)
				}
			}
		}
		dict.Close()
	}

	// No stored field holds it; the person's summary is masked.
	res := search(t, x, Request{Q: "张三"})
	for _, h := range res.Hits {
		if h.Name != "张三" {
			continue
		}
		if h.Code != "" || !strings.Contains(h.Summary, xinyong.MaskIDNumber(zhangsanID)) {
			t.Errorf("张三 stored as %+v", h)
		}
	}
	all := search(t, x, Request{Q: "有限公司", Size: MaxSize}) // plus every other doc below
	for _, r := range []*Result{res, all} {
		for _, h := range r.Hits {
			for _, s := range secret {
				if strings.Contains(strings.ToUpper(h.Summary+h.Name+h.Code+h.URL+h.ID), strings.ToUpper(s)) {
					t.Errorf("hit %q holds the ID number", h.Name)
				}
			}
		}
	}
	if st := x.Stats(); st.Masked != 1 {
		t.Errorf("Stats.Masked = %d, want 1", st.Masked)
	}
}

func otherDigit(c byte) byte {
	if c == '1' {
		return '2'
	}
	return '1'
}

func TestQueryErrors(t *testing.T) {
	x := openFixture(t)
	for _, c := range []struct {
		q    string
		kind ErrorKind
	}{
		{"", ErrEmpty},
		{"   \t\n　", ErrEmpty},
		{"\x00\x01\u202e", ErrEmpty},
		{strings.Repeat("盘", MaxQueryRunes+1), ErrTooLong},
		{strings.Repeat("a", 1<<20), ErrTooLong},
		{"***", ErrNoText},
		{"?", ErrNoText},
		{"/.*/", ErrNoText},
		{"+-~^:()[]{}\"'", ErrNoText},
	} {
		_, err := x.Search(context.Background(), Request{Q: c.q})
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Kind != c.kind || qe.Msg == "" {
			t.Errorf("%.20q: error %v, want %s", c.q, err, c.kind)
		}
		if !IsQueryError(err) {
			t.Errorf("%.20q: IsQueryError false", c.q)
		}
	}
	if _, err := x.Search(context.Background(), Request{}); err == nil || err.Error() != xinyong.MsgSearchEmpty {
		t.Errorf("empty query: %v", err)
	}
	// Query syntax is literal text: punctuation separates, nothing is a field, wildcard or regexp.
	wantSet(t, x, Request{Q: "name:张三丰"})
	wantSet(t, x, Request{Q: "+张三丰 -张三"}, "张三丰")
	wantSet(t, x, Request{Q: "鑫源*"}, "盘锦鑫源化工有限公司", "盘锦鑫源化工贸易有限公司", "辽宁鑫源化工集团",
		"盘锦市鑫源小额贷款有限公司", "盘锦鑫源化工有限公司拒不履行行政处罚决定案")
	wantSet(t, x, Request{Q: "/张.*/"}, "张三", "张三丰", "盘锦市兴隆台区张记餐馆", "张记餐馆诚信经营获评守信主体")
	wantSet(t, x, Request{Q: "*" + codeXinyuan[10:]})
	wantSet(t, x, Request{Q: "张三丰~2^5"})
}

func TestPaging(t *testing.T) {
	x := openFixture(t)
	all := search(t, x, Request{Q: "有限公司", Size: MaxSize})
	if all.Total < 15 {
		t.Fatalf("有限公司: %d hits", all.Total)
	}
	var paged []string
	for p := 1; ; p++ {
		res := search(t, x, Request{Q: "有限公司", Page: p, Size: 4})
		if res.Page != p || res.Size != 4 || res.Pages() != (int(all.Total)+3)/4 {
			t.Errorf("page %d: Page %d Size %d Pages %d", p, res.Page, res.Size, res.Pages())
		}
		if len(res.Hits) == 0 {
			break
		}
		paged = append(paged, names(res)...)
	}
	if !slices.Equal(paged, names(all)) {
		t.Errorf("paged %q\nwant %q", paged, names(all))
	}
	if res := search(t, x, Request{Q: "鑫源", Size: 1000}); res.Size != MaxSize {
		t.Errorf("Size 1000 became %d, want %d", res.Size, MaxSize)
	}
	if res := search(t, x, Request{Q: "鑫源"}); res.Size != DefaultSize || res.Page != 1 {
		t.Errorf("defaults: Page %d Size %d", res.Page, res.Size)
	}
	search(t, x, Request{Q: "鑫源", Page: MaxDepth / DefaultSize})
	for _, r := range []Request{
		{Q: "鑫源", Page: MaxDepth/DefaultSize + 1},
		{Q: "鑫源", Page: 21, Size: MaxSize},
		{Q: "鑫源", Page: 1 << 62},
		{Q: "鑫源", Page: int(^uint(0) >> 1), Size: MaxSize},
	} {
		_, err := x.Search(context.Background(), r)
		if qe := (*QueryError)(nil); !errors.As(err, &qe) || qe.Kind != ErrTooDeep {
			t.Errorf("page %d size %d: %v, want ErrTooDeep", r.Page, r.Size, err)
		}
	}
	_, err := x.Search(context.Background(), Request{Q: "鑫源", Page: -1})
	if qe := (*QueryError)(nil); !errors.As(err, &qe) || qe.Kind != ErrBadPage {
		t.Errorf("page -1: %v, want ErrBadPage", err)
	}
}

func TestSegmentsJoinToName(t *testing.T) {
	for _, c := range []struct{ name, q string }{
		{"盘锦（辽河）石油装备有限公司", "辽河石油"},
		{"盘锦ABC科技有限公司", "abc"},
		{"张三", "张"},
		{"a\u00e9b", "é"},
	} {
		q, err := Parse(c.q)
		if err != nil {
			t.Fatal(err)
		}
		segs := segments(c.name, q.terms())
		var b strings.Builder
		matched := false
		for _, s := range segs {
			b.WriteString(s.Text)
			matched = matched || s.Matched
		}
		if b.String() != c.name || !matched {
			t.Errorf("%q/%q: segments %+v", c.name, c.q, segs)
		}
	}
	q, _ := Parse("辽河石油")
	got := segments("盘锦（辽河）石油装备有限公司", q.terms())
	want := []Segment{{"盘锦（", false}, {"辽河", true}, {"）", false}, {"石油", true}, {"装备有限公司", false}}
	if !slices.Equal(got, want) {
		t.Errorf("segments %+v, want %+v", got, want)
	}
}

// TestParse_DisguisedIDNumber: a query is refused for an ID number in every form the export masks (they
// share xinyong.ContainsIDNumber), and shown back masked.
func TestParse_DisguisedIDNumber(t *testing.T) {
	tests := []struct{ name, q, birth string }{
		{"full-width digits", "２１１１０３１９９８０２１８１１８８", "19980218"},
		{"spaces", "211103 19970117 1175", "19970117"},
		{"hyphens", "211122-19750925-5002", "19750925"},
		{"dots", "211103.19970117.1175", "19970117"},
		{"no-break spaces", "211103\u00a019970117\u00a01175", "19970117"},
		{"ideographic spaces", "211103\u300019970117\u30001175", "19970117"},
		{"full-width hyphens", "211122－19750925－5002", "19750925"},
		{"line break", "21110319970117\n1175", "19970117"},
		{"full-width X", "21110219850307009Ｘ", "19850307"},
		{"groups of four", "2111 0319 9802 1811 88", "19980218"},
		{"slashes", "211103/19970117/1175", "19970117"},
		{"circled digits", "②①①①⓪③¹⁹⁹⁷⁰¹¹⁷¹¹⁷⁵", "19970117"},
		{"in a name", "张三211103.19970117.1175的记录", "19970117"},
	}
	for _, tt := range tests {
		q, err := Parse(tt.q)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.name, tt.q, err)
			continue
		}
		if !q.Blocked || q.Notice != xinyong.MsgSearchIDNumber {
			t.Errorf("%s: Parse(%q) not refused: notice %q, code %q, %d terms", tt.name, tt.q, q.Notice, q.code, len(q.required))
		}
		if xinyong.ContainsIDNumber(q.Text) || strings.Contains(idDigits(q.Text), tt.birth) {
			t.Errorf("%s: Parse(%q).Text = %q, not masked", tt.name, tt.q, q.Text)
		}
	}
}

// idDigits keeps the digits of s, any width.
func idDigits(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
