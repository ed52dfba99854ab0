package site

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"

	"github.com/pelletier/go-toml/v2"
)

// Identity is what an official portal shows of itself in its footer and on its 联系我们 page (国办发〔2017〕47
// 号, 政府网站发展指引): the 网站标识码, the ICP and public-security filing numbers with their links, the
// 主办 and 承办 units and how to reach the site's office. Every field is optional and shown only when set:
// a site that configures none shows none of the labels. The TOML names are the keys of the configuration's
// [site] table (docs/config.md).
type Identity struct {
	SiteCode       string `toml:"site_code,omitempty" json:"site_code,omitempty"`                 // 网站标识码
	ICP            string `toml:"icp,omitempty" json:"icp,omitempty"`                             // ICP备案号, e.g. 辽ICP备12345678号-1
	ICPURL         string `toml:"icp_url,omitempty" json:"icp_url,omitempty"`                     // its link; DefaultICPURL when ICP is set
	PoliceRecord   string `toml:"police_record,omitempty" json:"police_record,omitempty"`         // 公安机关备案号, e.g. 辽公网安备21110202000123号
	PoliceURL      string `toml:"police_record_url,omitempty" json:"police_record_url,omitempty"` // its link; PoliceRecordURL(PoliceRecord) when set
	Sponsor        string `toml:"sponsor,omitempty" json:"sponsor,omitempty"`                     // 主办单位
	Organizer      string `toml:"organizer,omitempty" json:"organizer,omitempty"`                 // 承办单位
	ContactAddress string `toml:"contact_address,omitempty" json:"contact_address,omitempty"`     // 联系我们: 地址
	ContactPhone   string `toml:"contact_phone,omitempty" json:"contact_phone,omitempty"`         // 联系电话
	ContactHours   string `toml:"contact_hours,omitempty" json:"contact_hours,omitempty"`         // 办公时间
	ContactEmail   string `toml:"contact_email,omitempty" json:"contact_email,omitempty"`         // 电子邮箱
}

// DefaultICPURL is where an ICP filing number links by default: the MIIT's filing system, as the rules for
// filed sites ask.
const DefaultICPURL = "https://beian.miit.gov.cn/"

// PoliceRecordURL is the national public-security filing system's page of a 公安机关备案号, built from the
// number's digits as real sites link it (辽公网安备21110202000123号 → …webSearch?code=21110202000123); ""
// when the number has no digits.
func PoliceRecordURL(record string) string {
	code := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, record)
	if code == "" {
		return ""
	}
	return "https://beian.mps.gov.cn/#/query/webSearch?code=" + code
}

// DemoIdentity is what a demo shows when nothing is configured: values no real site has, marked as
// examples, so that the footer and the 联系我们 page can be seen and no one takes them for Panjin's.
var DemoIdentity = Identity{
	SiteCode:       "0000000000",
	ICP:            "示例ICP备00000000号-0",
	PoliceRecord:   "示例公网安备00000000000000号",
	Sponsor:        "示例主办单位（演示数据）",
	Organizer:      "示例承办单位（演示数据）",
	ContactAddress: "示例市示例区示例路0号（演示数据）",
	ContactPhone:   "0000-00000000",
	ContactHours:   "工作日 9:00—17:00（演示数据）",
	ContactEmail:   "contact@example.invalid",
}

// IsZero reports whether nothing is configured.
func (id Identity) IsZero() bool { return id == Identity{} }

// Check reports a configured link that is not an absolute http(s) URL: a footer link must not become a
// javascript: or relative link.
func (id Identity) Check() error {
	for _, l := range []struct{ key, v string }{{"icp_url", id.ICPURL}, {"police_record_url", id.PoliceURL}} {
		if l.v == "" {
			continue
		}
		u, err := url.Parse(l.v)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("site.%s %q is not an http or https URL", l.key, l.v)
		}
	}
	return nil
}

// resolved is the identity with its defaults: the links of the filing numbers that are set, and the
// demo's values for a demo that configures nothing. Values are single lines (control characters and
// surrounding space removed): configuration text reaches every page's footer.
func (id Identity) resolved(demo bool) Identity {
	if demo && id.IsZero() {
		id = DemoIdentity
	}
	for _, p := range []*string{&id.SiteCode, &id.ICP, &id.ICPURL, &id.PoliceRecord, &id.PoliceURL, &id.Sponsor,
		&id.Organizer, &id.ContactAddress, &id.ContactPhone, &id.ContactHours, &id.ContactEmail} {
		*p = oneLine(*p)
	}
	if id.ICP != "" && id.ICPURL == "" {
		id.ICPURL = DefaultICPURL
	}
	if id.ICP == "" {
		id.ICPURL = ""
	}
	if id.PoliceRecord != "" && id.PoliceURL == "" {
		id.PoliceURL = PoliceRecordURL(id.PoliceRecord)
	}
	if id.PoliceRecord == "" {
		id.PoliceURL = ""
	}
	return id
}

// oneLine replaces runs of control characters and spaces by one space and trims the ends.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
}

// hugoConfig is the identity as Hugo site parameters (site.Params.identity, keys as in the TOML), appended
// to the build's configuration; "" when nothing is set. The values are TOML-encoded, never pasted in.
func (id Identity) hugoConfig() (string, error) {
	if id.IsZero() {
		return "", nil
	}
	b, err := toml.Marshal(id)
	if err != nil {
		return "", err
	}
	return "\n[params.identity]\n" + string(b), nil
}
