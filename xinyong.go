// Package xinyong holds the domain of 信用盘锦: subjects, list entries and cases, the rule that decides what
// is public on a date, and the checks and masking of credit codes and ID numbers. It does no I/O.
package xinyong

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Subject kinds (主体类别).
const (
	KindOrg      = "org"      // 法人及非法人组织
	KindBusiness = "business" // 个体工商户
	KindPerson   = "person"   // 自然人
)

// Lists.
const (
	ListRed   = "red"   // 守信红榜
	ListBlack = "black" // 失信黑名单
)

// Entry statuses.
const (
	StatusActive   = "active"
	StatusRemoved  = "removed"  // 移出
	StatusRepaired = "repaired" // 信用修复
	StatusRevoked  = "revoked"  // 撤销
)

// Black-list severities (失信信息分类, 国办发〔2025〕22号).
const (
	SeverityMinor   = "minor"   // 轻微
	SeverityGeneral = "general" // 一般
	SeveritySerious = "serious" // 严重
)

// Case kinds and statuses.
const (
	CaseReward     = "reward"     // 守信激励
	CasePunishment = "punishment" // 失信惩戒

	CasePublished = "published"
	CaseWithdrawn = "withdrawn"
)

// Department is a 认定部门 / 数据来源单位.
type Department struct {
	Code       string
	Name       string
	CreditCode string
	Phone      string
	Address    string // optional column: where the public can reach the department
	Hours      string // optional column: its office hours
}

// Subject is a 主体: an organisation, an individual business or a natural person.
type Subject struct {
	ID         string
	Kind       string
	Name       string
	CreditCode string // as stored; see CheckCreditCode
	IDNumber   string // 居民身份证号; never published unmasked
	LegalRep   string
	District   string // GB/T 2260 code of the current area
}

// Entry is one 守信红榜 or 失信黑名单 entry.
type Entry struct {
	ID              string
	List            string
	ListName        string
	SubjectID       string
	Reason          string
	Basis           string
	DecisionNo      string
	Measures        string // one measure per line
	Department      string
	Severity        string
	DecidedOn       Date
	ValidFrom       Date
	ValidTo         Date // zero: until removed
	Public          bool
	Status          string
	StatusChangedOn Date
	UpdatedAt       time.Time

	// Problems found while decoding the row (a date that is not a date, say); see Problems.
	DecodeProblems []Problem
}

// Case is a typical 守信激励 or 失信惩戒 case.
type Case struct {
	ID              string
	Kind            string
	Title           string
	Summary         string
	Body            string // Markdown written by a department: untrusted
	SubjectID       string // may be empty
	Department      string
	PublishedOn     Date
	Status          string
	StatusChangedOn Date
	UpdatedAt       time.Time

	DecodeProblems []Problem
}

// Problem says why a row cannot be interpreted, naming the column at fault.
type Problem struct {
	Field string
	Msg   string
}

func (p Problem) String() string {
	if p.Field == "" {
		return p.Msg
	}
	return p.Field + ": " + p.Msg
}

var urlSafeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidID reports whether id can be used as a URL key and a file name: [A-Za-z0-9._-]{1,64} as the contract
// says, and, so that no key is hidden or special to Hugo, starting with a letter or digit and not "index".
// An id that looks like a resident ID number, or holds one (E-211103.19970117.1175), is refused too: it
// would put a person's number in a URL.
func ValidID(id string) bool {
	return urlSafeID.MatchString(id) && !strings.EqualFold(id, "index") && !LooksLikeIDNumber(id) &&
		!ContainsIDNumber(id)
}

// checker collects the problems of one row.
type checker struct {
	ps      []Problem
	decoded []Problem // problems found while decoding; a field with one is not also "missing"
}

func newChecker(decoded []Problem) *checker {
	return &checker{ps: append([]Problem(nil), decoded...), decoded: decoded}
}

func (c *checker) add(field, format string, v any) {
	c.ps = append(c.ps, Problem{field, fmt.Sprintf(format, v)})
}

func (c *checker) id(id string) {
	if !ValidID(id) {
		c.add("id", MsgBadID, truncateForReport(id))
	}
}

func (c *checker) oneOf(field, v, format string, allowed ...string) {
	if !slices.Contains(allowed, v) {
		c.add(field, format, truncateForReport(v))
	}
}

func (c *checker) required(field, v string) {
	if strings.TrimSpace(v) == "" {
		c.ps = append(c.ps, Problem{field, MsgRequired})
	}
}

func (c *checker) requiredWhen(field string, missing bool) {
	if missing && !hasProblem(c.decoded, field) {
		c.ps = append(c.ps, Problem{field, MsgRequired})
	}
}

func (c *checker) department(code string, known func(string) bool) {
	c.required("department", code)
	if code != "" && known != nil && !known(code) {
		c.add("department", MsgUnknownDept, truncateForReport(code))
	}
}

// Problems returns every reason the entry cannot be interpreted; nil means it can. departmentKnown says
// whether a department code exists; the subject's existence is the caller's to check.
func (e *Entry) Problems(departmentKnown func(code string) bool) []Problem {
	c := newChecker(e.DecodeProblems)
	c.id(e.ID)
	c.oneOf("list", e.List, MsgUnknownList, ListRed, ListBlack)
	c.oneOf("status", e.Status, MsgUnknownStatus, StatusActive, StatusRemoved, StatusRepaired, StatusRevoked)
	if e.List == ListBlack {
		c.oneOf("severity", e.Severity, MsgUnknownSev, "", SeverityMinor, SeverityGeneral, SeveritySerious)
	}
	c.required("list_name", e.ListName)
	c.required("subject_id", e.SubjectID)
	c.required("reason", e.Reason)
	c.department(e.Department, departmentKnown)
	c.requiredWhen("decided_on", e.DecidedOn.IsZero())
	c.requiredWhen("valid_from", e.ValidFrom.IsZero())
	c.requiredWhen("updated_at", e.UpdatedAt.IsZero())
	if !e.ValidTo.IsZero() && !e.ValidFrom.IsZero() && e.ValidTo.Before(e.ValidFrom) {
		c.ps = append(c.ps, Problem{"valid_to", fmt.Sprintf(MsgValidToBefore, e.ValidTo, e.ValidFrom)})
	}
	return c.ps
}

// Problems returns every reason the case cannot be interpreted; nil means it can.
func (k *Case) Problems(departmentKnown func(code string) bool) []Problem {
	c := newChecker(k.DecodeProblems)
	c.id(k.ID)
	c.oneOf("kind", k.Kind, MsgUnknownKind, CaseReward, CasePunishment)
	c.oneOf("status", k.Status, MsgUnknownStatus, CasePublished, CaseWithdrawn)
	c.required("title", k.Title)
	c.required("summary", k.Summary)
	c.required("body", k.Body)
	c.department(k.Department, departmentKnown)
	c.requiredWhen("published_on", k.PublishedOn.IsZero())
	c.requiredWhen("updated_at", k.UpdatedAt.IsZero())
	return c.ps
}

// Problems returns every reason the subject cannot be interpreted; nil means it can. A credit code that
// fails its check is not a problem here: the database is authoritative (see CheckCreditCode).
func (s *Subject) Problems() []Problem {
	c := newChecker(nil)
	c.oneOf("kind", s.Kind, MsgUnknownKind, KindOrg, KindBusiness, KindPerson)
	c.required("name", s.Name)
	return c.ps
}

func hasProblem(ps []Problem, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

// truncateForReport keeps hostile or huge values from flooding a report; it never sees ID numbers, which
// are not quoted in problems.
func truncateForReport(s string) string {
	s = CleanLine(s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// DefaultBaseURL is the site's public address unless configured otherwise (base_url): baseURL in
// site/hugo.toml, and the base of the absolute URLs in the open-data and change files.
const DefaultBaseURL = "https://credit.panjin.gov.cn/"

// DemoBaseURL is the site's address when it is built from demo data and no base URL was configured: a
// name under .invalid (RFC 2606), which never resolves, so that no canonical link, citation, sitemap or
// download of a demo can pass for the real site's.
const DemoBaseURL = "https://credit.example.invalid/"

// BaseURL returns the site's address: configured when it is set (config base_url, XINYONG_BASE_URL or
// --base-url), else DemoBaseURL for demo data and DefaultBaseURL otherwise.
func BaseURL(configured string, demo bool) string {
	switch {
	case configured != "":
		return configured
	case demo:
		return DemoBaseURL
	}
	return DefaultBaseURL
}

// districts names Panjin's areas by GB/T 2260 code; xy_subjects.district holds one of these codes.
// Unexported so that no package can change it: read it with DistrictName and DistrictCodes.
var districts = map[string]string{
	"211100": "市本级",
	"211102": "双台子区",
	"211103": "兴隆台区",
	"211104": "大洼区",
	"211122": "盘山县",
}

// DistrictName returns the name of the Panjin area with GB/T 2260 code code, and whether code is one of
// them (the codes xy_subjects.district may hold).
func DistrictName(code string) (name string, ok bool) {
	name, ok = districts[code]
	return name, ok
}

// DistrictCodes returns the GB/T 2260 codes of Panjin's areas, sorted; the caller may change the slice.
func DistrictCodes() []string {
	return slices.Sorted(maps.Keys(districts))
}
