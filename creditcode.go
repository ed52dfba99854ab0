package xinyong

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A 统一社会信用代码 (GB 32100-2015) has 18 characters from CodeAlphabet:
//
//	1     登记管理部门代码 (registration department)
//	2     机构类别代码 (category)
//	3–8   登记管理机关行政区划码 (GB/T 2260 region)
//	9–17  主体标识码, the 组织机构代码 (GB 11714): an 8-character body and its check character
//	18    校验码, over characters 1–17 (ISO 7064 MOD 31-3 as GB 32100 states it)
//
// The two check characters use different tables: in the final check a character's value is its index in
// CodeAlphabet (M is 21), in the organisation-code check digits are 0–9 and letters A=10 … Z=35 (M is 22).

// CodeLength is the length of a credit code.
const CodeLength = 18

// CodeAlphabet is the character set of credit codes in the order of their values 0–30: digits and upper-case
// Latin letters without I, O, S, V and Z.
const CodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// Kinds of CodeProblem.
const (
	CodeWrongLength      = "length"    // Got: the length in characters; Want: "18"
	CodeBadChar          = "char"      // Pos, Got: a character outside CodeAlphabet
	CodeOrgCheckMismatch = "org_check" // Pos 17; Got, Want: the organisation-code check character
	CodeCheckMismatch    = "check"     // Pos 18; Got, Want: the final check character
	CodeIsIDNumber       = "id_number" // the code is a resident ID number
)

// maxCharProblems bounds the characters reported as outside the alphabet, so that a huge input does not make
// a huge report.
const maxCharProblems = CodeLength

// codeWeights are the weights of characters 1–17 in the final check: 3^(i-1) mod 31.
var codeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// orgWeights are the weights of the 8 characters of the organisation-code body (GB 11714).
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// codeValue maps a byte to its value in CodeAlphabet, or -1.
var codeValue = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(CodeAlphabet); i++ {
		t[CodeAlphabet[i]] = int8(i)
	}
	return t
}()

// NormalizeCode returns s as a credit code or ID number is compared: full-width characters as their
// half-width forms (U+FF01–U+FF5E, U+3000), white space, hyphens, dashes and zero-width characters removed
// wherever they are, and Latin letters in upper case. Other characters are kept, invalid UTF-8 as U+FFFD,
// so that a check can report them. NormalizeCode is idempotent.
func NormalizeCode(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = halfWidth(r)
		switch {
		case unicode.IsSpace(r), isDash(r), isInvisible(r):
			continue
		case 'a' <= r && r <= 'z':
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// halfWidth maps a full-width form (U+FF01–U+FF5E) to its ASCII character and the ideographic space to a
// space.
func halfWidth(r rune) rune {
	switch {
	case r >= 0xff01 && r <= 0xff5e:
		return r - 0xfee0
	case r == 0x3000:
		return ' '
	}
	return r
}

// isDash reports whether r is a hyphen or dash that people type between groups of characters.
func isDash(r rune) bool {
	return r == '-' || (r >= 0x2010 && r <= 0x2015) || r == 0x2212 || r == 0xfe58 || r == 0xfe63
}

// isInvisible reports whether r is a zero-width character or byte-order mark, which copying from web pages
// and spreadsheets leaves in codes.
func isInvisible(r rune) bool {
	return r == 0x200b || r == 0x200c || r == 0x200d || r == 0x2060 || r == 0xfeff
}

// CodeProblem is one reason a credit code is invalid. Pos is the 1-based position of the character at
// fault in the normalised code, or 0.
type CodeProblem struct {
	Kind string // one of the Code* kinds
	Pos  int
	Got  string
	Want string
}

// String returns the problem as a Chinese sentence. It never quotes the whole code.
func (p CodeProblem) String() string {
	switch p.Kind {
	case CodeWrongLength:
		if p.Got == "0" {
			return MsgCodeEmpty
		}
		n, _ := strconv.Atoi(p.Got)
		return fmt.Sprintf(MsgCodeLength, n)
	case CodeBadChar:
		return fmt.Sprintf(MsgCodeBadChar, p.Pos, displayRune(p.Got))
	case CodeOrgCheckMismatch:
		return fmt.Sprintf(MsgCodeOrgCheck, p.Want, p.Got)
	case CodeCheckMismatch:
		return fmt.Sprintf(MsgCodeCheck, p.Want, p.Got)
	case CodeIsIDNumber:
		return MsgCodeIsIDNumber
	}
	return p.Kind
}

// displayRune shows a character as itself, or as U+XXXX when it would not be seen.
func displayRune(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == len(s) && r != utf8.RuneError && unicode.IsGraphic(r) && !unicode.IsSpace(r) {
		return s
	}
	if size != len(s) {
		return strconv.QuoteToASCII(s)
	}
	return fmt.Sprintf("U+%04X", r)
}

// CodeCheck is the result of checking a credit code.
type CodeCheck struct {
	Input    string // as given
	Code     string // NormalizeCode(Input); a resident ID number when IDNumber is true: do not publish it
	Problems []CodeProblem
	IDNumber bool // Code is a resident ID number (see IsIDNumber), not a credit code
}

// CheckCreditCode checks s as a 统一社会信用代码 and reports every problem found: the length, each character
// outside CodeAlphabet, and, when those are right, the organisation-code check character (17th), the final
// check character (18th), or that the code is in fact a resident ID number. An 18-digit string that is a
// plausible ID number is reported as that alone, whatever its check characters, for its digits mean other
// things.
func CheckCreditCode(s string) CodeCheck {
	c := CodeCheck{Input: s, Code: NormalizeCode(s)}
	code := c.Code
	n := utf8.RuneCountInString(code)
	if n != CodeLength {
		c.Problems = append(c.Problems, CodeProblem{Kind: CodeWrongLength, Got: strconv.Itoa(n), Want: strconv.Itoa(CodeLength)})
	}
	bad := 0
	pos := 0
	for _, r := range code {
		pos++
		if r < utf8.RuneSelf && codeValue[r] >= 0 {
			continue
		}
		bad++
		if bad <= maxCharProblems {
			c.Problems = append(c.Problems, CodeProblem{Kind: CodeBadChar, Pos: pos, Got: string(r)})
		}
	}
	if len(c.Problems) > 0 {
		return c
	}
	if idNumberValid(code) {
		c.IDNumber = true
		c.Problems = append(c.Problems, CodeProblem{Kind: CodeIsIDNumber})
		return c
	}
	if want := orgCheckChar(code[8:16]); code[16] != want {
		c.Problems = append(c.Problems, CodeProblem{Kind: CodeOrgCheckMismatch, Pos: 17, Got: code[16:17], Want: string(want)})
	}
	if want := codeCheckChar(code[:17]); code[17] != want {
		c.Problems = append(c.Problems, CodeProblem{Kind: CodeCheckMismatch, Pos: 18, Got: code[17:18], Want: string(want)})
	}
	return c
}

// Valid reports whether the code has no problem at all. This is the test of what the public enters and of
// `xinyong check-code`.
func (c CodeCheck) Valid() bool { return len(c.Problems) == 0 }

// WellFormed reports whether the code has 18 characters from CodeAlphabet and is not an ID number, whatever
// its check characters. The database is authoritative: a well-formed code is published as stored and may
// serve as a URL key even when a check character is wrong. But a code that fails a check and has the shape
// of an ID number (LooksLikeIDNumber) is more likely a mistyped ID number than a credit code, and is not
// well formed, so that it is never published.
func (c CodeCheck) WellFormed() bool {
	if c.IDNumber {
		return false
	}
	for _, p := range c.Problems {
		if p.Kind != CodeOrgCheckMismatch && p.Kind != CodeCheckMismatch {
			return false
		}
	}
	return c.Valid() || !LooksLikeIDNumber(c.Code)
}

// Err returns nil when the code is valid, otherwise an error whose message lists every problem in Chinese,
// separated by "；". The message never quotes the whole code.
func (c CodeCheck) Err() error {
	if c.Valid() {
		return nil
	}
	return errors.New(c.problemText())
}

func (c CodeCheck) problemText() string {
	msgs := make([]string, len(c.Problems))
	for i, p := range c.Problems {
		msgs[i] = p.String()
	}
	return strings.Join(msgs, MsgCodeSeparator)
}

// String describes the result in Chinese, quoting the normalised code, masked when it is or looks like a
// resident ID number.
func (c CodeCheck) String() string {
	code := c.Code
	if c.IDNumber || LooksLikeIDNumber(code) {
		code = MaskIDNumber(code)
	}
	code = truncateForReport(code)
	if c.Valid() {
		return fmt.Sprintf(MsgCodeValid, code)
	}
	if code == "" {
		return fmt.Sprintf(MsgCodeInvalidEmpty, c.problemText())
	}
	return fmt.Sprintf(MsgCodeInvalid, code, c.problemText())
}

// orgCheckChar returns the GB 11714 check character of an 8-character organisation-code body from
// CodeAlphabet.
func orgCheckChar(body string) byte {
	sum := 0
	for i := 0; i < len(orgWeights); i++ {
		ch := body[i]
		v := int(ch - '0')
		if ch >= 'A' {
			v = int(ch) - 'A' + 10
		}
		sum += v * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 'X'
	case 11:
		return '0'
	default:
		return byte('0' + c)
	}
}

// codeCheckChar returns the final check character of the first 17 characters of a code, from CodeAlphabet.
func codeCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < len(codeWeights); i++ {
		sum += int(codeValue[first17[i]]) * codeWeights[i]
	}
	return CodeAlphabet[(31-sum%31)%31]
}

// MakeCreditCode returns the valid credit code made of first8 (registration department, category and the
// 6-digit region) and orgBody8 (the 8-character organisation-code body), with both check characters
// computed. Both parts must be 8 characters from CodeAlphabet. It is meant for generators and tests, and
// panics on bad input, and in the rare case that the result would be a resident ID number, which is never
// a valid code.
func MakeCreditCode(first8, orgBody8 string) string {
	for _, part := range []string{first8, orgBody8} {
		if len(part) != 8 {
			panic(fmt.Sprintf("xinyong.MakeCreditCode: %q is not 8 characters", part))
		}
		for i := 0; i < len(part); i++ {
			if codeValue[part[i]] < 0 {
				panic(fmt.Sprintf("xinyong.MakeCreditCode: %q has a character outside the alphabet", part))
			}
		}
	}
	code := first8 + orgBody8 + string(orgCheckChar(orgBody8))
	code += string(codeCheckChar(code))
	if idNumberValid(code) {
		panic("xinyong.MakeCreditCode: the code would be a resident ID number")
	}
	return code
}
