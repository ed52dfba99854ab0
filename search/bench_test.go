package search

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/longbridgeapp/opencc"

	"xinyong"
)

// benchDocs is the size of the synthetic corpus of the benchmarks.
const benchDocs = 100_000

// Vocabulary of the synthetic names: realistic shapes, a small alphabet of trade-name characters, so that
// bigrams repeat across names as they do in real data.
var (
	synPrefixes   = []string{"盘锦", "盘锦市", "盘锦市兴隆台区", "盘锦市双台子区", "盘锦市大洼区", "盘山县", "辽宁", ""}
	synTradeChars = []rune("鑫源华润宏达恒信天成海川北方中兴隆盛鼎丰泰和安康瑞祥金银福德昌明辉煌永新利民富强东西南北" +
		"春秋红绿蓝辽河油田港湾滨湖碧水蓝天锦绣前程百合玉兰凤凰龙腾虎跃精诚万家万通广源博远亿达")
	synIndustries = []string{"化工", "石油装备", "建筑工程", "物流", "餐饮管理", "科技", "农业发展", "水产养殖",
		"医药连锁", "电力工程", "房地产开发", "商贸", "机械制造", "环保科技", "旅游开发", "石油化工"}
	synForms      = []string{"有限公司", "有限责任公司", "股份有限公司", "有限公司分公司"}
	synShops      = []string{"餐馆", "五金店", "超市", "烧烤店", "理发店", "海鲜酒楼", "汽车修理部"}
	synSurnames   = []rune("王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗")
	synGiven      = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
	synListNames  = []string{"纳税信用A级纳税人", "严重违法失信企业名单", "失信被执行人", "守合同重信用企业", "环境信用不良企业"}
	synDeps       = []string{"市市场监督管理局", "国家税务总局盘锦市税务局", "盘锦市中级人民法院", "市生态环境局", "市住房和城乡建设局"}
	synDistricts  = []string{"211100", "211102", "211103", "211104", "211122"}
	synCasePhrase = []string{"拒不履行行政处罚决定案", "诚信经营获评守信主体", "偷逃税款被列入黑名单案", "信用修复典型案例"}
)

// synCode returns the i-th synthetic credit code: unique, valid.
func synCode(i int, region string) string {
	body := []byte("MA000000")
	for j := 7; j >= 2 && i > 0; j-- {
		body[j] = xinyong.CodeAlphabet[i%len(xinyong.CodeAlphabet)]
		i /= len(xinyong.CodeAlphabet)
	}
	return xinyong.MakeCreditCode("91"+region, string(body))
}

// synthDocs returns n deterministic synthetic documents: 90% subjects (a tenth of them natural persons, a
// fifth individual businesses) and 10% cases.
func synthDocs(n int) []Doc {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(ss []string) string { return ss[r.IntN(len(ss))] }
	runes := func(rs []rune, k int) string {
		b := make([]rune, k)
		for i := range b {
			b[i] = rs[r.IntN(len(rs))]
		}
		return string(b)
	}
	ds := make([]Doc, 0, n)
	for i := range n {
		district := pick(synDistricts)
		list := xinyong.ListRed
		if r.IntN(2) == 0 {
			list = xinyong.ListBlack
		}
		d := Doc{
			Kind: KindSubject, ID: fmt.Sprintf("S%07d", i), Lists: []string{list},
			ListNames: []string{pick(synListNames)}, Departments: []string{pick(synDeps)},
			Districts: []string{district}, Date: xinyong.NewDate(2023+r.IntN(4), time.Month(1+r.IntN(12)), 1+r.IntN(28)),
		}
		switch k := r.IntN(100); {
		case k < 10:
			d.Kind, d.ID = KindCase, fmt.Sprintf("C%07d", i)
			d.Name = pick(synPrefixes) + runes(synTradeChars, 2) + pick(synIndustries) + pick(synCasePhrase)
		case k < 19:
			d.Person = true
			d.Name = runes(synSurnames, 1) + runes(synGiven, 1+r.IntN(2))
		case k < 37:
			d.Name = pick(synPrefixes) + runes(synTradeChars, 2) + pick(synShops)
			d.Code = synCode(i, district)
		default:
			d.Name = pick(synPrefixes) + runes(synTradeChars, 2+r.IntN(2)) + pick(synIndustries) + pick(synForms)
			d.Code = synCode(i, district)
		}
		if d.Code != "" {
			d.ID = d.Code
			d.URL = "/subjects/" + d.Code + "/"
		} else if d.Kind == KindCase {
			d.URL = "/cases/" + d.ID + "/"
		} else {
			d.URL = "/subjects/" + d.ID + "/"
		}
		d.Summary = d.ListNames[0] + "：" + d.Name
		if d.Kind == KindSubject {
			// One public entry, a third of the subjects two; derived from i, not r, so that the names and
			// codes are those of the corpus before entries were indexed.
			for k := range 1 + min(1, i%3/2) {
				d.Entries = append(d.Entries, Entry{ID: fmt.Sprintf("E%07d", 2*i+k), List: list,
					DecisionNo: fmt.Sprintf("盘市监罚〔%d〕%d号", 2023+i%4, 2*i+k)})
			}
		}
		ds = append(ds, d)
	}
	return ds
}

// BenchmarkBuild indexes benchDocs synthetic documents; it reports documents per second and index size.
//
//	go test ./search -run '^$' -bench BenchmarkBuild -benchtime 3x
func BenchmarkBuild(b *testing.B) {
	docs := synthDocs(benchDocs)
	var st Stats
	start := time.Now()
	builds := 0
	for b.Loop() {
		var err error
		st, err = Build(context.Background(), filepath.Join(b.TempDir(), fmt.Sprint(builds)), docsOf(docs))
		if err != nil {
			b.Fatal(err)
		}
		builds++
	}
	b.ReportMetric(float64(builds*benchDocs)/time.Since(start).Seconds(), "docs/s")
	b.ReportMetric(float64(st.Bytes), "index-bytes")
	b.ReportMetric(float64(st.Bytes)/benchDocs, "bytes/doc")
}

// BenchmarkSimplify measures the conversion of names to simplified characters (simplify) on the names of
// the synthetic corpus, as prepare does it once per document: "names" as indexed (skipping the names with
// no character the dictionaries change), "convert_all" with the converter called on every name, and
// "traditional" on the same names written in traditional characters (s2t), each of which is converted.
//
//	go test ./search -run '^$' -bench BenchmarkSimplify
func BenchmarkSimplify(b *testing.B) {
	docs := synthDocs(benchDocs)
	names := make([]string, len(docs))
	for i, d := range docs {
		names[i] = d.Name
	}
	loadT2S()
	s2t, err := opencc.New("s2t")
	if err != nil {
		b.Fatal(err)
	}
	trad := make([]string, 0, 2000)
	for _, n := range names[:2000] {
		t, err := s2t.Convert(n)
		if err != nil {
			b.Fatal(err)
		}
		trad = append(trad, t)
	}
	run := func(b *testing.B, names []string, f func(string) string) {
		i, converted := 0, 0
		for b.Loop() {
			n := names[i%len(names)]
			if f(n) != n {
				converted++
			}
			i++
		}
		b.ReportMetric(float64(converted)/float64(i), "converted/name")
	}
	b.Run("names", func(b *testing.B) { run(b, names, simplify) })
	b.Run("convert_all", func(b *testing.B) {
		run(b, names, func(s string) string { s, _ = t2s.cc.Convert(s); return s })
	})
	b.Run("traditional", func(b *testing.B) { run(b, trad, simplify) })
}

// benchQueries returns the query mix of BenchmarkSearch by kind, drawn from the corpus.
func benchQueries(docs []Doc) map[string][]string {
	r := rand.New(rand.NewPCG(3, 4))
	qs := map[string][]string{}
	for len(qs["full_name"]) < 200 {
		d := docs[r.IntN(len(docs))]
		rs := []rune(d.Name)
		qs["full_name"] = append(qs["full_name"], d.Name)
		if d.Code != "" && len(qs["code"]) < 200 {
			qs["code"] = append(qs["code"], d.Code)
			qs["code_lower_spaced"] = append(qs["code_lower_spaced"], strings.ToLower(d.Code[:9]+" "+d.Code[9:]))
			qs["code_prefix"] = append(qs["code_prefix"], d.Code[:8+r.IntN(9)])
			qs["code_bad_check"] = append(qs["code_bad_check"], d.Code[:17]+string(otherCheck(d.Code[17])))
		}
		if len(rs) >= 6 {
			from := r.IntN(len(rs) - 4)
			qs["partial_name"] = append(qs["partial_name"], string(rs[from:from+2+r.IntN(3)]))
		}
		qs["one_char"] = append(qs["one_char"], string(rs[r.IntN(len(rs))]))
	}
	qs["miss"] = []string{"不存在的企业名称", "北京字节跳动科技有限公司", "91110000MA00ABCD12", "ZZZZ", "量子引力研究所"}
	qs["common"] = []string{"有限公司", "盘锦市", "盘锦", "公司", "化工"}
	return qs
}

// BenchmarkSearch runs a realistic query mix against a benchDocs index and reports latency percentiles
// per kind of query and for the mix.
//
//	go test ./search -run '^$' -bench BenchmarkSearch -benchtime 2000x
func BenchmarkSearch(b *testing.B) {
	docs := synthDocs(benchDocs)
	dir := filepath.Join(b.TempDir(), "index")
	if _, err := Build(context.Background(), dir, docsOf(docs)); err != nil {
		b.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer x.Close()
	qs := benchQueries(docs)
	var mix []string
	for _, kind := range slices.Sorted(maps.Keys(qs)) {
		mix = append(mix, qs[kind]...)
		b.Run(kind, func(b *testing.B) { benchQueryList(b, x, qs[kind]) })
	}
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(mix), func(i, j int) { mix[i], mix[j] = mix[j], mix[i] })
	b.Run("mix", func(b *testing.B) { benchQueryList(b, x, mix) })
}

func benchQueryList(b *testing.B, x *Index, qs []string) {
	ctx := context.Background()
	var took []time.Duration
	i := 0
	for b.Loop() {
		q := qs[i%len(qs)]
		i++
		start := time.Now()
		if _, err := x.Search(ctx, Request{Q: q}); err != nil {
			b.Fatalf("%q: %v", q, err)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	pct := func(p float64) float64 { return float64(took[int(p*float64(len(took)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}

// BenchmarkNight compares, at benchDocs documents, the index of a busy night built afresh (Build) and from
// the night before's (Update): 1% of the documents changed, 0.2% removed, 0.2% new. Each iteration builds
// both, alternately, so that the machine's load weighs on both alike; it reports the medians and their
// ratio.
//
//	go test ./search -run '^$' -bench BenchmarkNight -benchtime 3x
func BenchmarkNight(b *testing.B) {
	all := synthDocs(benchDocs + benchDocs/500)
	docs := all[:benchDocs]
	var next []Doc
	for i, d := range docs {
		switch {
		case i%500 == 11:
			continue // repaired
		case i%100 == 7:
			d.Summary += "（更正）"
		case i%100 == 57:
			d.Name += "（更正）"
		}
		next = append(next, d)
	}
	next = append(next, all[benchDocs:]...)
	ctx := context.Background()
	prev := filepath.Join(b.TempDir(), "prev")
	if _, err := Build(ctx, prev, docsOf(docs)); err != nil {
		b.Fatal(err)
	}
	var full, update []time.Duration
	var st Stats
	i := 0
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		if _, err := Build(ctx, filepath.Join(dir, fmt.Sprint("full", i)), docsOf(next)); err != nil {
			b.Fatal(err)
		}
		full = append(full, time.Since(start))
		start = time.Now()
		var err error
		if st, err = Update(ctx, filepath.Join(dir, fmt.Sprint("update", i)), prev, docsOf(next)); err != nil || !st.Incremental {
			b.Fatal(err, st.Fallback)
		}
		update = append(update, time.Since(start))
		i++
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return ds[len(ds)/2].Seconds()
	}
	b.ReportMetric(median(full), "full-s")
	b.ReportMetric(median(update), "update-s")
	b.ReportMetric(median(update)/median(full), "update/full")
	b.ReportMetric(float64(st.Added+st.Changed+st.Deleted), "docs-changed")
}
