package xinyong

// Reasons an interpretable row is not public on a date. They are stable identifiers, used in the
// data-quality report; Chinese text for them lives with the report.
const (
	HiddenRemoved    = "removed"    // status removed (移出)
	HiddenRepaired   = "repaired"   // status repaired (信用修复)
	HiddenRevoked    = "revoked"    // status revoked (撤销)
	HiddenNotPublic  = "not_public" // public flag is not 1
	HiddenNotYet     = "not_yet"    // valid_from / published_on is after the date
	HiddenExpired    = "expired"    // valid_to is before the date
	HiddenLegalMax   = "legal_max"  // past the legal maximum publication period for its severity
	HiddenWithdrawn  = "withdrawn"  // case withdrawn
	HiddenUnreadable = "unreadable" // the row cannot be interpreted
)

// LegalMaxMonths is the longest a black-list entry of a severity may be published, counted from valid_from
// (国办发〔2025〕22号; 《信用修复管理办法》, NDRC Order 36): minor 3 months, general 1 year, serious 3 years.
var LegalMaxMonths = map[string]int{
	SeverityMinor:   3,
	SeverityGeneral: 12,
	SeveritySerious: 36,
}

// RepairMinMonths is how long a black-list entry must have been published before its subject may apply for
// credit repair (信用修复), counted from valid_from: general 3 months, serious 1 year. Minor entries may be
// repaired at once.
var RepairMinMonths = map[string]int{
	SeverityMinor:   0,
	SeverityGeneral: 3,
	SeveritySerious: 12,
}

// LegalMaxEnd returns the last day on which the entry may be published under its severity's legal maximum,
// or the zero Date when no maximum applies (red list, or no severity).
func (e *Entry) LegalMaxEnd() Date {
	if e.List != ListBlack || e.ValidFrom.IsZero() {
		return Date{}
	}
	months, ok := LegalMaxMonths[e.Severity]
	if !ok {
		return Date{}
	}
	return e.ValidFrom.AddMonths(months)
}

// PublicUntil returns the last day the entry stays public: the earlier of valid_to and the legal maximum.
// The zero Date means "until removed".
func (e *Entry) PublicUntil() Date {
	return MinDate(e.ValidTo, e.LegalMaxEnd())
}

// RepairFrom returns the first day on which credit repair may be requested for a black-list entry with a
// severity, or the zero Date when the rule does not apply.
func (e *Entry) RepairFrom() Date {
	if e.List != ListBlack || e.ValidFrom.IsZero() {
		return Date{}
	}
	months, ok := RepairMinMonths[e.Severity]
	if !ok {
		return Date{}
	}
	if months == 0 {
		return e.ValidFrom
	}
	return e.ValidFrom.AddMonths(months).AddDays(1)
}

// PublicOn decides whether an interpretable entry is public on day d, as the contract says: status active,
// public flag 1, valid_from <= d, d <= valid_to when set, and d within the legal maximum for a black-list
// entry's severity. It returns "" when public, otherwise the Hidden* reason. Check Problems first: PublicOn
// does not look at malformed fields.
func (e *Entry) PublicOn(d Date) string {
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
	if end := e.LegalMaxEnd(); !end.IsZero() && d.After(end) {
		return HiddenLegalMax
	}
	return ""
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
