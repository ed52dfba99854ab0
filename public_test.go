package xinyong_test

import (
	"testing"

	"xinyong"
)

var d = xinyong.NewDate

func TestRules_Procedure(t *testing.T) {
	tests := []struct {
		rules     xinyong.Rules
		list      string
		name      string
		procedure string
		known     bool
	}{
		{xinyong.Rules{}, xinyong.ListRed, "守信激励对象", xinyong.ProcedureHonour, true},
		{xinyong.Rules{}, xinyong.ListRed, "任何红榜", xinyong.ProcedureHonour, true},
		{xinyong.Rules{}, xinyong.ListBlack, "失信被执行人", xinyong.ProcedureCourt, true},
		{xinyong.Rules{}, xinyong.ListBlack, " 限制消费人员 ", xinyong.ProcedureCourt, true},
		{xinyong.Rules{}, xinyong.ListBlack, "严重违法失信企业名单", xinyong.ProcedureAdmin, true},
		{xinyong.Rules{}, xinyong.ListBlack, "新设的名单", xinyong.ProcedureAdmin, false},
		{xinyong.Rules{CourtLists: []string{}}, xinyong.ListBlack, "失信被执行人", xinyong.ProcedureAdmin, false},
		{xinyong.Rules{CourtLists: []string{"某法院名单"}}, xinyong.ListBlack, "某法院名单", xinyong.ProcedureCourt, true},
		{xinyong.Rules{AdminLists: []string{"新设的名单"}}, xinyong.ListBlack, "新设的名单", xinyong.ProcedureAdmin, true},
	}
	for _, tt := range tests {
		p, known := tt.rules.Procedure(&xinyong.Entry{List: tt.list, ListName: tt.name})
		if p != tt.procedure || known != tt.known {
			t.Errorf("%+v: Procedure(%s %q) = %s, %v; want %s, %v", tt.rules, tt.list, tt.name, p, known, tt.procedure, tt.known)
		}
	}
}

// TestRules_Dates: the legal maximum and the repair date belong to administrative black lists only; a court
// list ends at valid_to and an honour is never repaired.
func TestRules_Dates(t *testing.T) {
	var r xinyong.Rules
	from := d(2024, 1, 1)
	tests := []struct {
		name                    string
		e                       xinyong.Entry
		legalMax, until, repair xinyong.Date
		publicOn                xinyong.Date
		wantPublic              string
		noEnd                   bool
	}{
		{"admin serious", xinyong.Entry{List: "black", ListName: "严重违法失信企业名单", Severity: "serious"},
			d(2027, 1, 1), d(2027, 1, 1), d(2025, 1, 2), d(2027, 1, 2), xinyong.HiddenLegalMax, false},
		{"admin serious, valid_to first", xinyong.Entry{List: "black", ListName: "严重违法失信企业名单", Severity: "serious", ValidTo: d(2025, 6, 30)},
			d(2027, 1, 1), d(2025, 6, 30), d(2025, 1, 2), d(2025, 7, 1), xinyong.HiddenExpired, false},
		{"admin minor: repair at once", xinyong.Entry{List: "black", ListName: "经营异常名录", Severity: "minor"},
			d(2024, 4, 1), d(2024, 4, 1), from, d(2024, 4, 1), "", false},
		{"admin without severity or end", xinyong.Entry{List: "black", ListName: "经营异常名录"},
			xinyong.Date{}, xinyong.Date{}, xinyong.Date{}, d(2030, 1, 1), "", true},
		{"court serious: no legal maximum, no repair", xinyong.Entry{List: "black", ListName: "失信被执行人", Severity: "serious"},
			xinyong.Date{}, xinyong.Date{}, xinyong.Date{}, d(2030, 1, 1), "", false},
		{"court with the court's period", xinyong.Entry{List: "black", ListName: "失信被执行人", Severity: "serious", ValidTo: d(2026, 1, 1)},
			xinyong.Date{}, d(2026, 1, 1), xinyong.Date{}, d(2026, 1, 2), xinyong.HiddenExpired, false},
		{"court without severity or end", xinyong.Entry{List: "black", ListName: "失信被执行人"},
			xinyong.Date{}, xinyong.Date{}, xinyong.Date{}, d(2030, 1, 1), "", true},
		{"honour with a severity by mistake", xinyong.Entry{List: "red", ListName: "守信激励对象", Severity: "serious"},
			xinyong.Date{}, xinyong.Date{}, xinyong.Date{}, d(2030, 1, 1), "", false},
	}
	for _, tt := range tests {
		e := tt.e
		e.ValidFrom, e.Status, e.Public = from, xinyong.StatusActive, true
		if got := r.LegalMaxEnd(&e); got != tt.legalMax {
			t.Errorf("%s: LegalMaxEnd = %s, want %s", tt.name, got, tt.legalMax)
		}
		if got := r.PublicUntil(&e); got != tt.until {
			t.Errorf("%s: PublicUntil = %s, want %s", tt.name, got, tt.until)
		}
		if got := r.RepairFrom(&e); got != tt.repair {
			t.Errorf("%s: RepairFrom = %s, want %s", tt.name, got, tt.repair)
		}
		if got := r.PublicOn(&e, tt.publicOn); got != tt.wantPublic {
			t.Errorf("%s: PublicOn(%s) = %q, want %q", tt.name, tt.publicOn, got, tt.wantPublic)
		}
		if got := r.NoEnd(&e); got != tt.noEnd {
			t.Errorf("%s: NoEnd = %v, want %v", tt.name, got, tt.noEnd)
		}
	}
}

func TestRules_WithheldBy(t *testing.T) {
	red := &xinyong.Entry{ID: "R", List: "red", SubjectID: "S"}
	serious := &xinyong.Entry{ID: "B1", List: "black", SubjectID: "S", Severity: "serious"}
	general := &xinyong.Entry{ID: "B2", List: "black", SubjectID: "S", Severity: "general"}
	other := &xinyong.Entry{ID: "B3", List: "black", SubjectID: "T", Severity: "serious"}
	tests := []struct {
		name   string
		rules  xinyong.Rules
		entry  *xinyong.Entry
		public []*xinyong.Entry
		want   *xinyong.Entry
	}{
		{"serious black withholds the honour", xinyong.Rules{}, red, []*xinyong.Entry{general, red, serious}, serious},
		{"a general black does not", xinyong.Rules{}, red, []*xinyong.Entry{general, red}, nil},
		{"another subject's does not", xinyong.Rules{}, red, []*xinyong.Entry{other, red}, nil},
		{"configured to publish anyway", xinyong.Rules{PublishConflictingHonours: true}, red, []*xinyong.Entry{serious, red}, nil},
		{"a black entry is never withheld", xinyong.Rules{}, general, []*xinyong.Entry{serious, general}, nil},
	}
	for _, tt := range tests {
		if got := tt.rules.WithheldBy(tt.entry, tt.public); got != tt.want {
			t.Errorf("%s: WithheldBy = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCaseMayName(t *testing.T) {
	org := &xinyong.Subject{Kind: xinyong.KindOrg}
	business := &xinyong.Subject{Kind: xinyong.KindBusiness}
	person := &xinyong.Subject{Kind: xinyong.KindPerson}
	tests := []struct {
		s    *xinyong.Subject
		page bool
		want bool
	}{
		{org, true, true},
		{business, true, true},
		{org, false, false},
		{business, false, false},
		{person, true, false},
		{person, false, false},
		{nil, true, false},
	}
	for _, tt := range tests {
		if got := xinyong.CaseMayName(tt.s, tt.page); got != tt.want {
			t.Errorf("CaseMayName(%+v, page %v) = %v, want %v", tt.s, tt.page, got, tt.want)
		}
	}
}
