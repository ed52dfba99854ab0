package xinyong

// Chinese text of the checks of credit codes and ID numbers (creditcode.go, idnumber.go). The problems are
// shown to the public and to the departments, so each says what is wrong and, where there is one, what is
// right.
const (
	// MsgCodeEmpty is the problem of an empty credit code.
	MsgCodeEmpty = "未填写统一社会信用代码"
	// MsgCodeLength is the problem of a credit code that is not 18 characters long: the actual length.
	MsgCodeLength = "长度应为18位，实为%d位"
	// MsgCodeBadChar is the problem of a character outside the alphabet: its position and the character.
	MsgCodeBadChar = "第%d位字符“%s”不在统一社会信用代码字符集内（不含 I、O、S、V、Z）"
	// MsgCodeOrgCheck is the problem of a wrong 17th character, the check character of the organisation
	// code (GB 11714): the expected and the actual character.
	MsgCodeOrgCheck = "第17位（组织机构代码校验码）不符：应为 %s，实为 %s"
	// MsgCodeCheck is the problem of a wrong 18th character, the check character of the whole code: the
	// expected and the actual character.
	MsgCodeCheck = "第18位校验码不符：应为 %s，实为 %s"
	// MsgCodeIsIDNumber is the problem of a resident ID number entered as a credit code.
	MsgCodeIsIDNumber = "这是居民身份证号码，不是统一社会信用代码"
	// MsgCodeSeparator joins the problems of one code into one sentence.
	MsgCodeSeparator = "；"

	// MsgCodeValid describes a valid code: the code.
	MsgCodeValid = "统一社会信用代码 %s 校验通过"
	// MsgCodeInvalid describes an invalid code: the code (masked when it is an ID number) and its problems.
	MsgCodeInvalid = "统一社会信用代码 %s 有误：%s"
	// MsgCodeInvalidEmpty describes an empty code: its problem.
	MsgCodeInvalidEmpty = "统一社会信用代码有误：%s"
)
