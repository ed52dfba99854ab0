// Package search is the search of 信用盘锦: a Bleve index of the public subjects and cases, looked up by name
// (or part of one) and by 统一社会信用代码 (or its first characters).
//
// # Use
//
// A publication builds a fresh index next to the site, and the server opens it:
//
//	st, err := search.Build(ctx, dir, docs) // docs: iter.Seq2[search.Doc, error]; dir absent or empty
//	x, err := search.Open(dir)               // read-only; the analyzers are registered by this package
//	res, err := x.Search(ctx, search.Request{Q: q, Page: 1, Filters: search.Filters{List: "black"}})
//	err = x.Close()                          // waits for searches in flight; later ones get ErrClosed
//
// Update(ctx, dir, prev, docs) writes the same index from the finished index in prev (the previous
// release's, left untouched): it hard-links prev's segments, copies its root.bolt, and applies one batch
// that deletes the documents gone and indexes the new and changed ones. It finds them with the document
// list every index keeps, xinyong-docs.list (per document, in index order: a 16-byte SHA-256 prefix of its
// line in the documents file and of its stored text, what the counts and probes read — subject or case,
// masked, 64-bit keys of its code and exact name, whether it may be a probe — and its kind/id; a header
// with the fingerprint of the program that wrote it, a SHA-256 of the whole at the end). Every indexed
// field is derived from the stored document. Bleve's TF-IDF uses the live document count and the live
// postings of each term, so the deleted documents left in the linked segments change no score; results
// and scores are those of Build, to the last bits of the floating-point sums, which differ between two
// Builds of the same documents too. Update builds afresh (Stats.Fallback says why) when prev is missing or
// unusable, its list is missing, damaged or of another program (the fingerprint: the format, the mapping
// and the binary's Go build ID, so a new analyzer or any other change of the code rebuilds once), or when
// the documents deleted or replaced since the last full build (Stats.Stale) would exceed a quarter of them.
//
// BuildFile and UpdateFile read the documents file (DocsWriter's: one document a line) by lines, and are
// what a publication uses. UpdateFile neither decodes nor prepares a line whose sum the previous list holds
// (the same line under the same program is the same document, prepared the same way): it takes its id,
// stored sum, counts and probe keys from the list, and decodes only the new and changed lines and the few
// the probes read (the first 64 candidates by code and by name, in order). Stats.Decoded counts the
// documents decoded: on a busy night at 100,000 entries about 250 of 62,000.
//
// Errors that are the request's fault are *QueryError (IsQueryError; HTTP 400), with a Chinese message for
// the public. ErrClosed and other errors are the server's. A Result may carry a Notice (HTTP 200): a credit
// code whose check characters are wrong (the search still runs), a code prefix shorter than MinCodePrefix
// (searched as a name only), or an ID number, which is never looked up (no hits, nothing executed).
// Parse does the checking alone, for a caller that wants it before searching. Index is safe for
// concurrent use; Search takes a read lock and Close the write lock, so closing an old index after
// switching releases waits for the searches still running on it.
//
// Each Hit carries what a result needs (URL, name, code, kind, lists, list names, departments, districts,
// date, summary) and the name cut into Segments with a Matched flag, for the caller to render with
// html/template: no HTML is produced here, so database text can never become markup.
//
// # Privacy
//
// A natural person (Doc.Person) is searchable by name only: no code is indexed or stored. For every doc,
// a code that is or looks like a resident ID number (xinyong.IsIDNumber, xinyong.LooksLikeIDNumber) is
// dropped, ID numbers in any text are masked (xinyong.MaskIDNumbersIn), and a doc whose ID or URL holds
// one fails the build. A query that is or contains an ID number, by the export's own detection
// (xinyong.ContainsIDNumber: full width, separators, line breaks), is refused with a notice and shown back
// masked. Index.Audit lists every term and stored document, for tests that prove none holds a number.
//
// # Mapping
//
// One document per subject or case, with a static mapping (nothing dynamic, no _all field, no term
// vectors); only "doc" is stored:
//
//	name         CJK runs as overlapping bigrams, other words whole   (xinyong_name_bigram_v1)
//	name1        CJK characters one by one, for one-character queries (xinyong_name_unigram_v1)
//	exact        the normalised full name, one term (keyword)
//	code         the normalised credit code, one term (keyword); absent for persons
//	code_prefix  the code's prefixes of 6 to 17 characters            (xinyong_code_prefix_v1)
//	kind, list, list_name, department, district   filter terms (keyword)
//	date         YYYY-MM-DD with doc values, for the tie-break sort
//	doc          the Hit as JSON, stored, not indexed
//
// The analyzers are registered in this package's init, and Open is in this package, so no caller can
// open an index without them. Their names carry a version; xinyong-search.json, written last by Build,
// records the format, and Open refuses an unfinished index or one of another format.
//
// # Analysis
//
// Text is folded first: full-width ASCII forms to ASCII, the ideographic space to a space, letters to
// lower case. Only letters and digits take part; spaces, punctuation, brackets of either width, symbols and
// control characters only separate. In names a CJK run continues across them, so 盘锦（辽河）石油 is
// indexed as the bigrams of 盘锦辽河石油 and found with or without the brackets. Latin words and numbers
// are whole terms: 盘锦ABC科技 is indexed as 盘锦, abc and 科技.
//
// # Query rules
//
// A query is trimmed and cleaned (one line, no control characters), and must have 1 to MaxQueryRunes
// characters with at least one letter or digit. It is never given to a query-string parser: wildcards
// (* ?), operators (+ - ~ ^), field syntax (name:) and regular expressions (/…/) are punctuation, and
// punctuation only separates. Then, in order:
//
//   - An ID number (xinyong.ContainsIDNumber, or a whole query of the shape of one, even with a wrong
//     check digit) that is not also a valid credit code: notice, no search.
//   - 18 characters of digits and upper-case letters after xinyong.NormalizeCode (spaces, hyphens, case
//     and width do not matter): looked up as a code (boost 1000). If it fails its GB 32100 check, the
//     notice says which check character should be what, and its first 16 characters are also searched
//     as a prefix (boost 200), so a mistyped check character still finds the subject.
//   - 6 to 17 such characters: a code prefix, one term of code_prefix (boost 100). Never a wildcard,
//     never shorter than MinCodePrefix: 2 to 5 characters with a digit get a notice and are searched as
//     a name only.
//   - In every case but the ID number, the query is also searched as a name (the two are ORed).
//
// A name query is cut into CJK runs and words at every non-letter. From each CJK run the ubiquitous words
// (有限责任公司, 股份有限公司, 有限公司, 公司, 有限, 盘锦市, 盘锦, 辽宁省, 辽宁 …, longest first) are cut
// out: their bigrams become optional terms (boost 0.3) that only order the matches. What remains must
// match: every bigram of each piece of two or more characters (name), each single character (name1), each
// word (name). So 鑫源化工 finds the four names with 鑫源化工 and not every 有限公司, and 张 finds 张三 and
// 盘锦市兴隆台区张记餐馆. A query made of ubiquitous words only requires them all. When this strict
// conjunction finds nothing and the query has five or more bigrams, it is run again relaxed, allowing one
// missing bigram per four more (so 兴隆台张记餐馆, with a 台张 no name has, finds 盘锦市兴隆台区张记餐馆).
// The normalised full query is an optional term on exact (boost 50): an exact name ranks first.
//
// Filters (Filters) are non-scoring term filters. Results are sorted by score, then by date (newer first),
// then in index order, which is the order the docs were given to Build: the same docs in the same order
// give the same results. Page*Size may not exceed MaxDepth (1000); Size is at most MaxSize (50).
//
// # Performance
//
// Measured on the 2-core development machine with 100,000 synthetic docs (BenchmarkBuild,
// BenchmarkSearch; figures vary by ±30% with the machine's load):
//
//	go test ./search -run '^$' -bench BenchmarkBuild -benchtime 3x
//	go test ./search -run '^$' -bench BenchmarkSearch -benchtime 2000x
//
// Build: 6–10 s (10–16k docs/s; 7.3 s in the last run), 55 MB (550 bytes a doc). The Bleve builder merges
// one segment and is single-threaded; Build prepares documents in a second goroutine beside it. Search,
// p50/p99 in ms: code 0.04/0.5, code with a wrong check character 0.04/0.4, code prefix 4.9/12 (a
// synthetic prefix shared by 20k codes), full name 0.7/2.4–6, partial name 2.5/22, one character 4/24,
// miss 0.02/1, ubiquitous words only (有限公司, 盘锦) 15/34; the whole mix 0.3/17–25. The cost grows with
// the number of matches, which must all be scored and sorted.
package search
