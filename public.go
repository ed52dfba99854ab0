package xinyong

import (
	"slices"
	"strings"
)

// Reasons an interpretable row is not public on a date. They are stable identifiers, used in the
// data-quality report; Chinese text for them lives with the report.
const (
	HiddenRemoved    = "removed"         // status removed (移出)
	HiddenRepaired   = "repaired"        // status repaired (信用修复)
	HiddenRevoked    = "revoked"         // status revoked (撤销)
	HiddenNotPublic  = "not_public"      // public flag is not 1
	HiddenNotYet     = "not_yet"         // valid_from / published_on is after the date
	HiddenExpired    = "expired"         // valid_to is before the date
	HiddenLegalMax   = "legal_max"       // past the legal maximum publication period for its severity
	HiddenWithdrawn  = "withdrawn"       // case withdrawn
	HiddenUnreadable = "unreadable"      // the row cannot be interpreted
	HiddenHonour     = "honour_withheld" // a red-list entry of a subject with a public serious black-list entry
)

// legalMaxMonths is the longest a black-list entry of a severity may be published, counted from valid_from
// (国办发〔2025〕22号; 《信用修复管理办法》, NDRC Order 36): minor 3 months, general 1 year, serious 3 years.
var legalMaxMonths = map[string]int{
	SeverityMinor:   3,
	SeverityGeneral: 12,
	SeveritySerious: 36,
}

// LegalMaxMonths returns the longest, in months from valid_from, a black-list entry of severity may be
// published, and whether severity is one of Severity*.
func LegalMaxMonths(severity string) (months int, ok bool) {
	months, ok = legalMaxMonths[severity]
	return months, ok
}

// repairMinMonths is how long a black-list entry must have been published before its subject may apply for
// credit repair (信用修复), counted from valid_from: general 3 months, serious 1 year. Minor entries may be
// repaired at once.
var repairMinMonths = map[string]int{
	SeverityMinor:   0,
	SeverityGeneral: 3,
	SeveritySerious: 12,
}

// RepairMinMonths returns how long, in months from valid_from, a black-list entry of severity must have been
// published before its subject may apply for credit repair, and whether severity is one of Severity*.
func RepairMinMonths(severity string) (months int, ok bool) {
	months, ok = repairMinMonths[severity]
	return months, ok
}

// Procedures: how a list entry ends, and whether its subject can ask for it to end early. Which one
// applies is decided per list name (Rules.Procedure), never per page.
const (
	// ProcedureAdmin is an administrative black list: 信用修复 under 《信用修复管理办法》 after the minimum
	// period of its severity, through 信用中国 or the department that decided (谁认定、谁修复); publication
	// ends at valid_to or the legal maximum of its severity, whichever comes first.
	ProcedureAdmin = "admin"
	// ProcedureCourt is a court list (失信被执行人, 限制消费人员 and the like): the court removes the entry
	// when the judgment is performed or the period it set (valid_to) ends. No 信用中国 repair, no
	// severity-based minimum or maximum.
	ProcedureCourt = "court"
	// ProcedureHonour is a red list: no repair; an honour ends at valid_to or when revoked.
	ProcedureHonour = "honour"
)

// defaultCourtLists are the black-list names removed by courts unless configured otherwise (court_lists).
var defaultCourtLists = []string{
	"失信被执行人",
	"失信被执行人名单",
	"限制消费人员",
	"限制高消费人员",
	"限制出境人员",
}

// defaultAdminLists are the administrative black-list names known unless configured otherwise
// (admin_lists): the national and provincial lists the city's plan names, and those of the demo. A black
// list in neither these nor the court lists is treated as administrative and reported, so that a
// department's new list is looked at once.
var defaultAdminLists = []string{
	"严重违法失信企业名单",
	"严重违法失信名单",
	"经营异常名录",
	"重大税收违法失信主体",
	"重大税收违法案件当事人名单",
	"拖欠农民工工资失信联合惩戒对象名单",
	"政府采购严重违法失信行为记录名单",
	"安全生产严重失信主体",
	"安全生产失信惩戒名单",
	"环境违法失信企业",
	"交通运输严重失信主体",
	"建筑市场主体严重失信名单",
	"食品安全严重违法生产经营者黑名单",
	"社会保险领域严重失信主体",
	"社会组织严重违法失信名单",
	"医疗保障领域失信主体",
	"文化和旅游市场失信主体",
}

// DefaultCourtLists returns the black-list names removed by courts unless configured otherwise
// (court_lists): a new slice on each call, which the caller may change.
func DefaultCourtLists() []string {
	return slices.Clone(defaultCourtLists)
}

// DefaultAdminLists returns the administrative black-list names known unless configured otherwise
// (admin_lists): a new slice on each call, which the caller may change.
func DefaultAdminLists() []string {
	return slices.Clone(defaultAdminLists)
}

// Rules are the publication rules that configuration can change. The zero Rules are the defaults.
type Rules struct {
	// CourtLists are the black-list names removed by courts; nil means DefaultCourtLists.
	CourtLists []string
	// AdminLists are the administrative black-list names known; nil means DefaultAdminLists.
	AdminLists []string
	// PublishConflictingHonours publishes a red-list entry even when its subject has a public serious
	// black-list entry. Off by default: the city's plan (七) revokes the honours of the seriously dishonest.
	PublishConflictingHonours bool
}

// Procedure returns how the entry ends (Procedure*), and whether its list name is known: a red list
// always is; a black list is known when configured as a court or an administrative list. An unknown
// black list is administrative.
func (r Rules) Procedure(e *Entry) (procedure string, known bool) {
	if e.List != ListBlack {
		return ProcedureHonour, true
	}
	court, admin := r.CourtLists, r.AdminLists
	if court == nil {
		court = defaultCourtLists
	}
	if admin == nil {
		admin = defaultAdminLists
	}
	name := strings.TrimSpace(e.ListName)
	if slices.Contains(court, name) {
		return ProcedureCourt, true
	}
	return ProcedureAdmin, slices.Contains(admin, name)
}

func (r Rules) admin(e *Entry) bool {
	p, _ := r.Procedure(e)
	return p == ProcedureAdmin
}

// LegalMaxEnd returns the last day on which the entry may be published under its severity's legal maximum,
// or the zero Date when no maximum applies (red list, court list, or no severity).
func (r Rules) LegalMaxEnd(e *Entry) Date {
	if !r.admin(e) || e.ValidFrom.IsZero() {
		return Date{}
	}
	months, ok := legalMaxMonths[e.Severity]
	if !ok {
		return Date{}
	}
	return e.ValidFrom.AddMonths(months)
}

// PublicUntil returns the last day the entry stays public: the earlier of valid_to and the legal maximum.
// The zero Date means no end is known: see NoEnd for black-list entries.
func (r Rules) PublicUntil(e *Entry) Date {
	return MinDate(e.ValidTo, r.LegalMaxEnd(e))
}

// NoEnd reports whether a black-list entry has neither a severity nor a valid_to, so that nothing in the
// data says when its publication ends. The department is told (data-quality report) and its page says the
// period has not been set; it is never described as published "until removed".
func (r Rules) NoEnd(e *Entry) bool {
	return e.List == ListBlack && e.Severity == "" && e.ValidTo.IsZero()
}

// RepairFrom returns the first day on which credit repair may be requested for an administrative
// black-list entry with a severity, or the zero Date when the rule does not apply (red and court lists
// are never repaired through 信用修复).
func (r Rules) RepairFrom(e *Entry) Date {
	if !r.admin(e) || e.ValidFrom.IsZero() {
		return Date{}
	}
	months, ok := repairMinMonths[e.Severity]
	if !ok {
		return Date{}
	}
	if months == 0 {
		return e.ValidFrom
	}
	return e.ValidFrom.AddMonths(months).AddDays(1)
}

// PublicOn decides whether an interpretable entry is public on day d, as the contract says: status active,
// public flag 1, valid_from <= d, d <= valid_to when set, and, for an administrative black-list entry with
// a severity, d within its legal maximum. It returns "" when public, otherwise the Hidden* reason. Check
// Problems first: PublicOn does not look at malformed fields. It decides an entry on its own; whether a
// public red-list entry is withheld because of its subject's other entries is WithheldBy.
func (r Rules) PublicOn(e *Entry, d Date) string {
	switch e.Status {
	case StatusActive:
	case StatusRemoved:
		return HiddenRemoved
	case StatusRepaired:
		return HiddenRepaired
	case StatusRevoked:
		return HiddenRevoked
	default:
		return HiddenUnreadable
	}
	if !e.Public {
		return HiddenNotPublic
	}
	if e.ValidFrom.IsZero() {
		return HiddenUnreadable
	}
	if d.Before(e.ValidFrom) {
		return HiddenNotYet
	}
	if !e.ValidTo.IsZero() && d.After(e.ValidTo) {
		return HiddenExpired
	}
	if end := r.LegalMaxEnd(e); !end.IsZero() && d.After(end) {
		return HiddenLegalMax
	}
	return ""
}

// WithheldBy returns the entry that withholds the honour red on day d, or nil: a public serious black-list
// entry among its subject's entries (the city's plan, 七: the honours of seriously dishonest subjects are
// revoked and they may not be held up as models). Both red and the others must be entries of one subject
// that PublicOn found public on d. With PublishConflictingHonours set it always returns nil.
func (r Rules) WithheldBy(red *Entry, public []*Entry) *Entry {
	if red.List != ListRed || r.PublishConflictingHonours {
		return nil
	}
	for _, b := range public {
		if b.List == ListBlack && b.Severity == SeveritySerious && b.SubjectID == red.SubjectID {
			return b
		}
	}
	return nil
}

// PublicOn decides whether a case is public on day d: published and published_on <= d. It returns "" when
// public, otherwise the Hidden* reason; a withdrawn case keeps its URL with a notice (see Notice).
func (c *Case) PublicOn(d Date) string {
	switch c.Status {
	case CasePublished:
	case CaseWithdrawn:
		return HiddenWithdrawn
	default:
		return HiddenUnreadable
	}
	if c.PublishedOn.IsZero() {
		return HiddenUnreadable
	}
	if d.Before(c.PublishedOn) {
		return HiddenNotYet
	}
	return ""
}

// Notice reports whether a withdrawn case gets a withdrawal notice at its URL on day d. Only a case that
// could have been published before (published_on <= d) has a URL to keep; a case withdrawn before it was
// ever due is not mentioned at all.
func (c *Case) Notice(d Date) bool {
	return c.Status == CaseWithdrawn && !c.PublishedOn.IsZero() && !d.Before(c.PublishedOn)
}

// WithdrawnOn returns the date a withdrawn case was withdrawn: status_changed_on, or, when the database
// left it empty, the day of its last update.
func (c *Case) WithdrawnOn() Date {
	if !c.StatusChangedOn.IsZero() {
		return c.StatusChangedOn
	}
	if !c.UpdatedAt.IsZero() {
		return DateOf(c.UpdatedAt)
	}
	return Date{}
}

// CaseMayName reports whether a case page (and everything made from it: its structured data, search
// document, open-data row and feed item) may name the case's subject s, by name, credit code or link,
// beyond what the department wrote in the case itself. Only while s has a public subject page
// (subjectPage), so that a case does not keep naming a subject whose entries ended or were repaired; and
// never a natural person: a department that anonymised a case (「常某某……」) must not see the site undo it.
func CaseMayName(s *Subject, subjectPage bool) bool {
	return s != nil && s.Kind != KindPerson && subjectPage
}
