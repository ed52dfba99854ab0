package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Index fields. Only fDoc is stored; the others are indexed only.
const (
	fName       = "name"        // name as bigrams and words (bigramAnalyzer)
	fName1      = "name1"       // name as single CJK characters (unigramAnalyzer), for one-character queries
	fExact      = "exact"       // normalize(name), one term
	fCode       = "code"        // normalised credit code, one term; absent for natural persons
	fCodePrefix = "code_prefix" // the code's prefixes of MinCodePrefix to 17 characters
	fRef        = "ref"         // refKey of the id and of each entry's id and 认定文号
	fKind       = "kind"        // KindSubject or KindCase
	fList       = "list"        // "red", "black"
	fListName   = "list_name"   // list names, as cleaned
	fDepartment = "department"  // department names, as cleaned
	fDistrict   = "district"    // district names
	fDate       = "date"        // YYYY-MM-DD, with doc values for the tie-break sort
	fDoc        = "doc"         // the Hit as JSON: everything a result needs
)

// newMapping returns the index mapping: a static mapping of the fields above, nothing dynamic, no _all
// field, no term vectors (highlighting is computed from the stored name, see segments).
func newMapping() mapping.IndexMapping {
	text := func(analyzer string) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = analyzer
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
		return f
	}
	key := func() *mapping.FieldMapping {
		f := text(keyword.Name)
		return f
	}
	filter := func() *mapping.FieldMapping {
		f := key()
		f.SkipFreqNorm = true // filters do not score
		return f
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fName, text(bigramAnalyzer))
	dm.AddFieldMappingsAt(fName1, text(unigramAnalyzer))
	dm.AddFieldMappingsAt(fExact, key())
	dm.AddFieldMappingsAt(fCode, key())
	dm.AddFieldMappingsAt(fRef, key())
	dm.AddFieldMappingsAt(fCodePrefix, text(codePrefixAnalyzer)) // scored: SkipFreqNorm would give NaN
	for _, f := range []string{fKind, fList, fListName, fDepartment, fDistrict} {
		dm.AddFieldMappingsAt(f, filter())
	}
	date := filter()
	date.DocValues = true
	dm.AddFieldMappingsAt(fDate, date)
	doc := text(keyword.Name)
	doc.Index, doc.Store = false, true
	dm.AddFieldMappingsAt(fDoc, doc)
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no catch-all field

	im := bleve.NewIndexMapping()
	im.DefaultMapping = dm
	im.DefaultAnalyzer = keyword.Name
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	return im
}
