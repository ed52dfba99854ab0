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

// Chinese text of the problems found in database rows, for the data-quality report.
const (
	MsgRequired      = "必填字段为空"
	MsgBadID         = "编号 %q 不能用作网址（须为 1–64 位字母、数字、点、下划线或连字符，以字母或数字开头）"
	MsgUnknownList   = "未知名单类型 %q"
	MsgUnknownStatus = "未知状态 %q"
	MsgUnknownSev    = "未知失信等级 %q"
	MsgUnknownDept   = "部门 %q 不存在"
	MsgUnknownKind   = "未知类别 %q"
	MsgValidToBefore = "公示截止日期 %s 早于公示起始日期 %s"
	MsgBadDate       = "%q 不是 YYYY-MM-DD 格式的日期"
	MsgBadTimestamp  = "%q 不是 RFC 3339 格式的时间"
	MsgCut           = "……（超长部分略）"
	MsgNoSubject     = "主体 %q 不存在"
	MsgDuplicateKey  = "网址键 %q 已被另一条记录使用"

	MsgSiteTitle          = "信用盘锦"
	MsgSectionRed         = "守信红榜"
	MsgSectionBlack       = "失信黑名单"
	MsgSectionSubjects    = "信用主体"
	MsgSectionCases       = "典型案例"
	MsgSectionDepartments = "认定部门"
	MsgSectionDistricts   = "地区"
	MsgSectionListNames   = "名单"
	MsgSectionMeasures    = "激励和惩戒措施清单"
	MsgSectionStats       = "统计"
	MsgSectionQuality     = "数据质量"
	MsgCaseWithdrawnTitle = "案例 %s 已撤回"
)

// ReportLabels names the kinds of data-quality report items.
var ReportLabels = map[string]string{
	"rejected":     "无法解析，未公示",
	"removed":      "已移出",
	"repaired":     "已信用修复",
	"revoked":      "已撤销",
	"not_public":   "不可向社会公开",
	"not_yet":      "未到公示起始日期",
	"expired":      "已过公示截止日期",
	"legal_max":    "超过法定最长公示期限（轻微3个月、一般1年、严重3年）",
	"withdrawn":    "案例已撤回",
	"unreadable":   "无法解析",
	"bad_code":     "统一社会信用代码校验未通过（仍予公示）",
	"id_as_code":   "信用代码字段填写了身份证号码（不予公示该字段）",
	"cleaned":      "文本含控制字符或方向控制字符，已清除",
	"truncated":    "文本超长，已截断",
	"id_masked":    "文本中含身份证号码，已遮蔽",
	"red_severity": "红榜条目填写了失信等级，已忽略",
}

// MsgExportSummary is what `xinyong export` prints: the date, the counts published and reported, and
// where the tree and the report are.
const MsgExportSummary = "%s：红榜 %d 条，黑名单 %d 条，主体 %d 个，案例 %d 个（撤回公告 %d 个）；" +
	"未公示 %d 条，无法解析 %d 条，需核对 %d 条\n内容：%s\n数据质量报告：%s"

// Page descriptions (<meta name="description">, OpenGraph, JSON-LD), written by the export into each page's
// front matter as plain text of at most DescriptionRunes characters.
const (
	// MsgLabelled is a label and its value: the list name and the reason of an entry, the name and the
	// counts of a subject.
	MsgLabelled = "%s：%s"
	// MsgSubjectCounts is the number of a subject's public entries on each list.
	MsgSubjectCounts = "守信红榜 %d 条，失信黑名单 %d 条"
	// MsgEllipsis ends a description that was cut.
	MsgEllipsis = "…"
	// MsgListJoin separates the items of an inline list (a subject's list names in search results).
	MsgListJoin = "、"
)

// Publication (xinyong run).
const (
	// MsgRunBusy is the error when another publication holds the data directory.
	MsgRunBusy = "另一次发布正在进行（数据目录已加锁），本次未执行"
	// MsgRunStepStart and MsgRunStepDone are the progress lines of a step on a terminal.
	MsgRunStepStart = "%s……"
	MsgRunStepDone  = "%s完成（%s）"
	// MsgRunSummary is the one line `xinyong run` prints: release, date, counts, pages, index, time, and
	// the release directory.
	MsgRunSummary = "已发布 %s（%s）：红榜 %d 条，黑名单 %d 条，主体 %d 个，案例 %d 个；页面 %d 个，检索索引 %d 条；用时 %s\n发布目录：%s"
)

// RunStepNames are the Chinese names of the publication steps.
var RunStepNames = map[string]string{
	"export":   "导出公示数据",
	"build":    "生成网站",
	"index":    "建立检索索引",
	"compress": "预压缩",
	"publish":  "切换发布",
}

// MsgBuildSummary is what `xinyong build` prints: pages, files and where the site is.
const MsgBuildSummary = "网站已生成：%d 个页面，共 %d 个文件\n网站：%s"

// Search (package search). Errors (the query cannot be run: HTTP 400) and notices (the query ran, or was
// deliberately not run, and the page says why: HTTP 200).
const (
	// MsgSearchEmpty is the error of an empty query.
	MsgSearchEmpty = "请输入名称或统一社会信用代码"
	// MsgSearchTooLong is the error of a query over the limit: the limit and the actual length in characters.
	MsgSearchTooLong = "查询内容过长：最多%d个字符，实为%d个字符"
	// MsgSearchNoText is the error of a query of punctuation and symbols only.
	MsgSearchNoText = "查询内容中没有可检索的文字、字母或数字，请输入名称或统一社会信用代码"
	// MsgSearchBadPage is the error of a page number below 1.
	MsgSearchBadPage = "页码应为正整数"
	// MsgSearchTooDeep is the error of a page beyond the results offered: the number of results offered.
	MsgSearchTooDeep = "仅提供前%d条结果，请缩小查询范围或添加筛选条件"
	// MsgSearchBadFilter is the error of an invalid filter: the filter's name.
	MsgSearchBadFilter = "筛选条件“%s”无效"

	// MsgSearchFilterList, MsgSearchFilterKind and MsgSearchFilterText name filters in MsgSearchBadFilter.
	MsgSearchFilterList = "名单类型"
	MsgSearchFilterKind = "结果类型"
	MsgSearchFilterText = "名单名称、认定部门或地区"

	// MsgSearchCodeInvalid is the notice of an 18-character credit code that fails its check: the problems
	// (e.g. "第18位校验码不符：应为 3，实为 4"). The search still runs.
	MsgSearchCodeInvalid = "统一社会信用代码有误：%s。以下仍按输入内容查询。"
	// MsgSearchCodeShort is the notice of a query that looks like the start of a credit code but is too
	// short for a prefix search: the minimum length.
	MsgSearchCodeShort = "按统一社会信用代码查询时，请至少输入前%d位。以下按名称查询。"
	// MsgSearchIDNumber is the notice of a query that is or contains a resident ID number. Nothing is
	// looked up.
	MsgSearchIDNumber = "本站不提供按居民身份证号码查询。为保护个人信息，请按姓名或统一社会信用代码查询。"
)
