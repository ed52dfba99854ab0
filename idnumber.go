package xinyong

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A 居民身份证号码 (GB 11643-1999) has 18 characters: a 6-digit address code (GB/T 2260), the 8-digit birth
// date YYYYMMDD, a 3-digit sequence number and a check character (ISO 7064 MOD 11-2), a digit or X. Numbers
// issued before 1999 had 15 digits: the address code, the birth date YYMMDD of the 1900s and the sequence
// number, without a check character. An ID number is personal information: it is never published unmasked
// (see MaskIDNumber).

// idWeights are the weights of the first 17 digits in the MOD 11-2 check: 2^(17-i) mod 11.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChars maps the weighted sum mod 11 to the check character.
const idCheckChars = "10X98765432"

// IsIDNumber reports whether s as a whole, normalised as the masker does (NFKC, separators and line
// breaks between the digits removed; see idmask.go), is an 18-character resident ID number: 17 digits and
// a digit or X, a province code that exists, a birth date that exists between 1900-01-01 and 2100-12-31,
// and a right check character. ContainsIDNumber finds one inside other text.
func IsIDNumber(s string) bool {
	return idNumberValid(idNormalize(s))
}

// LooksLikeIDNumber reports whether s as a whole, normalised as IsIDNumber does, has the shape of a
// resident ID number, right or mistyped: 17 digits and a digit or X, or a 15-digit number of before 1999,
// with a province code that exists and a birth date that exists. The check character is not checked, so
// that a lookup of a person's ID number is refused even when it is mistyped.
func LooksLikeIDNumber(s string) bool {
	n := idNormalize(s)
	switch len(n) {
	case 18:
		return idShape18(n)
	case 15:
		return allDigits(n) && validProvince(n[:2]) && validDate("19"+n[6:12])
	}
	return false
}

// idNumberValid is IsIDNumber of a normalised string.
func idNumberValid(n string) bool {
	return len(n) == 18 && idShape18(n) && n[17] == idCheckChar(n[:17])
}

// idShape18 reports whether n is 17 digits and a digit or X, with a province code and a birth date that
// exist.
func idShape18(n string) bool {
	if len(n) != 18 || !allDigits(n[:17]) {
		return false
	}
	if c := n[17]; !(c >= '0' && c <= '9') && c != 'X' {
		return false
	}
	return validProvince(n[:2]) && validDate(n[6:14])
}

// idCheckChar returns the MOD 11-2 check character of 17 digits.
func idCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < len(idWeights); i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// validProvince reports whether two digits are the code of a province, autonomous region, municipality or
// special administrative region (GB/T 2260), or 71 (台湾), 81 (香港) or 82 (澳门).
func validProvince(p string) bool {
	if len(p) != 2 || !allDigits(p) {
		return false
	}
	switch v := int(p[0]-'0')*10 + int(p[1]-'0'); {
	case v >= 11 && v <= 15, v >= 21 && v <= 23, v >= 31 && v <= 37, v >= 41 && v <= 46,
		v >= 50 && v <= 54, v >= 61 && v <= 65, v == 71, v == 81, v == 82:
		return true
	}
	return false
}

// validDate reports whether 8 digits YYYYMMDD are a date that exists between 1900-01-01 and 2100-12-31.
func validDate(s string) bool {
	if len(s) != 8 || !allDigits(s) {
		return false
	}
	num := func(t string) int {
		v := 0
		for i := 0; i < len(t); i++ {
			v = v*10 + int(t[i]-'0')
		}
		return v
	}
	y, m, d := num(s[:4]), num(s[4:6]), num(s[6:])
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// MaskIDNumber masks a value that is meant to be an ID number (the id_number column). When s is one run
// of 15 or 18 digits or X with separators (see idmask.go), the result is its normalised form with every
// character but the first 6 and the last 4 replaced by '*': 110105********002X. Any other s is NFKC
// normalised and trimmed, and masked the same way character by character; a string of fewer than 11
// characters is masked whole, so the result never shows the whole input.
func MaskIDNumber(s string) string {
	if n := idNormalize(s); len(n) == 18 || len(n) == 15 {
		return maskNormalised(n)
	}
	s = strings.TrimSpace(norm.NFKC.String(s))
	n := utf8.RuneCountInString(s)
	if n < 11 {
		return strings.Repeat("*", n)
	}
	var b strings.Builder
	b.Grow(len(s))
	i := 0
	for _, r := range s {
		if i < 6 || i >= n-4 {
			b.WriteRune(r)
		} else {
			b.WriteByte('*')
		}
		i++
	}
	return b.String()
}

// MakeIDNumber returns the resident ID number of address code addr6 (6 digits, of a province that exists),
// birth date birth (1900-01-01 to 2100-12-31) and sequence number seq (0–999), with its check character. It
// is meant for generators and tests, and panics on bad input.
func MakeIDNumber(addr6 string, birth Date, seq int) string {
	if len(addr6) != 6 || !allDigits(addr6) || !validProvince(addr6[:2]) {
		panic(fmt.Sprintf("xinyong.MakeIDNumber: address code %q is not 6 digits of a province", addr6))
	}
	date := strings.ReplaceAll(birth.String(), "-", "")
	if !validDate(date) {
		panic(fmt.Sprintf("xinyong.MakeIDNumber: birth date %q is not between 1900-01-01 and 2100-12-31", birth.String()))
	}
	if seq < 0 || seq > 999 {
		panic(fmt.Sprintf("xinyong.MakeIDNumber: sequence number %d is not 0–999", seq))
	}
	body := fmt.Sprintf("%s%s%03d", addr6, date, seq)
	return body + string(idCheckChar(body))
}
