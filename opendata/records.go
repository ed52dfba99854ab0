package opendata

import (
	"xinyong"
	"xinyong/generator"
)

// The downloads are made of the export's entry and case pages, read with generator.ReadEntryPage and
// generator.ReadCasePage (docs/export.md). Only the public fields the files carry are used: the legal
// representative and the departments' phone numbers, for one, are not in the downloads.

type (
	entryPage = generator.EntryPage
	casePage  = generator.CasePage
)

// column is one field of a data set: a CSV column and a JSON key, in the same order in both files.
type column[T any] struct {
	key    string              // the JSON key: stable, English
	header string              // the CSV header: Chinese
	value  func(*T) string     // the value; "" is an empty cell and null in JSON
	list   func(*T) []string   // instead of value: a list (a JSON array, one CSV cell joined with "；")
	label  func(string) string // the CSV shows label(value) instead of value (names of codes); nil: as is
	idNum  bool                // the value is an ID number: masked whatever it holds
}

// entryColumns are the columns of red.* and black.*; base is the site's address without the final "/".
func entryColumns(base string) []column[entryPage] {
	type c = column[entryPage]
	return []c{
		{key: "id", header: xinyong.MsgOpenDataColEntryID, value: func(e *entryPage) string { return e.ID }},
		{key: "list", header: xinyong.MsgOpenDataColList, value: func(e *entryPage) string { return e.List }, label: listName},
		{key: "list_name", header: xinyong.MsgOpenDataColListName, value: func(e *entryPage) string { return e.ListName }},
		{key: "subject_name", header: xinyong.MsgOpenDataColSubjectName, value: func(e *entryPage) string { return e.Subject.Name }},
		{key: "subject_kind", header: xinyong.MsgOpenDataColSubjectKind, value: func(e *entryPage) string { return e.Subject.Kind }, label: kindName},
		{key: "credit_code", header: xinyong.MsgOpenDataColCreditCode, value: func(e *entryPage) string { return e.Subject.CreditCode }},
		{key: "id_number", header: xinyong.MsgOpenDataColIDNumber, value: func(e *entryPage) string { return e.Subject.IDNumber }, idNum: true},
		{key: "district", header: xinyong.MsgOpenDataColDistrictCode, value: func(e *entryPage) string { return e.Subject.District }},
		{key: "district_name", header: xinyong.MsgOpenDataColDistrict, value: func(e *entryPage) string { return e.Subject.DistrictName }},
		{key: "reason", header: xinyong.MsgOpenDataColReason, value: func(e *entryPage) string { return e.Reason }},
		{key: "basis", header: xinyong.MsgOpenDataColBasis, value: func(e *entryPage) string { return e.Basis }},
		{key: "decision_no", header: xinyong.MsgOpenDataColDecisionNo, value: func(e *entryPage) string { return e.DecisionNo }},
		{key: "measures", header: xinyong.MsgOpenDataColMeasures, list: func(e *entryPage) []string { return e.Measures }},
		{key: "department_code", header: xinyong.MsgOpenDataColDeptCode, value: func(e *entryPage) string { return e.Department.Code }},
		{key: "department", header: xinyong.MsgOpenDataColDept, value: func(e *entryPage) string { return e.Department.Name }},
		{key: "severity", header: xinyong.MsgOpenDataColSeverity, value: func(e *entryPage) string { return e.Severity }, label: severityName},
		{key: "decided_on", header: xinyong.MsgOpenDataColDecidedOn, value: func(e *entryPage) string { return e.DecidedOn }},
		{key: "valid_from", header: xinyong.MsgOpenDataColValidFrom, value: func(e *entryPage) string { return e.ValidFrom }},
		{key: "valid_to", header: xinyong.MsgOpenDataColValidTo, value: func(e *entryPage) string { return e.ValidTo }},
		{key: "public_until", header: xinyong.MsgOpenDataColPublicUntil, value: func(e *entryPage) string { return e.PublicUntil }},
		{key: "procedure", header: xinyong.MsgOpenDataColProcedure, value: func(e *entryPage) string { return e.Procedure }, label: procedureName},
		{key: "repair_from", header: xinyong.MsgOpenDataColRepairFrom, value: func(e *entryPage) string { return e.RepairFrom }},
		{key: "updated_at", header: xinyong.MsgOpenDataColUpdatedAt, value: func(e *entryPage) string { return e.UpdatedAt }},
		{key: "url", header: xinyong.MsgOpenDataColURL, value: func(e *entryPage) string { return pageURL(base, e.List, e.ID) }},
		{key: "subject_url", header: xinyong.MsgOpenDataColSubjectURL, value: func(e *entryPage) string { return pageURL(base, "subjects", e.Subject.Key) }},
	}
}

// caseColumns are the columns of cases.*. A case names its subject by name and credit code only, and only
// when the export gave it the subject (xinyong.CaseMayName: a subject with a public page, never a person);
// the front matter of a case has no ID number, and none is read.
func caseColumns(base string) []column[casePage] {
	type c = column[casePage]
	return []c{
		{key: "id", header: xinyong.MsgOpenDataColCaseID, value: func(x *casePage) string { return x.ID }},
		{key: "kind", header: xinyong.MsgOpenDataColCaseKind, value: func(x *casePage) string { return x.Kind }, label: caseKindName},
		{key: "title", header: xinyong.MsgOpenDataColTitle, value: func(x *casePage) string { return x.Title }},
		{key: "abstract", header: xinyong.MsgOpenDataColAbstract, value: func(x *casePage) string { return x.Abstract }},
		{key: "department_code", header: xinyong.MsgOpenDataColDeptCode, value: func(x *casePage) string { return x.Department.Code }},
		{key: "department", header: xinyong.MsgOpenDataColDept, value: func(x *casePage) string { return x.Department.Name }},
		{key: "published_on", header: xinyong.MsgOpenDataColPublishedOn, value: func(x *casePage) string { return x.PublishedOn }},
		{key: "subject_name", header: xinyong.MsgOpenDataColSubjectName, value: func(x *casePage) string { return x.Subject.Name }},
		{key: "subject_kind", header: xinyong.MsgOpenDataColSubjectKind, value: func(x *casePage) string { return x.Subject.Kind }, label: kindName},
		{key: "credit_code", header: xinyong.MsgOpenDataColCreditCode, value: func(x *casePage) string { return x.Subject.CreditCode }},
		{key: "updated_at", header: xinyong.MsgOpenDataColUpdatedAt, value: func(x *casePage) string { return x.UpdatedAt }},
		{key: "url", header: xinyong.MsgOpenDataColURL, value: func(x *casePage) string { return pageURL(base, "cases", x.ID) }},
		{key: "subject_url", header: xinyong.MsgOpenDataColSubjectURL, value: func(x *casePage) string { return pageURL(base, "subjects", x.Subject.Key) }},
	}
}

// pageURL returns the address of a page of the site, or "" when key is empty.
func pageURL(base, section, key string) string {
	if key == "" {
		return ""
	}
	return base + "/" + section + "/" + key + "/"
}

var (
	listNames      = map[string]string{xinyong.ListRed: xinyong.MsgSectionRed, xinyong.ListBlack: xinyong.MsgSectionBlack}
	kindNames      = map[string]string{xinyong.KindOrg: xinyong.MsgOpenDataKindOrg, xinyong.KindBusiness: xinyong.MsgOpenDataKindBusiness, xinyong.KindPerson: xinyong.MsgOpenDataKindPerson}
	severityNames  = map[string]string{xinyong.SeverityMinor: xinyong.MsgOpenDataSeverityMinor, xinyong.SeverityGeneral: xinyong.MsgOpenDataSeverityGeneral, xinyong.SeveritySerious: xinyong.MsgOpenDataSeveritySerious}
	procedureNames = map[string]string{xinyong.ProcedureAdmin: xinyong.MsgOpenDataProcedureAdmin, xinyong.ProcedureCourt: xinyong.MsgOpenDataProcedureCourt, xinyong.ProcedureHonour: xinyong.MsgOpenDataProcedureHonour}
	caseKindNames  = map[string]string{xinyong.CaseReward: xinyong.MsgOpenDataCaseReward, xinyong.CasePunishment: xinyong.MsgOpenDataCasePunishment}
)

// The names of codes in the CSV files; a value without a name is shown as it is.
func listName(v string) string      { return nameOr(listNames, v) }
func kindName(v string) string      { return nameOr(kindNames, v) }
func severityName(v string) string  { return nameOr(severityNames, v) }
func caseKindName(v string) string  { return nameOr(caseKindNames, v) }
func procedureName(v string) string { return nameOr(procedureNames, v) }

func nameOr(names map[string]string, v string) string {
	if n, ok := names[v]; ok {
		return n
	}
	return v
}
