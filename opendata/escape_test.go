package opendata

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
)

// formulaStart reports whether a spreadsheet could take a cell starting like s for a formula (OWASP).
func formulaStart(s string) bool { return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) }

func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":                   "",
		"盘锦":                 "盘锦",
		"=1+1":               "'=1+1",
		"+86":                "'+86",
		"-2":                 "'-2",
		"@SUM(A1)":           "'@SUM(A1)",
		"\tx":                "'\tx",
		"\rx":                "'\rx",
		"'=1":                "'=1",
		" =1":                " =1",
		"a=1":                "a=1",
		"＝1":                 "＝1", // a full-width sign is text to Excel
		"--- title: 被篡改 ---": "'--- title: 被篡改 ---",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzCSVSafe: a defused cell never starts like a formula, is the value itself or the value behind one
// apostrophe, and survives a round trip through encoding/csv.
func FuzzCSVSafe(f *testing.F) {
	for _, s := range []string{"", "=cmd|' /C calc'!A0", "+1", "-", "@", "\t", "\r\n", "a,b\"c\n", "'x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := csvSafe(s)
		if formulaStart(got) {
			t.Fatalf("csvSafe(%q) = %q starts like a formula", s, got)
		}
		if formulaStart(s) != (got == "'"+s) || !formulaStart(s) && got != s {
			t.Fatalf("csvSafe(%q) = %q", s, got)
		}
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		w.UseCRLF = true
		w.Write([]string{got, "x"})
		w.Flush()
		r := csv.NewReader(&b)
		rec, err := r.Read()
		if err != nil {
			t.Fatalf("%q: %v", got, err)
		}
		// With UseCRLF, encoding/csv writes a line break in a field as \r\n and drops a lone \r; its
		// reader reads \r\n as \n.
		if want := strings.ReplaceAll(got, "\r", ""); rec[0] != want || rec[1] != "x" {
			t.Fatalf("round trip: %q, want %q", rec[0], want)
		}
	})
}

// FuzzAppendJSONString: the JSON string decodes to what encoding/json's own encoding of s decodes to, and
// holds no raw control character, <, > or &.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "盘锦", "\"\\/\b\f\n\r\t\x00\x1f\x7f", "<script>&", "\u2028\u2029", "\xff\xfe", "a\xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var got, want string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q: %s: %v", s, b, err)
		}
		ref, _ := json.Marshal(s)
		if err := json.Unmarshal(ref, &want); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Fatalf("%q: decodes to %q, encoding/json's to %q", s, got, want)
		}
		for _, c := range b {
			if c < 0x20 || c == '<' || c == '>' || c == '&' {
				t.Fatalf("%q: %s holds %q", s, b, c)
			}
		}
		if bytes.Contains(b, []byte("\u2028")) || bytes.Contains(b, []byte("\u2029")) {
			t.Fatalf("%q: %s holds a raw line separator", s, b)
		}
	})
}
