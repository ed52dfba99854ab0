package xinyong

import "maps"

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

// reportLabels names the kinds of data-quality report items: read it with ReportLabel.
var reportLabels = map[string]string{
	"rejected":        "无法解析，未公示",
	"removed":         "已移出",
	"repaired":        "已信用修复",
	"revoked":         "已撤销",
	"not_public":      "不可向社会公开",
	"not_yet":         "未到公示起始日期",
	"expired":         "已过公示截止日期",
	"legal_max":       "超过法定最长公示期限（轻微3个月、一般1年、严重3年）",
	"withdrawn":       "案例已撤回",
	"unreadable":      "无法解析",
	"bad_code":        "统一社会信用代码校验未通过（仍予公示）",
	"id_as_code":      "信用代码字段填写了身份证号码（不予公示该字段）",
	"cleaned":         "文本含控制字符或方向控制字符，已清除",
	"truncated":       "文本超长，已截断",
	"id_masked":       "文本中含身份证号码，已遮蔽",
	"red_severity":    "红榜条目填写了失信等级，已忽略",
	"no_end":          "黑名单条目既未填写失信等级，也未填写公示截止日期，公示期限无法确定，请认定部门补正",
	"unknown_list":    "名单名称未配置为行政或法院名单，暂按行政失信名单（信用修复）处理，请核对",
	"honour_withheld": "主体同时在严重失信名单中公示，红榜信息不予公示（严重失信主体不得作为守信激励对象）",
	"honour_conflict": "该严重失信信息导致同一主体的红榜信息不予公示，请红榜认定部门核查撤销",
	"bad_district":    "所属区域不是盘锦市的行政区划代码（GB/T 2260），不予公示该字段，请补正",
}

// ReportLabel returns the Chinese name of a kind of data-quality report item, and whether the kind has one.
func ReportLabel(kind string) (label string, ok bool) {
	label, ok = reportLabels[kind]
	return label, ok
}

// MsgDistrictIDNumber is the detail of a bad_district report item whose value holds a resident ID number,
// which the report never quotes.
const MsgDistrictIDNumber = "所属区域字段填写了身份证号码（不予引用）"

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
)

// Publication (xinyong run).
const (
	// MsgRunBusy is the error when another publication holds the data directory.
	MsgRunBusy = "另一次发布正在进行（数据目录已加锁），本次未执行"
	// MsgGuardEmpty is the guard's refusal when nothing would be published.
	MsgGuardEmpty = "数据库未返回任何可公示的红榜或黑名单条目，疑为数据库连接或视图故障；未发布，现行网站保持不变（确认无误后可用 --force 发布）"
	// MsgGuardShrink is the guard's refusal of a sudden shrink: list, count before, count after, share
	// removed and the limit, in percent.
	MsgGuardShrink = "%s将由 %d 条减至 %d 条（减少 %.0f%%，超过允许的 %.0f%%），疑为数据异常；未发布，现行网站保持不变（确认无误后可用 --force 发布）"
	// MsgRollbackNoEarlier and MsgRollbackNoRelease are the errors of `xinyong rollback`.
	MsgRollbackNoEarlier = "没有比当前版本更早的发布版本可以回退"
	MsgRollbackNoRelease = "没有发布版本 %q（xinyong releases 列出全部版本）"
	// MsgRollbackDone is what `xinyong rollback` prints.
	MsgRollbackDone = "已回退：当前版本为 %s"
	// MsgRollbackRepublish is the refusal of a rollback that would publish again what was taken down since:
	// the release asked for, the number of pages, the pages (MsgRollbackPageSep between them,
	// MsgRollbackPagesMore after a shortened list), the newest release and today's date.
	MsgRollbackRepublish = "未回退：版本 %s 会重新公开 %d 条此后已撤下的信息：%s。这些信息在最新版本 %s 中已不再公示" +
		"（已信用修复、撤销、移出、撤回或公示期满），或其公示期在今天（%s）之前已经届满。该版本的页面、名单、检索索引和下载文件都含有这些信息，" +
		"回退不会改动已生成的版本，只有重新发布才能将其全部撤下：请运行 xinyong run（需要先前的主题时加 --theme DIR）。"
	MsgRollbackPageSep   = "、"
	MsgRollbackPagesMore = "等"
	// MsgRollbackNoTree is the error of a rollback when a release has no export tree to compare: its path.
	MsgRollbackNoTree = "%s 不存在或不是目录，无法判断回退是否会重新公开已撤下的信息；未回退"
	// MsgRunFuture is the refusal of a publication dated after today: the as-of date, today (Asia/Shanghai)
	// and the as-of date again.
	MsgRunFuture = "公示日期 %s 晚于今天（%s，北京时间）：不能提前公示，--force 也不例外；未发布，现行网站保持不变。" +
		"预览某个未来日期的公示内容，请用 xinyong export --as-of %s 和 xinyong build 输出到另一个目录。"
	// MsgRunNoSpace is the refusal of a publication before the build for want of disk space: free space,
	// what the publication still needs, the previous release and its size.
	MsgRunNoSpace = "数据目录所在磁盘空间不足：可用 %s，本次发布还需约 %s（上一版本 %s 共 %s）；未生成网站，现行网站保持不变。" +
		"请清理磁盘空间（或减少保留的版本数 keep）后重新发布。"
	// MsgReportNoDepartment names, in the data-quality report's table by department, the row of the items
	// that belong to no department (a subject's credit code or district).
	MsgReportNoDepartment = "主体信息（不属于某一认定部门）"
	// MsgDurationUnderSecond and the MsgDuration* below are a duration in Chinese units (DurationText).
	MsgDurationUnderSecond    = "不到 1 秒"
	MsgDurationSeconds        = "%d 秒"
	MsgDurationMinutes        = "%d 分"
	MsgDurationMinutesSeconds = "%d 分 %d 秒"
	MsgDurationHours          = "%d 小时"
	MsgDurationHoursMinutes   = "%d 小时 %d 分"
	// MsgRunNoInodes is the refusal of a publication before the build for want of free inodes (file
	// entries): free, needed, the previous release and its files.
	MsgRunNoInodes = "数据目录所在文件系统可新建的文件数（inode）不足：可用 %d 个，本次发布约需 %d 个（上一版本 %s 的网站有 %d 个文件，每个页面另需一个目录）；未生成网站，现行网站保持不变。" +
		"请清理文件（或减少保留的版本数 keep）、扩大文件系统的 inode 数后重新发布。"
	// MsgReleaseLine is one line of `xinyong releases`: mark, id, as-of date, build time, counts.
	MsgReleaseLine = "%s %s  公示日期 %s  生成于 %s  红榜 %d  黑名单 %d  主体 %d  案例 %d  页面 %d"
	// MsgReleasesNone is what `xinyong releases` prints when nothing was published.
	MsgReleasesNone = "尚无发布版本（先运行 xinyong run）"
	// MsgRunUnchanged is what `xinyong run` prints when nothing public changed: the current release.
	MsgRunUnchanged = "公示内容、主题和配置均无变化，未发布新版本；当前版本 %s（%s）"
	// MsgRunStepStart and MsgRunStepDone are the progress lines of a step on a terminal.
	MsgRunStepStart = "%s……"
	MsgRunStepDone  = "%s完成（%s）"
	// MsgRunSummary is the one line `xinyong run` prints: release, date, counts, pages, index, time, and
	// the release directory.
	MsgRunSummary = "已发布 %s（%s）：红榜 %d 条，黑名单 %d 条，主体 %d 个，案例 %d 个；页面 %d 个，检索索引 %d 条；用时 %s\n发布目录：%s"
)

// The run history for the operator (xinyong status).
const (
	// MsgStatusNone: the path of the state database, which does not exist or holds no run.
	MsgStatusNone = "尚无运行记录（%s）"
	// MsgStatusRun is one run: id, start, trigger, outcome, pid, duration, release, as-of date, counts.
	MsgStatusRun = "#%d  %s  %s  %s  进程 %d  用时 %s  版本 %s  公示日期 %s  红榜 %d  黑名单 %d  案例 %d"
	// MsgStatusCause and MsgStatusError follow a run that failed, was refused or blocked: the cause (in
	// Chinese and its code) and the full error.
	MsgStatusCause = "    原因：%s（%s）"
	MsgStatusError = "    错误：%s"
)

// The labels of the publication's steps (publish.Steps), which a terminal shows as each step starts and ends.
const (
	MsgStepExport   = "导出公示数据"
	MsgStepCompare  = "与当前版本比对"
	MsgStepChanges  = "记录变更"
	MsgStepOpenData = "生成开放数据下载文件"
	MsgStepBuild    = "生成网站"
	MsgStepIndex    = "建立检索索引"
	MsgStepCompress = "预压缩"
	MsgStepLog      = "记录公示日志"
	MsgStepLink     = "复用未变文件"
	MsgStepPublish  = "切换发布"
)

// Scheduler.
const (
	// MsgScheduleBadSpec is the error of a cron expression that does not parse: the expression, the reason.
	MsgScheduleBadSpec = "发布计划 %q 无法解析（应为 5 段 cron 表达式，如 \"0 2 * * *\" 表示每天 2:00）：%v"
	// MsgScheduleRunning is returned when a run is asked for while one is in progress.
	MsgScheduleRunning = "一次发布正在进行，本次请求未重复执行"
)

// The status page (/status/) of xinyong serve. Unexported so that no package can change them: read them
// with StatusLabels, StatusTrigger, StatusOutcome and StatusCause.
var (
	// statusLabels are the fixed texts of the status page.
	statusLabels = map[string]string{
		"current": "当前发布版本：", "caption": "最近的发布和回退记录", "start": "开始时间", "trigger": "触发方式",
		"outcome": "结果", "release": "版本", "red": "红榜", "black": "黑名单", "cases": "案例", "duration": "用时",
		"none": "尚无自动发布记录。", "json": "以 JSON 格式查看",
	}
	// statusTriggers names how a run started.
	statusTriggers = map[string]string{"schedule": "定时", "catch-up": "补发", "manual": "手动", "rollback": "回退"}
	// statusOutcomes names the outcome of a run; "" is a run without an end (in progress, or killed).
	statusOutcomes = map[string]string{"published": "已发布", "unchanged": "无变化，未发布", "refused": "已拒绝发布（网站保持不变）",
		"busy": "已跳过（另一次发布进行中）", "failed": "失败（网站保持不变）", "": "进行中或中断",
		"rolled-back": "已回退", "rollback-refused": "已拒绝回退（会重新公开已撤下的信息）"}
	// statusCauses is what the public status page says of a failed, refused or blocked run (scheduler.Cause*):
	// a cause, never the error, which may name hosts, users and paths. "" is a failure recorded before runs
	// had a cause.
	statusCauses = map[string]string{
		"database": "数据库无法连接", "export": "读取数据失败", "disk": "磁盘空间不足", "build": "网站生成失败",
		"timeout": "网站生成超时，已终止", "index": "检索索引生成失败", "refused": "已拒绝发布",
		"interrupted": "发布中断（进程被终止或意外退出）", "blocked": "发布受阻（另一次发布长时间未结束）",
		"state": "无法记录运行情况", "error": "发布失败", "": "发布失败",
	}
)

// StatusLabels returns the fixed texts of the status page by key, in a new map the caller may change.
func StatusLabels() map[string]string { return maps.Clone(statusLabels) }

// StatusTrigger returns the name of how a run started (scheduler trigger), or "" for an unknown one.
func StatusTrigger(trigger string) string { return statusTriggers[trigger] }

// StatusOutcome returns the name of a run's outcome; "" is a run without an end (in progress, or killed).
// An unknown outcome has no name ("").
func StatusOutcome(outcome string) string { return statusOutcomes[outcome] }

// StatusCause returns what the public status page says of a failed, refused or blocked run with cause
// (scheduler.Cause*): never the error, which may name hosts, users and paths. "" is a failure recorded
// before runs had a cause. An unknown cause has no text ("").
func StatusCause(cause string) string { return statusCauses[cause] }

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
	// MsgSearchCodeLenient replaces MsgSearchCodeInvalid when the code that fails its check is the code of
	// a published subject: the department reported it so, and the user pasted it from the site.
	MsgSearchCodeLenient = "该代码未通过校验，但为认定部门报送的代码。"
	// MsgSearchCodeShort is the notice of a query that looks like the start of a credit code but is too
	// short for a prefix search: the minimum length.
	MsgSearchCodeShort = "按统一社会信用代码查询时，请至少输入前%d位。以下按名称查询。"
	// MsgSearchIDNumber is the notice of a query that is or contains a resident ID number. Nothing is
	// looked up.
	MsgSearchIDNumber = "本站不提供按居民身份证号码查询。为保护个人信息，请按姓名或统一社会信用代码查询。"
)

// Serve (package server). The search page's form, filters, results and pager, and the errors of
// the server, shown to the public; the command's message to the operator.
const (
	// MsgServeNoRelease is the error of `xinyong serve` when nothing has been published: the data directory.
	MsgServeNoRelease = "数据目录 %s 中还没有已发布的版本。请先运行 xinyong run 发布一次，再启动 xinyong serve。"

	// MsgServeTitle is the <title> of a results page: the query and the search page's own title.
	MsgServeTitle = "“%s”的查询结果 · %s"
	// MsgServeLabel, MsgServePlaceholder and MsgServeButton are the search form's label, placeholder and
	// button (the same as the theme's searchLabel, searchPlaceholder and searchButton).
	MsgServeLabel       = "查询企业名称或统一社会信用代码"
	MsgServePlaceholder = "输入名称或18位统一社会信用代码"
	MsgServeButton      = "查询"
	// MsgServeHint is shown under the form before anything is searched.
	MsgServeHint = "可查询法人和非法人组织、个体工商户、自然人在本站公示的守信和失信信息。"

	// MsgServeFilters names the filters; MsgServeFilterList and MsgServeFilterKind the two choices, and
	// MsgServeAll their "no restriction" option.
	MsgServeFilters    = "筛选"
	MsgServeFilterList = "名单类型"
	MsgServeFilterKind = "结果类型"
	MsgServeAll        = "全部"
	// MsgServeFilterDepartment, MsgServeFilterDistrict and MsgServeFilterListName name the filters set by
	// a link in a result.
	MsgServeFilterDepartment = "认定部门"
	MsgServeFilterDistrict   = "地区"
	MsgServeFilterListName   = "名单名称"
	// MsgServeActiveFilters introduces the filters in force; MsgServeRemoveFilter is the accessible name
	// of the link that removes one: the filter's name and value.
	MsgServeActiveFilters = "当前筛选条件："
	MsgServeRemoveFilter  = "取消筛选：%s“%s”"
	// MsgServeFilterBy is the accessible name of a link that restricts the results to a value: the
	// filter's name and the value.
	MsgServeFilterBy = "只看%s为“%s”的结果"

	// MsgServeKindSubject, MsgServeKindPerson and MsgServeKindCase are the kinds of results.
	MsgServeKindSubject = "信用主体"
	MsgServeKindPerson  = "自然人"
	MsgServeKindCase    = "典型案例"

	// MsgServeResults names the list of results; MsgServeTotal says how many: the number.
	MsgServeResults = "查询结果"
	MsgServeTotal   = "共找到 %d 条相关公示信息"
	// MsgServeTotalCapped is MsgServeTotal when not all can be paged to: the number, and how many can.
	MsgServeTotalCapped = "共找到 %d 条相关公示信息，可查看前 %d 条；请输入更完整的名称或添加筛选条件"
	// MsgServeNone is the text of a search without results, and MsgServeNoneHint what it may mean.
	MsgServeNone     = "没有找到相关的公示信息。"
	MsgServeNoneHint = "本站只公示依法可以向社会公开、且在公示期内的信息；已信用修复或公示期满的信息不再显示。请检查名称或统一社会信用代码是否输入正确。"
	// MsgServeCode, MsgServeListName, MsgServeDepartment, MsgServeDistrict and MsgServeDate label the
	// fields of a result.
	MsgServeCode       = "统一社会信用代码"
	MsgServeListName   = "名单"
	MsgServeDepartment = "认定部门"
	MsgServeDistrict   = "地区"
	MsgServeDate       = "日期"
	// MsgServeMatched labels the entry a query named by its id or 认定文号 (a link to the entry's page),
	// and MsgServeDecisionNo its 认定文号.
	MsgServeMatched    = "匹配的公示信息"
	MsgServeDecisionNo = "认定文号"

	// MsgServePager names the pager; MsgServePrev and MsgServeNext are its links; MsgServePageOf says
	// where the reader is: the page and the number of pages.
	MsgServePager  = "分页"
	MsgServePrev   = "上一页"
	MsgServeNext   = "下一页"
	MsgServePageOf = "第 %d 页，共 %d 页"

	// MsgServeRateLimited is the error of a client that searches too often: the seconds to wait.
	MsgServeRateLimited = "查询过于频繁，请 %d 秒后再试。"
	// MsgServeTimeout is the error of a search that took too long.
	MsgServeTimeout = "查询超时，请输入更完整的名称或添加筛选条件后再试。"
	// MsgServeUnavailable is the error when the search cannot be answered now (the server is switching
	// releases or shutting down).
	MsgServeUnavailable = "查询服务暂时不可用，请稍后再试。"
	// MsgServeInternal is the error of a failure inside the server.
	MsgServeInternal = "服务器内部错误，请稍后再试。"
	// MsgServeMethod is the error of a request that is not GET or HEAD.
	MsgServeMethod = "本站只接受 GET 和 HEAD 请求。"
	// MsgServeURITooLong is the error of an address over the limit.
	MsgServeURITooLong = "网址过长。"
)

// Verification (/verify/ and /api/proof, server/proof.go): what the page says of a saved page checked against
// the publication log, and the errors of both. The log proves that the site published a file's exact bytes
// and when; it says nothing of whether the listing was right, and the page says so.
const (
	// MsgVerifyPageFileLabel, MsgVerifyPageFileHint and MsgVerifyPageFileButton are the upload form's label, hint (the
	// size limit in MB) and button.
	MsgVerifyPageFileLabel  = "选择保存的页面文件"
	MsgVerifyPageFileHint   = "文件不超过 %d MB。文件只用于计算 SHA-256 校验值，本站不保存文件，也不显示文件内容。"
	MsgVerifyPageFileButton = "上传并核验"
	// MsgVerifyPageSumLabel, MsgVerifyPageSumPlaceholder and MsgVerifyPageSumButton are the form for a pasted SHA-256.
	MsgVerifyPageSumLabel       = "或者粘贴文件的 SHA-256 校验值"
	MsgVerifyPageSumPlaceholder = "64 位十六进制字符"
	MsgVerifyPageSumButton      = "核验"

	// MsgVerifyPageFound is the heading of a file the site published, MsgVerifyPageFoundText what it means.
	MsgVerifyPageFound     = "已发布"
	MsgVerifyPageFoundText = "本站发布过与这份文件完全相同的页面（逐字节一致）。以下是本站发布日志中记录的发布情况，已用日志的检查点逐项核对。"
	// MsgVerifyPageNotFound is the heading of a file the log never recorded, MsgVerifyPageNotFoundText what it means.
	MsgVerifyPageNotFound     = "未找到"
	MsgVerifyPageNotFoundText = "这份文件与本站任何时候发布的页面都不一致：可能被改动过，或不是本站页面。"
	// MsgVerifyPageNotFoundHint says how a genuine page may still fail: saved in a way that changed its bytes.
	MsgVerifyPageNotFoundHint = "如果文件确实保存自本站，请确认保存时选择了“网页，仅 HTML”，或用 curl、wget 等工具直接下载：“网页，全部”、打印为 PDF、复制粘贴和浏览器翻译都会改变文件内容。"

	// MsgVerifyPageSHA256 labels the file's SHA-256.
	MsgVerifyPageSHA256 = "文件的 SHA-256"
	// MsgVerifyPagePeriod names one stretch in which the site served the page, numbered when there are several.
	MsgVerifyPagePeriod  = "发布情况"
	MsgVerifyPagePeriodN = "第 %d 次发布"
	// MsgVerifyPageFirst and MsgVerifyPageLast label the first and the last 数据日期 of a stretch; MsgVerifyPageStill
	// stands for the last one while the current release serves the page: the 数据日期 of that release.
	MsgVerifyPageFirst = "首次发布的数据日期"
	MsgVerifyPageLast  = "最后发布的数据日期"
	MsgVerifyPageStill = "至今仍在公示（当前版本的数据日期为 %s）"
	// MsgVerifyPageRemoved labels the release that took the page down.
	MsgVerifyPageRemoved = "撤下的版本"
	// MsgVerifyPageRelease describes the release of a 数据日期: its id and when it was made current (Beijing
	// time); MsgVerifyPageReleaseID one known by its id only (the last release of a page taken down).
	MsgVerifyPageRelease   = "版本 %s，%s 起发布"
	MsgVerifyPageReleaseID = "版本 %s"
	// MsgVerifyPageRemovedBy describes the release that took a page down: its id, 数据日期 and when it was
	// made current.
	MsgVerifyPageRemovedBy = "版本 %s（数据日期 %s），%s 起不再发布本页"
	// MsgVerifyPageRolledBack follows a release made current by a rollback.
	MsgVerifyPageRolledBack = "（版本回退）"

	// MsgVerifyPageLog labels the log's checkpoint: its origin and size; MsgVerifyPageLogSize is the size.
	MsgVerifyPageLog     = "发布日志检查点"
	MsgVerifyPageLogSize = "%s，共 %d 条记录"
	// MsgVerifyPageSignature labels whether the checkpoint's signature was checked: MsgVerifyPageSigned (with the
	// link to the verifier key) or MsgVerifyPageUnsigned.
	MsgVerifyPageSignature = "签名"
	MsgVerifyPageSigned    = "已用本站公布的公钥核验"
	MsgVerifyPageUnsigned  = "未签名：本站的发布日志没有配置签名密钥，检查点只能证明日志前后一致，不能证明出自本站。"
	// MsgVerifyPageStamp labels the checkpoint's RFC 3161 time stamp, when the log has one: MsgVerifyPageStamped
	// (the TSA's time in Beijing time, and the certificate that signed it) or MsgVerifyPageStampBad.
	MsgVerifyPageStamp    = "可信时间戳"
	MsgVerifyPageStamped  = "检查点在 %s（北京时间）之前已经存在，由 %s 签发。本页核对了时间戳的签名；签发机构的证书请按本站公布的说明自行核对。"
	MsgVerifyPageStampBad = "检查点附带的时间戳未通过核对。"
	// MsgVerifyPageProof is the link to the proof as JSON, MsgVerifyPageProofHint what to do with it.
	MsgVerifyPageProof     = "下载核验证明（JSON）"
	MsgVerifyPageProofHint = "证明中只有校验值、版本号、日期和数量，不含页面内容；任何人都可以用本站公布的检查点和公钥独立核对，也可以用 xinyong verify 命令核对。"

	// MsgVerifyPageBadSHA256 is the error of a SHA-256 that is not 64 hexadecimal characters.
	MsgVerifyPageBadSHA256 = "SHA-256 校验值应为 64 位十六进制字符（0–9、a–f）。"
	// MsgVerifyPageNoFile is the error of an upload without a file.
	MsgVerifyPageNoFile = "请选择要核验的文件。"
	// MsgVerifyPageTooLarge is the error of a file over the limit: the limit in MB.
	MsgVerifyPageTooLarge = "文件过大：最多 %d MB。本站的页面都小于这个大小，请确认选择的是保存的页面文件。"
	// MsgVerifyPageBadUpload is the error of a POST that is not a file upload (multipart/form-data).
	MsgVerifyPageBadUpload = "请通过页面上的表单上传文件。"
	// MsgVerifyPageNoLog is the error when the site has no publication log yet.
	MsgVerifyPageNoLog = "本站的发布日志尚未建立，暂时无法核验。"
	// MsgVerifyPageMethod is the error of a request to /verify/ that is not GET, HEAD or POST.
	MsgVerifyPageMethod = "核验页面只接受 GET、HEAD 和 POST 请求。"
)

// Open data.
// Chinese text of the open-data downloads (package opendata): the title and description of the
// /data/ page, the column names of the CSV files, and the names of the enumerated values in them. The JSON
// Lines files use English keys and the codes of the export instead.
const (
	// MsgOpenDataTitle and MsgOpenDataDescription are the title and description of the /data/ page.
	MsgOpenDataTitle       = "开放数据"
	MsgOpenDataDescription = "下载本站当前公示的守信红榜、失信黑名单和典型案例数据（CSV 和 JSON Lines 格式），每个文件附大小、条数和 SHA-256 校验值。"

	// The columns of red.csv and black.csv, in order.
	MsgOpenDataColEntryID      = "信息编号"
	MsgOpenDataColList         = "名单类型"
	MsgOpenDataColListName     = "名单名称"
	MsgOpenDataColSubjectName  = "主体名称"
	MsgOpenDataColSubjectKind  = "主体类别"
	MsgOpenDataColCreditCode   = "统一社会信用代码"
	MsgOpenDataColIDNumber     = "居民身份证号码（已脱敏）"
	MsgOpenDataColDistrictCode = "地区代码"
	MsgOpenDataColDistrict     = "地区"
	MsgOpenDataColReason       = "列入事由"
	MsgOpenDataColBasis        = "认定依据"
	MsgOpenDataColDecisionNo   = "认定文号"
	MsgOpenDataColMeasures     = "激励或惩戒措施"
	MsgOpenDataColDeptCode     = "认定部门代码"
	MsgOpenDataColDept         = "认定部门"
	MsgOpenDataColSeverity     = "失信等级"
	MsgOpenDataColDecidedOn    = "认定日期"
	MsgOpenDataColValidFrom    = "公示起始日期"
	MsgOpenDataColValidTo      = "公示截止日期"
	MsgOpenDataColPublicUntil  = "公示至"
	MsgOpenDataColRepairFrom   = "可申请信用修复日期"
	MsgOpenDataColProcedure    = "停止公示方式"
	MsgOpenDataColUpdatedAt    = "更新时间"
	MsgOpenDataColURL          = "网址"
	MsgOpenDataColSubjectURL   = "主体页面网址"

	// The columns of cases.csv that red.csv and black.csv do not have.
	MsgOpenDataColCaseID      = "案例编号"
	MsgOpenDataColCaseKind    = "案例类别"
	MsgOpenDataColTitle       = "标题"
	MsgOpenDataColAbstract    = "摘要"
	MsgOpenDataColPublishedOn = "发布日期"

	// MsgOpenDataMeasureSep joins the measures of an entry into one CSV cell.
	MsgOpenDataMeasureSep = "；"

	// The names of subject kinds, black-list severities and case kinds in the CSV files.
	MsgOpenDataKindOrg         = "法人及非法人组织"
	MsgOpenDataKindBusiness    = "个体工商户"
	MsgOpenDataKindPerson      = "自然人"
	MsgOpenDataSeverityMinor   = "轻微"
	MsgOpenDataSeverityGeneral = "一般"
	MsgOpenDataSeveritySerious = "严重"
	// The procedures by which entries end (xinyong.Procedure*), in the downloads.
	MsgOpenDataProcedureAdmin  = "行政认定：公示期满、信用修复或撤销后停止公示"
	MsgOpenDataProcedureCourt  = "人民法院决定：履行义务或期限届满后由法院删除，不适用信用修复"
	MsgOpenDataProcedureHonour = "守信激励：有效期届满或撤销后停止公示，不适用信用修复"
	MsgOpenDataCaseReward      = "守信激励"
	MsgOpenDataCasePunishment  = "失信惩戒"
)

// Doctor. What `xinyong doctor` prints to the operator (package doctor): one line per check under
// a section heading, and a summary. docs/doctor.md explains each check and what to do when it fails.
const (
	// MsgDoctorSectionDB, MsgDoctorSectionData and MsgDoctorSectionConfig head the sections.
	MsgDoctorSectionDB     = "交换数据库"
	MsgDoctorSectionData   = "数据目录 %s"
	MsgDoctorSectionConfig = "配置"
	// MsgDoctorSummary ends the report: the number of checks passed, warnings and failures.
	MsgDoctorSummary = "检查完毕：%d 项通过，%d 项警告，%d 项未通过"
	// MsgDoctorSummaryFail follows the summary when a check failed.
	MsgDoctorSummaryFail = "请逐项修正标有 ✗ 的问题后再发布；各项检查的含义和处理办法见 docs/doctor.md。"

	// MsgDoctorNoDSN fails the database section when no DSN is configured.
	MsgDoctorNoDSN = "未指定交换数据库：请用 --db、配置项 db 或环境变量 XINYONG_DB 指定"
	// MsgDoctorBadDSN fails a DSN that cannot be used: the reason.
	MsgDoctorBadDSN = "交换数据库地址无法使用：%v"
	// MsgDoctorNoFile fails a SQLite DSN naming a file that does not exist: the path.
	MsgDoctorNoFile = "SQLite 交换数据库文件 %s 不存在"
	// MsgDoctorNotFile fails a SQLite DSN naming something that is not a regular file: the path.
	MsgDoctorNotFile = "%s 不是 SQLite 数据库文件"
	// MsgDoctorConnectFail fails a connection: what was connected to and the driver's reason.
	MsgDoctorConnectFail = "无法连接%s：%v"
	// MsgDoctorConnected reports a connection: what was connected to.
	MsgDoctorConnected = "已连接%s（只读使用）"
	// MsgDoctorSQLiteTarget and MsgDoctorPostgresTarget describe what was connected to: the file; the
	// database, host:port, user and (MsgDoctorPostgresVersion) the server version.
	MsgDoctorSQLiteTarget    = " SQLite 交换数据库 %s"
	MsgDoctorPostgresTarget  = " PostgreSQL 交换数据库 %s（%s，用户 %s）"
	MsgDoctorPostgresVersion = "，服务器版本 %s"
	// MsgDoctorSearchPath reports PostgreSQL's search_path, in which the unqualified names are looked up.
	MsgDoctorSearchPath = "表名按 search_path 查找：%s"

	// MsgDoctorTableMissing fails a contract table that is neither a table nor a view: the table, and where
	// it was looked for.
	MsgDoctorTableMissing = "%s 不存在：在%s中找不到这个表或视图（应有列：%s）"
	// MsgDoctorWhereSQLite and MsgDoctorWherePostgres say where tables are looked for: nothing; the
	// search_path.
	MsgDoctorWhereSQLite   = "数据库文件"
	MsgDoctorWherePostgres = " search_path（%s）"
	// MsgDoctorTableFound reports a table or view: the table, its kind and its qualified name.
	MsgDoctorTableFound = "%s：%s %s"
	// MsgDoctorKindTable, MsgDoctorKindView, ... name the kinds of relation.
	MsgDoctorKindTable       = "表"
	MsgDoctorKindView        = "视图"
	MsgDoctorKindMatView     = "物化视图"
	MsgDoctorKindForeign     = "外部表"
	MsgDoctorKindPartitioned = "分区表"
	// MsgDoctorColumnsOK reports that a table has every contract column with a usable type: the table and
	// the number of columns.
	MsgDoctorColumnsOK = "%s：合同规定的 %d 列齐全，类型可用"
	// MsgDoctorColumnMissing fails a missing column: the table, the column and its contract type.
	MsgDoctorColumnMissing = "%s 缺少列 %s（类型 %s）"
	// MsgDoctorColumnCase adds to MsgDoctorColumnMissing when a column differs only in case: its name.
	MsgDoctorColumnCase = "；有大小写不同的列 %q，PostgreSQL 中带引号的列名区分大小写，请在视图中改名为小写"
	// MsgDoctorColumnType fails a column whose type the reader cannot use: the table, the column, its type
	// and what it should be.
	MsgDoctorColumnType = "%s 的列 %s 类型为 %s，无法使用：应为 %s"
	// MsgDoctorColumnTypeWarn warns of a column whose type works with a caveat: the table, the column, its
	// type and the caveat.
	MsgDoctorColumnTypeWarn = "%s 的列 %s 类型为 %s：%s"

	// MsgDoctorWantKey, ... say which types a column of each kind may have.
	MsgDoctorWantKey       = "text 或 varchar（导出按字节序排序并以它关联主体，可在视图中写 %s::text）"
	MsgDoctorWantText      = "文本类型（text、varchar），可在视图中写 %s::text"
	MsgDoctorWantDate      = "date、timestamp 或 YYYY-MM-DD 格式的文本"
	MsgDoctorWantTimestamp = "timestamptz、timestamp、date 或 RFC 3339 格式的文本"
	MsgDoctorWantFlag      = "integer、smallint、bigint 或 boolean（1 或 true 表示可向社会公开）"
	MsgDoctorWantFlagLite  = "INTEGER（整数 1 表示可向社会公开；声明为 TEXT 或 REAL 时 1 存为文本或小数，不会公示）"
	// MsgDoctorDateTZ fails a date column of type timestamptz: the column.
	MsgDoctorDateTZ = "date（timestamptz 按 UTC 取日期，北京时间零点会变成前一天），可在视图中写 (%s AT TIME ZONE 'Asia/Shanghai')::date"
	// MsgDoctorPadded warns of a char(n) column.
	MsgDoctorPadded = "定长字符类型会在值后补空格，补了空格的编号、名单类型和状态无法识别，建议在视图中写 rtrim(%s)"

	// MsgDoctorRows reports a table's row count: the table and the count.
	MsgDoctorRows = "%s：共 %d 行"
	// MsgDoctorRowsEmpty warns of an empty table: the table and what follows.
	MsgDoctorRowsEmpty = "%s：没有任何行，%s"
	// MsgDoctorEmptyEntries, MsgDoctorEmptySubjects and MsgDoctorEmptyDepartments say what an empty table means.
	MsgDoctorEmptyEntries     = "xinyong run 会拒绝发布（发布保护：数据库未返回任何条目），请核对视图映射"
	MsgDoctorEmptySubjects    = "所有名单条目都会因主体不存在而无法公示"
	MsgDoctorEmptyDepartments = "所有名单条目和案例都会因部门不存在而无法公示"
	// MsgDoctorInspectFail fails a table whose structure cannot be read: the table and the database's reason.
	MsgDoctorInspectFail = "%s：无法读取表结构：%v"
	// MsgDoctorCountFail fails a row count: the table and the database's reason.
	MsgDoctorCountFail = "%s：无法统计行数：%v"

	// MsgDoctorSampleOK reports a sample without problems: the table and the number of rows decoded.
	MsgDoctorSampleOK = "%s：抽查 %d 行，全部可以解析"
	// MsgDoctorSampleBad warns of rows in a sample that cannot be interpreted: the table, the number of
	// rows decoded and the number with problems. Examples follow as details.
	MsgDoctorSampleBad = "%s：抽查 %d 行，其中 %d 行无法解析，不会公示（发布后的数据质量报告列出全部）"
	// MsgDoctorSampleSubjects reports the subjects decoded with the sampled entries and cases: the number.
	MsgDoctorSampleSubjects = "xy_subjects：随名单条目和案例抽查 %d 个主体，全部可以解析"
	// MsgDoctorSampleSubjectsBad warns of sampled subjects with problems: the number decoded and with problems.
	MsgDoctorSampleSubjectsBad = "xy_subjects：随名单条目和案例抽查 %d 个主体，其中 %d 个无法解析，其名下条目不会公示"
	// MsgDoctorSampleExample is one example: the row's id and its problems.
	MsgDoctorSampleExample = "%s：%s"
	// MsgDoctorSampleFail fails a sample whose query failed: the table and the database's reason.
	MsgDoctorSampleFail = "%s：按导出的查询读取失败：%v"
	// MsgDoctorSampleSkipped says a sample was not taken because a table it reads is broken: the table.
	MsgDoctorSampleSkipped = "%s：未抽查，先修正上面所列的表结构问题"
	// MsgDoctorPublicText fails public flags that mean 1 but are not the integer 1: the number sampled,
	// the number and an example value.
	MsgDoctorPublicText = "xy_list_entries 的列 public：抽查 %d 行，其中 %d 行的值为文本或小数形式的 1（例如 %q），读取时不等于整数 1，这些条目不会公示"

	// MsgDoctorDataMissing reports a data directory that does not exist but can be created: the existing
	// parent.
	MsgDoctorDataMissing = "目录尚不存在，首次发布时将在 %s 下创建"
	// MsgDoctorDataCannotCreate fails a data directory that cannot be created: the reason.
	MsgDoctorDataCannotCreate = "目录不存在，也无法创建：%v"
	// MsgDoctorDataNone fails an empty data directory setting.
	MsgDoctorDataNone = "未指定数据目录：请用 --data、配置项 data 或环境变量 XINYONG_DATA 指定"
	// MsgDoctorDataNotDir fails a data directory path that is not a directory.
	MsgDoctorDataNotDir = "不是目录"
	// MsgDoctorDataStat fails a data directory that cannot be examined: the reason.
	MsgDoctorDataStat = "无法访问：%v"
	// MsgDoctorDataWritable reports a writable directory: the directory.
	MsgDoctorDataWritable = "%s 可写"
	// MsgDoctorDataNotWritable fails a directory in which no file can be created: the directory and the reason.
	MsgDoctorDataNotWritable = "%s 不可写：%v"
	// MsgDoctorDataFree reports the free space: the amount.
	MsgDoctorDataFree = "可用空间 %s"
	// MsgDoctorDataFreeLow warns of little free space: the amount and the minimum advised.
	MsgDoctorDataFreeLow = "可用空间只有 %s，建议至少 %s（每次发布写入一个完整的新版本）"
	// MsgDoctorDataFreeFail fails when the free space cannot be measured: the reason.
	MsgDoctorDataFreeFail = "无法查询可用空间：%v"
	// MsgDoctorNoRelease reports that nothing has been published yet.
	MsgDoctorNoRelease = "尚未发布过（没有 current 链接）"
	// MsgDoctorRelease reports the current release: its id, its as-of date and when it was built.
	MsgDoctorRelease = "当前版本 %s（公示日期 %s，生成于 %s）"
	// MsgDoctorReleaseBad fails a current link that does not lead to a usable release: the reason.
	MsgDoctorReleaseBad = "current 链接有误：%s"
	// MsgDoctorReleaseNotLink, MsgDoctorReleaseDangling and MsgDoctorReleaseManifest are the reasons.
	MsgDoctorReleaseNotLink  = "current 应是指向 releases/<版本> 的符号链接，实为普通文件或目录"
	MsgDoctorReleaseDangling = "指向的 %s 不存在"
	MsgDoctorReleaseManifest = "%s 缺少可读的 release.json：%v"

	// MsgDoctorConfigNone reports that no configuration file is used.
	MsgDoctorConfigNone = "未使用配置文件（--config 或 XINYONG_CONFIG），使用默认值和 XINYONG_* 环境变量"
	// MsgDoctorConfigRead reports a configuration file that was read: the path.
	MsgDoctorConfigRead = "配置文件 %s 可以解析"
	// MsgDoctorConfigBad fails a configuration file: the path and the reason.
	MsgDoctorConfigBad = "配置文件 %s 有误：%v（以下按默认值和环境变量检查）"
	// MsgDoctorLogLevel reports a valid log level; MsgDoctorLogLevelBad fails an invalid one: the value.
	MsgDoctorLogLevel    = "日志级别 %s"
	MsgDoctorLogLevelBad = "日志级别 %q 无效：应为 debug、info、warn 或 error"
	// MsgDoctorLogFormat reports a valid log format; MsgDoctorLogFormatBad fails an invalid one: the value.
	MsgDoctorLogFormat    = "日志格式 %s"
	MsgDoctorLogFormatBad = "日志格式 %q 无效：应为 text 或 json"
	// MsgDoctorBaseURLDefault reports an unset base URL.
	MsgDoctorBaseURLDefault = "未设置 base_url，使用默认网址"
	// MsgDoctorBaseURL reports a valid base URL; MsgDoctorBaseURLBad fails an invalid one: the value.
	MsgDoctorBaseURL    = "网站网址 %s"
	MsgDoctorBaseURLBad = "base_url %q 无效：应为以 http:// 或 https:// 开头、含主机名的完整网址"
	// MsgDoctorBaseURLHTTP warns of a base URL that is not https: the value.
	MsgDoctorBaseURLHTTP = "网站网址 %s 不是 https，引用链接和站点地图都会使用这个地址"
	// MsgDoctorThemeEmbedded reports that the embedded theme is used.
	MsgDoctorThemeEmbedded = "使用内置主题"
	// MsgDoctorTheme reports a usable theme directory; MsgDoctorThemeBad fails one: the directory and the
	// reason.
	MsgDoctorTheme    = "主题目录 %s"
	MsgDoctorThemeBad = "主题目录 %s 无法使用：%s"
	// MsgDoctorThemeNoLayouts is the reason of a theme directory without layouts/.
	MsgDoctorThemeNoLayouts = "缺少 layouts 子目录"
	// MsgDoctorKeep reports how many releases are kept; MsgDoctorKeepBad fails an invalid number: the value.
	MsgDoctorKeep    = "保留最近 %d 个版本"
	MsgDoctorKeepBad = "keep = %d 无效：至少为 1"
	// MsgDoctorMaxShrink reports the guard's limit in percent; MsgDoctorMaxShrinkBad fails an invalid one:
	// the value.
	MsgDoctorMaxShrink    = "发布保护：一次发布最多移除 %.0f%% 的条目"
	MsgDoctorMaxShrinkBad = "max_shrink = %v 无效：应大于 0 且不超过 1"
	// MsgDoctorSchedule reports the cron schedule; MsgDoctorScheduleBad fails an invalid one: the value and
	// the reason.
	MsgDoctorSchedule    = "定时发布计划 %q（北京时间）"
	MsgDoctorScheduleBad = "schedule %q 无效：%v（应为 5 个字段的 cron 表达式，例如 \"0 2 * * *\"）"
	// MsgDoctorWebhookNone reports that no alert webhook is set.
	MsgDoctorWebhookNone = "未设置 alert_webhook：定时发布失败时只写日志，不发告警"
	// MsgDoctorWebhook reports the alert webhook by scheme and host only (its path and query may hold a
	// token); MsgDoctorWebhookBad fails an invalid one.
	MsgDoctorWebhook    = "告警地址 %s://%s/…"
	MsgDoctorWebhookBad = "alert_webhook 无效：应为以 http:// 或 https:// 开头、含主机名的完整网址"
)

// Changes. The record of what each publication added, changed and removed (changes): /changes/,
// /changes/<release>/ and their feed.
const (
	// MsgChangesTitle is the title of /changes/ (the footer calls it the same).
	MsgChangesTitle = "更新记录"
	// MsgChangesDescription describes /changes/.
	MsgChangesDescription = "本站每次发布新增、内容变更和移出的公示信息，按发布时间从新到旧排列，并提供机器可读的变更文件。移出的信息只记录编号，不显示任何主体信息。"
	// MsgChangesReleaseTitle is the title of one publication's page: its as-of date (2026年6月15日) and
	// its release id.
	MsgChangesReleaseTitle = "%s的更新（版本 %s）"
	// MsgChangesCounts says what one publication changed: the numbers of entries added, changed and
	// removed.
	MsgChangesCounts = "新增 %d 条，内容变更 %d 条，移出 %d 条。"
)

// Timeliness (xinyong timeliness, package timeliness; the data-quality report's timeliness section and
// the site's /timeliness/ page): whether departments publish within the working days the rules allow
// and take entries down promptly. docs/timeliness.md explains the rule and the calendar.
const (
	// MsgTimelinessHead: the as-of date and the range of decision dates (from, to).
	MsgTimelinessHead = "公示及时性报告（截至 %s；认定日期 %s 至 %s）"
	// MsgTimelinessHeadTo is MsgTimelinessHead without --from: the as-of date and the last decision date.
	MsgTimelinessHeadTo = "公示及时性报告（截至 %s；认定日期在 %s 及以前）"
	// MsgTimelinessRule: the working days to publish, the working days to take down, the years covered.
	MsgTimelinessRule = "规则：认定后 %d 个工作日内公示（自认定次日起算）；信用修复、撤销后 %d 个工作日内撤下。" +
		"工作日按国务院办公厅每年的节假日安排计算（已收录 %s 年）。"
	// MsgTimelinessUncovered: the years the calendar does not cover.
	MsgTimelinessUncovered = "警告：工作日历未收录 %s 年的节假日安排，这些年份的期限按周一至周五计算，可能有误；" +
		"请按 docs/timeliness.md 补充该年的国务院办公厅通知。"
	// MsgTimelinessCounts: due, on time, late, overdue, pending, the on-time rate.
	MsgTimelinessCounts = "应公示 %d 条：按时 %d 条，逾期公示 %d 条，逾期未公示 %d 条；另有 %d 条尚未到期。按时率 %s。"
	// MsgTimelinessTotal precedes the counts of all departments.
	MsgTimelinessTotal = "合计："
	// MsgTimelinessDepartments heads the per-department lines.
	MsgTimelinessDepartments = "各部门："
	// MsgTimelinessDept: the department's name and code, then MsgTimelinessCounts.
	MsgTimelinessDept = "%s（%s）："
	// MsgTimelinessDeptTakedowns: take-downs checked and late, after a department's counts.
	MsgTimelinessDeptTakedowns = "撤下核查 %d 条，逾期撤下 %d 条。"
	// MsgTimelinessNoRate stands for the on-time rate when nothing is due.
	MsgTimelinessNoRate = "无"
	// MsgTimelinessLate, MsgTimelinessOverdue and MsgTimelinessTakedowns head the lists, with their lengths.
	MsgTimelinessLate      = "逾期公示（%d 条）："
	MsgTimelinessOverdue   = "逾期未公示（%d 条）："
	MsgTimelinessTakedowns = "逾期撤下（%d 条，信用修复或撤销后超过 %d 个工作日仍在公示）："
	// MsgTimelinessLateItem: list/id, department, decided on, deadline, published on, source, working days late.
	MsgTimelinessLateItem = "%s  %s  认定 %s  期限 %s  公示 %s（%s）  逾期 %d 个工作日"
	// MsgTimelinessOverdueItem: list/id, department, decided on, deadline, working days late.
	MsgTimelinessOverdueItem = "%s  %s  认定 %s  期限 %s  尚未公示  已逾期 %d 个工作日"
	// MsgTimelinessTakedownItem: list/id, department, status, changed on, deadline, last public on, working days.
	MsgTimelinessTakedownItem = "%s  %s  %s %s  期限 %s  最后公示 %s  逾期 %d 个工作日"
	// MsgTimelinessByValidFrom and MsgTimelinessByHistory say where a publication date comes from.
	MsgTimelinessByValidFrom = "据公示起始日期"
	MsgTimelinessByHistory   = "据发布记录"
	// MsgTimelinessNone follows a list heading when the list is empty.
	MsgTimelinessNone = "无"
	// MsgTimelinessNoHistory: no release history, so take-downs were not checked.
	MsgTimelinessNoHistory = "未核查撤下是否及时：没有发布记录（用 --data 指定有发布版本的数据目录）。"
	// MsgTimelinessHistory: the release whose history dated publications and take-downs.
	MsgTimelinessHistory = "公示日期和撤下情况据发布版本 %s 的发布记录核对。"
	// MsgTimelinessSkipped: rows not measured.
	MsgTimelinessSkipped = "另有 %d 条记录无法解读或不予公开，未计入（见数据质量报告）。"
	// MsgStatusRepaired and MsgStatusRevoked name the statuses of a take-down.
	MsgStatusRepaired = "信用修复"
	MsgStatusRevoked  = "撤销"

	// MsgSectionTimeliness is the title of the site's /timeliness/ page and of the report's section.
	MsgSectionTimeliness = "公示及时性"
	// MsgTimelinessPageIntro is the introduction of /timeliness/.
	MsgTimelinessPageIntro = "按照国务院《关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》" +
		"（国发〔2016〕33号）和本市要求，行政决定应在作出后 7 个工作日内公示（自决定次日起算，" +
		"节假日和调休按国务院办公厅每年的通知计算）。本页按认定部门和认定月份统计按时公示的比例，公示日期以公示起始日期为准；不列出任何具体信息。"
	// MsgDoctorCalendar reports the working-day calendar: the years it covers.
	MsgDoctorCalendar = "工作日历已收录 %s 年的国务院节假日安排"
	// MsgDoctorCalendarUncovered warns that the calendar lacks this year (the year).
	MsgDoctorCalendarUncovered = "工作日历未收录今年（%d 年）的国务院节假日安排：公示期限将按周一至周五计算，可能有误；按 docs/timeliness.md 补充"
	// MsgDoctorCalendarNext warns, from November, that next year's notice is not in the calendar yet.
	MsgDoctorCalendarNext = "工作日历尚未收录明年（%d 年）的国务院节假日安排：通知发布后请按 docs/timeliness.md 补充"
	// The publication log's signing key (docs/archive.md).
	MsgDoctorLogKey       = "公示日志签名密钥可用（名称 %s）"
	MsgDoctorLogKeyNone   = "未配置公示日志签名密钥：检查点将不签名发布（用 xinyong log-key 生成，再设置 log_key_file）"
	MsgDoctorLogKeyBad    = "公示日志签名密钥不可用：%v"
	MsgDoctorLogKeyOrigin = "公示日志签名密钥名为 %s，与本数据目录中日志的名称 %s 不符：发布将失败"
	// MsgDoctorTakedown reports takedown_working_days; MsgDoctorTakedownBad fails a value below 1.
	MsgDoctorTakedown    = "信用修复、撤销后 %d 个工作日内应撤下（takedown_working_days）"
	MsgDoctorTakedownBad = "takedown_working_days 的值 %d 无效，应至少为 1"
	// MsgTimelinessUncoveredPage: the years the calendar does not cover, on the site.
	MsgTimelinessUncoveredPage = "工作日历未收录 %s 年的节假日安排，这些年份的期限暂按周一至周五计算。"
)

// Values of the command line's flags that cannot be used: each sentence names the flag (or environment
// variable) and the value.
const (
	// MsgFlagBadDate: the flag and its value.
	MsgFlagBadDate = "%s 的值 %s 不是有效日期（应为 YYYY-MM-DD，例如 2026-06-15）"
	// MsgFlagBadDSN: the flag and its value (its password hidden).
	MsgFlagBadDSN = "%s 的值 %s 不是可用的交换数据库地址（应为文件路径、sqlite:路径，或 postgres://用户@主机/库名）"
	// MsgFlagDemoNotSQLite: the flag and its value, which names a PostgreSQL database.
	MsgFlagDemoNotSQLite = "%s 的值 %s 是 PostgreSQL 数据库：演示数据只能写入 SQLite 文件（xinyong 从不写入 PostgreSQL 交换数据库）"
	// MsgFlagNoFile: the flag and its value, a file that does not exist.
	MsgFlagNoFile = "%s 的值 %s 所指的文件不存在"
	// MsgFlagUnreadableFile: the flag, its value and why the file cannot be read.
	MsgFlagUnreadableFile = "%s 的值 %s 所指的文件无法读取：%v"
	// MsgFlagNoDir: the flag and its value, a directory that does not exist.
	MsgFlagNoDir = "%s 的值 %s 所指的目录不存在"
	// MsgFlagNotDir: the flag and its value, which is not a directory.
	MsgFlagNotDir = "%s 的值 %s 不是目录"
)

// xinyong --version: one line each.
const (
	// MsgVersion: the version of xinyong ("(devel)" when built from source).
	MsgVersion = "xinyong 版本 %s"
	// MsgVersionVCS: the commit, its time and whether the source had changes not committed.
	MsgVersionVCS = "源代码提交 %s（提交时间 %s%s）"
	// MsgVersionModified follows the commit time when the source had changes not committed.
	MsgVersionModified = "，含未提交的修改"
	// MsgVersionNoVCS: built without version control information.
	MsgVersionNoVCS = "源代码提交 未知（构建时未记录版本控制信息）"
	// MsgVersionGo and MsgVersionHugo: the Go version and the Hugo version built in.
	MsgVersionGo   = "Go 版本 %s"
	MsgVersionHugo = "Hugo 版本 %s"
	// MsgVersionUnknown stands for a version the build information does not hold.
	MsgVersionUnknown = "未知"
)

// Command is the help of one command of xinyong: `xinyong --help` lists the commands with their Summary,
// `xinyong NAME --help` prints the Usage line, the Description, the flags (FlagUsage) and the Examples.
type Command struct {
	Name        string
	Summary     string   // one line in the list of commands
	Usage       string   // the usage line after 用法：
	Description string   // one sentence
	Examples    []string // command lines, each printed after 例：
}

// Commands are the commands of xinyong in the order `xinyong --help` lists them.
var Commands = []Command{
	{Name: "demo", Summary: "生成带演示数据的 SQLite 交换数据库",
		Usage:       "xinyong demo --db PATH [--entries N] [--seed N] [--as-of YYYY-MM-DD]",
		Description: "新建一个 SQLite 交换数据库，填入逼真的演示数据，并标记为演示数据（发布的每一页都会注明）。",
		Examples:    []string{"xinyong demo --db exchange.db", "xinyong demo --db exchange.db --entries 500 --seed 7 --as-of 2026-06-15"}},
	{Name: "export", Summary: "把某日应公示的记录导出为 Hugo 内容树，并生成数据质量报告",
		Usage:       "xinyong export --db DSN --out DIR [--as-of YYYY-MM-DD] [--report DIR]",
		Description: "从交换数据库读出某一公示日期应向社会公示的记录，写成 Hugo 内容树（Markdown），并在旁边生成数据质量报告。",
		Examples:    []string{"xinyong export --db exchange.db --out content --as-of 2026-06-15"}},
	{Name: "build", Summary: "用内置 Hugo 和主题把导出的内容树生成网站",
		Usage:       "xinyong build --content DIR --out DIR [--theme DIR] [--base-url URL]",
		Description: "用程序内置的 Hugo 和主题，把 xinyong export 导出的内容树生成静态网站，整体替换输出目录。",
		Examples:    []string{"xinyong build --content content --out public"}},
	{Name: "run", Summary: "发布一次：导出、生成网站、建立检索索引，生成新版本并切换为当前版本",
		Usage:       "xinyong run --db DSN [--data DIR] [--as-of YYYY-MM-DD] [--force]",
		Description: "完成一次发布：导出公示数据、生成网站和检索索引，存为新的发布版本，检查无误后切换为当前版本；公示日期不能晚于今天。",
		Examples:    []string{"xinyong run --db exchange.db", "xinyong run --db postgres://xinyong@db.example/exchange --data /var/lib/xinyong"}},
	{Name: "serve", Summary: "提供当前版本的网站和检索服务；--schedule 同时按计划发布，--demo 一键启动演示",
		Usage:       "xinyong serve [--addr HOST:PORT] [--data DIR] [--schedule --db DSN] [--demo]",
		Description: "提供当前发布版本的网站和检索服务，xinyong run 切换版本后自动改用新版本；加 --schedule 时同时按发布计划定时发布。",
		Examples:    []string{"xinyong serve --addr 127.0.0.1:8080", "xinyong serve --demo"}},
	{Name: "schedule", Summary: "按发布计划定时发布（默认北京时间每天 2:00）；收到 SIGUSR1 立即发布",
		Usage:       "xinyong schedule --db DSN [--data DIR] [--schedule-spec CRON]",
		Description: "按 cron 发布计划（北京时间）定时发布，不提供网站服务；收到 SIGUSR1 信号立即发布一次，收到 SIGINT 或 SIGTERM 退出。",
		Examples:    []string{"xinyong schedule --db exchange.db --schedule-spec \"0 2 * * *\""}},
	{Name: "releases", Summary: "列出全部发布版本，标出当前版本",
		Usage:       "xinyong releases [--data DIR]",
		Description: "列出数据目录中的全部发布版本，每个一行，当前版本前标 *。",
		Examples:    []string{"xinyong releases --data /var/lib/xinyong"}},
	{Name: "rollback", Summary: "回退到另一个发布版本（默认上一个），会重新公开此后已撤下信息的不予回退",
		Usage:       "xinyong rollback [--data DIR] [ID]",
		Description: "把发布版本 ID（默认当前版本的上一个）切换为当前版本；若会重新公开此后已撤下的信息则拒绝回退，并列出这些页面。",
		Examples:    []string{"xinyong rollback", "xinyong rollback --data /var/lib/xinyong 20260614T020000"}},
	{Name: "status", Summary: "查看运行记录及每次失败的完整错误（已隐去密码），供运维人员使用",
		Usage:       "xinyong status [--data DIR] [--json] [-n N]",
		Description: "按时间倒序列出发布和回退的运行记录，失败的附原因和完整错误（数据库密码已隐去）；公开的 /status/ 页只显示原因。",
		Examples:    []string{"xinyong status", "xinyong status --json -n 5"}},
	{Name: "check-code", Summary: "校验统一社会信用代码（GB 32100-2015）",
		Usage:       "xinyong check-code CODE...",
		Description: "校验统一社会信用代码（GB 32100-2015），每个代码输出一行；有任何一个不合格时退出状态为 1。",
		Examples:    []string{"xinyong check-code 91350100M000100Y43"}},
	{Name: "doctor", Summary: "检查交换数据库是否符合约定，以及数据目录和配置",
		Usage:       "xinyong doctor [--db DSN] [--data DIR] [--format text|json]",
		Description: "检查交换数据库是否符合数据约定、数据目录是否可用、配置是否有效，每项检查输出一行；有检查未通过时退出状态为 1。",
		Examples:    []string{"xinyong doctor --db exchange.db", "xinyong doctor --db exchange.db --format json"}},
	{Name: "timeliness", Summary: "检查各部门是否在 7 个工作日内公示、是否及时撤下（按国务院节假日安排计算工作日）",
		Usage:       "xinyong timeliness --db DSN [--data DIR] [--as-of YYYY-MM-DD] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]",
		Description: "按认定日期计算每条信息的公示期限（认定次日起第 7 个工作日），列出逾期公示和逾期未公示的信息、各部门的按时率；有 --data 时据发布记录核对公示日期和信用修复、撤销后的撤下是否及时。",
		Examples:    []string{"xinyong timeliness --db exchange.db --as-of 2026-06-15", "xinyong timeliness --db exchange.db --data /var/lib/xinyong --from 2026-01-01 --json"}},
	{Name: "verify", Summary: "核验保存的页面是否为本站原样发布，以及在哪些数据日期公示（据发布日志）",
		Usage:       "xinyong verify [--data DIR | --url BASE] [--vkey KEY|@FILE] [--tsa-roots FILE] [--json] FILE...",
		Description: "对每个文件计算 SHA-256，从数据目录或网站取得发布日志的证明并核对签名，说明本站是否原样发布过此页面、首次和最后一次发布的数据日期、何时撤下；全部核验通过时退出状态为 0，否则为 1。",
		Examples:    []string{"xinyong verify --url https://credit.panjin.gov.cn/ --vkey @panjin-log.vkey saved.html", "xinyong verify --data /var/lib/xinyong saved.html"}},
	{Name: "log-key", Summary: "生成发布日志的签名私钥（写入文件）并显示核验密钥",
		Usage:       "xinyong log-key --out FILE [--origin NAME] [--force]",
		Description: "生成发布日志的 Ed25519 签名私钥，写入权限为 600 的文件，在标准输出显示核验密钥（公钥）；私钥不能放在数据目录的 releases 或 log 之内。",
		Examples:    []string{"xinyong log-key --out /etc/xinyong/log.key", "xinyong log-key --origin credit.panjin.gov.cn/log --out /etc/xinyong/log.key --force"}},
	{Name: "version", Summary: "显示版本：xinyong、源代码提交、Go 和 Hugo 的版本",
		Usage:       "xinyong version",
		Description: "显示 xinyong 的版本、源代码提交（时间、是否含未提交的修改）、Go 版本和内置 Hugo 的版本；同 xinyong --version。",
		Examples:    []string{"xinyong --version"}},
}

// The help texts of the command line.
const (
	// MsgHelpIntro and MsgHelpOutro frame the list of commands of `xinyong --help`.
	MsgHelpIntro = "xinyong 从信用信息交换数据库发布“信用盘锦”网站。\n\n用法：xinyong <命令> [参数]\n\n命令："
	MsgHelpOutro = "运行 xinyong <命令> --help 查看该命令的参数和示例，xinyong --version 查看版本。\n" +
		"参数也可以用 --config FILE（TOML）和 XINYONG_* 环境变量设置，见 docs/config.md。"
	// HelpMainExamples follow the list of commands of `xinyong --help`, each after 例：.
	HelpMainExamples = "xinyong serve --demo\nxinyong run --db exchange.db\nxinyong run --help"
	// MsgHelpUsage, MsgHelpFlags and MsgHelpExample label the parts of `xinyong COMMAND --help`.
	MsgHelpUsage   = "用法：%s"
	MsgHelpFlags   = "参数："
	MsgHelpExample = "例：%s"
	// MsgHelpDefault follows a flag's description: its default.
	MsgHelpDefault = "（默认 %s）"
	// MsgHelpMore is printed after a usage error: the command.
	MsgHelpMore = "（运行 xinyong %s --help 查看用法）"

	// Usage errors of the command line.
	MsgNoCommand        = "未指定命令"
	MsgUnknownCommand   = "没有 %s 这个命令"
	MsgUnknownFlag      = "%s：没有 %s 这个参数"
	MsgFlagNeedsValue   = "%s：参数 %s 需要一个值"
	MsgFlagBadValue     = "%s：参数 %s 的值 %s 无效"
	MsgFlagSyntax       = "%s：参数 %s 的写法不对"
	MsgExtraArgument    = "%s：多余的参数 %s"
	MsgFlagAfterArg     = "%s：参数 %s 要写在其他命令行参数之前"
	MsgTooManyArguments = "%s：最多 %d 个命令行参数，实为 %d 个"
)

// FlagUsage describes the flags of the commands, by flag name or, where a command's flag means something of
// its own, by "command.flag". `WORD` in back quotes names the flag's value in the help.
var FlagUsage = map[string]string{
	"config":     "TOML 配置文件 `FILE`（环境变量 XINYONG_CONFIG）",
	"log-format": "日志格式 `FORMAT`：text 或 json（环境变量 XINYONG_LOG_FORMAT）",
	"log-level":  "日志级别 `LEVEL`：debug、info、warn 或 error（环境变量 XINYONG_LOG_LEVEL）",
	"db":         "交换数据库地址 `DSN`：文件路径或 sqlite:路径，或 postgres://...（环境变量 XINYONG_DB）",
	"data":       "数据目录 `DIR`：发布版本、当前版本和运行记录所在（环境变量 XINYONG_DATA）",
	"as-of":      "公示日期 `YYYY-MM-DD`；默认今天（北京时间）",
	"theme":      "主题目录 `DIR`，代替内置主题（环境变量 XINYONG_THEME）",
	"base-url":   "网站地址 `URL`（环境变量 XINYONG_BASE_URL）",
	"demo":       "--db 所指的数据库不存在时先生成演示数据库",
	"out":        "输出目录 `DIR`，整体原子替换",
	"json":       "以 JSON 格式输出",

	"build-timeout":    "生成网站的时限 `DURATION`（如 2h），超时即终止，本次发布失败（配置项 build_timeout）",
	"busy-alert-after": "发布因另一次发布占用而连续受阻达到此时长 `DURATION` 时告警；0 表示不告警（配置项 busy_alert_after）",
	"schedule-spec":    "发布计划：cron 表达式 `CRON`，北京时间（环境变量 XINYONG_SCHEDULE）",
	"alert-webhook":    "告警推送地址 `URL`，以 POST 发送（环境变量 XINYONG_ALERT_WEBHOOK）",

	"demo.db":      "要新建的 SQLite 数据库文件 `PATH`，不能已存在",
	"demo.entries": "名单条目数 `N`",
	"demo.seed":    "随机数种子 `N`；种子和公示日期相同，生成的数据库也相同",
	"demo.as-of":   "演示数据所对应的日期 `YYYY-MM-DD`；默认今天（北京时间）",

	"export.out":    "内容树输出目录 `DIR`，整体原子替换",
	"export.report": "数据质量报告目录 `DIR`；默认 --out 旁边的 DIR-quality",

	"build.content":           "导出的内容树目录 `DIR`（xinyong export --out）",
	"build.out":               "网站输出目录 `DIR`，整体原子替换",
	"build.template-metrics":  "生成后输出 Hugo 的模板耗时统计和缓存建议",
	"build.json":              "以 JSON 输出结果（页面数、文件数、站点地图网址、用时），而不是一句话",
	"build.reuse-content":     "上一次生成所用的内容树目录 `DIR`：记录未变的条目和主体页面直接沿用上一次的页面（与 --reuse-site、--reuse-fingerprint 同用）",
	"build.reuse-site":        "上一次生成的网站目录 `DIR`",
	"build.precompress":       "为记录页面同时写出预压缩的 index.html.gz（发布时 run 使用；其余文件由发布的预压缩步骤处理）",
	"build.reuse-fingerprint": "上一次生成时记录页面的模板指纹 `HEX`（--json 输出的 RecordsFingerprint）；与本次不同时全部重新生成",
	"build.content-sums":      "导出时写出的内容校验和文件 `FILE`（content.sums）：与 --reuse-rows 同用，记录未变的页面无需读取",
	"build.rows":              "把记录页面的列表行写入文件 `FILE`（不在网站目录中），供下一次生成的 --reuse-rows 使用",
	"build.reuse-rows":        "上一次生成写出的列表行文件 `FILE`（--rows）：校验和相同的记录直接沿用页面和列表行；文件损坏或不匹配时全部读取",
	"build.row-store":         "把列表各行生成的 HTML 写入文件 `FILE`（与 --rows 同用，不在网站目录中），供下一次生成的 --reuse-row-store 使用；可与之相同",
	"build.page-sums":         "把记录渲染器写出的列表页和分类页的 SHA-256 写入文件 `FILE`（sha256sum 格式，不在网站目录中；发布时 run 使用，供公示日志不必重读这些页面）",
	"build.reuse-row-store":   "上一次生成写出的列表行 HTML 文件 `FILE`（--row-store）：记录未变的行直接沿用；文件损坏或不匹配时全部重新生成",
	"build.reuse-cases-key":   "上一次生成的案例页面指纹 `HEX`（--json 输出的 CasesKey）：与本次相同且记录页面模板指纹也相同时，内容未变的案例页面和撤回说明页面直接沿用上一次的页面",
	"build.identity":          "网站标识信息 `JSON`（网站标识码、备案号、主办和承办单位、联系方式；发布时 run 使用，内容即配置文件的 [site] 表）：替代配置文件中的 [site]",
	"build.wait-ready":        "先从标准输入读到一行 ready，再读取内容树的顶层、启动 Hugo（发布时 run 使用：生成开始时它仍在内容树中写入变更和开放数据页面）；读不到则放弃生成",

	"run.as-of":      "公示日期 `YYYY-MM-DD`，不能晚于今天；默认今天（北京时间）",
	"run.force":      "即使保护检查拒绝（没有数据，或某名单减少超过 max_shrink）也发布",
	"run.keep":       "保留的发布版本数 `N`（配置项 keep）",
	"run.max-shrink": "一次发布允许某名单减少的最大比例 `SHARE`（0 到 1，配置项 max_shrink）",

	"serve.addr":             "监听地址 `HOST:PORT`（环境变量 XINYONG_ADDR）",
	"serve.watch":            "检查是否有新的当前版本的间隔 `DURATION`",
	"serve.rate":             "每个客户端每秒可检索的次数 `N`；0 或负数表示不限",
	"serve.burst":            "每个客户端可连续检索的次数 `N`",
	"serve.client-ip-header": "反向代理写入客户端地址的请求头 `HEADER`（如 X-Real-IP）",
	"serve.max-conns":        "同时打开的连接数上限 `N`，超出的连接接受后即关闭；-1 表示不限",
	"serve.max-conns-per-ip": "同一客户端地址（IPv6 按 /64）同时打开的连接数上限 `N`；0 表示默认值（设置了 --client-ip-header 即在反向代理之后时不限），-1 表示不限",
	"serve.schedule":         "同时按发布计划定时发布（需要 --db）",
	"serve.demo":             "一键启动演示：演示数据库 xinyong-demo.db 不存在时先生成，发布一次，然后提供服务并按计划发布",
	"serve.db":               "定时发布（--schedule）所用的交换数据库地址 `DSN`（环境变量 XINYONG_DB）",

	"status.json": "以 JSON 格式输出运行记录，最新的在前",
	"status.n":    "显示最近的运行记录条数 `N`",

	"doctor.log-format": "要检查的日志格式 `FORMAT`：text 或 json（环境变量 XINYONG_LOG_FORMAT）",
	"doctor.log-level":  "要检查的日志级别 `LEVEL`：debug、info、warn 或 error（环境变量 XINYONG_LOG_LEVEL）",
	"doctor.theme":      "要检查的主题目录 `DIR`（环境变量 XINYONG_THEME）",
	"doctor.base-url":   "要检查的网站地址 `URL`（环境变量 XINYONG_BASE_URL）",
	"doctor.format":     "输出格式 `FORMAT`：text，或供程序读取的 json",
	"doctor.sample":     "每张表解码检查的行数 `N`",

	"timeliness.as-of":         "统计截止日期 `YYYY-MM-DD`；默认今天（北京时间）",
	"timeliness.from":          "认定日期下限 `YYYY-MM-DD`：只统计此日及以后作出的认定",
	"timeliness.to":            "认定日期上限 `YYYY-MM-DD`：只统计此日及以前作出的认定；默认为统计截止日期",
	"timeliness.data":          "数据目录 `DIR`：据其发布记录核对公示日期和撤下是否及时（环境变量 XINYONG_DATA）",
	"timeliness.json":          "以 JSON 格式输出报告（字段见 docs/timeliness.md）",
	"timeliness.takedown-days": "信用修复、撤销后应撤下的工作日数 `N`（配置项 takedown_working_days）",

	"verify.data":      "数据目录 `DIR`：从其发布日志取得证明（环境变量 XINYONG_DATA）；与 --url 二选一，都不指定时用配置的数据目录",
	"verify.url":       "网站地址 `BASE`：从 BASE/api/proof 取得证明",
	"verify.vkey":      "核验密钥 `KEY`，或 @文件；应为市政府公告等网站以外渠道公布的密钥。不指定时用数据目录或网站自己的 /log/vkey（未独立核对）",
	"verify.json":      "以 JSON 输出每个文件的核验结果（字段见 docs/archive.md）",
	"verify.timeout":   "从网站取得证明的时限 `DURATION`",
	"verify.tsa-roots": "时间戳服务机构的根证书文件 `FILE`（PEM）：据此核对检查点可信时间戳的证书链；不指定时只核对时间戳本身",

	"log-key.out":    "私钥文件 `FILE`，权限 600；不能在数据目录的 releases 或 log 之内",
	"log-key.origin": "日志名称 `NAME`，即检查点的第一行；默认由网站地址得出，如 credit.panjin.gov.cn/log",
	"log-key.force":  "覆盖已存在的私钥文件",
	"log-key.data":   "数据目录 `DIR`：私钥文件不能在其 releases 或 log 之内（环境变量 XINYONG_DATA）",
}

// Other usage errors of the command line: each begins with the command and ends with MsgHelpMore.
const (
	// MsgFlagRequired: the command and the flag that must be given.
	MsgFlagRequired = "%s：必须指定 %s"
	// MsgFlagAtLeast: the command, the flag, its smallest value and the value given.
	MsgFlagAtLeast = "%s：%s 至少为 %d，实为 %d"
	// MsgFlagChoice: the command, the flag, the value given and the values allowed.
	MsgFlagChoice = "%s：" + MsgFlagValueChoice
	// MsgFlagValueChoice: the flag (or environment variable), the value given and the values allowed.
	MsgFlagValueChoice = "%s 的值 %s 无效，应为 %s"
	// MsgFlagRange: the command, the flag, the value given and the range allowed.
	MsgFlagRange = "%s：%s 的值 %s 无效，应为 %s"
	// MsgNoCode: check-code without a code.
	MsgNoCode = "check-code：未给出要校验的统一社会信用代码"
	// MsgConfigInvalid: the file and why it does not parse.
	MsgConfigInvalid = "配置文件 %s 有误：%v"
	// MsgEnvInvalid: the environment variable, its value and the reason.
	MsgEnvInvalid = "环境变量 %s 的值 %s 无效：%v"
)

// The publication log on the command line (docs/archive.md): `xinyong verify`, which checks saved pages
// against the log, and `xinyong log-key`, which makes the log's signing key. The as-of date is called
// 数据日期 here, as on the /verify/ page.
const (
	// MsgVerifyPublished: the file, the as-of date of the first release that served it, and how its
	// last period ends (MsgVerifyUntilNow or MsgVerifyTakenDown).
	MsgVerifyPublished = "%s：已核验 本站于数据日期 %s 首次发布此页面，%s"
	// MsgVerifyUntilNow: the as-of date and release of the release recorded last, which serves the page.
	MsgVerifyUntilNow = "至数据日期 %s 仍在公示（版本 %s）"
	// MsgVerifyTakenDown: the as-of date and release that served it last, when it was taken down (Beijing
	// time), and the release and as-of date of that switch.
	MsgVerifyTakenDown = "最后一次发布于数据日期 %s（版本 %s），于 %s撤下（此后的版本 %s，数据日期 %s）"
	// MsgVerifyPeriods introduces the periods of a page published more than once: their number.
	MsgVerifyPeriods = "  共公示过 %d 次："
	// MsgVerifyPeriod is one of them: its number, the first and last as-of dates and releases, and how it
	// ends (MsgVerifyPeriodNow or MsgVerifyPeriodDown).
	MsgVerifyPeriod     = "  %d. 数据日期 %s 至 %s（版本 %s 至 %s）%s"
	MsgVerifyPeriodNow  = "，仍在公示"
	MsgVerifyPeriodDown = "，于 %s撤下"
	// MsgVerifyRolledBack follows an as-of date whose release a rollback made current again.
	MsgVerifyRolledBack = "（回退后重新发布）"
	// MsgVerifySum: the file's SHA-256.
	MsgVerifySum = "  SHA-256 %s"
	// MsgVerifyCheckpoint: the checkpoint's origin and size, and what was checked of its signature
	// (MsgVerifySigned*, MsgVerifyUnsigned, MsgVerifyNoKey).
	MsgVerifyCheckpoint = "  检查点：%s，共 %d 条日志记录；%s"
	// MsgVerifySignedPinned: the checkpoint's signature checked with the key --vkey gave.
	MsgVerifySignedPinned = "签名已用指定的核验密钥核对"
	// MsgVerifySignedSame: checked with the key of the same source as the proof: where it came from.
	MsgVerifySignedSame = "签名已用 %s 的核验密钥核对，但该密钥与证明取自同一来源，未独立核对（请用 --vkey 指定市政府公告等其他渠道公布的核验密钥）"
	// MsgVerifyUnsigned: a log without a signing key.
	MsgVerifyUnsigned = "检查点未签名（网站发布时未配置签名密钥），只核对了默克尔树证明"
	// MsgVerifyNoKey: a signed checkpoint, but no verifier key was given or found.
	MsgVerifyNoKey = "检查点有签名，但没有核验密钥，未核对签名（请用 --vkey 指定核验密钥）"
	// MsgVerifyTimestamp: the checked RFC 3161 time stamp of the checkpoint: its time (Beijing), the
	// authority's certificate subject, and whether its chain was checked (MsgVerifyTSA*).
	MsgVerifyTimestamp = "  可信时间戳：检查点不晚于 %s（北京时间）已存在，时间戳服务机构 %s；%s"
	// MsgVerifyTSAChained and MsgVerifyTSANotChained: whether the authority's certificate was checked to
	// chain to --tsa-roots.
	MsgVerifyTSAChained    = "其证书已核对至 --tsa-roots 指定的根证书"
	MsgVerifyTSANotChained = "未核对其证书链（用 --tsa-roots 指定时间戳服务机构的根证书）"
	// MsgVerifyBadTimestamp: the file and why the checkpoint's time stamp does not hold.
	MsgVerifyBadTimestamp = "%s：核验失败：检查点的可信时间戳不成立：%v"
	// MsgVerifyNotFound: the file and its SHA-256.
	MsgVerifyNotFound = "%s：未找到：本站任何时候都没有发布与此文件完全相同的页面（SHA-256 %s）"
	// MsgVerifyNotFoundHint follows the files not found, once.
	MsgVerifyNotFoundHint = "提示：只有本站发送的原样字节才能核验，改动一个字节也不行。浏览器的“另存为：网页，全部”会改写页面；" +
		"请用“另存为：网页，仅 HTML”，或用 curl、wget 下载页面；.gz 压缩文件须先解压。"
	// MsgVerifyFailed: the file and why the proof does not hold.
	MsgVerifyFailed = "%s：核验失败：证明不成立（文件、证明或核验密钥不符）：%v"
	// MsgVerifyUnreadable: the file and why it cannot be read.
	MsgVerifyUnreadable = "%s：无法读取：%v"
	// MsgVerifyNoProof: the file and why no proof could be had.
	MsgVerifyNoProof = "%s：无法取得证明：%v"
	// MsgVerifyNoLog: the log directory, which holds no log yet.
	MsgVerifyNoLog = "%s 中还没有发布日志（日志从第一次记录日志的发布起记录，此前发布的页面无法核验）"
	// MsgVerifyIsDir: a FILE given to verify is a directory.
	MsgVerifyIsDir = "是目录，不是文件"
	// MsgVerifyHTTP: the URL asked, its HTTP status and the server's message.
	MsgVerifyHTTP = "%s 回答 HTTP %d%s"
	// MsgVerifyTooLarge: the URL and the limit in bytes.
	MsgVerifyTooLarge = "%s 的回答超过 %d 字节，不是本站的证明"
	// MsgVerifyNotProof: the URL and why its answer is not a proof.
	MsgVerifyNotProof = "%s 的回答不是证明：%v"
	// MsgVerifyBadKey: a verifier key (read from the same source) that does not parse: where, and why.
	MsgVerifyBadKey = "%s 不是核验密钥：%v"

	// Usage errors of verify.
	MsgVerifyNoFiles    = "verify：未给出要核验的文件"
	MsgVerifyDataAndURL = "verify：--data 和 --url 只能指定一个"
	// MsgVerifyBadURL: the value of --url.
	MsgVerifyBadURL = "verify：--url 的值 %s 无效，应为网站地址，如 https://credit.panjin.gov.cn/"
	// MsgVerifyBadRoots: the --tsa-roots file, which holds no PEM certificate.
	MsgVerifyBadRoots = "verify：--tsa-roots 所指的文件 %s 中没有 PEM 格式的证书"
	// MsgVerifyBadVKey: why the value of --vkey is not a verifier key.
	MsgVerifyBadVKey = "verify：--vkey 的值不是核验密钥（应为网站 /log/vkey 的内容，形如 名称+8位十六进制+Base64，或 @文件）：%v"

	// MsgLogKeyNoOut: log-key without --out.
	MsgLogKeyNoOut = "log-key：必须指定 --out FILE：私钥只写入权限为 600 的文件，不在终端显示（显示过的内容会留在终端记录和日志里）"
	// MsgLogKeyExists: the file, which exists.
	MsgLogKeyExists = "log-key：%s 已存在，未覆盖；确要换用新密钥时加 --force（换密钥的步骤见 docs/archive.md“密钥”一节）"
	// MsgLogKeyInData: the file, and the directory of the data directory it is in.
	MsgLogKeyInData = "log-key：%s 在数据目录的 %s 之内，那里的文件会随网站发布或随旧版本清除；请把私钥放在别处，如 /etc/xinyong/log.key"
	// MsgLogKeyNoDir: the file, whose directory does not exist.
	MsgLogKeyNoDir = "log-key：%s 所在的目录不存在"
	// MsgLogKeyBadOrigin: the origin and why it cannot name the log.
	MsgLogKeyBadOrigin = "log-key：日志名称 %s 无效，应为不含空格和“+”的名称，如 credit.panjin.gov.cn/log"
	// MsgLogKeyOtherOrigin: the origin asked for and the origin of the data directory's log.
	MsgLogKeyOtherOrigin = "log-key：数据目录中的发布日志名为 %[2]s，名为 %[1]s 的密钥不能为它签名；不指定 --origin 即用日志的名称"
	// MsgLogKeyDone is what log-key says on stderr after the verifier key (stdout): the key file, the
	// log's origin, and the key file again for the config line.
	MsgLogKeyDone = "已生成发布日志“%[2]s”的签名私钥，写入 %[1]s（权限 600）。上面一行是核验密钥（公钥），发布后即网站的 /log/vkey。\n" +
		"下一步：\n" +
		"  1. 在配置文件中设置 log_key_file = \"%[1]s\"，此后每次发布都用它为检查点签名；\n" +
		"  2. 私钥务必保密：只让运行 xinyong 的账户可读，不放进数据目录、网站目录或代码库，不通过邮件或聊天发送，并另行离线备份；\n" +
		"  3. 把核验密钥在网站以外另行公布（如市政府公告、政务公开栏目），以便记者、企业和法院独立核对，而不只是相信网站自己给出的密钥。"
)
