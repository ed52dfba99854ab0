package generator

import "fmt"

// Typed views of the pages the later stages read (the downloads, the change record, rollback), defined
// here so that their field names sit next to the code that writes the keys (export.go; docs/export.md).
// Each is read with ReadPage; a key of the wrong type is an error, a missing key is the zero value (the
// export leaves out empty values).

// SubjectBlock is the subject: mapping of an entry page (all of it) or of a case page (id, kind, name,
// credit_code and key: the subject a case may name).
type SubjectBlock struct {
	Key             string
	ID              string
	Kind            string
	Name            string
	CreditCode      string
	CreditCodeValid bool
	IDNumber        string // masked
	LegalRep        string
	District        string
	DistrictName    string
}

// DepartmentBlock is the department: mapping of an entry page or a case page.
type DepartmentBlock struct {
	Code       string
	Name       string
	CreditCode string
	Phone      string
}

// EntryPage is red/<id>.md or black/<id>.md.
type EntryPage struct {
	Title       string
	Description string
	Date        string
	Lastmod     string
	ID          string
	List        string
	ListName    string
	Procedure   string
	Subject     SubjectBlock
	Reason      string
	Basis       string
	DecisionNo  string
	Measures    []string
	Department  DepartmentBlock
	Severity    string
	DecidedOn   string
	ValidFrom   string
	ValidTo     string
	LegalMaxEnd string
	PublicUntil string
	RepairFrom  string
	UpdatedAt   string
	NoIndex     bool
	Withdrawn   bool // never written for entries; read so that a notice is never taken for an entry
}

// CasePage is cases/<id>.md: a case, or a withdrawal notice (Withdrawn, WithdrawnOn, Title and ID only).
type CasePage struct {
	Title       string
	Description string
	Date        string
	Lastmod     string
	ID          string
	Kind        string
	Abstract    string
	Department  DepartmentBlock
	PublishedOn string
	UpdatedAt   string
	NoIndex     bool
	Subject     SubjectBlock // zero when the case names no subject
	Withdrawn   bool
	WithdrawnOn string
}

// HomePage is the tree's _index.md, as far as the later stages read it.
type HomePage struct {
	Title       string
	Demo        bool
	AsOf        string
	DataVersion string
	DataUpdated string
}

// ReadEntryPage reads an entry page written by the export.
func ReadEntryPage(page []byte) (*EntryPage, error) {
	fm, _, err := ReadPage(page)
	if err != nil {
		return nil, err
	}
	var e EntryPage
	var t typed
	t.str(fm, "title", &e.Title)
	t.str(fm, "description", &e.Description)
	t.str(fm, "date", &e.Date)
	t.str(fm, "lastmod", &e.Lastmod)
	t.str(fm, "id", &e.ID)
	t.str(fm, "list", &e.List)
	t.str(fm, "list_name", &e.ListName)
	t.str(fm, "procedure", &e.Procedure)
	t.subject(fm, &e.Subject)
	t.str(fm, "reason", &e.Reason)
	t.str(fm, "basis", &e.Basis)
	t.str(fm, "decision_no", &e.DecisionNo)
	take(&t, fm, "measures", &e.Measures)
	t.department(fm, &e.Department)
	t.str(fm, "severity", &e.Severity)
	t.str(fm, "decided_on", &e.DecidedOn)
	t.str(fm, "valid_from", &e.ValidFrom)
	t.str(fm, "valid_to", &e.ValidTo)
	t.str(fm, "legal_max_end", &e.LegalMaxEnd)
	t.str(fm, "public_until", &e.PublicUntil)
	t.str(fm, "repair_from", &e.RepairFrom)
	t.str(fm, "updated_at", &e.UpdatedAt)
	take(&t, fm, "noindex", &e.NoIndex)
	take(&t, fm, "withdrawn", &e.Withdrawn)
	if t.err != nil {
		return nil, t.err
	}
	return &e, nil
}

// ReadCasePage reads a case page or a withdrawal notice written by the export.
func ReadCasePage(page []byte) (*CasePage, error) {
	fm, _, err := ReadPage(page)
	if err != nil {
		return nil, err
	}
	var c CasePage
	var t typed
	t.str(fm, "title", &c.Title)
	t.str(fm, "description", &c.Description)
	t.str(fm, "date", &c.Date)
	t.str(fm, "lastmod", &c.Lastmod)
	t.str(fm, "id", &c.ID)
	t.str(fm, "kind", &c.Kind)
	t.str(fm, "abstract", &c.Abstract)
	t.department(fm, &c.Department)
	t.str(fm, "published_on", &c.PublishedOn)
	t.str(fm, "updated_at", &c.UpdatedAt)
	take(&t, fm, "noindex", &c.NoIndex)
	t.subject(fm, &c.Subject)
	take(&t, fm, "withdrawn", &c.Withdrawn)
	t.str(fm, "withdrawn_on", &c.WithdrawnOn)
	if t.err != nil {
		return nil, t.err
	}
	return &c, nil
}

// ReadHomePage reads the top-level keys of the tree's _index.md that the later stages use.
func ReadHomePage(page []byte) (*HomePage, error) {
	fm, err := ReadKeys(page, "title", "demo", "as_of", "data_version", "data_updated")
	if err != nil {
		return nil, err
	}
	var h HomePage
	var t typed
	t.str(fm, "title", &h.Title)
	take(&t, fm, "demo", &h.Demo)
	t.str(fm, "as_of", &h.AsOf)
	t.str(fm, "data_version", &h.DataVersion)
	t.str(fm, "data_updated", &h.DataUpdated)
	if t.err != nil {
		return nil, t.err
	}
	return &h, nil
}

// typed fills a view from Fields, keeping the first key of the wrong type as its error.
type typed struct{ err error }

func (t *typed) str(fm Fields, key string, dst *string) { take(t, fm, key, dst) }

func (t *typed) subject(fm Fields, s *SubjectBlock) {
	var m Fields
	if take(t, fm, "subject", &m); m == nil {
		return
	}
	t.str(m, "key", &s.Key)
	t.str(m, "id", &s.ID)
	t.str(m, "kind", &s.Kind)
	t.str(m, "name", &s.Name)
	t.str(m, "credit_code", &s.CreditCode)
	take(t, m, "credit_code_valid", &s.CreditCodeValid)
	t.str(m, "id_number", &s.IDNumber)
	t.str(m, "legal_rep", &s.LegalRep)
	t.str(m, "district", &s.District)
	t.str(m, "district_name", &s.DistrictName)
}

func (t *typed) department(fm Fields, d *DepartmentBlock) {
	var m Fields
	if take(t, fm, "department", &m); m == nil {
		return
	}
	t.str(m, "code", &d.Code)
	t.str(m, "name", &d.Name)
	t.str(m, "credit_code", &d.CreditCode)
	t.str(m, "phone", &d.Phone)
}

// take sets *dst to the value of key when the mapping has it, and records an error when it is of another
// type.
func take[T any](t *typed, fm Fields, key string, dst *T) {
	v, ok := fm.Get(key)
	if !ok {
		return
	}
	x, ok := v.(T)
	if !ok {
		if t.err == nil {
			t.err = fmt.Errorf("front matter key %s: %s, want %s", key, typeName(v), typeName(*dst))
		}
		return
	}
	*dst = x
}

// typeName names a front matter value's type as the page shows it.
func typeName(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case bool:
		return "true or false"
	case int:
		return "an integer"
	case []string:
		return "a list of strings"
	case Fields:
		return "a mapping"
	case []Fields:
		return "a list of mappings"
	}
	return fmt.Sprintf("%T", v)
}
