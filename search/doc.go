// Package search is the search of 信用盘锦: a Bleve index of the public subjects and cases, looked up by name
// (or part of one, in simplified or traditional characters), by 统一社会信用代码 (or its first characters),
// and by what people paste from a page: an entry or case id, a 认定文号.
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
// (searched as a name only), or an ID number, which is never looked up (no hits, nothing executed). A code
// that fails its check but is the code of a published subject gets xinyong.MsgSearchCodeLenient instead of
// the notice that calls it wrong (see Query rules).
// Parse does the checking alone, for a caller that wants it before searching. Index is safe for
// concurrent use; Search takes a read lock and Close the write lock, so closing an old index after
// switching releases waits for the searches still running on it.
//
// Each Hit carries what a result needs (URL, name, code, kind, lists, list names, departments, districts,
// date, summary) and the name cut into Segments with a Matched flag, for the caller to render with
// html/template: no HTML is produced here, so database text can never become markup. A hit found by an
// entry's id or 认定文号 names that entry (Hit.Matched: id, list, 认定文号 and the URL of its page); the
// subject's other entries, stored in the index, are not in the hit.
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
//	ref          refKey of the document's id (unless it is its code) and of each public entry's id and
//	             认定文号, one term each (keyword)
//	kind, list, list_name, department, district   filter terms (keyword)
//	date         YYYY-MM-DD with doc values, for the tie-break sort
//	doc          the Hit as JSON, stored, not indexed (with the entries: every field is derived from it)
//
// The analyzers are registered in this package's init, and Open is in this package, so no caller can
// open an index without them. Their names carry a version; xinyong-search.json, written last by Build,
// records the format, and Open refuses an unfinished index or one of another format. Format 3 (issue 14)
// indexes names simplified and adds ref; an index of format 2 is rebuilt once after the upgrade.
//
// # Analysis
//
// Text is folded first: full-width ASCII forms to ASCII, the ideographic space to a space, letters to
// lower case. Only letters and digits take part; spaces, punctuation, brackets of either width, symbols and
// control characters only separate. In names a CJK run continues across them, so 盘锦（辽河）石油 is
// indexed as the bigrams of 盘锦辽河石油 and found with or without the brackets. Latin words and numbers
// are whole terms: 盘锦ABC科技 is indexed as 盘锦, abc and 科技.
//
// Traditional characters are converted to simplified ones before the name fields are analysed, and a query
// before it is cut (OpenCC's t2s, github.com/longbridgeapp/opencc: its phrase dictionary, then its
// character dictionary), so 盤錦 finds 盘锦 and a name registered as 盤山縣綠源農業 is found as 盘山县绿源农业;
// the stored name is as published, and its traditional characters are highlighted as the simplified ones
// they matched. A name is converted once for the three name fields, when it is prepared, not per token.
// The converter costs 5–25 µs a name on this machine (a dictionary look-up and a map allocation per
// character), so it runs only on a string in which a dictionary key that changes something matches: a
// bitset of the runes such keys begin with, read from the dictionaries once (about 10 ms), then a trie
// look-up at those positions. Almost no simplified name needs the converter (大, 金, 明 begin phrases such
// as 金鍊, which simplified names do not contain); TestT2S_SkipIsExact proves the result equal to the
// converter's. BenchmarkSimplify, on the 100,000 synthetic names: 0.14–0.34 µs a name as prepared, against
// 5–24 µs converting every name (0.5–2.4 s of a build); 13–15 µs for a name in traditional characters.
//
// A reference — a 认定文号 or an id — is indexed and looked up by refKey: simplified, folded, every kind of
// bracket (〔〕 [] ［］ 【】 〖〗 () （）) made [ and ], spaces removed, other punctuation kept; so
// 盘环罚〔2026〕142号, 盘环罚[2026]142号, 盘环罚（2026）142号 and 盘环罚 (2026) 142 号 are one key. Only a
// string with a digit is a reference.
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
//     When such a code is the code of a published subject (the department reported it with a wrong check
//     character, and the export publishes it as reported: xinyong.CodeCheck.WellFormed), the notice is
//     xinyong.MsgSearchCodeLenient: the reader most likely pasted it from the subject's page.
//   - A 认定文号 (isDecisionNo: a bracketed four-digit year followed by more, as 盘环罚〔2026〕142号 and
//     （2026）辽1103执12号, or text, digits and 号 at the end): looked up as a reference only (boost 1000),
//     not as a name, whose words (盘环, 2026, 号) would find nothing or noise.
//   - Any other query with a digit is also looked up as a reference (boost 1000): E0000003 finds the
//     subject with that entry, C0000001 the case.
//   - In every case but the ID number and the 认定文号, the query is also searched as a name (the
//     alternatives are ORed).
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
//
// Issue 14 (format 3: simplified names, the ref field, the entries stored), with a corpus that gives every
// subject one public entry (a third two), each with a 认定文号: 727 bytes a doc (625 without the entries;
// simplifying the names changes neither size nor time), the build +15–40% CPU for the ref field; figures
// and conditions in docs/benchmarks.md.
//
// # Left out: pinyin initials
//
// Searching subject names by the initials of their pinyin (pjxyhg for 盘锦鑫源化工) is not built. It
// needs a second dictionary library (pinyin, e.g. github.com/mozillazg/go-pinyin), a choice for every
// polyphonic character (the 行 of 银行 is hang, of 行政 xing: the initials of one reading miss the other,
// of both double the terms), and, to find part of a name as the name fields do, the n-grams of the
// initials as terms: a second name index, short terms shared by thousands of names (pj is every 盘锦),
// growing the index by about as much as the name fields themselves and the cost of the short, common
// queries with it. Within the index-size and speed targets of the search issue it does not fit beside the
// ref field; it is left for a decision on those targets.
package search
