package search

import (
	"testing"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
)

// TestT2S_SkipIsExact proves that skipping the converter changes nothing: simplify equals OpenCC's own
// Convert for every single character and for realistic names, simplified and traditional; and no rune
// beyond the range of the set begins a key that changes.
func TestT2S_SkipIsExact(t *testing.T) {
	loadT2S()
	convert := func(s string) string {
		out, err := t2s.cc.Convert(s)
		if err != nil {
			t.Fatalf("Convert(%q): %v", s, err)
		}
		return out
	}
	for r := rune(t2sFirst); r <= t2sLast; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		if got, want := simplify(s), convert(s); got != want {
			t.Fatalf("%U %s: simplify %q, Convert %q", r, s, got, want)
		}
	}
	for r := rune(t2sLast + 1); r <= utf8.MaxRune; r++ {
		if utf8.ValidRune(r) && changesAt(t2s.cc, string(r)+"一") {
			t.Fatalf("%U begins a key that changes, beyond the set", r)
		}
	}
	s2t, err := opencc.New("s2t")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range append(fixture(), synthDocs(3000)...) {
		trad, err := s2t.Convert(d.Name)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, d.Name, trad)
	}
	names = append(names, "大目乾連冥間救母變文", "金鍊", "明瞭", "不瞭解", "乾隆", "盤錦", "臺灣", "後來", "著名", "鬱金香")
	converted := 0
	for _, n := range names {
		got, want := simplify(n), convert(n)
		if got != want {
			t.Errorf("%q: simplify %q, Convert %q", n, got, want)
		}
		if got != n {
			converted++
		}
	}
	if converted < len(names)/3 {
		t.Errorf("only %d of %d names converted: the traditional ones should be", converted, len(names))
	}
	for n, want := range map[string]string{"盤錦": "盘锦", "盤環罰〔2026〕142號": "盘环罚〔2026〕142号", "臺灣": "台湾",
		"盘锦鑫源化工有限公司": "盘锦鑫源化工有限公司", "ABC": "ABC", "": ""} {
		if got := simplify(n); got != want {
			t.Errorf("simplify(%q) = %q, want %q", n, got, want)
		}
	}
}
