// Package demo makes demo exchange databases: realistic, reproducible, made-up data for Panjin, marked as
// demo data so that everything published from it says so.
package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"xinyong"
	"xinyong/exchange"
)

// The demo database: realistic, reproducible data for Panjin, made up from word lists. Every row is a pure
// function of the options and its number — subject i, entry j and case k each draw from a generator
// seeded with (Seed, i), (Seed, j) or (Seed, k) — so nothing is held in memory but the row being written,
// and an entry can look up its subject, and a case its entry, by drawing them again.

// Options says what demo database to make.
type Options struct {
	Entries int          // list entries; 0 means DefaultEntries
	Seed    uint64       // the same options give the same rows, byte for byte
	AsOf    xinyong.Date // the day the data is current for; zero means DefaultAsOf
}

// DefaultEntries is the number of entries when Options.Entries is 0.
const DefaultEntries = 2000

// DefaultAsOf is the day the data is current for when Options.AsOf is zero. It is fixed, not
// today, so that a demo database does not depend on when it is made.
var DefaultAsOf = xinyong.NewDate(2026, 6, 15)

// AnomalyMinEntries is the least number of entries for which the demo database has its deliberate
// anomalies (AnomalousEntries, BadCodeSubjects and IDNumberSubject).
const AnomalyMinEntries = 100

// Public is the standing of an entry or case that is public on AsOf, in Stats.
const Public = "public"

// Anomaly is a deliberately malformed list entry: ID is its id, Field the column at fault, as
// xinyong.Problem names it.
type Anomaly struct {
	ID, Field, What string
}

// AnomalousEntries are the malformed list entries every demo database of at least AnomalyMinEntries
// entries has, with these ids whatever the seed. Besides them about one entry in a hundred is malformed in
// one of the same ways (with an E… id, or E/…, "E …" or E号… when the id is at fault); Stats counts
// them all under xinyong.HiddenUnreadable. PostgreSQL cannot hold a date that is not a date, so there the
// entries of the two date anomalies are well-formed.
var AnomalousEntries = []Anomaly{
	{"X-list-grey", "list", "list is 'grey'"},
	{"X-status-pending", "status", "status is 'pending'"},
	{"X-reason-empty", "reason", "reason is ''"},
	{"X/slash", "id", "id contains '/'"},
	{"X space", "id", "id contains a space"},
	{"X-信用", "id", "id contains Chinese characters"},
	{"index", "id", "id is 'index'"},
	{"X-subject-dangling", "subject_id", "subject_id names no subject"},
	{"X-dept-dangling", "department", "department 'lyj' names no department"},
	{"X-valid-to-before-from", "valid_to", "valid_to is before valid_from"},
	{"X-date-feb30", "valid_from", "valid_from is 'YYYY-02-30'"},
	{"X-date-slash", "decided_on", "decided_on is 'YYYY/MM/DD'"},
	{"X-severity-bad", "severity", "severity is 'critical'"},
}

// BadCodeSubjects are organisations whose credit code has a wrong final check character; each has an
// entry that is public on AsOf, so they are published and reported.
var BadCodeSubjects = []string{"S0000003", "S0000011", "S0000017"}

// IDNumberSubject is a person whose credit_code column wrongly holds the resident ID number (which is
// in id_number too); the person has an entry that is public on AsOf. Every other person has no credit code.
const IDNumberSubject = "S0000005"

// demoSpecial says what a subject number is made to be: 'b' an organisation with a bad credit code, 'i' the
// person whose credit code is an ID number, 0 nothing special. It agrees with BadCodeSubjects and
// IDNumberSubject.
func demoSpecial(num int) byte {
	switch num {
	case 3, 11, 17:
		return 'b'
	case 5:
		return 'i'
	}
	return 0
}

// Stats counts what Demo wrote.
type Stats struct {
	Departments, Subjects, Entries, Cases int

	SubjectKinds map[string]int // by xy_subjects.kind
	BadCodes     int            // subjects whose credit_code fails xinyong.CheckCreditCode

	Lists      map[string]int // entries by list: red, black, and grey for an anomaly
	Severities map[string]int // black entries by severity, "" for NULL
	// Entries by how they stand on AsOf: Public, or the xinyong.Hidden* reason the publication rule
	// gives (xinyong.HiddenUnreadable for the malformed ones).
	Standing map[string]int

	CaseKinds    map[string]int // reward, punishment
	CaseStanding map[string]int // Public, xinyong.HiddenWithdrawn or xinyong.HiddenNotYet
}

// String lists the counts, one per line, in a fixed order.
func (s Stats) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "departments %d\nsubjects %d\nentries %d\ncases %d\nbad credit codes %d\n",
		s.Departments, s.Subjects, s.Entries, s.Cases, s.BadCodes)
	for _, m := range []struct {
		name string
		m    map[string]int
	}{{"subjects", s.SubjectKinds}, {"entries", s.Lists}, {"black entries", s.Severities},
		{"entries", s.Standing}, {"cases", s.CaseKinds}, {"cases", s.CaseStanding}} {
		keys := make([]string, 0, len(m.m))
		for k := range m.m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			label := k
			if label == "" {
				label = "(none)"
			}
			fmt.Fprintf(&b, "%s %s %d\n", m.name, label, m.m[k])
		}
	}
	return b.String()
}

// demoBatchRows is the number of rows written in one transaction.
const demoBatchRows = 50000

// Generate fills db, which must have the contract's empty tables (see Create), with a demo database, marked as
// demo data in xy_meta (see IsDemo) before any row is written. Entries
// are about 45% red and 55% black; about 0.8 subjects are made per entry and 2% of entries as cases (at
// least 12). Dates fall in the four years before opt.AsOf and a little after it, and a share of the rows
// is not public on AsOf, for every reason the publication rule knows, or malformed (see
// AnomalousEntries). Rows are written in transactions of 50,000, and memory does not grow with the
// number of entries. On error the transactions already committed stay; make the database anew.
func Generate(ctx context.Context, db *exchange.DB, opt Options) (Stats, error) {
	if opt.Entries < 0 {
		return Stats{}, fmt.Errorf("demo: %d entries", opt.Entries)
	}
	// The marker first: every row written is in a database that says it is demo data.
	if err := db.MarkDemo(ctx); err != nil {
		return Stats{}, fmt.Errorf("demo: %w", err)
	}
	g := newDemoGen(opt)
	g.postgres = db.Dialect() == exchange.Postgres
	st := Stats{
		SubjectKinds: map[string]int{}, Lists: map[string]int{}, Severities: map[string]int{},
		Standing: map[string]int{}, CaseKinds: map[string]int{}, CaseStanding: map[string]int{},
	}
	// One goroutine draws the rows and this one writes them, so that drawing and SQLite run side by side.
	// The rows pass in chunks; a fixed set of chunks goes round, so memory stays bounded.
	chunks := make(chan *demoChunk, demoChunks)
	free := make(chan *demoChunk, demoChunks)
	for range demoChunks {
		free <- new(demoChunk)
	}
	stop := make(chan struct{})
	var genErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(chunks)
		defer func() {
			if r := recover(); r != nil {
				genErr = fmt.Errorf("internal error: %v", r)
			}
		}()
		cur := <-free
		send := func() bool {
			select {
			case chunks <- cur:
			case <-stop:
				return false
			}
			select {
			case cur = <-free:
				return true
			case <-stop:
				return false
			}
		}
		emit := func(table string, vals ...any) error {
			k := cur.n
			cur.table[k] = table
			cur.width[k] = copy(cur.vals[k][:], vals)
			if cur.n++; cur.n == demoChunkRows && !send() {
				return errDemoStopped
			}
			return nil
		}
		genErr = g.write(emit, &st)
		if genErr == nil && cur.n > 0 {
			send()
		}
	}()

	b := &demoBatch{ctx: ctx, db: db}
	var err error
	for c := range chunks {
		for k := 0; k < c.n && err == nil; k++ {
			if err = b.insert(c.table[k], c.vals[k][:c.width[k]]...); err != nil {
				close(stop)
			}
		}
		c.n = 0
		free <- c
	}
	wg.Wait()
	if err == nil {
		err = genErr
	}
	if err == nil {
		err = b.flush()
	}
	if err != nil {
		b.abort()
		return st, fmt.Errorf("demo: %w", err)
	}
	return st, nil
}

var errDemoStopped = errors.New("stopped")

// Rows pass from the drawing goroutine to the writing one in chunks.
const (
	demoChunkRows = 512
	demoChunks    = 8
)

type demoChunk struct {
	n     int
	table [demoChunkRows]string
	width [demoChunkRows]int
	vals  [demoChunkRows][17]any
}

// write draws every row and passes it to emit.
func (g *demoGen) write(emit func(table string, vals ...any) error, st *Stats) error {
	for _, d := range demoDepartments {
		if err := emit("xy_departments", d.code, d.name, xinyong.MakeCreditCode(d.prefix, d.body), d.phone,
			nullable(d.address), nullable(d.hours)); err != nil {
			return err
		}
		st.Departments++
	}
	row := make([]any, len(exchange.Columns["xy_list_entries"]))
	var s demoSubject
	for i := range g.nSubj {
		g.subject(i, &s)
		if err := emit("xy_subjects", s.id, s.kind, s.name, nullable(s.code), nullable(s.idNumber),
			nullable(s.legalRep), s.district); err != nil {
			return err
		}
		st.Subjects++
		st.SubjectKinds[s.kind]++
		if s.badCode {
			st.BadCodes++
		}
	}
	var e demoEntry
	for j := range g.n {
		g.entry(j, &e)
		e.values(row)
		if err := emit("xy_list_entries", row...); err != nil {
			return err
		}
		st.Entries++
		st.Lists[e.list]++
		st.Standing[e.standing]++
		if e.list == xinyong.ListBlack {
			st.Severities[e.severity]++
		}
	}
	row = row[:len(exchange.Columns["xy_cases"])]
	for k := range g.nCases {
		c := g.kase(k)
		if err := emit("xy_cases", c.id, c.kind, c.title, c.summary, c.body, nullable(c.subjectID), c.dept,
			c.published.String(), c.status, nullDate(c.changed), c.updatedAt); err != nil {
			return err
		}
		st.Cases++
		st.CaseKinds[c.kind]++
		st.CaseStanding[c.standing]++
	}
	return nil
}

// demoBatch writes rows in transactions of demoBatchRows.
type demoBatch struct {
	ctx  context.Context
	db   *exchange.DB
	w    *exchange.Writer
	rows int
}

func (b *demoBatch) insert(table string, vals ...any) error {
	if b.w == nil {
		if err := b.ctx.Err(); err != nil {
			return err
		}
		w, err := b.db.Begin(b.ctx)
		if err != nil {
			return err
		}
		b.w = w
	}
	if err := b.w.Insert(b.ctx, table, vals...); err != nil {
		return err
	}
	if b.rows++; b.rows >= demoBatchRows {
		return b.flush()
	}
	return nil
}

func (b *demoBatch) flush() error {
	if b.w == nil {
		return nil
	}
	w := b.w
	b.w, b.rows = nil, 0
	return w.Commit()
}

func (b *demoBatch) abort() {
	if b.w != nil {
		b.w.Rollback()
		b.w = nil
	}
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullDate(d xinyong.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// Salts of the three kinds of row.
const (
	saltSubject uint64 = 0x5375626a65637473
	saltEntry   uint64 = 0x456e747269657321
	saltCase    uint64 = 0x4361736573212121
)

// splitmix64 scrambles a seed, so that neighbouring row numbers give unrelated generators.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

type demoGen struct {
	seed          uint64
	asOf          xinyong.Date
	n, nSubj      int
	nCases        int
	anomalies     bool
	postgres      bool // write no dates that are not dates
	firstAnomaly  int  // entries from here on are AnomalousEntries
	malformedPerM int  // scattered malformed entries per million

	sp, ep, cp rand.PCG
	sr, er, cr *rand.Rand

	off8, off6, offMJ uint64 // offsets of the credit-code bijections
	buf               strings.Builder
}

func newDemoGen(opt Options) *demoGen {
	g := &demoGen{seed: opt.Seed, asOf: opt.AsOf, n: opt.Entries}
	if g.n == 0 {
		g.n = DefaultEntries
	}
	if g.asOf.IsZero() {
		g.asOf = DefaultAsOf
	}
	g.nSubj = max(1, g.n*4/5)
	g.nCases = max(12, (g.n+25)/50)
	g.anomalies = g.n >= AnomalyMinEntries
	g.firstAnomaly = g.n
	if g.anomalies {
		k := len(AnomalousEntries)
		g.firstAnomaly = g.n - k
		if want := g.n / 100; want > k {
			g.malformedPerM = int(int64(want-k) * 1_000_000 / int64(g.n-k))
		}
	}
	g.sr, g.er, g.cr = rand.New(&g.sp), rand.New(&g.ep), rand.New(&g.cp)
	h := splitmix64(g.seed ^ 0x436f646573)
	g.off8 = h % 90_000_000
	g.off6 = (h >> 27) % demoPow31_6
	g.offMJ = (h >> 13) % demoPow31_6
	return g
}

func (g *demoGen) reseed(p *rand.PCG, salt uint64, i int) {
	p.Seed(splitmix64(g.seed^salt), splitmix64(uint64(i)^salt<<1))
}

const demoPow31_6 = 31 * 31 * 31 * 31 * 31 * 31

// ---- subjects ----

// demoCore is what an entry needs to know of its subject; it is drawn first from the subject's generator.
type demoCore struct {
	num      int  // 1-based
	typ      byte // type* letter
	sector   byte // of a company
	industry int  // of a company
	shop     int  // of an individual business
	place    int  // name prefix of a company
	region   string
	district string
	surname  rune
	male     bool
}

func (c *demoCore) id() string { return demoID('S', c.num) }

func demoID(prefix byte, num int) string {
	b := make([]byte, 0, 12)
	b = append(b, prefix)
	s := strconv.Itoa(num)
	for range 7 - len(s) {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights ...int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

var (
	demoPlaceWeights = weightsOf(demoPlaces, func(p demoPlace) int { return p.weight })
	demoFormWeights  = weightsOf(demoForms, func(f demoForm) int { return f.weight })
)

func weightsOf[T any](items []T, weight func(T) int) []int {
	w := make([]int, len(items))
	for i, it := range items {
		w[i] = weight(it)
	}
	return w
}

func pickRegion(r *rand.Rand, noCity bool) string {
	for {
		total := 0
		for _, reg := range demoRegions {
			total += reg.weight
		}
		x := r.IntN(total)
		for _, reg := range demoRegions {
			if x < reg.weight {
				if noCity && reg.code == "211100" {
					break
				}
				return reg.code
			}
			x -= reg.weight
		}
	}
}

func (g *demoGen) subjectCore(i int) demoCore {
	g.reseed(&g.sp, saltSubject, i)
	r := g.sr
	c := demoCore{num: i + 1}
	switch u := r.IntN(1000); {
	case u < 700:
		c.typ = [...]byte{typeCompany, typeCoop, typeInst, typeNonprof}[pick(r, 85, 7, 3, 5)]
	case u < 850:
		c.typ = typeBusiness
	default:
		c.typ = typePerson
	}
	if g.anomalies {
		switch demoSpecial(c.num) {
		case 'b':
			c.typ = typeCompany
		case 'i':
			c.typ = typePerson
		}
	}
	c.surname = demoSurnames[r.IntN(len(demoSurnames))]
	c.male = r.IntN(100) < 62
	switch c.typ {
	case typeCompany:
		c.industry = r.IntN(len(demoIndustries))
		c.sector = demoIndustries[c.industry].sector
		c.place = pick(r, demoPlaceWeights...)
		if c.place == 3 && c.sector != secOil && c.sector != secChem { // 盘锦辽河油田 is for oil and chemicals
			c.place = 0
		}
		c.region = demoPlaces[c.place].region
		if c.region == "" {
			c.region = pickRegion(r, false)
		}
	case typeCoop:
		c.region = [...]string{"211104", "211122", "211103", "211102", "211121"}[pick(r, 45, 40, 5, 5, 5)]
	case typeInst:
		c.region = [...]string{"211102", "211103", "211104", "211122"}[r.IntN(4)]
	case typeNonprof:
		c.region = pickRegion(r, false)
	case typeBusiness:
		c.shop = r.IntN(len(demoShops))
		c.region = pickRegion(r, true)
	case typePerson:
		if r.IntN(10) == 0 {
			c.region = demoOtherAddr[r.IntN(len(demoOtherAddr))]
		} else {
			c.region = demoPanjinAddr[r.IntN(len(demoPanjinAddr))]
		}
	}
	switch {
	case c.region == "211121":
		c.district = "211104"
	case strings.HasPrefix(c.region, "2111"):
		c.district = c.region
	default:
		c.district = demoDistricts[r.IntN(4)]
	}
	if r.IntN(10) == 0 { // moved, or registered elsewhere
		d := demoDistricts[r.IntN(len(demoDistricts)-1)]
		if d == c.district {
			d = demoDistricts[len(demoDistricts)-1]
		}
		c.district = d
	}
	return c
}

type demoSubject struct {
	id, kind, name, code, idNumber, legalRep, district string
	badCode                                            bool
}

// subject draws subject i: its core and then the rest from the same generator.
func (g *demoGen) subject(i int, s *demoSubject) {
	c := g.subjectCore(i)
	r := g.sr
	*s = demoSubject{id: c.id(), district: c.district}
	switch c.typ {
	case typePerson:
		s.kind = xinyong.KindPerson
	case typeBusiness:
		s.kind = xinyong.KindBusiness
	default:
		s.kind = xinyong.KindOrg
	}
	distName := demoDistrictNames[c.region]
	var b strings.Builder
	switch c.typ {
	case typeCompany:
		ind := demoIndustries[c.industry]
		brand := g.brand(r)
		if r.IntN(100) < 3 {
			b.WriteString([...]string{"沈阳", "大连", "鞍山", "营口", "锦州", "辽宁"}[r.IntN(6)])
			b.WriteString(brand + ind.word + "有限公司盘锦分公司")
		} else {
			b.WriteString(demoPlaces[c.place].name + brand + ind.word)
			b.WriteString(demoForms[pick(r, demoFormWeights...)].name)
		}
		if r.IntN(100) < 65 {
			s.code = xinyong.MakeCreditCode("91"+c.region, g.bodyMA(i))
		} else {
			s.code = xinyong.MakeCreditCode("91"+c.region, g.bodyDigits(i))
		}
	case typeCoop:
		switch u := r.IntN(10); {
		case u < 5:
			towns := demoTowns[c.district]
			if towns == nil {
				towns = demoTowns["211104"]
			}
			b.WriteString(distName + towns[r.IntN(len(towns))])
		case u < 8:
			b.WriteString(distName)
		default:
			b.WriteString("盘锦")
		}
		b.WriteString(g.brand(r) + demoCoopKinds[r.IntN(len(demoCoopKinds))])
		s.code = xinyong.MakeCreditCode("93"+c.region, g.bodyMA(i))
	case typeInst:
		towns := demoTowns[c.region]
		b.WriteString(distName + towns[r.IntN(len(towns))] + demoInstKinds[r.IntN(len(demoInstKinds))])
		s.code = xinyong.MakeCreditCode("12"+c.region, g.bodyDigits(i))
	case typeNonprof:
		if c.region == "211100" || r.IntN(2) == 0 {
			b.WriteString("盘锦市")
		} else {
			b.WriteString(distName)
		}
		b.WriteString(g.brand(r) + demoNonprofKinds[r.IntN(len(demoNonprofKinds))])
		s.code = xinyong.MakeCreditCode("52"+c.region, g.mjBody(i))
	case typeBusiness:
		owner := g.personName(r, c.surname, c.male)
		switch u := r.IntN(100); {
		case u < 5: // no shop name: the business goes by its operator's name
			b.WriteString(owner)
		case u < 25:
			b.WriteString(distName + string(c.surname) + "记" + demoShops[c.shop].name)
		case u < 35:
			b.WriteString(distName + "老" + string(c.surname) + demoShops[c.shop].name)
		default:
			b.WriteString(distName + g.brand(r) + demoShops[c.shop].name)
		}
		s.legalRep = owner
		s.code = xinyong.MakeCreditCode("92"+c.region, g.bodyMA(i))
	case typePerson:
		b.WriteString(g.personName(r, c.surname, c.male))
		y, _, _ := g.asOf.Time().Date()
		birth := xinyong.NewDate(y-22-r.IntN(50), time.January, 1).AddDays(r.IntN(365))
		seq := r.IntN(500) * 2
		if c.male {
			seq++
		}
		s.idNumber = xinyong.MakeIDNumber(c.region, birth, seq)
		if g.anomalies && demoSpecial(c.num) == 'i' {
			s.code = s.idNumber
			s.badCode = true
		}
	}
	if c.typ != typePerson && c.typ != typeBusiness {
		s.legalRep = g.personName(r, demoSurnames[r.IntN(len(demoSurnames))], r.IntN(100) < 75)
	}
	if g.anomalies && demoSpecial(c.num) == 'b' {
		k := strings.IndexByte(xinyong.CodeAlphabet, s.code[17])
		s.code = s.code[:17] + string(xinyong.CodeAlphabet[(k+1)%len(xinyong.CodeAlphabet)])
		s.badCode = true
	}
	s.name = b.String()
}

func (g *demoGen) brand(r *rand.Rand) string {
	if r.IntN(100) < 8 {
		return demoBrandPopular[r.IntN(len(demoBrandPopular))]
	}
	a := demoBrandFirst[r.IntN(len(demoBrandFirst))]
	b := demoBrandSecond[r.IntN(len(demoBrandSecond))]
	for b == a {
		b = demoBrandSecond[r.IntN(len(demoBrandSecond))]
	}
	if r.IntN(100) < 20 {
		c := demoBrandThird[r.IntN(len(demoBrandThird))]
		if c != a && c != b {
			return string([]rune{a, b, c})
		}
	}
	return string([]rune{a, b})
}

func (g *demoGen) personName(r *rand.Rand, surname rune, male bool) string {
	given := demoFemaleGiven
	if male {
		given = demoMaleGiven
	}
	first := given[r.IntN(len(given))]
	name := []rune{surname, first}
	if r.IntN(100) < 80 {
		second := given[r.IntN(len(given))]
		for second == first {
			second = given[r.IntN(len(given))]
		}
		name = append(name, second)
	}
	return string(name)
}

// Organisation-code bodies are bijections of the subject number (multiplications by a number near the
// golden section of the range, so that neighbours are far apart), so no two subjects share a code.

func (g *demoGen) bodyMA(i int) string {
	return "MA" + base31(6, (uint64(i)*548507439+g.off6)%demoPow31_6)
}

func (g *demoGen) mjBody(i int) string {
	return "MJ" + base31(6, (uint64(i)*669956707+g.offMJ)%demoPow31_6)
}

func (g *demoGen) bodyDigits(i int) string {
	// The first digit is never 0, so that no code can read as an ID number.
	return strconv.FormatUint(10_000_000+(uint64(i)*55623059+g.off8)%90_000_000, 10)
}

func base31(n int, v uint64) string {
	b := make([]byte, n)
	for k := n - 1; k >= 0; k-- {
		b[k] = xinyong.CodeAlphabet[v%31]
		v /= 31
	}
	return string(b)
}

// ---- list entries ----

type demoEntry struct {
	id, list, listName, subjectID, reason, basis, decisionNo, measures, dept, severity string
	decidedText, fromText, toText                                                      string // as stored
	decided, from, to, changed                                                         xinyong.Date
	public                                                                             int
	status, updatedAt                                                                  string
	standing                                                                           string // Public or a Hidden* reason

	def       *demoList
	reasonIdx int // in def.reasons
	years     int
	core      demoCore
}

func (e *demoEntry) values(row []any) {
	row[0], row[1], row[2], row[3], row[4] = e.id, e.list, e.listName, e.subjectID, e.reason
	row[5], row[6], row[7], row[8] = nullable(e.basis), nullable(e.decisionNo), nullable(e.measures), e.dept
	row[9], row[10], row[11], row[12] = nullable(e.severity), e.decidedText, e.fromText, nullable(e.toText)
	row[13], row[14], row[15], row[16] = e.public, e.status, nullDate(e.changed), e.updatedAt
}

// Standings drawn for entries, in tenths of a percent, red and black.
var (
	demoRedStanding = []struct {
		s string
		w int
	}{{xinyong.HiddenExpired, 110}, {xinyong.HiddenRemoved, 45}, {xinyong.HiddenRevoked, 20},
		{xinyong.HiddenNotPublic, 30}, {xinyong.HiddenNotYet, 30}}
	demoBlackStanding = []struct {
		s string
		w int
	}{{xinyong.HiddenExpired, 90}, {xinyong.HiddenRemoved, 40}, {xinyong.HiddenRepaired, 55},
		{xinyong.HiddenRevoked, 20}, {xinyong.HiddenNotPublic, 30}, {xinyong.HiddenNotYet, 30},
		{xinyong.HiddenLegalMax, 60}}
)

// minDays and maxDays bound the length in days of a period of m months.
func minDays(m int) int { return m*365/12 - 3 }
func maxDays(m int) int { return m*366/12 + 2 }

func daysBetween(a, b xinyong.Date) int {
	return int(b.Time().Sub(a.Time()).Round(24*time.Hour) / (24 * time.Hour))
}

func laterDate(a, b xinyong.Date) xinyong.Date {
	if a.Before(b) {
		return b
	}
	return a
}

func (g *demoGen) eligible(def *demoList, c *demoCore) int {
	if strings.IndexByte(def.kinds, c.typ) < 0 {
		return 0
	}
	switch c.typ {
	case typePerson:
		return def.pweight
	case typeCompany:
		if def.sectors != "" && strings.IndexByte(def.sectors, c.sector) < 0 {
			return 0
		}
	case typeBusiness:
		if def.tags != "" && strings.IndexByte(def.tags, demoShops[c.shop].tag) < 0 {
			return 0
		}
	}
	return def.weight
}

// entry draws entry j (0-based).
func (g *demoGen) entry(j int, e *demoEntry) {
	g.reseed(&g.ep, saltEntry, j)
	r := g.er
	*e = demoEntry{id: demoID('E', j+1), status: xinyong.StatusActive, public: 1}
	anomaly := -1
	if j >= g.firstAnomaly {
		anomaly = j - g.firstAnomaly
		e.id = AnomalousEntries[anomaly].ID
	}
	subj := j
	if j >= g.nSubj || anomaly >= 0 {
		subj = r.IntN(g.nSubj)
	}
	e.core = g.subjectCore(subj)
	c := &e.core
	e.subjectID = c.id()

	list := xinyong.ListBlack
	if r.IntN(100) < 45 && (anomaly < 0 || AnomalousEntries[anomaly].Field != "severity") {
		list = xinyong.ListRed
	}
	total := 0
	for k := range demoLists {
		if demoLists[k].list == list {
			total += g.eligible(&demoLists[k], c)
		}
	}
	x := r.IntN(total)
	for k := range demoLists {
		if demoLists[k].list != list {
			continue
		}
		w := g.eligible(&demoLists[k], c)
		if x < w {
			e.def = &demoLists[k]
			break
		}
		x -= w
	}
	def := e.def
	e.list, e.listName, e.dept = def.list, def.name, def.dept
	e.reasonIdx = r.IntN(len(def.reasons))
	e.years = def.years[r.IntN(len(def.years))]
	if list == xinyong.ListBlack {
		e.severity = [...]string{xinyong.SeverityMinor, xinyong.SeverityGeneral, xinyong.SeveritySerious, ""}[pick(r, def.sev[:]...)]
	}

	// How the entry stands on AsOf.
	e.standing = Public
	malformed := -1
	switch {
	case anomaly >= 0:
		malformed = anomaly
	case g.anomalies && j == subj && demoSpecial(c.num) != 0:
		// the subjects with bad codes are published
	case g.malformedPerM > 0 && r.IntN(1_000_000) < g.malformedPerM:
		malformed = r.IntN(len(AnomalousEntries))
		if AnomalousEntries[malformed].ID == "index" {
			malformed = 3 // an id with '/'
		}
	default:
		x := r.IntN(1000)
		table := demoRedStanding
		if list == xinyong.ListBlack {
			table = demoBlackStanding
		}
		for _, s := range table {
			if x < s.w {
				e.standing = s.s
				break
			}
			x -= s.w
		}
	}
	if e.standing == xinyong.HiddenLegalMax && e.severity == "" {
		e.severity = xinyong.SeverityGeneral
	}
	if e.standing == xinyong.HiddenRepaired && list == xinyong.ListRed {
		e.standing = xinyong.HiddenRemoved
	}
	var rules xinyong.Rules // the defaults, which know the demo's lists
	if proc, _ := rules.Procedure(&xinyong.Entry{List: list, ListName: def.name}); proc == xinyong.ProcedureCourt {
		// A court list has no legal maximum and no 信用修复: the court removes the entry, or its period ends.
		switch e.standing {
		case xinyong.HiddenLegalMax:
			e.standing = xinyong.HiddenExpired
		case xinyong.HiddenRepaired:
			e.standing = xinyong.HiddenRemoved
		}
	}
	g.dates(e)
	switch e.standing {
	case xinyong.HiddenRemoved:
		e.status = xinyong.StatusRemoved
	case xinyong.HiddenRepaired:
		e.status = xinyong.StatusRepaired
	case xinyong.HiddenRevoked:
		e.status = xinyong.StatusRevoked
	case xinyong.HiddenNotPublic:
		e.public = 0
	}

	// Text.
	ctx := demoCtx{g: g, r: r, e: e}
	e.reason = ctx.expand(def.reasons[e.reasonIdx].text)
	if r.IntN(100) >= 2 {
		e.basis = def.basis[r.IntN(len(def.basis))]
	}
	if r.IntN(100) >= 4 {
		e.decisionNo = ctx.expand(def.decision[r.IntN(len(def.decision))])
	}
	if r.IntN(100) >= 3 {
		g.buf.Reset()
		for k, m := range def.measures {
			if k >= def.must && r.IntN(2) == 0 {
				continue
			}
			if g.buf.Len() > 0 {
				g.buf.WriteByte('\n')
			}
			if strings.IndexByte(m, '{') >= 0 {
				m = ctx.expand(m)
			}
			g.buf.WriteString(m)
		}
		e.measures = g.buf.String()
	}
	e.decidedText, e.fromText, e.toText = e.decided.String(), e.from.String(), e.to.String()
	last := laterDate(e.decided, e.changed)
	e.updatedAt = g.timestamp(r, laterDate(last, minDate(last.AddDays(r.IntN(3)), g.asOf)))

	if malformed >= 0 {
		g.corrupt(e, j, malformed)
	}
}

func minDate(a, b xinyong.Date) xinyong.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// dates draws decided_on, valid_from, valid_to and status_changed_on to fit e.standing.
func (g *demoGen) dates(e *demoEntry) {
	r, asOf := g.er, g.asOf
	var rules xinyong.Rules // the defaults, which know the demo's lists
	black := e.list == xinyong.ListBlack
	x := xinyong.Entry{List: e.list, ListName: e.listName, Severity: e.severity}
	maxM := 0
	if proc, _ := rules.Procedure(&x); proc == xinyong.ProcedureAdmin && e.severity != "" {
		maxM, _ = xinyong.LegalMaxMonths(e.severity)
	}
	toM := 12 * e.years
	if maxM > 0 && toM > maxM {
		toM = maxM
	}
	setTo := r.IntN(100) < 95
	if black {
		setTo = r.IntN(100) < e.def.setTo
	}
	lag := 0
	if r.IntN(100) >= 35 { // mostly published within 7 working days
		// One in nine of these (about 7% of all entries) is published 13 days after the decision: later than
		// 7 working days, for xinyong timeliness to find. The draw is the same as before, so that the rest of
		// the data does not move.
		if lag = 1 + r.IntN(9); lag == 9 {
			lag = 13
		}
	}
	switch e.standing {
	case Public, xinyong.HiddenNotPublic:
		window := 1460
		if maxM > 0 {
			window = min(window, minDays(maxM))
		}
		if setTo {
			window = min(window, minDays(toM))
		}
		e.from = asOf.AddDays(-r.IntN(window + 1))
	case xinyong.HiddenExpired:
		setTo = true
		e.from = asOf.AddDays(-(maxDays(toM) + 1 + r.IntN(700)))
	case xinyong.HiddenNotYet:
		e.from = asOf.AddDays(1 + r.IntN(30))
		// Up to 15 days ago: some of these are past their 7 working days and still not public (overdue).
		e.decided = asOf.AddDays(-3 * r.IntN(6))
	case xinyong.HiddenLegalMax:
		e.from = asOf.AddDays(-(maxDays(maxM) + 1 + r.IntN(500)))
		if setTo = false; r.IntN(10) < 3 {
			e.to = asOf.AddDays(r.IntN(700)) // longer than the law allows
		}
	case xinyong.HiddenRepaired:
		minM, _ := xinyong.RepairMinMonths(e.severity)
		e.from = asOf.AddDays(-(maxDays(minM) + 11 + r.IntN(1000)))
	default: // removed, revoked
		e.from = asOf.AddDays(-(30 + r.IntN(1400)))
	}
	if setTo {
		e.to = e.from.AddMonths(toM)
	}
	if e.decided.IsZero() {
		e.decided = e.from.AddDays(-lag)
	}
	end := asOf
	if !e.to.IsZero() {
		end = minDate(end, e.to)
	}
	switch e.standing {
	case xinyong.HiddenRevoked:
		e.changed = minDate(e.from.AddDays(3+r.IntN(60)), asOf)
	case xinyong.HiddenRemoved:
		start := e.from.AddDays(30)
		if n := daysBetween(start, end); n >= 0 {
			e.changed = start.AddDays(r.IntN(n + 1))
		} else {
			e.changed = minDate(e.from.AddDays(1), asOf)
		}
	case xinyong.HiddenRepaired:
		x.ValidFrom = e.from
		start := rules.RepairFrom(&x)
		if start.IsZero() { // no severity: repair after a month
			start = e.from.AddDays(30)
		}
		if m := rules.LegalMaxEnd(&x); !m.IsZero() {
			end = minDate(end, m)
		}
		if n := daysBetween(start, end); n >= 0 {
			e.changed = start.AddDays(r.IntN(n + 1))
		} else {
			e.changed = minDate(start, asOf)
		}
	}
}

func (g *demoGen) timestamp(r *rand.Rand, d xinyong.Date) string {
	b := make([]byte, 0, 25)
	b = append(b, d.String()...)
	b = append(b, 'T')
	b = append2(b, 8+r.IntN(10))
	b = append(b, ':')
	b = append2(b, r.IntN(60))
	b = append(b, ':')
	b = append2(b, r.IntN(60))
	return string(append(b, "+08:00"...))
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

// corrupt makes e malformed in the way AnomalousEntries[k] says.
func (g *demoGen) corrupt(e *demoEntry, j, k int) {
	if f := AnomalousEntries[k].Field; g.postgres && (f == "decided_on" || f == "valid_from") {
		return // PostgreSQL cannot hold a date that is not a date
	}
	e.standing = xinyong.HiddenUnreadable
	fixed := j >= g.firstAnomaly
	num := e.id[1:]
	switch AnomalousEntries[k].ID {
	case "X-list-grey":
		e.list = "grey"
		e.severity = ""
	case "X-status-pending":
		e.status = "pending"
	case "X-reason-empty":
		e.reason = ""
	case "X/slash":
		if !fixed {
			e.id = "E/" + num
		}
	case "X space":
		if !fixed {
			e.id = "E " + num
		}
	case "X-信用":
		if !fixed {
			e.id = "E号" + num
		}
	case "X-subject-dangling":
		e.subjectID = demoID('S', g.nSubj+1+j)
	case "X-dept-dangling":
		e.dept = "lyj"
	case "X-valid-to-before-from":
		e.toText = e.from.AddDays(-1 - g.er.IntN(200)).String()
	case "X-date-feb30":
		y, _, _ := e.from.Time().Date()
		e.fromText = strconv.Itoa(y) + "-02-30"
	case "X-date-slash":
		e.decidedText = strings.ReplaceAll(e.decidedText, "-", "/")
	case "X-severity-bad":
		if e.list == xinyong.ListBlack {
			e.severity = "critical"
		} else {
			e.list = "grey" // a scattered one drawn red: make the list unknown instead
		}
	}
}

// ---- text ----

// demoCtx fills the {placeholders} of templates for one entry (and its case).
type demoCtx struct {
	g     *demoGen
	r     *rand.Rand
	e     *demoEntry
	who   string // for case titles
	depth int
}

// expand replaces each {key} of s.
func (c *demoCtx) expand(s string) string {
	if strings.IndexByte(s, '{') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 32)
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		n := strings.IndexByte(s[i:], '}')
		if n < 0 {
			panic("demo: unclosed placeholder in " + s)
		}
		b.WriteString(s[:i])
		c.fill(&b, s[i+1:i+n])
		s = s[i+n+1:]
	}
}

func (c *demoCtx) year() int {
	y, _, _ := c.e.decided.Time().Date()
	return y
}

func (c *demoCtx) oneOf(list []string) string { return list[c.r.IntN(len(list))] }

// demoWordSlots are the placeholders filled with one word from a list.
var demoWordSlots = map[string][]string{
	"oil":       demoOilBlocks,
	"product":   demoProducts,
	"licensed":  demoLicensed,
	"mark":      demoMarks,
	"accident":  demoAccidents,
	"hazard":    demoHazards,
	"pollutant": demoPollutants,
	"food":      demoFoods,
	"transport": demoTransports,
	"src":       demoSources,
}

func (c *demoCtx) fill(b *strings.Builder, key string) {
	r := c.r
	switch key {
	case "y":
		b.WriteString(strconv.Itoa(c.year()))
	case "y1":
		b.WriteString(strconv.Itoa(c.year() - 1))
	case "y2":
		b.WriteString(strconv.Itoa(c.year() - 2))
	case "n":
		b.WriteString(strconv.Itoa(1 + r.IntN(150)))
	case "n4":
		b.WriteString(strconv.Itoa(1 + r.IntN(3000)))
	case "n6":
		fmt.Fprintf(b, "%06d", r.IntN(1_000_000))
	case "court":
		b.WriteString(c.oneOf(demoCourts))
	case "cnn":
		b.WriteString(demoCnNum[3+r.IntN(4)])
	case "ny":
		b.WriteString(demoCnNum[min(c.e.years, 10)] + "年")
	case "amount":
		v := 0.5 + 600*r.Float64()*r.Float64()*r.Float64()
		b.WriteString(strconv.FormatFloat(v, 'f', 2, 64) + "万元")
	case "bigamount": // above the thresholds of 重大税收违法 and 拒不支付劳动报酬罪
		v := 10 + 900*r.Float64()*r.Float64()*r.Float64()
		b.WriteString(strconv.FormatFloat(v, 'f', 2, 64) + "万元")
	case "workers":
		b.WriteString(strconv.Itoa(6 + r.IntN(140)))
	case "invoices":
		b.WriteString(strconv.Itoa(5 + r.IntN(300)))
	case "hours":
		b.WriteString(strconv.Itoa(200 + r.IntN(1800)))
	case "tons":
		b.WriteString(strconv.Itoa(1 + r.IntN(80)))
	case "deaths":
		b.WriteString(strconv.Itoa(1 + r.IntN(3)))
	case "multiple":
		b.WriteString(strconv.FormatFloat(0.2+r.Float64()*5, 'f', 1, 64))
	case "period":
		y := c.year()
		fmt.Fprintf(b, "%d年%d月至%d年%d月", y-3+r.IntN(2), 1+r.IntN(12), y-1, 1+r.IntN(12))
	case "date":
		b.WriteString(c.e.decided.AddDays(-(20 + r.IntN(300))).Chinese())
	case "judgment":
		y := c.year() - 1 - r.IntN(2)
		if kind := c.oneOf(demoJudgments); kind == "仲裁裁决书" {
			fmt.Fprintf(b, "盘锦仲裁委员会(%d)盘仲字第%d号裁决书", y, 1+r.IntN(400))
		} else {
			fmt.Fprintf(b, "(%d)辽%s民初%d号%s", y, c.oneOf(demoCourts), 1+r.IntN(9000), kind)
		}
	case "project":
		if c.depth < 2 {
			c.depth++
			b.WriteString(c.expand(c.oneOf(demoProjects)))
			c.depth--
		} else {
			b.WriteString("工程")
		}
	case "town":
		towns := demoTowns[c.e.core.district]
		if towns == nil {
			towns = demoTowns["211103"]
		}
		b.WriteString(c.oneOf(towns))
	case "dist":
		b.WriteString(demoDistrictNames[c.e.core.district])
	case "port":
		b.WriteString(strconv.Itoa(1 + r.IntN(30)))
	case "plate":
		const plate = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
		b.WriteString("辽L")
		for range 5 {
			b.WriteByte(plate[r.IntN(len(plate))])
		}
	case "who":
		b.WriteString(c.who)
	case "short":
		b.WriteString(c.e.def.reasons[c.e.reasonIdx].short)
	case "list":
		b.WriteString(c.e.listName)
	default:
		words, ok := demoWordSlots[key]
		if !ok {
			panic("demo: unknown placeholder {" + key + "}")
		}
		b.WriteString(c.oneOf(words))
	}
}

// who says who a case is about without naming it: 盘锦某化工企业, 兴隆台区某饭店, 王某某.
func (c *demoCtx) whoText() string {
	core := &c.e.core
	dist := demoDistrictNames[core.district]
	if core.district == "211100" || c.r.IntN(3) == 0 {
		dist = "盘锦"
	}
	switch core.typ {
	case typeCompany:
		return dist + "某" + demoIndustries[core.industry].short + "企业"
	case typeCoop:
		return dist + "某农民专业合作社"
	case typeInst:
		return dist + "某事业单位"
	case typeNonprof:
		return dist + "某民办非企业单位"
	case typeBusiness:
		return dist + "某" + demoShops[core.shop].name
	}
	return string(core.surname) + "某某"
}

// ---- cases ----

type demoCase struct {
	id, kind, title, summary, body, subjectID, dept string
	published, changed                              xinyong.Date
	status, updatedAt, standing                     string
}

// Cases whose standing is fixed, by 0-based number, so that every database has them.
const (
	demoCaseFuture1         = 1 // published_on after AsOf
	demoCaseWithdrawn       = 4 // withdrawn after it was published
	demoCaseFuture2         = 7
	demoCaseWithdrawnFuture = 9 // withdrawn before it was due
)

func (g *demoGen) deptName(code string) string {
	for _, d := range demoDepartments {
		if d.code == code {
			return d.name
		}
	}
	return code
}

// kase draws case k (0-based) from an entry it tells the story of.
func (g *demoGen) kase(k int) demoCase {
	g.reseed(&g.cp, saltCase, k)
	r := g.cr
	limit := min(g.nSubj, g.firstAnomaly)
	var e demoEntry
	for try := 0; ; try++ {
		g.entry(r.IntN(limit), &e)
		if s := e.standing; s == Public || s == xinyong.HiddenExpired || try == 30 && s != xinyong.HiddenUnreadable {
			break
		}
	}
	ctx := demoCtx{g: g, r: r, e: &e}
	ctx.who = ctx.whoText()
	def := e.def
	c := demoCase{id: demoID('C', k+1), kind: xinyong.CaseReward, subjectID: e.subjectID, dept: e.dept,
		status: xinyong.CasePublished, standing: Public}
	reward := e.list == xinyong.ListRed
	if !reward {
		c.kind = xinyong.CasePunishment
	}
	if r.IntN(100) < 15 {
		c.subjectID = ""
	}
	if r.IntN(100) < 20 {
		c.dept = "fgw"
	}

	// Title.
	person := e.core.typ == typePerson
	switch {
	case len(def.titles) > 0 && (!person || def.kinds == "p") && r.IntN(4) > 0:
		c.title = ctx.expand(def.titles[r.IntN(len(def.titles))])
	case reward && person:
		c.title = ctx.expand("{who}被认定为{list} 享受公共服务便利")
	case reward:
		c.title = ctx.expand("{who}列入{list} 享受守信联合激励")
	default:
		c.title = ctx.expand("{who}因{short}被列入{list}")
	}

	// Dates.
	c.published = minDate(e.decided.AddDays(15+r.IntN(100)), g.asOf.AddDays(-r.IntN(10)))
	c.published = laterDate(c.published, e.decided)
	future := k == demoCaseFuture1 || k == demoCaseFuture2 || k == demoCaseWithdrawnFuture || r.IntN(100) < 3
	withdrawn := k == demoCaseWithdrawn || k == demoCaseWithdrawnFuture || r.IntN(100) < 10
	if future {
		c.published = g.asOf.AddDays(1 + r.IntN(20))
		c.standing = xinyong.HiddenNotYet
	}
	last := c.published
	if future {
		last = g.asOf.AddDays(-r.IntN(3))
	}
	if withdrawn {
		c.status, c.standing = xinyong.CaseWithdrawn, xinyong.HiddenWithdrawn
		if future {
			c.changed = last
		} else {
			c.changed = minDate(c.published.AddDays(5+r.IntN(200)), g.asOf)
			last = c.changed
		}
	}
	c.updatedAt = g.timestamp(r, last)

	// Summary and body.
	deptName := g.deptName(e.dept)
	measures := strings.Split(e.measures, "\n")
	if e.measures == "" {
		measures = def.measures[:def.must]
	}
	effect := "激励"
	if !reward {
		effect = "惩戒"
	}
	listPhrase := e.listName
	if !strings.HasSuffix(listPhrase, "名单") && !strings.HasSuffix(listPhrase, "名录") {
		listPhrase += "名单"
	}
	c.summary = fmt.Sprintf("%s，%s将%s列入%s。相关部门依法对其实施%s等联合%s措施。",
		e.from.Chinese(), deptName, ctx.who, listPhrase, strings.TrimSuffix(measures[0], "。"), effect)

	var b strings.Builder
	b.WriteString("## 基本情况\n\n")
	switch e.core.typ {
	case typePerson:
		fmt.Fprintf(&b, "%s，%s人。", ctx.who, demoDistrictNames[e.core.district])
	case typeBusiness:
		fmt.Fprintf(&b, "%s系个体工商户，%d年开业。", ctx.who, e.from.Time().Year()-2-r.IntN(15))
	default:
		fmt.Fprintf(&b, "%s成立于%d年，登记地为%s。", ctx.who, e.from.Time().Year()-2-r.IntN(20), demoDistrictNames[e.core.region])
	}
	fmt.Fprintf(&b, "%s，%s", e.decided.Chinese(), deptName)
	if e.basis != "" {
		fmt.Fprintf(&b, "依据%s", e.basis)
	}
	fmt.Fprintf(&b, "，将其列入**%s**", listPhrase)
	if e.decisionNo != "" {
		fmt.Fprintf(&b, "（%s）", e.decisionNo)
	}
	b.WriteString("。\n\n## 认定事由\n\n")
	b.WriteString(e.reason)
	fmt.Fprintf(&b, "\n\n## 联合%s措施\n\n", effect)
	fmt.Fprintf(&b, "根据《盘锦市关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设实施方案》，各相关部门对其实施以下联合%s措施：\n\n", effect)
	for _, m := range measures {
		b.WriteString("- " + m + "\n")
	}
	b.WriteString("\n## 实施效果\n\n")
	later := minDate(e.from.AddDays(30+r.IntN(300)), g.asOf).Chinese()
	switch v := r.IntN(3); {
	case reward && (person || v == 0):
		fmt.Fprintf(&b, "%s的守信事迹在“信用盘锦”网站宣传推介后，社会反响良好，"+
			"**“守信者处处受益”的社会氛围日益浓厚**。", ctx.who)
	case reward && v == 1:
		days := 10 + r.IntN(20)
		fmt.Fprintf(&b, "享受“绿色通道”和“容缺受理”后，%s办理相关审批事项的时间由%d个工作日缩短至%d个工作日，"+
			"**真正体现了“守信者处处受益”**。", ctx.who, days, 1+r.IntN(days/2))
	case reward:
		fmt.Fprintf(&b, "%s，合作银行依据其良好信用记录向%s发放信用贷款%s，**以信用换资金**，有效缓解了融资难题。",
			later, ctx.who, ctx.expand("{amount}"))
	case v == 0:
		fmt.Fprintf(&b, "联合惩戒措施实施后，%s于%s主动纠正失信行为、履行相关义务，**“失信者寸步难行”的震慑效应进一步显现**。",
			ctx.who, later)
	case v == 1:
		fmt.Fprintf(&b, "%s在申请财政性资金项目和参与公共资源交易时受到限制，"+
			"**切实感受到“一处失信、处处受限”**，目前正积极整改，并表示将依法申请信用修复。", ctx.who)
	default:
		fmt.Fprintf(&b, "该案经“信用盘锦”网站公开曝光后，对同行业市场主体起到了**警示教育作用**。"+
			"%s以来，%s同类失信行为明显减少。", later, demoDistrictNames[e.core.district])
	}
	b.WriteString("\n\n")
	if r.IntN(100) < 40 {
		b.WriteString("| 项目 | 内容 |\n| --- | --- |\n")
		fmt.Fprintf(&b, "| 认定部门 | %s |\n| 名单名称 | %s |\n| 列入日期 | %s |\n", deptName, e.listName, e.from.Chinese())
		if e.decisionNo != "" {
			fmt.Fprintf(&b, "| 文书编号 | %s |\n", e.decisionNo)
		}
		b.WriteString("\n")
	}
	b.WriteString("更多信用信息可登录[“信用中国”网站](https://www.creditchina.gov.cn/)或“信用盘锦”网站查询。\n")
	c.body = b.String()
	return c
}
