package xinyong_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"xinyong"
)

// withCheck returns 17 digits followed by their MOD 11-2 check character, so that a test case fails for
// the one reason it is about.
func withCheck(first17 string) string { return first17 + string(mod112(first17)) }

func TestIsIDNumber(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"valid", "11010519491231002X", true},
		{"lower-case x", "11010519491231002x", true},
		{"full width", "１１０１０５１９４９１２３１００２Ｘ", true},
		{"spaces", " 110105 19491231 002X ", true},
		{"passes MOD 31", idNumberMod31, true},
		{"wrong check", "110105194912310021", false},
		{"wrong check X", "11010519491231003X", false},
		{"province 99", withCheck("99010519491231002"), false},
		{"province 00", withCheck("00010519491231002"), false},
		{"province 16", withCheck("16010519491231002"), false},
		{"Hong Kong", withCheck("81000019491231002"), true},
		{"Taiwan", withCheck("71000019491231002"), true},
		{"Liaoning Panjin", withCheck("21110219800101123"), true},
		{"February 30", withCheck("11010519490230002"), false},
		{"month 13", withCheck("11010519491331002"), false},
		{"day 0", withCheck("11010519491200002"), false},
		{"February 29 of 2000", withCheck("11010520000229002"), true},
		{"February 29 of 1900", withCheck("11010519000229002"), false},
		{"February 29 of 2023", withCheck("11010520230229002"), false},
		{"year 1899", withCheck("11010518991231002"), false},
		{"year 1900", withCheck("11010519000101002"), true},
		{"year 2100", withCheck("11010521001231002"), true},
		{"year 2101", withCheck("11010521010101002"), false},
		{"15-digit legacy", "110105491231002", false},
		{"17 digits", "11010519491231002", false},
		{"19 characters", "11010519491231002X1", false},
		{"X inside", "1101051949123100X2", false},
		{"credit code", "91350100M000100Y43", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		if got := xinyong.IsIDNumber(tt.in); got != tt.want {
			t.Errorf("%s: IsIDNumber(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestLooksLikeIDNumber(t *testing.T) {
	tests := []struct {
		name, in string
		want     bool
	}{
		{"valid", "11010519491231002X", true},
		{"wrong check", "110105194912310021", true},
		{"wrong check, full width", "１１０１０５１９４９１２３１００２１", true},
		{"15-digit legacy", "110105491231002", true},
		{"15-digit legacy with spaces", "110105 491231 002", true},
		{"15-digit legacy, February 29 of 1900", "110105000229002", false},
		{"15-digit legacy, February 29 of 1904", "110105040229002", true},
		{"15-digit legacy, month 13", "110105491301002", false},
		{"15-digit legacy, province 99", "990105491231002", false},
		{"15-digit legacy with X", "11010549123100X", false},
		{"bad province", "990105194912310021", false},
		{"February 30", "110105194902300021", false},
		{"year 1850", "110105185012310021", false},
		{"X inside", "1101051949123100X2", false},
		{"16 digits", "1101051949123100", false},
		{"credit code", "91350100M000100Y43", false},
		{"all-digit credit code", "91110108551385082Q", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		if got := xinyong.LooksLikeIDNumber(tt.in); got != tt.want {
			t.Errorf("%s: LooksLikeIDNumber(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMaskIDNumber(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"11010519491231002X", "110105********002X"},
		{"11010519491231002x", "110105********002X"},
		{"110105 19491231 002X", "110105********002X"},
		{"２１１１０３ １９９８０２１８ １１８８", "211103********1188"},
		{"１１０１０５１９４９１２３１００２Ｘ", "110105********002X"},
		{"\u3000 11010519491231002X\t", "110105********002X"},
		{"110105491231002", "110105*****1002"},
		{"12345678901", "123456*8901"},
		{"1234567890", "**********"},
		{"12345", "*****"},
		{"1", "*"},
		{"", ""},
		{"   ", ""},
		{"张三", "**"},
		{"身份证号码一二三四五六七八", "身份证号码一***五六七八"},
		{"\xff\xfe", "**"},
	}
	for _, tt := range tests {
		if got := xinyong.MaskIDNumber(tt.in); got != tt.want {
			t.Errorf("MaskIDNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeIDNumber(t *testing.T) {
	tests := []struct {
		addr  string
		birth xinyong.Date
		seq   int
		want  string
	}{
		{"110105", xinyong.NewDate(1949, time.December, 31), 2, "11010519491231002X"},
		{"110105", xinyong.NewDate(1950, time.January, 1), 115, idNumberMod31},
		{"211102", xinyong.NewDate(2000, time.February, 29), 0, withCheck("21110220000229000")},
		{"820000", xinyong.NewDate(2100, time.December, 31), 999, withCheck("82000021001231999")},
	}
	for _, tt := range tests {
		got := xinyong.MakeIDNumber(tt.addr, tt.birth, tt.seq)
		if got != tt.want {
			t.Errorf("MakeIDNumber(%q, %s, %d) = %q, want %q", tt.addr, tt.birth, tt.seq, got, tt.want)
		}
		if !xinyong.IsIDNumber(got) {
			t.Errorf("MakeIDNumber(%q, %s, %d) = %q, which IsIDNumber rejects", tt.addr, tt.birth, tt.seq, got)
		}
	}

	r := rand.New(rand.NewPCG(11643, 1999))
	provinces := []string{"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"}
	for range 10000 {
		addr := provinces[r.IntN(len(provinces))] + strings.Repeat("0", 4)
		birth := xinyong.NewDate(1900, time.January, 1).AddDays(r.IntN(201 * 365))
		seq := r.IntN(1000)
		got := xinyong.MakeIDNumber(addr, birth, seq)
		if !xinyong.IsIDNumber(got) || !xinyong.LooksLikeIDNumber(got) {
			t.Fatalf("MakeIDNumber(%q, %s, %d) = %q, which is not an ID number", addr, birth, seq, got)
		}
		if date := strings.ReplaceAll(birth.String(), "-", ""); got[6:14] != date {
			t.Fatalf("MakeIDNumber(%q, %s, %d) = %q, birth date not at 7–14", addr, birth, seq, got)
		}
		if xinyong.CheckCreditCode(got).Valid() {
			t.Fatalf("CheckCreditCode(%q) is valid", got)
		}
	}
}

func TestMakeIDNumberPanics(t *testing.T) {
	ok := xinyong.NewDate(1980, time.January, 1)
	tests := []struct {
		name  string
		addr  string
		birth xinyong.Date
		seq   int
	}{
		{"short address", "11010", ok, 1},
		{"letter in address", "11010A", ok, 1},
		{"province 99", "990105", ok, 1},
		{"zero date", "110105", xinyong.Date{}, 1},
		{"year 1899", "110105", xinyong.NewDate(1899, time.December, 31), 1},
		{"year 2101", "110105", xinyong.NewDate(2101, time.January, 1), 1},
		{"sequence -1", "110105", ok, -1},
		{"sequence 1000", "110105", ok, 1000},
	}
	for _, tt := range tests {
		assertPanics(t, tt.name, func() { xinyong.MakeIDNumber(tt.addr, tt.birth, tt.seq) })
	}
}

func FuzzMaskIDNumber(f *testing.F) {
	for _, s := range []string{
		"11010519491231002X", "１１０１０５１９４９１２３１００２Ｘ", " 110105 19491231 002X ", "110105491231002",
		idNumberMod31, "110105-1949-12-31-002X", "11010519491231002X----", "", "1234567890", "\xff", "张三",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := xinyong.MaskIDNumber(s)
		in := strings.TrimSpace(norm.NFKC.String(s))
		// A value that is an ID number is shown in its normalised form, separators left out; anything else
		// keeps its length.
		if got, want := utf8.RuneCountInString(m), utf8.RuneCountInString(in); got > want {
			t.Fatalf("MaskIDNumber(%q) = %q, %d characters, more than the %d of the input", s, m, got, want)
		}
		if in != "" && !strings.Contains(m, "*") {
			t.Fatalf("MaskIDNumber(%q) = %q, nothing masked", s, m)
		}
		if xinyong.ContainsIDNumber(m) {
			t.Fatalf("MaskIDNumber(%q) = %q holds an ID number", s, m)
		}
		if xinyong.IsIDNumber(s) || xinyong.LooksLikeIDNumber(s) {
			n := idChars(s)
			if len(m) != len(n) {
				t.Fatalf("MaskIDNumber(%q) = %q, want the %d characters of %s masked", s, m, len(n), n)
			}
			birth := n[6:14]
			if len(n) == 15 {
				birth = n[6:12]
			}
			// The first 6 characters are kept; they show the birth date only when it equals the address code
			// (110105110105000: born 1911-01-05 in 110105).
			if strings.Contains(m, birth) && birth != n[:6] {
				t.Fatalf("MaskIDNumber(%q) = %q shows the birth date %s", s, m, birth)
			}
			if m[:6] != n[:6] || m[len(m)-4:] != n[len(n)-4:] || strings.Trim(m[6:len(m)-4], "*") != "" {
				t.Fatalf("MaskIDNumber(%q) = %q, want the first 6 and the last 4 of %s", s, m, n)
			}
		}
	})
}

// idChars returns the digits and X of the NFKC normalisation of s, X in upper case.
func idChars(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKC.String(s) {
		switch {
		case r >= '0' && r <= '9', r == 'X':
			b.WriteRune(r)
		case r == 'x':
			b.WriteByte('X')
		}
	}
	return b.String()
}
