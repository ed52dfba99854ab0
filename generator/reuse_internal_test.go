package generator

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"xinyong"
)

// TestDigest_EveryInput: the digest of an entry page changes with the program, the rules and every field
// of its row, and with the digests of its subject and department; the same inputs give the same digest.
func TestDigest_EveryInput(t *testing.T) {
	en := xinyong.Entry{ID: "E1", List: "black", ListName: "失信被执行人", SubjectID: "S1", Reason: "r", Basis: "b",
		DecisionNo: "d", Measures: "m", Department: "fy", Severity: "serious", DecidedOn: xinyong.NewDate(2026, 1, 2),
		ValidFrom: xinyong.NewDate(2026, 1, 3), ValidTo: xinyong.NewDate(2027, 1, 3), Public: true, Status: "active",
		UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, xinyong.Shanghai)}
	var subj, dept [32]byte
	subj[0], dept[0] = 1, 2
	d := newDigester("prog", xinyong.Rules{})
	want := d.entry(&en, &subj, &dept)
	if again := newDigester("prog", xinyong.Rules{}).entry(&en, &subj, &dept); again != want {
		t.Fatal("the same inputs give another digest")
	}
	other := map[string][32]byte{}
	add := func(name string, got [32]byte) {
		if got == want {
			t.Errorf("%s: the digest did not change", name)
		}
		for n, g := range other {
			if g == got {
				t.Errorf("%s and %s give the same digest", name, n)
			}
		}
		other[name] = got
	}
	add("program", newDigester("prog2", xinyong.Rules{}).entry(&en, &subj, &dept))
	add("court lists", newDigester("prog", xinyong.Rules{CourtLists: []string{"x"}}).entry(&en, &subj, &dept))
	add("admin lists empty", newDigester("prog", xinyong.Rules{AdminLists: []string{}}).entry(&en, &subj, &dept))
	add("honours", newDigester("prog", xinyong.Rules{PublishConflictingHonours: true}).entry(&en, &subj, &dept))
	var subj2, dept2 [32]byte
	subj2[0], dept2[0] = 2, 1
	add("subject", d.entry(&en, &subj2, &dept))
	add("department", d.entry(&en, &subj, &dept2))
	for name, change := range map[string]func(e *xinyong.Entry){
		"id": func(e *xinyong.Entry) { e.ID = "E2" }, "list": func(e *xinyong.Entry) { e.List = "red" },
		"list_name": func(e *xinyong.Entry) { e.ListName += "x" }, "subject_id": func(e *xinyong.Entry) { e.SubjectID = "S2" },
		"reason": func(e *xinyong.Entry) { e.Reason += "x" }, "basis": func(e *xinyong.Entry) { e.Basis += "x" },
		"decision_no": func(e *xinyong.Entry) { e.DecisionNo += "x" }, "measures": func(e *xinyong.Entry) { e.Measures += "x" },
		"department": func(e *xinyong.Entry) { e.Department = "gs" }, "severity": func(e *xinyong.Entry) { e.Severity = "general" },
		"decided_on":        func(e *xinyong.Entry) { e.DecidedOn = xinyong.NewDate(2026, 1, 1) },
		"valid_from":        func(e *xinyong.Entry) { e.ValidFrom = xinyong.NewDate(2026, 1, 4) },
		"valid_to":          func(e *xinyong.Entry) { e.ValidTo = xinyong.Date{} },
		"public":            func(e *xinyong.Entry) { e.Public = false },
		"status":            func(e *xinyong.Entry) { e.Status = "repaired" },
		"status_changed_on": func(e *xinyong.Entry) { e.StatusChangedOn = xinyong.NewDate(2026, 6, 1) },
		"updated_at":        func(e *xinyong.Entry) { e.UpdatedAt = e.UpdatedAt.Add(time.Nanosecond) },
		"fields shifted":    func(e *xinyong.Entry) { e.Reason, e.Basis = "rb", "" },
	} {
		c := en
		change(&c)
		add(name, d.entry(&c, &subj, &dept))
	}
	s := xinyong.Subject{ID: "S1", Kind: "org", Name: "n", CreditCode: "c", LegalRep: "l", District: "211102"}
	ws := d.subject(&s)
	for name, change := range map[string]func(s *xinyong.Subject){
		"id": func(s *xinyong.Subject) { s.ID = "S2" }, "kind": func(s *xinyong.Subject) { s.Kind = "person" },
		"name": func(s *xinyong.Subject) { s.Name += "x" }, "credit_code": func(s *xinyong.Subject) { s.CreditCode += "x" },
		"id_number": func(s *xinyong.Subject) { s.IDNumber = "x" }, "legal_rep": func(s *xinyong.Subject) { s.LegalRep += "x" },
		"district": func(s *xinyong.Subject) { s.District = "211103" },
	} {
		c := s
		change(&c)
		if d.subject(&c) == ws {
			t.Errorf("subject %s: the digest did not change", name)
		}
	}
	dep := xinyong.Department{Code: "fy", Name: "n", CreditCode: "c", Phone: "p"}
	wd := d.department(&dep)
	for name, change := range map[string]func(d *xinyong.Department){
		"code": func(d *xinyong.Department) { d.Code = "gs" }, "name": func(d *xinyong.Department) { d.Name += "x" },
		"credit_code": func(d *xinyong.Department) { d.CreditCode += "x" }, "phone": func(d *xinyong.Department) { d.Phone += "x" },
	} {
		c := dep
		change(&c)
		if d.department(&c) == wd {
			t.Errorf("department %s: the digest did not change", name)
		}
	}
	e1, e2 := d.entry(&en, &subj, &dept), d.entry(&en, &subj2, &dept)
	sp := d.subjectPage(&subj, [][32]byte{e1, e2})
	for name, got := range map[string][32]byte{
		"entries reordered": d.subjectPage(&subj, [][32]byte{e2, e1}),
		"an entry fewer":    d.subjectPage(&subj, [][32]byte{e1}),
		"another subject":   d.subjectPage(&subj2, [][32]byte{e1, e2}),
		"another program":   newDigester("prog2", xinyong.Rules{}).subjectPage(&subj, [][32]byte{e1, e2}),
	} {
		if got == sp {
			t.Errorf("subject page, %s: the digest did not change", name)
		}
	}
	c := xinyong.Case{ID: "C1", Kind: "black", Title: "t", Summary: "s", Body: "b", SubjectID: "S1", Department: "fy",
		PublishedOn: xinyong.NewDate(2026, 1, 2), Status: "published", UpdatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, xinyong.Shanghai)}
	wc := d.casePage(&c, &s, true, &dept)
	if again := newDigester("prog", xinyong.Rules{}).casePage(&c, &s, true, &dept); again != wc {
		t.Fatal("the same case gives another digest")
	}
	s2 := s
	s2.Name += "x"
	for name, got := range map[string][32]byte{
		"no subject page": d.casePage(&c, &s, false, &dept),
		"no subject":      d.casePage(&c, nil, false, &dept),
		"subject renamed": d.casePage(&c, &s2, true, &dept),
		"department":      d.casePage(&c, &s, true, &dept2),
		"program":         newDigester("prog2", xinyong.Rules{}).casePage(&c, &s, true, &dept),
	} {
		if got == wc {
			t.Errorf("case, %s: the digest did not change", name)
		}
	}
	for name, change := range map[string]func(c *xinyong.Case){
		"id": func(c *xinyong.Case) { c.ID = "C2" }, "kind": func(c *xinyong.Case) { c.Kind = "red" },
		"title": func(c *xinyong.Case) { c.Title += "x" }, "summary": func(c *xinyong.Case) { c.Summary += "x" },
		"body": func(c *xinyong.Case) { c.Body += "x" }, "subject_id": func(c *xinyong.Case) { c.SubjectID = "S2" },
		"department":        func(c *xinyong.Case) { c.Department = "gs" },
		"published_on":      func(c *xinyong.Case) { c.PublishedOn = xinyong.NewDate(2026, 1, 3) },
		"status":            func(c *xinyong.Case) { c.Status = "withdrawn" },
		"status_changed_on": func(c *xinyong.Case) { c.StatusChangedOn = xinyong.NewDate(2026, 1, 3) },
		"updated_at":        func(c *xinyong.Case) { c.UpdatedAt = c.UpdatedAt.Add(time.Second) },
	} {
		k := c
		change(&k)
		if d.casePage(&k, &s, true, &dept) == wc {
			t.Errorf("case %s: the digest did not change", name)
		}
	}
}

// TestPagesFile_Lookup: every page of a pages file of many paths (prefixes of one another, differing in
// one byte) is found by its path with its digest and only so; a missing path or another digest finds
// nothing; a file naming a path twice is refused.
func TestPagesFile_Lookup(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for i := range 3000 {
		paths = append(paths, fmt.Sprintf("black/E%d.md", i), fmt.Sprintf("black/E%d.mdx", i))
	}
	digest := func(p string) [sha256.Size]byte { return sha256.Sum256([]byte("digest " + p)) }
	write := func(name string, paths []string) string {
		name = filepath.Join(dir, name)
		w, err := createPages(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			d, page := digest(p), []byte("page "+p)
			sum := sha256.Sum256(page)
			w.add(&d, p, page, &sum)
		}
		if err := w.close("", nil); err != nil {
			t.Fatal(err)
		}
		return name
	}
	pf, err := openPages(write("pages", paths))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.close()
	for _, p := range paths {
		d := digest(p)
		page, sum, ok := pf.lookup(p, &d)
		if !ok || string(page) != "page "+p || *sum != sha256.Sum256(page) {
			t.Fatalf("%s: %q %v", p, page, ok)
		}
		other := digest(p + "x")
		if _, _, ok := pf.lookup(p, &other); ok {
			t.Errorf("%s found with another digest", p)
		}
	}
	for _, p := range []string{"black/E1.m", "black/E3000.md", "black/E1.mdxx", ""} {
		d := digest(p)
		if _, _, ok := pf.lookup(p, &d); ok {
			t.Errorf("%q found", p)
		}
	}
	if _, err := openPages(write("twice", append(paths[:10:10], paths[3]))); !errors.Is(err, errPages) {
		t.Errorf("a path twice: %v", err)
	}
}
