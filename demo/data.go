package demo

// Word lists and list definitions of the demo database. The wording of lists, measures and reasons follows
// 盘锦市《关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设实施方案》 and the national rules
// each list rests on. Everything here is data; demo.go does the drawing.

// demoDept is a department of the demo database. prefix is the first 8 characters of its credit code and
// body the organisation-code body; both are fixed, so departments are the same whatever the seed. phone is
// a Panjin number (area code 0427) whose local part starts with 0, which no local number does (0 is the
// trunk prefix): obviously fictitious, so nobody calls a real office about a demo entry.
//
// address and hours fill the optional columns of the same names for some departments (the others leave them
// empty, as a real exchange database may): a 示例路 that no map has, so that no one goes to a real office.
type demoDept struct {
	code, name, prefix, body, phone string
	address, hours                  string
}

var demoDepartments = []demoDept{
	{"fgw", "盘锦市发展和改革委员会（市信用办）", "11211100", "00125413", "0427-0826103", "盘锦市兴隆台区示例路1号（演示数据）", "工作日 8:30—11:30，13:30—17:00"},
	{"dsj", "盘锦市大数据管理中心", "12211100", "33687241", "0427-0866917", "", ""},
	{"scjg", "盘锦市市场监督管理局", "11211100", "00125472", "0427-0825110", "盘锦市兴隆台区示例路2号（演示数据）", "工作日 8:30—11:30，13:30—17:00"},
	{"sw", "国家税务总局盘锦市税务局", "11211100", "56462135", "0427-0838566", "盘锦市双台子区示例路3号（演示数据）", ""},
	{"rsj", "盘锦市人力资源和社会保障局", "11211100", "00125538", "0427-0825387", "", "工作日 9:00—17:00"},
	{"zjj", "盘锦市住房和城乡建设局", "11211100", "00125587", "0427-0824561", "", ""},
	{"sthj", "盘锦市生态环境局", "11211100", "00125626", "0427-0822369", "", ""},
	{"yjj", "盘锦市应急管理局", "11211100", "00125691", "0427-0827712", "", ""},
	{"jtj", "盘锦市交通运输局", "11211100", "00125720", "0427-0823545", "", ""},
	{"fy", "盘锦市中级人民法院", "11211100", "00125763", "0427-0869011", "盘锦市兴隆台区示例路5号（演示数据）", "工作日 8:00—12:00，13:00—17:00"},
	{"czj", "盘锦市财政局", "11211100", "00125802", "0427-0826238", "", ""},
	{"zgh", "盘锦市总工会", "13211100", "46431059", "0427-0824075", "", ""},
	{"hg", "盘锦海关", "11211100", "00125851", "0427-0860266", "盘锦市大洼区示例路6号（演示数据）", "工作日 8:30—16:30"},
	{"gaj", "盘锦市公安局", "11211100", "00125894", "0427-0852110", "", ""},
	{"mzj", "盘锦市民政局", "11211100", "00125933", "0427-0826556", "", ""},
	{"swj", "盘锦市商务局", "11211100", "00125976", "0427-0824733", "", ""},
	{"wlj", "盘锦市文化旅游和广播电视局", "11211100", "00126015", "0427-0825861", "", ""},
	{"wjw", "盘锦市卫生健康委员会", "11211100", "00126058", "0427-0826619", "", ""},
	{"nyj", "盘锦市农业农村局", "11211100", "00126097", "0427-0823910", "", ""},
	{"ybj", "盘锦市医疗保障局", "11211100", "MB191746", "0427-0869382", "", ""},
	{"sfj", "盘锦市司法局", "11211100", "00126130", "0427-0824417", "", ""},
	{"wmb", "盘锦市精神文明建设委员会办公室", "11211100", "00126173", "0427-0826970", "", ""},
	{"tsw", "共青团盘锦市委员会", "13211100", "46431162", "0427-0825026", "", ""},
}

// Subject types, finer than xy_subjects.kind; the letters select the lists a subject can be on.
const (
	typeCompany  = 'c' // 企业 (credit code 91)
	typeCoop     = 'q' // 农民专业合作社 (93)
	typeInst     = 's' // 事业单位 (12)
	typeNonprof  = 'm' // 民办非企业单位 (52)
	typeBusiness = 'b' // 个体工商户 (92)
	typePerson   = 'p' // 自然人
)

// Company sectors.
const (
	secChem      = 'h' // 化工
	secOil       = 'o' // 石油装备、油田服务
	secBuild     = 'j' // 建筑
	secEstate    = 'r' // 房地产、物业
	secTrade     = 't' // 商贸
	secTransport = 'y' // 交通运输、物流
	secAgri      = 'a' // 农业、食品
	secService   = 's' // 服务
	secTech      = 'k' // 科技、能源
	secMedical   = 'm' // 医药
	secTourism   = 'l' // 文化旅游
)

// demoIndustry is the industry part of a company name; short is how a case speaks of such a company
// (盘锦某化工企业).
type demoIndustry struct {
	word, short string
	sector      byte
}

var demoIndustries = []demoIndustry{
	{"化工", "化工", secChem}, {"石油化工", "石化", secChem}, {"精细化工", "化工", secChem},
	{"沥青", "沥青", secChem}, {"新材料", "新材料", secChem}, {"塑料制品", "塑料制品", secChem},
	{"石油装备制造", "石油装备", secOil}, {"石油机械", "石油机械", secOil}, {"油田技术服务", "油田服务", secOil},
	{"工程技术", "油田工程", secOil}, {"防腐保温工程", "防腐保温", secOil}, {"钻采设备", "钻采设备", secOil},
	{"建筑工程", "建筑", secBuild}, {"建筑安装工程", "建筑安装", secBuild}, {"市政工程", "市政工程", secBuild},
	{"装饰工程", "装饰", secBuild}, {"园林绿化工程", "园林绿化", secBuild}, {"钢结构工程", "钢结构", secBuild},
	{"路桥工程", "路桥", secBuild}, {"商品混凝土", "混凝土", secBuild},
	{"房地产开发", "房地产", secEstate}, {"物业管理", "物业", secEstate}, {"置业", "房地产", secEstate},
	{"商贸", "商贸", secTrade}, {"贸易", "贸易", secTrade}, {"进出口贸易", "外贸", secTrade},
	{"建材", "建材", secTrade}, {"汽车销售服务", "汽车销售", secTrade},
	{"物流", "物流", secTransport}, {"运输", "运输", secTransport}, {"汽车运输", "运输", secTransport},
	{"客运", "客运", secTransport}, {"船务", "船务", secTransport}, {"港口服务", "港口服务", secTransport},
	{"米业", "米业", secAgri}, {"农业科技", "农业", secAgri}, {"河蟹养殖", "河蟹养殖", secAgri},
	{"水产", "水产", secAgri}, {"食品", "食品", secAgri}, {"粮油", "粮油", secAgri}, {"苇业", "苇业", secAgri},
	{"生物科技", "生物科技", secAgri},
	{"餐饮管理", "餐饮", secService}, {"酒店管理", "酒店", secService}, {"劳务派遣", "劳务派遣", secService},
	{"人力资源服务", "人力资源", secService}, {"保安服务", "保安服务", secService}, {"家政服务", "家政", secService},
	{"广告传媒", "广告", secService}, {"教育咨询", "教育咨询", secService}, {"安全技术咨询", "安全咨询", secService},
	{"信息技术", "信息技术", secTech}, {"网络科技", "网络科技", secTech}, {"环保科技", "环保", secTech},
	{"电力工程", "电力工程", secTech}, {"电气设备", "电气设备", secTech}, {"能源", "能源", secTech},
	{"燃气", "燃气", secTech}, {"热力", "供热", secTech}, {"检测技术", "检测", secTech},
	{"医药", "医药", secMedical}, {"医疗器械", "医疗器械", secMedical}, {"大药房", "医药零售", secMedical},
	{"旅游开发", "旅游", secTourism}, {"旅行社", "旅游服务", secTourism}, {"文化传媒", "文化传媒", secTourism},
}

// Brand words (字号): two or three characters drawn from these, or, now and then, a popular one, which gives
// near-duplicate names (盘锦鑫源化工有限公司, 盘锦鑫源物流有限公司).
var (
	demoBrandFirst   = []rune("鑫宏华恒泰金瑞盛永天海昌鼎润德嘉福富顺百汇兴隆锦益祥丰佳信诚博凯正中新东北广远通浩振万亿众合和安康龙腾飞宇星明辉阳春晟聚融创智亨达荣旺裕源泽禄亚久立国美佰奥鸿弘俊卓越景雅蓝翔宝乾坤晨曦铭鹏柏松骏驰云峰岳江川")
	demoBrandSecond  = []rune("源达锦通和帝丰华盛运昌港方泽禾瑞川利泰安业成隆鑫宇辉祥发程远力信德兴峰海洋林实晟鹏吉欣瀚弘科汇鼎诚旺茂顺平宏凯嘉益捷润坤泓航睿尚邦驰迪硕祺")
	demoBrandThird   = []rune("源达通兴盛华丰泰祥隆鑫宇辉昌和顺发利")
	demoBrandPopular = []string{"鑫源", "宏达", "华锦", "辽河", "兴隆", "恒通", "中兴", "北方", "渤海", "红海滩", "金帝", "大洼",
		"双兴", "盛华", "海旺"}
)

// demoPlace is a name prefix; region is the registration region it implies, "" for any.
type demoPlace struct {
	name, region string
	weight       int
}

var demoPlaces = []demoPlace{
	{"盘锦", "", 40}, {"盘锦市", "", 10}, {"辽宁", "", 12}, {"盘锦辽河油田", "", 6},
	{"大洼区", "211104", 5}, {"盘山县", "211122", 6}, {"兴隆台区", "211103", 5}, {"双台子区", "211102", 4},
	{"盘锦辽东湾", "211104", 3},
}

type demoForm struct {
	name   string
	weight int
}

var demoForms = []demoForm{{"有限公司", 80}, {"有限责任公司", 12}, {"股份有限公司", 5}, {"集团有限公司", 3}}

// Registration regions of credit codes, with weights; 211121 is the former 大洼县, now 大洼区 (211104).
var demoRegions = []struct {
	code   string
	weight int
}{{"211103", 35}, {"211102", 18}, {"211104", 18}, {"211122", 14}, {"211100", 12}, {"211121", 3}}

// Current districts (xy_subjects.district).
var demoDistricts = []string{"211102", "211103", "211104", "211122", "211100"}

var demoDistrictNames = map[string]string{
	"211100": "盘锦市", "211102": "双台子区", "211103": "兴隆台区", "211104": "大洼区", "211121": "大洼区",
	"211122": "盘山县",
}

// Towns and streets, for cooperatives, 事业单位 and projects.
var demoTowns = map[string][]string{
	"211104": {"田家街道", "榆树街道", "王家街道", "东风镇", "新开镇", "清水镇", "新兴镇", "西安镇", "唐家镇", "平安镇", "赵圈河镇", "荣兴街道"},
	"211122": {"太平镇", "甜水镇", "胡家镇", "石新镇", "东郭镇", "羊圈子镇", "坝墙子镇", "得胜街道", "高升街道", "沙岭镇", "吴家镇", "陈家镇"},
	"211103": {"兴隆街道", "振兴街道", "渤海街道", "新工街道", "友谊街道", "曙光街道", "创新街道", "惠宾街道"},
	"211102": {"胜利街道", "红旗街道", "建设街道", "辽河街道", "双盛街道", "铁东街道", "陆家镇", "统一镇"},
}

var demoCoopKinds = []string{"农业专业合作社", "水稻种植专业合作社", "稻米专业合作社", "河蟹养殖专业合作社", "农机专业合作社",
	"蔬菜种植专业合作社", "畜牧养殖专业合作社", "苇业专业合作社", "稻蟹共生种养专业合作社"}

var demoInstKinds = []string{"中心卫生院", "中心小学", "初级中学", "农业技术推广站", "文化站", "水利站", "社区卫生服务中心",
	"综合服务中心", "幼儿园"}

var demoNonprofKinds = []string{"职业培训学校", "艺术培训学校", "养老院", "幼儿园", "社会工作服务中心", "康复中心", "民营医院",
	"体育俱乐部", "志愿服务中心"}

// Shop types of 个体工商户, with a tag selecting lists: f food, h health, y transport, l tourism, o other.
var demoShops = []struct {
	name string
	tag  byte
}{
	{"饭店", 'f'}, {"小吃部", 'f'}, {"烧烤店", 'f'}, {"早餐店", 'f'}, {"面馆", 'f'}, {"包子铺", 'f'}, {"海鲜店", 'f'},
	{"河蟹批发部", 'f'}, {"粮油店", 'f'}, {"稻米加工厂", 'f'}, {"熟食店", 'f'}, {"便利店", 'o'}, {"超市", 'o'},
	{"烟酒超市", 'o'}, {"水果店", 'f'}, {"五金商店", 'o'}, {"汽车修理部", 'o'}, {"理发店", 'o'}, {"美容美发店", 'o'},
	{"农资经销处", 'o'}, {"建材商店", 'o'}, {"家电维修部", 'o'}, {"服装店", 'o'}, {"手机店", 'o'}, {"茶庄", 'o'},
	{"洗车行", 'o'}, {"装修部", 'o'}, {"口腔诊所", 'h'}, {"中医诊所", 'h'}, {"药店", 'h'}, {"货运部", 'y'},
	{"运输队", 'y'}, {"农家院", 'l'}, {"民宿", 'l'},
}

// Surnames, the common ones of Liaoning first and repeated by weight, and given-name characters.
var (
	demoSurnames = []rune("王王王王李李李李张张张张刘刘刘刘赵赵赵孙孙孙于于杨杨高高马马陈陈徐徐曹曹郭郭周周吴吴郑郑" +
		"林何罗梁宋谢韩唐冯董程袁邓许沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎潘杜戴夏钟汪田任姜范方石姚谭邹金陆郝孔白崔康" +
		"毛邱秦江史顾侯邵孟龙万段雷钱汤尹常武乔贺关佟富那鲍")
	demoMaleGiven   = []rune("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋峰建国庆东海志国文斌亮成博")
	demoFemaleGiven = []rune("静丽艳娜敏燕霞玲芳红娟英梅莉婷雪琳颖洁璐倩丹萍慧欣悦怡晶月秀兰凤春桂玉佳")
)

// Address codes of ID numbers: Panjin's (211121 is the former 大洼县) and, for one in ten, elsewhere in
// Liaoning.
var (
	demoPanjinAddr = []string{"211102", "211102", "211103", "211103", "211103", "211121", "211121", "211122", "211122"}
	demoOtherAddr  = []string{"210102", "210103", "210211", "210302", "210403", "210711", "210781", "210802",
		"210881", "211002", "211202", "211302", "211402", "210902", "210502", "210603"}
)

// Court codes of 案号: the intermediate court and the four basic courts.
var demoCourts = []string{"11", "1102", "1103", "1103", "1104", "1122"}

// demoReason is a 列入事由 template; short says it in a few words, for case titles.
type demoReason struct {
	short, text string
}

// demoList defines a red or black list. kinds holds the subject types (type* letters) that can be on it;
// sectors, when set, limits companies to those sectors, and tags limits individual businesses. weight is
// the relative share among the lists a subject can be on, pweight the share for persons. sev weighs the
// severities minor, general, serious and none (NULL). years are the possible periods of validity; for a
// black list with years, setTo is the percentage of entries with valid_to set.
type demoList struct {
	list, name, dept string
	kinds            string
	sectors, tags    string
	weight, pweight  int
	sev              [4]int
	years            []int
	setTo            int
	basis            []string
	decision         []string
	reasons          []demoReason
	must             int // the first must measures are always taken; each further one with even odds
	measures         []string
	titles           []string
}

var demoLists = []demoList{
	// ---- 守信红榜 ----
	{
		list: "red", name: "纳税信用A级纳税人", dept: "sw", kinds: "cqb", weight: 30, years: []int{1},
		basis:    []string{"《纳税信用管理办法》", "《纳税信用管理办法》《纳税信用评价指标和评价方式》"},
		decision: []string{"国家税务总局盘锦市税务局公告{y}年第{n}号"},
		reasons: []demoReason{
			{"纳税信用A级", "经{y1}年度纳税信用评价，评价结果为A级。"},
			{"连续多年纳税信用A级", "连续{cnn}年纳税信用评价结果为A级，依法诚信纳税，无欠税和涉税违法记录。"},
		},
		must: 2,
		measures: []string{
			"主动向社会公告年度A级纳税人名单",
			"增值税专用发票按需领用，一次可领取不超过3个月的增值税发票用量",
			"连续3年被评为A级的，由税务机关提供“绿色通道”或专门人员帮助办理涉税事项",
			"行政审批“绿色通道”、“容缺受理”等便利服务措施",
			"在日常检查、专项检查中优化检查频次",
			"在实施财政性资金项目安排、招商引资配套优惠政策中优先考虑",
		},
		titles: []string{`{who}连续{cnn}年纳税信用A级获"绿色通道"审批便利`, "{who}凭纳税信用A级获银行“纳税信用贷”支持"},
	},
	{
		list: "red", name: "守信激励对象", dept: "fgw", kinds: "cqsmbp", weight: 15, pweight: 30, years: []int{1, 2, 3},
		basis: []string{
			"《盘锦市关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设实施方案》",
			"《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）",
		},
		decision: []string{"盘信用办发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"连续三年无不良信用记录", "连续三年无不良信用记录，经市信用办会同相关部门认定为守信激励对象。"},
			{"诚信典型", "诚信经营、信用记录良好，经{src}推荐，纳入守信联合激励对象名单。"},
			{"主动作出信用承诺", "主动作出综合信用承诺并履约良好，经认定为守信激励对象。"},
		},
		must: 2,
		measures: []string{
			"行政审批“绿色通道”",
			"“容缺受理”：部分申请材料不齐备但书面承诺在规定期限内提供的，先行受理",
			"在实施财政性资金项目安排、招商引资配套优惠政策中优先考虑",
			"在公共资源交易中依法依规给予信用加分",
			"在日常检查、专项检查中优化检查频次",
			"在“信用盘锦”网站公示并推送至“信用中国”网站",
		},
		titles: []string{"守信激励对象{who}“容缺受理”助项目提速落地", "{who}获评守信激励对象 享受行政审批“绿色通道”"},
	},
	{
		list: "red", name: "劳动模范", dept: "zgh", kinds: "p", pweight: 25, years: []int{3},
		basis:    []string{"《盘锦市劳动模范评选管理办法》"},
		decision: []string{"盘总工发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"盘锦市劳动模范", "被授予“盘锦市劳动模范”荣誉称号，荣誉信息纳入个人信用记录。"},
			{"辽宁省劳动模范", "被授予“辽宁省劳动模范”荣誉称号，荣誉信息纳入个人信用记录。"},
		},
		must: 2,
		measures: []string{
			"荣誉信息纳入个人信用记录",
			"在“信用盘锦”网站公示",
			"办理行政审批事项时享受“绿色通道”",
			"在公共服务中享受优先便利",
		},
		titles: []string{"劳动模范{who}荣誉纳入信用记录 享受公共服务便利"},
	},
	{
		list: "red", name: "盘锦市道德模范", dept: "wmb", kinds: "p", pweight: 12, years: []int{3},
		basis:    []string{"《盘锦市道德模范评选表彰办法》"},
		decision: []string{"盘文明委〔{y}〕{n}号"},
		reasons: []demoReason{
			{"诚实守信模范", "被评为盘锦市“诚实守信模范”，荣誉信息纳入个人信用记录。"},
			{"助人为乐模范", "被评为盘锦市“助人为乐模范”，荣誉信息纳入个人信用记录。"},
			{"见义勇为模范", "被评为盘锦市“见义勇为模范”，荣誉信息纳入个人信用记录。"},
		},
		must: 1,
		measures: []string{
			"荣誉信息纳入个人信用记录",
			"在“信用盘锦”网站公示",
			"在公共服务中享受优先便利",
		},
		titles: []string{"道德模范{who}诚信事迹入选守信激励典型"},
	},
	{
		list: "red", name: "优秀青年志愿者", dept: "tsw", kinds: "p", pweight: 10, years: []int{1, 2},
		basis:    []string{"《盘锦市青年志愿者星级认定和激励办法》"},
		decision: []string{"盘团发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"优秀青年志愿者", "累计志愿服务时长超过{hours}小时，被评为盘锦市优秀青年志愿者。"},
		},
		must: 1,
		measures: []string{
			"荣誉信息纳入个人信用记录",
			"在“信用盘锦”网站公示",
			"在公共服务中享受优先便利",
		},
	},
	{
		list: "red", name: "海关高级认证企业", dept: "hg", kinds: "c", sectors: "hotak", weight: 6, years: []int{3},
		basis:    []string{"《中华人民共和国海关注册登记和备案企业信用管理办法》（海关总署令第251号）"},
		decision: []string{"AEOCN2111{n6}"},
		reasons: []demoReason{
			{"海关高级认证", "经盘锦海关认证，符合海关高级认证企业标准，适用海关高级认证企业管理措施。"},
		},
		must: 3,
		measures: []string{
			"进出口货物平均查验率低于实施常规管理措施企业平均查验率的20%",
			"优先办理进出口货物通关手续及相关业务手续",
			"减少对企业稽查、核查频次",
			"可以向海关申请免除担保",
			"海关为企业设立协调员",
			"享受AEO互认国家或者地区海关提供的通关便利措施",
		},
		titles: []string{"{who}获海关高级认证 进出口通关查验率大幅降低"},
	},
	{
		list: "red", name: "诚信建筑企业", dept: "zjj", kinds: "c", sectors: "j", weight: 10, years: []int{1, 2},
		basis:    []string{"《盘锦市建筑市场信用评价管理办法》"},
		decision: []string{"盘住建发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"建筑市场信用AAA级", "{y1}年度建筑市场信用评价结果为AAA级，未发生质量安全事故和拖欠农民工工资问题。"},
		},
		must: 2,
		measures: []string{
			"在招标投标中依法依规给予信用加分",
			"行政审批“绿色通道”、“容缺受理”",
			"在工程质量安全监督中优化检查频次",
			"优先推荐参加各类评先评优",
		},
		titles: []string{"{who}建筑市场信用评价获AAA级 投标享受信用加分"},
	},
	{
		list: "red", name: "守合同重信用企业", dept: "scjg", kinds: "cq", weight: 6, years: []int{2},
		basis:    []string{"《辽宁省“守合同重信用”企业公示活动管理办法》"},
		decision: []string{"盘市监发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"守合同重信用", "合同履约率达到100%，经公示为{y2}—{y1}年度“守合同重信用”企业。"},
		},
		must: 1,
		measures: []string{
			"在“信用盘锦”网站和国家企业信用信息公示系统公示",
			"在日常检查、专项检查中优化检查频次",
			"金融机构在授信、贷款利率等方面给予优惠",
			"在公共资源交易中依法依规给予信用加分",
		},
		titles: []string{"{who}获评“守合同重信用”企业 融资授信额度提高"},
	},
	{
		list: "red", name: "A级信用等级农民专业合作社", dept: "nyj", kinds: "q", weight: 30, years: []int{1, 2},
		basis:    []string{"《中华人民共和国农民专业合作社法》《盘锦市农民专业合作社信用等级评价办法》"},
		decision: []string{"盘农发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"信用等级A级", "{y1}年度信用等级评价为A级，财务管理规范，按交易量（额）返还盈余。"},
		},
		must: 2,
		measures: []string{
			"优先申报各级农民专业合作社示范社",
			"优先安排财政扶持项目资金",
			"金融机构给予信用贷款支持",
			"行政审批“绿色通道”",
		},
		titles: []string{"{who}信用等级获评A级 获银行信用贷款支持"},
	},
	{
		list: "red", name: "诚信经营示范店", dept: "scjg", kinds: "b", weight: 40, years: []int{1, 2},
		basis:    []string{"《盘锦市诚信经营示范店创建活动实施方案》"},
		decision: []string{"盘市监发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"诚信经营", "明码标价、无消费投诉，经评审认定为{y}年度诚信经营示范店。"},
		},
		must: 1,
		measures: []string{
			"在“信用盘锦”网站公示",
			"在日常检查、专项检查中优化检查频次",
			"授予“诚信经营示范店”标牌",
		},
		titles: []string{"{who}获评诚信经营示范店"},
	},
	{
		list: "red", name: "劳动保障守法诚信企业", dept: "rsj", kinds: "cs", weight: 5, years: []int{2},
		basis:    []string{"《盘锦市劳动保障守法诚信等级评价办法》"},
		decision: []string{"盘人社发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"劳动保障守法诚信A级", "劳动保障守法诚信等级评价为A级，依法签订劳动合同、按时足额支付工资、缴纳社会保险费。"},
		},
		must: 1,
		measures: []string{
			"优化劳动保障监察检查频次",
			"在评先评优中优先考虑",
			"行政审批“绿色通道”",
		},
	},
	{
		list: "red", name: "环保诚信企业", dept: "sthj", kinds: "c", sectors: "hoak", weight: 5, years: []int{1},
		basis:    []string{"《企业环境信用评价办法（试行）》（环发〔2013〕150号）"},
		decision: []string{"盘环发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"环保诚信企业", "{y1}年度企业环境信用评价为环保诚信企业（绿牌）。"},
		},
		must: 1,
		measures: []string{
			"减少日常环境监督检查频次",
			"优先安排环保专项资金",
			"金融机构给予绿色信贷支持",
		},
		titles: []string{"{who}连续获评环保诚信企业 获绿色信贷支持"},
	},
	{
		list: "red", name: "道路运输AA级质量信誉企业", dept: "jtj", kinds: "c", sectors: "y", weight: 12, years: []int{1, 2},
		basis:    []string{"《道路运输企业质量信誉考核办法》"},
		decision: []string{"盘交发〔{y}〕{n}号"},
		reasons: []demoReason{
			{"质量信誉AA级", "{y1}年度道路运输企业质量信誉考核等级为AA级。"},
		},
		must: 1,
		measures: []string{
			"在道路运输相关招标中给予加分",
			"优先配置客运班线经营权",
			"在日常检查中优化检查频次",
		},
	},

	// ---- 失信黑名单 ----
	{
		list: "black", name: "严重违法失信企业名单", dept: "scjg", kinds: "cqb", weight: 12,
		sev: [4]int{0, 0, 85, 15}, years: []int{3}, setTo: 40,
		basis:    []string{"《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）"},
		decision: []string{"盘市监严列〔{y}〕{n}号"},
		reasons: []demoReason{
			{"制售假冒伪劣产品", "生产、销售{product}，货值金额{amount}，被处以较重行政处罚，属于严重破坏市场公平竞争秩序的失信行为。"},
			{"无证照经营", "未取得许可从事{licensed}经营活动，经责令改正拒不改正，被处以较重行政处罚。"},
			{"发布虚假广告", "发布虚假广告，欺骗、误导消费者，情节严重，被处以较重行政处罚。"},
			{"提交虚假材料取得登记", "提交虚假材料、采取欺诈手段隐瞒重要事实取得公司登记，被依法撤销登记。"},
			{"侵犯注册商标专用权", "故意侵犯注册商标专用权，销售假冒“{mark}”注册商标的商品，情节严重。"},
		},
		must: 2,
		measures: []string{
			"列入严重违法失信名单，通过国家企业信用信息公示系统公示",
			"列为重点监管对象，提高检查频次",
			"在行政许可审批中从严审核，限制新增项目审批、核准",
			"限制申请财政性资金项目",
			"限制参与有关公共资源交易活动",
			"限制参与基础设施和公用事业特许经营",
			"依法限制法定代表人、负责人担任其他企业的法定代表人、负责人",
			"撤销相关荣誉称号，取消参加评先评优资格",
		},
		titles: []string{"{who}因{short}被列入严重违法失信名单", "{who}{short}受到联合惩戒"},
	},
	{
		list: "black", name: "经营异常名录", dept: "scjg", kinds: "cqb", weight: 10,
		sev: [4]int{60, 30, 0, 10}, years: []int{1}, setTo: 50,
		basis:    []string{"《企业信息公示暂行条例》《市场主体登记管理条例》"},
		decision: []string{"盘市监异列〔{y}〕{n}号"},
		reasons: []demoReason{
			{"未按期公示年度报告", "未依照规定的期限公示{y1}年度报告。"},
			{"住所无法联系", "通过登记的住所或者经营场所无法联系。"},
			{"公示信息弄虚作假", "公示信息隐瞒真实情况、弄虚作假。"},
		},
		must: 1,
		measures: []string{
			"在国家企业信用信息公示系统公示",
			"列为重点监管对象，加大抽查比例",
			"在政府采购、工程招投标、国有土地出让等工作中作为重要考量因素",
		},
	},
	{
		list: "black", name: "重大税收违法失信主体", dept: "sw", kinds: "cbp", weight: 8, pweight: 8,
		sev: [4]int{0, 0, 90, 10}, years: []int{3}, setTo: 60,
		basis:    []string{"《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）"},
		decision: []string{"盘税稽罚〔{y}〕{n}号", "盘税稽处〔{y}〕{n}号"},
		reasons: []demoReason{
			{"逃避缴纳税款", "经检查，{period}采取隐匿收入、虚假申报等手段，少缴增值税、企业所得税等税款合计{bigamount}，构成逃避缴纳税款。"},
			{"虚开增值税专用发票", "在没有真实交易的情况下为他人虚开增值税专用发票{invoices}份，价税合计{amount}。"},
			{"骗取出口退税", "以假报出口等欺骗手段骗取国家出口退税款{amount}。"},
			{"欠税转移财产", "欠缴税款{bigamount}，采取转移或者隐匿财产的手段，妨碍税务机关追缴欠缴的税款。"},
		},
		must: 2,
		measures: []string{
			"纳税信用级别直接判为D级",
			"严格限制发票领用，实行交易验旧供新",
			"提高税务检查频次",
			"欠缴税款且未提供纳税担保的，依法限制出境",
			"限制取得政府供应土地",
			"限制高消费",
			"限制申请财政性资金项目",
			"限制参与有关公共资源交易活动",
		},
		titles: []string{"{who}因{short}被认定为重大税收违法失信主体"},
	},
	{
		list: "black", name: "失信被执行人", dept: "fy", kinds: "cqsmbp", weight: 28, pweight: 75,
		sev: [4]int{0, 5, 85, 10}, years: []int{2}, setTo: 45,
		basis:    []string{"《最高人民法院关于公布失信被执行人名单信息的若干规定》（法释〔2017〕7号）"},
		decision: []string{"({y})辽{court}执{n4}号", "({y})辽{court}执恢{n}号"},
		reasons: []demoReason{
			{"拒不履行生效判决", "有履行能力而拒不履行{judgment}确定的给付义务，涉及金额{amount}。"},
			{"隐匿转移财产规避执行", "以隐匿、转移财产等方法规避执行，{judgment}确定的义务至今未履行。"},
			{"违反财产报告制度", "违反财产报告制度，未按执行通知如实报告财产，{judgment}确定的义务未履行。"},
			{"违反限制消费令", "违反限制消费令，在被限制高消费期间乘坐高铁一等座出行。"},
			{"拒不履行和解协议", "无正当理由拒不履行执行和解协议，涉及金额{amount}。"},
		},
		must: 3,
		measures: []string{
			"限制高消费",
			"限制乘坐飞机、列车软卧、轮船二等以上舱位",
			"限制乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位",
			"限制在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
			"限制购买不动产及新建、扩建、高档装修房屋",
			"限制旅游、度假",
			"限制出境",
			"限制担任企业法定代表人及董事、监事、高级管理人员",
			"限制参与政府采购、招标投标",
		},
		titles: []string{"失信被执行人{who}受限制高消费后主动履行义务", "{who}{short}被纳入失信被执行人名单"},
	},
	{
		list: "black", name: "拖欠农民工工资失信联合惩戒对象名单", dept: "rsj", kinds: "cbp", sectors: "jrs", weight: 10, pweight: 8,
		sev: [4]int{0, 20, 70, 10}, years: []int{3}, setTo: 70,
		basis:    []string{"《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》（人力资源社会保障部令第45号）"},
		decision: []string{"盘人社失惩〔{y}〕{n}号"},
		reasons: []demoReason{
			{"恶意欠薪", "克扣、无故拖欠{workers}名农民工工资共计{bigamount}，达到认定拒不支付劳动报酬罪数额标准。"},
			{"欠薪引发群体性事件", "因拖欠{project}{workers}名农民工工资引发群体性事件，造成严重不良社会影响。"},
		},
		must: 3,
		measures: []string{
			"限制成为政府采购供应商",
			"限制参与工程招投标",
			"限制取得政府供应土地",
			"限制融资贷款",
			"限制高消费",
			"限制乘坐飞机、高等级列车",
			"取消评先评优资格",
			"在行政许可审批中从严审核",
		},
		titles: []string{"{who}恶意欠薪被列入拖欠农民工工资失信联合惩戒对象名单"},
	},
	{
		list: "black", name: "政府采购严重违法失信行为记录名单", dept: "czj", kinds: "c", weight: 4,
		sev: [4]int{0, 60, 35, 5}, years: []int{1, 2, 3}, setTo: 100,
		basis:    []string{"《中华人民共和国政府采购法》第七十七条", "《中华人民共和国政府采购法实施条例》第七十二条"},
		decision: []string{"盘财采处〔{y}〕{n}号"},
		reasons: []demoReason{
			{"围标串标", "在{project}政府采购项目中与其他供应商相互串通投标。"},
			{"提供虚假材料谋取中标", "在{project}政府采购项目中提供虚假材料谋取中标、成交。"},
			{"拒签政府采购合同", "中标后无正当理由拒不与采购人签订政府采购合同。"},
		},
		must: 2,
		measures: []string{
			"列入不良行为记录名单，{ny}内禁止参加政府采购活动",
			"处以采购金额千分之五以上千分之十以下的罚款",
			"限制参与有关公共资源交易活动",
		},
		titles: []string{"{who}{short}被禁止参加政府采购活动"},
	},
	{
		list: "black", name: "安全生产严重失信主体", dept: "yjj", kinds: "c", sectors: "hojyk", weight: 5,
		sev: [4]int{0, 0, 90, 10}, years: []int{3}, setTo: 80,
		basis:    []string{"《安全生产严重失信主体名单管理办法》（应急管理部令第11号）"},
		decision: []string{"盘应急罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"发生生产安全责任事故", "{date}发生一起{accident}事故，造成{deaths}人死亡，对事故发生负有责任。"},
			{"瞒报谎报事故", "发生生产安全事故后瞒报、谎报，情节严重。"},
			{"未取得安全生产许可", "未依法取得安全生产许可，擅自从事{hazard}生产经营活动。"},
			{"拒不执行监管指令", "拒不执行安全监管监察指令，经责令停产停业整顿仍拒不整改。"},
		},
		must: 2,
		measures: []string{
			"列为重点监管对象，加大执法检查频次",
			"暂停审批新的重大项目申报，从严审核行政许可",
			"限制申请财政性资金项目",
			"限制参与有关公共资源交易活动",
			"取消参加评先评优资格",
			"依法限制主要负责人任职",
		},
		titles: []string{"{who}因{short}被列入安全生产严重失信主体名单"},
	},
	{
		list: "black", name: "环境违法失信企业", dept: "sthj", kinds: "c", sectors: "hoakj", weight: 6,
		sev: [4]int{10, 50, 30, 10}, years: []int{1, 2}, setTo: 60,
		basis:    []string{"《中华人民共和国环境保护法》第六十三条", "《企业环境信用评价办法（试行）》（环发〔2013〕150号）"},
		decision: []string{"盘环罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"超标排放污染物", "{date}经执法监测，外排废水中{pollutant}浓度超过排放标准{multiple}倍。"},
			{"暗管偷排", "通过暗管、渗井等逃避监管的方式排放污染物。"},
			{"篡改监测数据", "篡改、伪造自动监测数据，逃避监管。"},
			{"未批先建", "建设项目未依法进行环境影响评价，擅自开工建设。"},
			{"非法处置危险废物", "非法倾倒、处置危险废物{tons}吨。"},
		},
		must: 1,
		measures: []string{
			"评为环保不良企业（红牌），加大执法检查频次",
			"从严审批新建项目环境影响评价文件",
			"限制申请财政性资金项目和环保专项资金",
			"金融机构审慎授信",
			"取消参加评先评优资格",
		},
		titles: []string{"{who}{short}被列为环境违法失信企业"},
	},
	{
		list: "black", name: "交通运输严重失信主体", dept: "jtj", kinds: "cbp", sectors: "yj", tags: "y", weight: 10, pweight: 9,
		sev: [4]int{30, 40, 20, 10}, years: []int{1}, setTo: 50,
		basis:    []string{"《中华人民共和国道路运输条例》及交通运输领域信用管理有关规定"},
		decision: []string{"盘交执罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"非法营运", "未取得道路运输经营许可，擅自从事道路{transport}经营。"},
			{"违法超限运输", "货运车辆{plate}一年内违法超限运输累计3次以上。"},
			{"道路运输责任事故", "发生道路运输责任事故，负主要责任。"},
			{"转包违法分包", "在{project}公路建设项目中转包、违法分包。"},
		},
		must: 1,
		measures: []string{
			"列为重点监管对象，提高检查频次",
			"限制新增道路运输经营许可",
			"限制参与交通运输建设项目招投标",
			"取消参加评先评优资格",
		},
	},
	{
		list: "black", name: "建筑市场主体严重失信名单", dept: "zjj", kinds: "c", sectors: "j", weight: 8,
		sev: [4]int{0, 50, 40, 10}, years: []int{1, 3}, setTo: 70,
		basis:    []string{"《建筑市场信用管理暂行办法》（建市〔2017〕241号）"},
		decision: []string{"盘住建罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"出借和借用资质投标", "在{project}中出借和借用资质投标。"},
			{"围标串标", "在{project}招标投标活动中围标串标。"},
			{"转包违法分包", "将承包的{project}转包、违法分包。"},
			{"恶意拖欠工程款", "恶意拖欠{project}工程款{amount}。"},
		},
		must: 2,
		measures: []string{
			"在招标投标中依法限制或者禁止投标",
			"限制新增资质审批",
			"列为重点监管对象，提高检查频次",
			"取消参加评先评优资格",
		},
		titles: []string{"{who}因{short}被列入建筑市场主体严重失信名单"},
	},
	{
		list: "black", name: "食品安全严重违法生产经营者黑名单", dept: "scjg", kinds: "cb", sectors: "a", tags: "f", weight: 10,
		sev: [4]int{0, 20, 70, 10}, years: []int{3}, setTo: 50,
		basis:    []string{"《中华人民共和国食品安全法》《市场监督管理严重违法失信名单管理办法》"},
		decision: []string{"盘市监食罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"添加非食用物质", "在{food}中添加非食用物质，被处以较重行政处罚。"},
			{"经营超过保质期食品", "经营超过保质期的{food}，货值金额{amount}。"},
			{"掺杂掺假", "在{food}中掺杂掺假、以次充好，冒用“盘锦大米”地理标志。"},
		},
		must: 2,
		measures: []string{
			"列为重点监管对象，提高监督检查频次",
			"依法吊销许可证，责任人员五年内不得从事食品生产经营管理工作",
			"限制参与有关公共资源交易活动",
			"在“信用盘锦”网站公示",
		},
		titles: []string{"{who}因{short}被列入食品安全黑名单"},
	},
	{
		list: "black", name: "社会保险领域严重失信主体", dept: "rsj", kinds: "c", weight: 2,
		sev: [4]int{0, 20, 75, 5}, years: []int{1, 3}, setTo: 60,
		basis:    []string{"《社会保险领域严重失信主体名单管理办法》"},
		decision: []string{"盘人社失信〔{y}〕{n}号"},
		reasons: []demoReason{
			{"拒不缴纳社会保险费", "有能力缴纳而拒不缴纳社会保险费，经责令限期缴纳逾期仍未缴纳，欠缴金额{amount}。"},
			{"骗取社会保险待遇", "以欺诈、伪造证明材料等手段骗取社会保险待遇{amount}。"},
		},
		must: 2,
		measures: []string{
			"列为重点监管对象",
			"限制参与有关公共资源交易活动",
			"限制申请财政性资金项目",
			"取消参加评先评优资格",
		},
	},
	{
		list: "black", name: "社会组织严重违法失信名单", dept: "mzj", kinds: "m", weight: 30,
		sev: [4]int{0, 30, 60, 10}, years: []int{2}, setTo: 60,
		basis:    []string{"《社会组织信用信息管理办法》（民政部令第60号）"},
		decision: []string{"盘民罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"活动异常满2年未整改", "被列入活动异常名录满2年仍未整改。"},
			{"弄虚作假办理变更登记", "弄虚作假办理变更登记，被撤销变更登记。"},
			{"被责令限期停止活动", "违法开展营利性经营活动，受到限期停止活动行政处罚。"},
		},
		must: 2,
		measures: []string{
			"列为重点监督管理对象",
			"不给予资助，不向其购买服务",
			"不予参加评比表彰",
			"限制申请财政性资金项目",
		},
	},
	{
		list: "black", name: "医疗保障领域失信主体", dept: "ybj", kinds: "cmb", sectors: "m", tags: "h", weight: 15,
		sev: [4]int{0, 40, 50, 10}, years: []int{1, 2}, setTo: 60,
		basis:    []string{"《医疗保障基金使用监督管理条例》"},
		decision: []string{"盘医保罚〔{y}〕{n}号"},
		reasons: []demoReason{
			{"骗取医保基金", "通过虚构医药服务项目、伪造医疗文书等方式骗取医疗保障基金{amount}。"},
			{"串换药品耗材", "串换药品、医用耗材、诊疗项目，造成医疗保障基金损失{amount}。"},
		},
		must: 2,
		measures: []string{
			"解除医保定点服务协议",
			"列为重点监管对象，提高检查频次",
			"限制申请财政性资金项目",
			"在“信用盘锦”网站公示",
		},
		titles: []string{"{who}{short}被列入医疗保障领域失信主体名单"},
	},
	{
		list: "black", name: "文化和旅游市场失信主体", dept: "wlj", kinds: "cb", sectors: "l", tags: "l", weight: 10,
		sev: [4]int{0, 40, 50, 10}, years: []int{1, 3}, setTo: 60,
		basis:    []string{"《文化和旅游市场信用管理规定》（文化和旅游部令第7号）"},
		decision: []string{"盘文旅失信〔{y}〕{n}号"},
		reasons: []demoReason{
			{"不合理低价游", "以不合理低价组织旅游活动，诱骗旅游者参加购物活动，造成恶劣社会影响。"},
			{"未经许可经营旅行社业务", "未经许可经营旅行社业务，情节严重。"},
			{"擅自举办营业性演出", "擅自举办营业性演出，经责令改正拒不改正。"},
		},
		must: 1,
		measures: []string{
			"列为重点监管对象，增加检查频次",
			"依法限制从事旅游经营业务",
			"取消参加评先评优资格",
		},
	},
}

// Fillers of reason templates.
var (
	demoProducts = []string{"不合格润滑油", "假冒注册商标的白酒", "掺假大米", "不合格建筑钢材", "假冒“盘锦河蟹”地理标志产品",
		"不合格电线电缆", "劣质车用柴油", "不合格燃气灶具", "不合格儿童玩具", "假冒伪劣农资化肥"}
	demoLicensed = []string{"危险化学品", "成品油零售", "食品生产", "医疗器械", "燃气", "网约车", "烟草专卖品"}
	demoMarks    = []string{"茅台", "五粮液", "美孚", "壳牌", "耐克", "蟹田大米"}
	demoProjects = []string{"盘锦市{town}道路改造工程", "辽河油田{oil}区块地面工程", "盘锦港{port}号泊位配套工程",
		"{dist}老旧小区改造工程", "盘锦市{town}供热管网改造工程", "{dist}高标准农田建设项目", "{dist}中小学校舍维修项目",
		"盘锦辽东湾新区{port}号路市政工程"}
	demoOilBlocks  = []string{"曙光", "欢喜岭", "兴隆台", "锦州", "高升", "沈阳", "茨榆坨", "冷家"}
	demoAccidents  = []string{"高处坠落", "火灾", "爆炸", "中毒和窒息", "机械伤害", "起重伤害", "坍塌", "物体打击"}
	demoHazards    = []string{"危险化学品", "成品油", "烟花爆竹", "非煤矿山"}
	demoPollutants = []string{"化学需氧量", "氨氮", "石油类", "总磷", "挥发酚", "硫化物"}
	demoFoods      = []string{"大米", "河蟹", "熟食", "白酒", "豆制品", "食用油", "糕点", "海产品"}
	demoTransports = []string{"货物运输", "旅客运输", "危险货物运输"}
	demoSources    = []string{"市直相关部门", "行业协会", "所在区县政府", "市总工会", "市工商业联合会"}
	demoJudgments  = []string{"民事判决书", "民事判决书", "民事调解书", "仲裁裁决书"}
	demoCnNum      = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
)
