// Package xinyong holds the domain of 信用盘锦: subjects, list entries and cases, the rule that decides what
// is public on a date, and the checks and masking of credit codes and ID numbers. It does no I/O.
package xinyong

import (
	"fmt"
	"regexp"
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
// An id that looks like a resident ID number is refused too: it would put a person's number in a URL.
func ValidID(id string) bool {
	return urlSafeID.MatchString(id) && !strings.EqualFold(id, "index") && !LooksLikeIDNumber(id)
}

func required(ps []Problem, field, v string) []Problem {
	if strings.TrimSpace(v) == "" {
		ps = append(ps, Problem{field, MsgRequired})
	}
	return ps
}

// Problems returns every reason the entry cannot be interpreted; nil means it can. departmentKnown says
// whether a department code exists; the subject's existence is the caller's to check.
func (e *Entry) Problems(departmentKnown func(code string) bool) []Problem {
	ps := append([]Problem(nil), e.DecodeProblems...)
	if !ValidID(e.ID) {
		ps = append(ps, Problem{"id", fmt.Sprintf(MsgBadID, truncateForReport(e.ID))})
	}
	switch e.List {
	case ListRed, ListBlack:
	default:
		ps = append(ps, Problem{"list", fmt.Sprintf(MsgUnknownList, truncateForReport(e.List))})
	}
	switch e.Status {
	case StatusActive, StatusRemoved, StatusRepaired, StatusRevoked:
	default:
		ps = append(ps, Problem{"status", fmt.Sprintf(MsgUnknownStatus, truncateForReport(e.Status))})
	}
	if e.List == ListBlack {
		switch e.Severity {
		case "", SeverityMinor, SeverityGeneral, SeveritySerious:
		default:
			ps = append(ps, Problem{"severity", fmt.Sprintf(MsgUnknownSev, truncateForReport(e.Severity))})
		}
	}
	ps = required(ps, "list_name", e.ListName)
	ps = required(ps, "subject_id", e.SubjectID)
	ps = required(ps, "reason", e.Reason)
	ps = required(ps, "department", e.Department)
	if e.Department != "" && departmentKnown != nil && !departmentKnown(e.Department) {
		ps = append(ps, Problem{"department", fmt.Sprintf(MsgUnknownDept, truncateForReport(e.Department))})
	}
	if e.DecidedOn.IsZero() && !hasProblem(e.DecodeProblems, "decided_on") {
		ps = append(ps, Problem{"decided_on", MsgRequired})
	}
	if e.ValidFrom.IsZero() && !hasProblem(e.DecodeProblems, "valid_from") {
		ps = append(ps, Problem{"valid_from", MsgRequired})
	}
	if e.UpdatedAt.IsZero() && !hasProblem(e.DecodeProblems, "updated_at") {
		ps = append(ps, Problem{"updated_at", MsgRequired})
	}
	if !e.ValidTo.IsZero() && !e.ValidFrom.IsZero() && e.ValidTo.Before(e.ValidFrom) {
		ps = append(ps, Problem{"valid_to", fmt.Sprintf(MsgValidToBefore, e.ValidTo, e.ValidFrom)})
	}
	return ps
}

// Problems returns every reason the case cannot be interpreted; nil means it can.
func (c *Case) Problems(departmentKnown func(code string) bool) []Problem {
	ps := append([]Problem(nil), c.DecodeProblems...)
	if !ValidID(c.ID) {
		ps = append(ps, Problem{"id", fmt.Sprintf(MsgBadID, truncateForReport(c.ID))})
	}
	switch c.Kind {
	case CaseReward, CasePunishment:
	default:
		ps = append(ps, Problem{"kind", fmt.Sprintf(MsgUnknownKind, truncateForReport(c.Kind))})
	}
	switch c.Status {
	case CasePublished, CaseWithdrawn:
	default:
		ps = append(ps, Problem{"status", fmt.Sprintf(MsgUnknownStatus, truncateForReport(c.Status))})
	}
	ps = required(ps, "title", c.Title)
	ps = required(ps, "summary", c.Summary)
	ps = required(ps, "body", c.Body)
	ps = required(ps, "department", c.Department)
	if c.Department != "" && departmentKnown != nil && !departmentKnown(c.Department) {
		ps = append(ps, Problem{"department", fmt.Sprintf(MsgUnknownDept, truncateForReport(c.Department))})
	}
	if c.PublishedOn.IsZero() && !hasProblem(c.DecodeProblems, "published_on") {
		ps = append(ps, Problem{"published_on", MsgRequired})
	}
	if c.UpdatedAt.IsZero() && !hasProblem(c.DecodeProblems, "updated_at") {
		ps = append(ps, Problem{"updated_at", MsgRequired})
	}
	return ps
}

// Problems returns every reason the subject cannot be interpreted; nil means it can. A credit code that
// fails its check is not a problem here: the database is authoritative (see CheckCreditCode).
func (s *Subject) Problems() []Problem {
	var ps []Problem
	switch s.Kind {
	case KindOrg, KindBusiness, KindPerson:
	default:
		ps = append(ps, Problem{"kind", fmt.Sprintf(MsgUnknownKind, truncateForReport(s.Kind))})
	}
	ps = required(ps, "name", s.Name)
	return ps
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

// Districts names Panjin's areas by GB/T 2260 code; xy_subjects.district holds one of these codes.
var Districts = map[string]string{
	"211100": "市本级",
	"211102": "双台子区",
	"211103": "兴隆台区",
	"211104": "大洼区",
	"211122": "盘山县",
}
