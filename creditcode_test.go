package xinyong_test

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"xinyong"
)

// idNumberMod31 is an 18-digit resident ID number (Beijing Chaoyang, born 1950-01-01, sequence 115) that
// passes the MOD 11-2 check of ID numbers and both check characters of credit codes, found by a brute-force
// search.
const idNumberMod31 = "110105195001011154"

func TestNormalizeCode(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"91350100M000100Y43", "91350100M000100Y43"},
		{"  91350100m000100y43\t\n", "91350100M000100Y43"},
		{"９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"},
		{"\u300091350100Ｍ000100Ｙ43\u3000", "91350100M000100Y43"},
		{"9135-0100 M000\u3000100Y－43", "91350100M000100Y43"},
		{"9135\u20140100\u200bM000100Y43\ufeff", "91350100M000100Y43"},
		{"", ""},
		{" - ", ""},
		{"统一社会信用代码：9135", "统一社会信用代码:9135"},
		{"\xff91", "\ufffd91"},
	}
	for _, tt := range tests {
		got := xinyong.NormalizeCode(tt.in)
		if got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := xinyong.NormalizeCode(got); again != got {
			t.Errorf("NormalizeCode(%q) = %q, not idempotent", got, again)
		}
	}
}

func TestCheckCreditCode(t *testing.T) {
	const (
		valid  = "valid"      // Valid and WellFormed
		lax    = "wellformed" // WellFormed only
		broken = "invalid"    // neither
	)
	tests := []struct {
		name, in string
		want     string // valid, lax or broken
		code     string // normalised code, when it differs from the input
		err      string // Err() message
		id       bool
	}{
		{name: "valid", in: "91350100M000100Y43", want: valid},
		{name: "valid 小米", in: "91110108551385082Q", want: valid},
		{name: "Z outside alphabet", in: "91350100M000100Y4Z", want: broken,
			err: "第18位字符“Z”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "final check wrong", in: "91350100M000100Y44", want: lax, err: "第18位校验码不符：应为 3，实为 4"},
		{name: "org check wrong", in: "91350100M000100Y56", want: lax, err: "第17位（组织机构代码校验码）不符：应为 4，实为 5"},
		{name: "both checks wrong", in: "91350100M000100Y53", want: lax,
			err: "第17位（组织机构代码校验码）不符：应为 4，实为 5；第18位校验码不符：应为 6，实为 3"},
		{name: "小米 org check wrong", in: "91110108551385083Q", want: lax,
			err: "第17位（组织机构代码校验码）不符：应为 2，实为 3；第18位校验码不符：应为 U，实为 Q"},
		{name: "lower case", in: "91350100m000100y43", want: valid, code: "91350100M000100Y43"},
		{name: "full width", in: "９１３５０１００ｍ０００１００ｙ４３", want: valid, code: "91350100M000100Y43"},
		{name: "spaces and hyphens", in: "\u3000 9135-0100 M000 100Y－43 ", want: valid, code: "91350100M000100Y43"},
		{name: "17 characters", in: "91350100M000100Y4", want: broken, err: "长度应为18位，实为17位"},
		{name: "19 characters", in: "91350100M000100Y433", want: broken, err: "长度应为18位，实为19位"},
		{name: "empty", in: "", want: broken, err: "未填写统一社会信用代码"},
		{name: "blank", in: " \u3000", want: broken, err: "未填写统一社会信用代码"},
		{name: "length and character", in: "91350100M000100O4", want: broken,
			err: "长度应为18位，实为17位；第16位字符“O”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "two characters", in: "9135010OM000100S43", want: broken,
			err: "第8位字符“O”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）；第16位字符“S”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "Chinese character", in: "91350100M000100Y4三", want: broken,
			err: "第18位字符“三”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "control character", in: "91350100\x00000100Y43", want: broken,
			err: "第9位字符“U+0000”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "invalid UTF-8", in: "91350100\xff000100Y43", want: broken, code: "91350100\ufffd000100Y43",
			err: "第9位字符“U+FFFD”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
		{name: "final check 0", in: "91211100MA00000310", want: valid},
		{name: "final check 0 wrong", in: "91211100MA00000311", want: lax, err: "第18位校验码不符：应为 0，实为 1"},
		{name: "org check X", in: "91211100MA000004XP", want: valid},
		{name: "org check X wrong", in: "91211100MA0000040P", want: lax,
			err: "第17位（组织机构代码校验码）不符：应为 X，实为 0；第18位校验码不符：应为 X，实为 P"},
		{name: "org check 0", in: "91211100MA00000903", want: valid},
		{name: "org check X and final check 0", in: "91211100MA000311X0", want: valid},
		{name: "ID number passing MOD 31", in: idNumberMod31, want: broken, id: true,
			err: "这是居民身份证号码，不是统一社会信用代码"},
		{name: "ID number with X", in: "11010519491231002x", want: broken, id: true, code: "11010519491231002X",
			err: "这是居民身份证号码，不是统一社会信用代码"},
		{name: "all-digit code shaped like an ID number", in: "111101197012156887", want: valid},
		{name: "all-digit code shaped like an ID number, check wrong", in: "111101197012156886", want: broken,
			err: "第18位校验码不符：应为 7，实为 6"},
		{name: "mistyped ID number", in: "110105194912310021", want: broken,
			err: "第17位（组织机构代码校验码）不符：应为 5，实为 2；第18位校验码不符：应为 B，实为 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := xinyong.CheckCreditCode(tt.in)
			wantCode := tt.code
			if wantCode == "" {
				wantCode = strings.TrimSpace(tt.in)
			}
			if c.Input != tt.in {
				t.Errorf("Input = %q, want %q", c.Input, tt.in)
			}
			if c.Code != wantCode {
				t.Errorf("Code = %q, want %q", c.Code, wantCode)
			}
			if got, want := c.Valid(), tt.want == valid; got != want {
				t.Errorf("Valid() = %v, want %v (problems %v)", got, want, c.Problems)
			}
			if got, want := c.WellFormed(), tt.want != broken; got != want {
				t.Errorf("WellFormed() = %v, want %v (problems %v)", got, want, c.Problems)
			}
			if c.IDNumber != tt.id {
				t.Errorf("IDNumber = %v, want %v", c.IDNumber, tt.id)
			}
			err := c.Err()
			switch {
			case tt.err == "" && err != nil:
				t.Errorf("Err() = %q, want nil", err)
			case tt.err != "" && err == nil:
				t.Errorf("Err() = nil, want %q", tt.err)
			case err != nil && err.Error() != tt.err:
				t.Errorf("Err() = %q\nwant    %q", err, tt.err)
			}
		})
	}
}

func TestCheckCreditCodeExcludedLetters(t *testing.T) {
	for _, r := range "IOSVZ" {
		for _, in := range []string{"91350100" + string(r) + "000100Y43", "91350100M000100Y4" + string(r)} {
			c := xinyong.CheckCreditCode(in)
			if c.Valid() || c.WellFormed() {
				t.Errorf("CheckCreditCode(%q): Valid() = %v, WellFormed() = %v, want false", in, c.Valid(), c.WellFormed())
			}
			if len(c.Problems) != 1 || c.Problems[0].Kind != xinyong.CodeBadChar || c.Problems[0].Got != string(r) {
				t.Errorf("CheckCreditCode(%q).Problems = %+v, want one %s problem with %q", in, c.Problems, xinyong.CodeBadChar, r)
			}
			if err := c.Err(); err == nil || !strings.Contains(err.Error(), "“"+string(r)+"”不在统一社会信用代码字符集内") {
				t.Errorf("CheckCreditCode(%q).Err() = %v, want it to name %q", in, err, r)
			}
		}
		// Lower case is no way around it.
		if in := "91350100" + strings.ToLower(string(r)) + "000100Y43"; xinyong.CheckCreditCode(in).WellFormed() {
			t.Errorf("CheckCreditCode(%q).WellFormed() = true", in)
		}
	}
}

func TestCheckCreditCodeProblems(t *testing.T) {
	tests := []struct {
		in   string
		want []xinyong.CodeProblem
	}{
		{"91350100M000100Y43", nil},
		{"91350100M000100Y53", []xinyong.CodeProblem{
			{Kind: xinyong.CodeOrgCheckMismatch, Pos: 17, Got: "5", Want: "4"},
			{Kind: xinyong.CodeCheckMismatch, Pos: 18, Got: "3", Want: "6"},
		}},
		{"9135010", []xinyong.CodeProblem{{Kind: xinyong.CodeWrongLength, Got: "7", Want: "18"}}},
		{"9135010V", []xinyong.CodeProblem{
			{Kind: xinyong.CodeWrongLength, Got: "8", Want: "18"},
			{Kind: xinyong.CodeBadChar, Pos: 8, Got: "V"},
		}},
		{idNumberMod31, []xinyong.CodeProblem{{Kind: xinyong.CodeIsIDNumber}}},
	}
	for _, tt := range tests {
		got := xinyong.CheckCreditCode(tt.in).Problems
		if len(got) != len(tt.want) {
			t.Errorf("CheckCreditCode(%q).Problems = %+v, want %+v", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("CheckCreditCode(%q).Problems[%d] = %+v, want %+v", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestCheckCreditCodeManyBadCharacters(t *testing.T) {
	c := xinyong.CheckCreditCode(strings.Repeat("O", 10000))
	if c.Valid() || c.WellFormed() {
		t.Fatalf("Valid() = %v, WellFormed() = %v, want false", c.Valid(), c.WellFormed())
	}
	if n := len(c.Problems); n > 19 {
		t.Errorf("%d problems for a long input, want at most 19", n)
	}
	if c.Problems[0].Kind != xinyong.CodeWrongLength || c.Problems[0].Got != "10000" {
		t.Errorf("Problems[0] = %+v, want the length 10000", c.Problems[0])
	}
}

// TestIDNumberPassingCreditCodeChecks: idNumberMod31 passes every checksum of both schemes, computed here
// independently of the package, yet it is an ID number and so not a credit code.
func TestIDNumberPassingCreditCodeChecks(t *testing.T) {
	in := idNumberMod31
	if got, want := mod112(in[:17]), in[17]; got != want {
		t.Fatalf("MOD 11-2 check of %s = %c, want %c", in, got, want)
	}
	if got, want := mod31(in[:17]), in[17]; got != want {
		t.Fatalf("MOD 31 check of %s = %c, want %c", in, got, want)
	}
	if got, want := gb11714(in[8:16]), in[16]; got != want {
		t.Fatalf("GB 11714 check of %s = %c, want %c", in, got, want)
	}
	if !xinyong.IsIDNumber(in) {
		t.Errorf("IsIDNumber(%s) = false", in)
	}
	c := xinyong.CheckCreditCode(in)
	if !c.IDNumber || c.Valid() || c.WellFormed() {
		t.Errorf("CheckCreditCode(%s): IDNumber %v, Valid %v, WellFormed %v; want true, false, false", in, c.IDNumber, c.Valid(), c.WellFormed())
	}
	if s := c.String(); strings.Contains(s, in) || strings.Contains(s, "19500101") {
		t.Errorf("String() = %q shows the ID number", s)
	}
	if err := c.Err(); err == nil || strings.Contains(err.Error(), in) {
		t.Errorf("Err() = %v, want an error that does not show the ID number", err)
	}
	// The generator is not allowed to make it either.
	assertPanics(t, "MakeCreditCode(11010519, 50010115)", func() { xinyong.MakeCreditCode(in[:8], in[8:16]) })
}

func TestCodeCheckString(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"91350100m000100y43", "统一社会信用代码 91350100M000100Y43 校验通过"},
		{"91350100M000100Y44", "统一社会信用代码 91350100M000100Y44 有误：第18位校验码不符：应为 3，实为 4"},
		{"", "统一社会信用代码有误：未填写统一社会信用代码"},
		{idNumberMod31, "统一社会信用代码 110105********1154 有误：这是居民身份证号码，不是统一社会信用代码"},
		// A mistyped ID number is masked too.
		{"110105194912310021", "统一社会信用代码 110105********0021 有误：第17位（组织机构代码校验码）不符：应为 5，实为 2；第18位校验码不符：应为 B，实为 1"},
		{"91350100M000100Y4\x07", "统一社会信用代码 91350100M000100Y4 有误：第18位字符“U+0007”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"},
	}
	for _, tt := range tests {
		if got := xinyong.CheckCreditCode(tt.in).String(); got != tt.want {
			t.Errorf("CheckCreditCode(%q).String() = %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestMakeCreditCode(t *testing.T) {
	tests := []struct {
		first8, body, want string
	}{
		{"91350100", "M000100Y", "91350100M000100Y43"},
		{"91110108", "55138508", "91110108551385082Q"},
		{"91211100", "MA000003", "91211100MA00000310"},
		{"91211100", "MA000311", "91211100MA000311X0"},
	}
	for _, tt := range tests {
		if got := xinyong.MakeCreditCode(tt.first8, tt.body); got != tt.want {
			t.Errorf("MakeCreditCode(%q, %q) = %q, want %q", tt.first8, tt.body, got, tt.want)
		}
	}
}

func TestMakeCreditCodeAlwaysValid(t *testing.T) {
	r := rand.New(rand.NewPCG(32100, 2015))
	randomPart := func() string {
		b := make([]byte, 8)
		for i := range b {
			b[i] = xinyong.CodeAlphabet[r.IntN(len(xinyong.CodeAlphabet))]
		}
		return string(b)
	}
	for i := range 20000 {
		first8, body := randomPart(), randomPart()
		code := xinyong.MakeCreditCode(first8, body)
		if len(code) != 18 || code[:16] != first8+body {
			t.Fatalf("MakeCreditCode(%q, %q) = %q", first8, body, code)
		}
		if got, want := code[16], gb11714(body); got != want {
			t.Fatalf("MakeCreditCode(%q, %q) = %q, GB 11714 check %c, want %c", first8, body, code, got, want)
		}
		if got, want := code[17], mod31(code[:17]); got != want {
			t.Fatalf("MakeCreditCode(%q, %q) = %q, MOD 31 check %c, want %c", first8, body, code, got, want)
		}
		c := xinyong.CheckCreditCode(code)
		if !c.Valid() || !c.WellFormed() || c.Err() != nil {
			t.Fatalf("MakeCreditCode(%q, %q) = %q, which is not valid: %v", first8, body, code, c.Err())
		}
		if i < 500 {
			assertEverySubstitutionInvalid(t, code)
		}
	}
}

func TestCheckCreditCodeSubstitutions(t *testing.T) {
	for _, code := range []string{
		"91350100M000100Y43", "91110108551385082Q", "91211100MA00000310", "91211100MA000004XP", "91211100MA000311X0",
	} {
		assertEverySubstitutionInvalid(t, code)
	}
}

// assertEverySubstitutionInvalid checks that changing any one character of a valid code to any other
// character of the alphabet makes it invalid.
func assertEverySubstitutionInvalid(t *testing.T, code string) {
	t.Helper()
	for i := range len(code) {
		for j := range len(xinyong.CodeAlphabet) {
			ch := xinyong.CodeAlphabet[j]
			if ch == code[i] {
				continue
			}
			changed := code[:i] + string(ch) + code[i+1:]
			if c := xinyong.CheckCreditCode(changed); c.Valid() {
				t.Fatalf("%s with character %d changed to %c is %s, which is valid", code, i+1, ch, changed)
			}
		}
	}
}

func TestMakeCreditCodePanics(t *testing.T) {
	tests := []struct {
		first8, body string
	}{
		{"9135010", "M000100Y"},
		{"91350100", "M000100Y4"},
		{"91350100", "m000100y"},
		{"91350100", "MO00100Y"},
		{"9135010I", "M000100Y"},
		{"", ""},
		{"９１３５０１００", "M000100Y"},
		{idNumberMod31[:8], idNumberMod31[8:16]},
	}
	for _, tt := range tests {
		assertPanics(t, "MakeCreditCode("+tt.first8+", "+tt.body+")", func() { xinyong.MakeCreditCode(tt.first8, tt.body) })
	}
}

func assertPanics(t *testing.T, what string, f func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Errorf("%s did not panic", what)
		}
	}()
	f()
}

// Independent implementations of the three checksums, to test the package against.

func mod31(first17 string) byte {
	const weights = "1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28"
	sum := 0
	for i, w := range strings.Fields(weights) {
		n := 0
		for _, d := range w {
			n = n*10 + int(d-'0')
		}
		sum += strings.IndexByte(xinyong.CodeAlphabet, first17[i]) * n
	}
	return xinyong.CodeAlphabet[(31-sum%31)%31]
}

func gb11714(body string) byte {
	weights := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, w := range weights {
		v := strings.IndexByte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", body[i])
		sum += v * w
	}
	return "0123456789X0"[11-sum%11]
}

func mod112(first17 string) byte {
	// Weights 2^(17-i) mod 11.
	sum, w := 0, 1
	for i := 16; i >= 0; i-- {
		w = w * 2 % 11
		sum += int(first17[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

func FuzzCheckCreditCode(f *testing.F) {
	for _, s := range []string{
		"91350100M000100Y43", "91350100M000100Y4Z", "91110108551385082Q", "９１３５０１００ｍ０００１００ｙ４３",
		"91211100MA00000310", "91211100MA000311X0", "91350100M000100Y44", "91350100M000100Y56",
		idNumberMod31, "11010519491231002X", "110105491231002", "", " - ", "\xff\xfe", "9135 0100-M000 100Y 43",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := xinyong.CheckCreditCode(s)
		n := xinyong.NormalizeCode(s)
		if again := xinyong.NormalizeCode(n); again != n {
			t.Fatalf("NormalizeCode not idempotent: %q -> %q -> %q", s, n, again)
		}
		if !utf8.ValidString(n) {
			t.Fatalf("NormalizeCode(%q) = %q, not valid UTF-8", s, n)
		}
		if c.Code != n || c.Input != s {
			t.Fatalf("CheckCreditCode(%q): Input %q, Code %q, want Code %q", s, c.Input, c.Code, n)
		}
		if (c.Err() == nil) != c.Valid() {
			t.Fatalf("CheckCreditCode(%q): Err() = %v but Valid() = %v", s, c.Err(), c.Valid())
		}
		if c.Valid() && !c.WellFormed() {
			t.Fatalf("CheckCreditCode(%q): valid but not well formed", s)
		}
		if c.WellFormed() {
			if len(c.Code) != 18 || strings.Trim(c.Code, xinyong.CodeAlphabet) != "" || c.IDNumber {
				t.Fatalf("CheckCreditCode(%q): well formed, but Code is %q", s, c.Code)
			}
		}
		if c.Valid() {
			if got := xinyong.MakeCreditCode(c.Code[:8], c.Code[8:16]); got != c.Code {
				t.Fatalf("MakeCreditCode(%q, %q) = %q, want %q", c.Code[:8], c.Code[8:16], got, c.Code)
			}
		}
		if c.IDNumber != xinyong.IsIDNumber(s) {
			t.Fatalf("CheckCreditCode(%q).IDNumber = %v, IsIDNumber = %v", s, c.IDNumber, !c.IDNumber)
		}
		if c.IDNumber || xinyong.LooksLikeIDNumber(s) {
			if str := c.String(); strings.Contains(str, c.Code) {
				t.Fatalf("CheckCreditCode(%q).String() = %q shows the ID number", s, str)
			}
		}
		if err := c.Err(); err != nil && len(c.Code) >= 11 && isAlnum(c.Code) && strings.Contains(err.Error(), c.Code) {
			t.Fatalf("CheckCreditCode(%q).Err() = %q quotes the code", s, err)
		}
	})
}

func isAlnum(s string) bool {
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}
