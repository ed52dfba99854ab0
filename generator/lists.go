package generator

import (
	"bytes"
	_ "embed"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/gohugoio/hugo/common/paths"
	"github.com/pelletier/go-toml/v2"

	"xinyong"
)

// The descriptions of the lists: what each red and black list is, who decides, its legal basis, the
// measures it entails and how an entry ends. They are data, not code (issue 14): lists.toml is the default,
// drawn from the city's plan and the national rules it names, and the configuration can name a file that
// replaces or adds descriptions by list name (LoadListDescriptions). The export writes them as the front
// matter of each list name's term page, list_names/<name>/_index.md (docs/export.md).

//go:embed lists.toml
var defaultListsTOML []byte

// ListDescription describes one list name. Its text is plain: the export cleans it like database text and
// the site shows it as text.
type ListDescription struct {
	Name      string      `toml:"name"`
	List      string      `toml:"list"`       // xinyong.ListRed or xinyong.ListBlack
	What      string      `toml:"what"`       // what the list is: a sentence or two
	DecidedBy string      `toml:"decided_by"` // who puts a subject on it
	Basis     []ListBasis `toml:"basis"`      // the legal basis
	Measures  []string    `toml:"measures"`   // what being on it entails
	Removal   []string    `toml:"removal"`    // how an entry ends
}

// ListBasis is one text of a list's legal basis: its title and, only where the official text is on an
// official site, its address.
type ListBasis struct {
	Title string `toml:"title"`
	URL   string `toml:"url"`
}

// ListDescriptions are the descriptions by list name.
type ListDescriptions map[string]ListDescription

// DefaultListDescriptions returns the embedded descriptions (generator/lists.toml): a new map on each call.
func DefaultListDescriptions() ListDescriptions {
	d, err := ParseListDescriptions(defaultListsTOML)
	if err != nil {
		panic("generator/lists.toml: " + err.Error()) // a test parses it: this cannot happen in a build
	}
	return d
}

// LoadListDescriptions returns the default descriptions with those of the TOML file at path laid over
// them: a name the file describes is replaced as a whole, a new name is added.
func LoadListDescriptions(path string) (ListDescriptions, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	over, err := ParseListDescriptions(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	d := DefaultListDescriptions()
	maps.Copy(d, over)
	return d, nil
}

// ParseListDescriptions reads descriptions in the form of lists.toml. Unknown keys, a table without name,
// a list other than red or black, a name described twice and an address that is not an absolute http(s)
// URL are errors, so that a mistyped file is refused when the configuration is read, not published.
func ParseListDescriptions(b []byte) (ListDescriptions, error) {
	var file struct {
		Lists []ListDescription `toml:"lists"`
	}
	dec := toml.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil {
		return nil, err
	}
	d := ListDescriptions{}
	for i, l := range file.Lists {
		l.Name = strings.TrimSpace(l.Name)
		switch {
		case l.Name == "":
			return nil, fmt.Errorf("lists[%d]: no name", i)
		case l.List != xinyong.ListRed && l.List != xinyong.ListBlack:
			return nil, fmt.Errorf("%s: list %q is neither %q nor %q", l.Name, l.List, xinyong.ListRed, xinyong.ListBlack)
		}
		if _, ok := d[l.Name]; ok {
			return nil, fmt.Errorf("%s: described twice", l.Name)
		}
		for _, b := range l.Basis {
			if b.URL == "" {
				continue
			}
			u, err := url.Parse(b.URL)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
				return nil, fmt.Errorf("%s: basis %q: url %q is not an absolute http(s) address", l.Name, b.Title, b.URL)
			}
		}
		d[l.Name] = l
	}
	return d, nil
}

// ListNamePath is the directory of a list name's term page under list_names/, and false for a name that
// gets none. Hugo finds a term's page at the term with its spaces made hyphens (case kept; it compares in
// lower case), and serves the term at paths.Sanitize of the term, as the record renderer does with the
// directory's name: the two agree when sanitizing the directory gives what sanitizing the name gives, so a
// name where they would not ("a = b": "a-=-b" is "a--b", the name "a-b") gets no page, nor a name with a
// path separator, a leading dot or a character of a URL's syntax (% # ?). Such a name keeps its entries'
// term page without a description, and /list_names/ shows it under 其他名单.
func ListNamePath(name string) (string, bool) {
	dir := strings.ReplaceAll(name, " ", "-")
	if dir == "" || strings.HasPrefix(dir, ".") || strings.ContainsAny(dir, `/\%#?`) ||
		paths.Sanitize(dir) != paths.Sanitize(name) || paths.Sanitize(name) == "" {
		return "", false
	}
	return dir, true
}

// ListNameURL is the site path of a list name's page, percent-encoded as Hugo writes it, or "" when the
// name gets no page of its own (ListNamePath).
func ListNameURL(name string) string {
	if _, ok := ListNamePath(name); !ok {
		return ""
	}
	p := paths.Sanitize(name)
	var b strings.Builder
	b.WriteString("/list_names/")
	for i := 0; i < len(p); i++ {
		if c := p[i]; c >= 0x80 {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	b.WriteString("/")
	return b.String()
}

// listNamePages writes list_names/<name>/_index.md for every list name with public entries: its title, the
// kind of list (left out when the name has red and black entries), the departments of its entries and, when
// described (Exporter.Lists, or the defaults), the description. A name without a description gets none:
// the term page then says what is known (the kind and the departments) and that the description is not yet
// provided.
func (t *tally) listNamePages(e *export) error {
	descs := e.Lists
	if descs == nil {
		descs = DefaultListDescriptions()
	}
	type nameTally struct {
		lists      map[string]bool
		depts      map[string]bool
		procedures map[string]bool
	}
	names := map[string]*nameTally{}
	for k, lt := range t.lists {
		n := names[k.name]
		if n == nil {
			n = &nameTally{lists: map[string]bool{}, depts: map[string]bool{}, procedures: map[string]bool{}}
			names[k.name] = n
		}
		n.lists[k.list] = true
		n.procedures[lt.procedure] = true
		for d := range lt.depts {
			n.depts[d] = true
		}
	}
	written := map[string]bool{} // the terms' paths (lower case, as Hugo compares them) of the pages written
	for _, name := range slices.Sorted(maps.Keys(names)) {
		n := names[name]
		p, ok := ListNamePath(name)
		term := strings.ToLower(paths.Sanitize(name))
		if !ok || written[term] {
			continue // two names with one path are one term to Hugo and the renderer: the first describes it
		}
		written[term] = true
		var depts []string
		for _, code := range slices.Sorted(maps.Keys(n.depts)) {
			if name := e.depts[code].Name; name != "" { // an unknown department has no name to show
				depts = append(depts, name)
			}
		}
		var fm Fields
		fm.Add("title", name)
		d, described := descs[name]
		if described && !n.lists[d.List] {
			described = false // a description of a red list does not describe black entries, nor the reverse
		}
		switch {
		case described:
			fm.Add("list", d.List)
		case len(n.lists) == 1:
			for l := range n.lists {
				fm.Add("list", l)
			}
		}
		// How its entries end (xinyong.Procedure*), when that is one way for all: the page links the repair
		// guide only for administrative lists, and a list without a description says at least this.
		if len(n.procedures) == 1 {
			for p := range n.procedures {
				fm.Add("procedure", p)
			}
		}
		fm.Add("entry_departments", depts) // not "departments": Hugo would file the page under that taxonomy
		if described {
			fm.Add("what", cleanDescription(d.What))
			fm.Add("decided_by", cleanDescription(d.DecidedBy))
			var basis []Fields
			for _, b := range d.Basis {
				title := cleanDescription(b.Title)
				if title == "" {
					continue
				}
				var f Fields
				f.Add("title", title)
				f.Add("url", b.URL) // checked by ParseListDescriptions: an absolute http(s) address
				basis = append(basis, f)
			}
			fm.Add("basis", basis)
			fm.Add("measures", cleanDescriptions(d.Measures))
			fm.Add("removal", cleanDescriptions(d.Removal))
		}
		if err := e.write("list_names/"+p+"/_index.md", Document(fm, "")); err != nil {
			return err
		}
	}
	return nil
}

// cleanDescription is a description's text as the export writes any one-line text.
func cleanDescription(s string) string {
	c, _, _ := xinyong.CleanLineMax(s, xinyong.MaxText)
	return c
}

func cleanDescriptions(l []string) []string {
	var out []string
	for _, s := range l {
		if c := cleanDescription(s); c != "" {
			out = append(out, c)
		}
	}
	return out
}
