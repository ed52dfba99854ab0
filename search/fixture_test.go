package search

import (
	"context"
	"fmt"
	"iter"
	"path/filepath"
	"testing"

	"xinyong"
)

// docsOf returns ds as the sequence Build takes.
func docsOf(ds []Doc) iter.Seq2[Doc, error] {
	return func(yield func(Doc, error) bool) {
		for _, d := range ds {
			if !yield(d, nil) {
				return
			}
		}
	}
}

func date(s string) xinyong.Date {
	d, err := xinyong.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Codes of the fixture, made valid by xinyong.MakeCreditCode.
var (
	codeXinyuan      = xinyong.MakeCreditCode("91211103", "MA0XY123")
	codeXinyuanTrade = xinyong.MakeCreditCode("91211102", "MA0XY456")
	codeLiaoning     = xinyong.MakeCreditCode("91210000", "12345678")
	codeZhangji      = xinyong.MakeCreditCode("92211103", "MA0HJ001")
	codeLiaohe       = xinyong.MakeCreditCode("91211100", "MA0LH001")
	codeOilfield     = xinyong.MakeCreditCode("91211100", "MA0LH002")
	codeABC          = xinyong.MakeCreditCode("91211103", "MA0AB001")
	codeXinyuanLoan  = xinyong.MakeCreditCode("91211103", "MA0DK001")
	// A lenient code: the department reported it with a wrong check character, and it is published so.
	codeLenient = lenient(xinyong.MakeCreditCode("91211103", "MA0JX001"))
	codeLuyuan  = xinyong.MakeCreditCode("91211122", "MA0LY001")
)

// lenient returns code with a wrong check character.
func lenient(code string) string {
	c := byte('A')
	if code[17] == 'A' {
		c = 'B'
	}
	return code[:17] + string(c)
}

// The 认定文号 of the fixture's entries.
const (
	decisionXinyuan = "盘环罚〔2026〕142号"
	decisionLiaohe  = "盘税〔2025〕7号"
)

// The ID number of the natural person 张三 in the fixture: it must never reach the index.
var zhangsanID = xinyong.MakeIDNumber("211103", date("1990-01-01"), 123)

// fixture returns about thirty realistic Panjin subjects and cases.
func fixture() []Doc {
	subj := func(name, code, list, listName, dept, district, d string) Doc {
		id := code
		if id == "" {
			id = fmt.Sprintf("S%04d", len(name)*7+len(d))
		}
		return Doc{
			Kind: KindSubject, ID: id, URL: "/subjects/" + id + "/", Name: name, Code: code,
			Lists: []string{list}, ListNames: []string{listName}, Departments: []string{dept},
			Districts: []string{district}, Date: date(d), Summary: listName,
		}
	}
	n := 0
	gen := func(region string) string {
		n++
		return xinyong.MakeCreditCode(region, fmt.Sprintf("MA0G%04d", n))
	}
	const (
		black, red   = xinyong.ListBlack, xinyong.ListRed
		serious      = "严重违法失信企业名单"
		taxA         = "纳税信用A级纳税人"
		executed     = "失信被执行人"
		market, tax  = "市市场监督管理局", "国家税务总局盘锦市税务局"
		court, ecoDp = "盘锦市中级人民法院", "市生态环境局"
	)
	ds := []Doc{
		subj("盘锦鑫源化工有限公司", codeXinyuan, black, serious, market, "211103", "2026-03-01"),
		subj("盘锦鑫源化工贸易有限公司", codeXinyuanTrade, red, taxA, tax, "211102", "2026-01-10"),
		subj("辽宁鑫源化工集团", codeLiaoning, red, taxA, tax, "211100", "2025-12-01"),
		subj("盘锦市鑫源小额贷款有限公司", codeXinyuanLoan, red, taxA, tax, "211103", "2025-11-01"),
		subj("盘锦市兴隆台区张记餐馆", codeZhangji, black, serious, market, "211103", "2026-02-15"),
		subj("盘锦（辽河）石油装备有限公司", codeLiaohe, red, taxA, tax, "211100", "2025-10-01"),
		subj("盘锦辽河油田建设有限公司", codeOilfield, black, serious, ecoDp, "211103", "2025-09-01"),
		subj("盘锦ABC科技有限公司", codeABC, red, taxA, tax, "211103", "2025-08-01"),
		subj("盘锦大洼区新兴农业专业合作社", gen("93211104"), red, taxA, tax, "211104", "2025-07-01"),
		subj("盘锦双台子区红旗大街李四五金店", gen("92211102"), black, serious, market, "211102", "2025-06-01"),
		subj("盘锦市兴隆台区王五烧烤店", gen("92211103"), black, serious, market, "211103", "2025-05-01"),
		subj("盘锦宏达建筑工程有限公司", gen("91211103"), black, serious, market, "211103", "2025-04-01"),
		subj("盘锦宏达物流有限公司", gen("91211102"), red, taxA, tax, "211102", "2025-03-01"),
		subj("盘锦北方沥青股份有限公司", gen("91211100"), red, taxA, tax, "211100", "2025-02-01"),
		subj("盘锦华锦化工有限责任公司", gen("91211100"), black, serious, ecoDp, "211100", "2025-01-01"),
		subj("盘山县鼎盛米业有限公司", gen("91211122"), red, taxA, tax, "211122", "2024-12-01"),
		subj("盘锦市红海滩旅游开发有限公司", gen("91211104"), red, taxA, tax, "211104", "2024-11-01"),
		subj("盘锦港集团有限公司", gen("91211100"), red, taxA, tax, "211100", "2024-10-01"),
		subj("盘锦中润石油化工有限公司", gen("91211100"), black, serious, ecoDp, "211100", "2024-09-01"),
		subj("盘锦市第一建筑工程有限公司", gen("91211100"), red, taxA, tax, "211100", "2024-08-01"),
		subj("盘锦天成电力工程有限公司", gen("91211102"), red, taxA, tax, "211102", "2024-07-01"),
		subj("盘锦海川水产养殖有限公司", gen("91211104"), black, serious, market, "211104", "2024-06-01"),
		subj("大洼区田庄台镇刘记海鲜酒楼", gen("92211104"), black, serious, market, "211104", "2024-05-01"),
		subj("盘锦润泽医药连锁有限公司", gen("91211103"), red, taxA, tax, "211103", "2024-04-01"),
		subj("盘锦恒信建设工程有限公司", gen("91211103"), black, serious, market, "211103", "2024-03-01"),
		subj("大洼区田庄台镇渔港5号", gen("92211104"), red, taxA, market, "211104", "2024-02-10"),
		subj("盘锦宏远机械制造有限公司", codeLenient, black, serious, market, "211103", "2024-02-01"),
		// Registered in traditional characters: found by its simplified spelling too.
		subj("盤山縣綠源農業發展有限公司", codeLuyuan, red, taxA, tax, "211122", "2024-01-01"),
	}
	ds[0].Entries = []Entry{
		{ID: "E0000003", List: black, DecisionNo: decisionXinyuan},
		{ID: "E0000004", List: black, DecisionNo: "盘市监罚字〔2026〕第12号"},
	}
	ds[5].Entries = []Entry{{ID: "E0000010", List: red, DecisionNo: decisionLiaohe}}
	ds[7].Entries = []Entry{{ID: "E0000011", List: red}} // no 认定文号
	// Natural persons: searchable by name only. 张三's ID number was put in the code and in the summary
	// by mistake, and must be dropped and masked.
	zhangsan := subj("张三", "", black, executed, court, "211103", "2026-03-10")
	zhangsan.ID, zhangsan.URL, zhangsan.Person = "P0001", "/subjects/P0001/", true
	zhangsan.Code = zhangsanID
	zhangsan.Summary = "失信被执行人，身份证号 " + zhangsanID
	zhangsan.Entries = []Entry{{ID: "E0000020", List: black, DecisionNo: "（2026）辽1103执" + zhangsanID + "号"}}
	sanfeng := subj("张三丰", "", red, "诚信个人", court, "211102", "2025-05-05")
	sanfeng.ID, sanfeng.URL, sanfeng.Person = "P0002", "/subjects/P0002/", true
	liming := subj("李明", "", black, executed, court, "211104", "2026-01-20")
	liming.ID, liming.URL, liming.Person = "P0003", "/subjects/P0003/", true
	ds = append(ds, zhangsan, sanfeng, liming)

	ds = append(ds,
		Doc{Kind: KindCase, ID: "2026-001", URL: "/cases/2026-001/", Name: "盘锦鑫源化工有限公司拒不履行行政处罚决定案",
			Lists: []string{black}, Departments: []string{market}, Districts: []string{"兴隆台区"},
			Date: date("2026-02-01"), Summary: "某化工企业拒不履行行政处罚决定，被列入严重违法失信名单。"},
		Doc{Kind: KindCase, ID: "C0000001", URL: "/cases/C0000001/", Name: "张记餐馆诚信经营获评守信主体",
			Lists: []string{red}, Departments: []string{market}, Districts: []string{"211103"},
			Date: date("2026-01-05"), Summary: "餐馆多年诚信经营。"},
	)
	return ds
}

// openFixture builds the fixture into a temporary directory and opens it.
func openFixture(t testing.TB) *Index {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), dir, docsOf(fixture())); err != nil {
		t.Fatal(err)
	}
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}
