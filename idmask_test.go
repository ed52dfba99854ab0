package xinyong_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/internal/fixture"
)

// The disguised ID numbers an attack on the site published unmasked (issue "Hardening"): each is a valid
// GB 11643 number.
var disguisedIDs = []struct{ name, in, want string }{
	{"full-width digits", "２１１１０３１９９８０２１８１１８８", "211103********1188"},
	{"spaces", "211103 19970117 1175", "211103********1175"},
	{"hyphens", "211122-19750925-5002", "211122********5002"},
	{"dots", "211103.19970117.1175", "211103********1175"},
	{"no-break spaces", "211103\u00a019970117\u00a01175", "211103********1175"},
	{"ideographic spaces", "211103\u300019970117\u30001175", "211103********1175"},
	{"full-width hyphens", "211122－19750925－5002", "211122********5002"},
	{"split by a line break", "21110319970117\n1175", "211103********1175"},
	{"full-width X", "21110219850307009Ｘ", "211102********009X"},
	{"groups of four", "2111 0319 9802 1811 88", "211103********1188"},
	{"slashes", "211103/19970117/1175", "211103********1175"},
	{"zero-width characters", "2111\u200b0319\u200d9802\ufeff1811\u206088", "211103********1188"},
	{"tab and CRLF", "211103\t19970117\r\n1175", "211103********1175"},
	{"mixed widths and separators", "２１１１０３ - １９９７.0117\u00a0 1175", "211103********1175"},
	{"circled and superscript digits", "②①①①⓪③¹⁹⁹⁷⁰¹¹⁷¹¹⁷⁵", "211103********1175"},
	{"lower-case x", "21110219850307009x", "211102********009X"},
	{"full-width lower-case x and soft hyphen", "211102\u00ad19850307\u00ad009ｘ", "211102********009X"},
}

func TestMaskIDNumbersIn_Disguised(t *testing.T) {
	for _, tt := range disguisedIDs {
		for _, wrap := range []string{"%s", "被执行人身份证号%s，拒不履行。", "证号：%s\n地址：盘锦市", "（%s）"} {
			in := strings.Replace(wrap, "%s", tt.in, 1)
			want := strings.Replace(wrap, "%s", tt.want, 1)
			got, found := xinyong.MaskIDNumbersIn(in)
			if got != want || !found {
				t.Errorf("%s: MaskIDNumbersIn(%q) = %q, %v, want %q, true", tt.name, in, got, found, want)
			}
			if !xinyong.ContainsIDNumber(in) {
				t.Errorf("%s: ContainsIDNumber(%q) = false", tt.name, in)
			}
		}
	}
}

func TestMaskIDNumbersIn_Kept(t *testing.T) {
	code := xinyong.MakeCreditCode("91211103", "MA0XY123")
	digitCode := xinyong.MakeCreditCode("11211100", "00123456")
	tests := []struct{ name, in string }{
		{"credit code", code},
		{"credit code with spaces", code[:6] + " " + code[6:12] + " " + code[12:]},
		{"all-digit credit code", digitCode},
		{"credit code in text", "统一社会信用代码：" + digitCode + "，法定代表人王建国"},
		{"decision number", "盘市监严列〔2026〕142号"},
		{"decision number with a year", "盘锦中院（2025）辽11执恢字第1234号"},
		{"phone", "0427-2825110"},
		{"phones", "0427-2825110、0427-12366 13812345678 13912345678"},
		{"mobile phones with spaces", "138 1234 5678 139 1234 5678"},
		{"amount", "罚款人民币1,200,000.00元"},
		{"long amount", "12345678901234.56"},
		{"dates", "2026-03-15 2026-04-01 2026-05-01 2026/06/15"},
		{"date and time", "2026-05-01T09:30:00+08:00"},
		{"16 digits", "1101051949123100"},
		{"17 digits", "11010519491231002"},
		{"order number", "订单号 202603150000123456789"},
		{"18 digits, no province", "991103199802181188"},
		{"18 digits, no date", "211103199813181188"},
		// A mistyped check character is masked only when the number stands alone (see below); with
		// separators and other digits around it, it is not an ID number.
		{"mistyped check among other digits", "编号 2026 211103 19970117 1174"},
	}
	for _, tt := range tests {
		got, found := xinyong.MaskIDNumbersIn(tt.in)
		if got != tt.in || found {
			t.Errorf("%s: MaskIDNumbersIn(%q) = %q, %v, want it unchanged", tt.name, tt.in, got, found)
		}
	}
}

func TestMaskIDNumbersIn(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "身份证号11010519491231002X。", "身份证号110105********002X。"},
		{"mistyped check, alone", "身份证号110105194912310021。", "身份证号110105********0021。"},
		{"mistyped check, with separators", "110105 19491231 0021", "110105********0021"},
		{"15-digit legacy", "旧证号110105491231002", "旧证号110105*****1002"},
		{"15-digit legacy with spaces", "110105 491231 002", "110105*****1002"},
		{"two numbers", "11010519491231002X、211103199802181188", "110105********002X、211103********1188"},
		{"inside a longer run of digits", "账号6222211103199802181188", "账号6222211103********1188"},
		{"after a prefix group", "2026 211103 19970117 1175", "2026 211103********1175"},
		{"leading X", "X11010519491231002X", "X110105********002X"},
		{"Markdown emphasis", "**11010519491231002X**", "**110105********002X**"},
		{"Markdown emphasis, mistyped check", "**110105194912310021**", "**110105********0021**"},
		{"masked again", "110105********002X", "110105********002X"},
		{"masked, among digits", "110000000824304********7700", "110000000824304********7700"},
		{"invalid UTF-8 between groups", "211103\xff19970117\xfe1175", "211103********1175"},
		{"empty", "", ""},
		{"no digits", "盘锦鑫源化工有限公司", "盘锦鑫源化工有限公司"},
	}
	for _, tt := range tests {
		if got, _ := xinyong.MaskIDNumbersIn(tt.in); got != tt.want {
			t.Errorf("%s: MaskIDNumbersIn(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

// disguise renders a valid ID number made from r as an attacker might type it: each character in a
// random width or form, random separators, line breaks and zero-width characters between them, inside
// Chinese text.
func disguise(r *rand.Rand) (id, text string) {
	provinces := []string{"11", "13", "15", "21", "22", "23", "31", "37", "44", "46", "50", "54", "65", "71", "81", "82"}
	addr := provinces[r.IntN(len(provinces))] + fmt.Sprintf("%04d", r.IntN(10000))
	birth := xinyong.NewDate(1900, time.January, 1).AddDays(r.IntN(200 * 365))
	id = xinyong.MakeIDNumber(addr, birth, r.IntN(1000))
	seps := []string{" ", "  ", "\t", "\n", "\r\n", "\n\n", "-", " - ", ".", "/", "\\", "_", "\u00a0", "\u3000",
		"－", "．", "／", "\u2014", "\u2010", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "·",
		"\u202e", "\u0301", "\u2003"}
	digitForms := []func(d rune) string{
		func(d rune) string { return string(d) },
		func(d rune) string { return string(d - '0' + '０') },
		func(d rune) string { return string(d - '0' + 0x1d7ce) }, // mathematical bold digits
		func(d rune) string { return string(d - '0' + 0x1d7f6) }, // mathematical monospace digits
		func(d rune) string {
			if d == '0' {
				return "⓪"
			}
			return string(d - '1' + '①')
		},
		func(d rune) string { return string([]rune("⁰¹²³⁴⁵⁶⁷⁸⁹")[d-'0']) },
	}
	sepRate := r.IntN(4) // 0: none; else about one character in sepRate+1 is followed by a separator
	var b strings.Builder
	b.WriteString([]string{"", "身份证号", "被执行人张三（证号", "证件号码：\n", "号码为"}[r.IntN(5)])
	for i, c := range id {
		switch {
		case c == 'X':
			b.WriteString([]string{"X", "x", "Ｘ", "ｘ"}[r.IntN(4)])
		default:
			b.WriteString(digitForms[r.IntN(len(digitForms))](c))
		}
		if i < len(id)-1 && sepRate > 0 && r.IntN(sepRate+1) == 0 {
			b.WriteString(seps[r.IntN(len(seps))])
		}
	}
	b.WriteString([]string{"", "，拒不履行。", "）", "\n住所：盘锦市兴隆台区", "号"}[r.IntN(5)])
	return id, b.String()
}

// FuzzMaskIDNumbersIn inserts a disguised valid ID number into arbitrary text and asserts that no valid ID
// number survives the masker, whatever the text around it.
func FuzzMaskIDNumbersIn(f *testing.F) {
	for i, tt := range disguisedIDs {
		f.Add(tt.in, uint64(i))
	}
	f.Add("盘市监严列〔2026〕142号 0427-2825110 2026-03-15 罚款1,200,000.00元", uint64(100))
	f.Add("", uint64(0))
	f.Fuzz(func(t *testing.T, text string, seed uint64) {
		r := rand.New(rand.NewPCG(seed, 11643))
		id, disguised := disguise(r)
		at := 0
		if len(text) > 0 {
			at = r.IntN(len(text) + 1)
		}
		for _, in := range []string{text, text[:at] + disguised + text[at:]} {
			m, found := xinyong.MaskIDNumbersIn(in)
			if ids := fixture.ReadableIDNumbers(m); len(ids) > 0 {
				t.Fatalf("MaskIDNumbersIn(%q) = %q, in which %s can be read", in, m, ids)
			}
			if len(fixture.ReadableIDNumbers(in)) > 0 && !found {
				t.Fatalf("MaskIDNumbersIn(%q) found nothing", in)
			}
			if again, _ := xinyong.MaskIDNumbersIn(m); again != m {
				t.Fatalf("MaskIDNumbersIn(%q) = %q, masked again %q", in, m, again)
			}
			if strings.Contains(m, id[6:14]) && !strings.Contains(in, id[6:14]) {
				t.Fatalf("MaskIDNumbersIn(%q) = %q shows the birth date of %s", in, m, id)
			}
		}
	})
}
