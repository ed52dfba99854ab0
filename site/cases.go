package site

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"xinyong/internal/tree"
)

// casesSection is the section of the case pages and withdrawal notices (/cases/<id>/), which Hugo renders
// with the theme's layouts/cases/page.html.
const casesSection = "cases"

// CasesKey identifies everything besides a case page's own export page that its HTML depends on and that
// is known before Hugo runs: the site configuration, the theme and the hand-written pages (as Fingerprint,
// but the whole hash), the base URL, the demo flag of the home page (the only field of it a case page
// shows), the portal's identity (Options.Identity, in the footer), the bytes of the cases section's _index.md (its title is in the breadcrumb), the names of the
// export tree's top level (the footer links the sections that exist) and the program. What it cannot see
// — the chrome Hugo renders — is checked after Hugo by the records fingerprint (Build). A build whose key
// and records fingerprint are the previous build's keeps that build's page of every case whose export
// page has the same bytes (Options.Reuse, Reuse.CasesKey).
func CasesKey(themeDir, contentDir, baseURL string, demo bool, id Identity) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "xinyong cases 2\x00%s\x00%t\x00", baseURL, demo)
	// The identity is in every page's footer (and the chrome, checked after Hugo, would catch it too; here
	// it spares a second Hugo build on the night it changes).
	idJSON, err := json.Marshal(id)
	if err != nil {
		return "", err
	}
	h.Write(idJSON)
	h.Write([]byte{0})
	if err := hashSite(h, themeDir); err != nil {
		return "", err
	}
	index, err := os.ReadFile(filepath.Join(contentDir, casesSection, "_index.md"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	fmt.Fprintf(h, "\x00index\x00%t\x00%d\x00", err == nil, len(index))
	h.Write(index)
	entries, err := os.ReadDir(contentDir)
	if err != nil {
		return "", err
	}
	h.Write([]byte("\x00top\x00"))
	for _, e := range entries {
		fmt.Fprintf(h, "%s\x00%t\x00", e.Name(), e.IsDir())
	}
	return withProgram(hex.EncodeToString(h.Sum(nil))), nil
}

// keptCases are the previous build's case pages linked into the site before Hugo runs (keepCases), which
// Hugo then lists but does not render (casesConfig).
type keptCases struct {
	out   string   // the site
	names []string // the cases (cases/<name>/), each with its index.html linked
	gz    int      // of which with their index.html.gz linked too
}

// keepCases links the previous build's page (index.html, and its .gz when it has one) of every case of the
// export tree content whose export page (cases/<name>.md) has the same bytes as the previous export's, into
// the site out, when the previous build's cases key is key. It returns nil when it links nothing.
//
// Only names of ASCII letters, digits, '-' and '_' are kept, and none that another case's name equals but
// for letter case: Hugo matches a cascade's path glob against the page's lower-cased path, so each kept
// name must stand for one page only.
func keepCases(u *Reuse, key, content, out string) (*keptCases, error) {
	if u == nil || u.CasesKey == "" || u.CasesKey != key || u.Content == "" || u.Site == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(filepath.Join(content, casesSection))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lower := map[string]int{}
	var names []string
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".md")
		if !ok || e.IsDir() || name == "_index" {
			continue
		}
		lower[strings.ToLower(name)]++
		names = append(names, name)
	}
	k := &keptCases{out: out}
	for _, name := range names {
		if !plainName(name) || lower[strings.ToLower(name)] != 1 {
			continue
		}
		rel := filepath.Join(casesSection, name+".md")
		same, err := sameFile(filepath.Join(u.Content, rel), filepath.Join(content, rel))
		if err != nil {
			return nil, err
		}
		if !same {
			continue
		}
		prev := filepath.Join(u.Site, casesSection, name, "index.html")
		dir := filepath.Join(out, casesSection, name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.Link(prev, filepath.Join(dir, "index.html")); err != nil {
			os.Remove(dir) // no previous page: Hugo renders it
			continue
		}
		k.names = append(k.names, name)
		if os.Link(prev+".gz", filepath.Join(dir, "index.html.gz")) == nil {
			k.gz++
		}
	}
	if len(k.names) == 0 {
		return nil, nil
	}
	return k, nil
}

// plainName reports whether name is made of ASCII letters, digits, '-' and '_' only: nothing a glob or a
// TOML string would read otherwise.
func plainName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range []byte(name) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// sameFile reports whether the files a and b hold the same bytes; false when a does not exist. One file
// (a hard link: the export links the previous release's files of unchanged records and cases) is the same
// without being read, as for the publication's link step: a release's files are never written after it is
// published, nor an export tree's after the export.
func sameFile(a, b string) (bool, error) {
	if tree.SameFile(a, b) {
		return true, nil
	}
	same, err := tree.SameContent(a, b)
	if pe := (*fs.PathError)(nil); errors.As(err, &pe) && pe.Path == a && errors.Is(err, fs.ErrNotExist) {
		return false, nil // no previous export page: a new case
	}
	return same, err
}

// config is the site configuration's part that has Hugo list the kept cases with their URLs but not
// render them (build.render = "link"), as recordsConfig does for the record pages.
func (k *keptCases) config() string {
	if k == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n[[cascade]]\n[cascade.build]\nrender = \"link\"\n[cascade.target]\nkind = \"page\"\npath = \"/" + casesSection + "/{")
	for i, name := range k.names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.ToLower(name))
	}
	b.WriteString("}\"\n")
	return b.String()
}

// undo removes the kept pages and their directories, for Hugo to render them.
func (k *keptCases) undo() error {
	for _, name := range k.names {
		if err := os.RemoveAll(filepath.Join(k.out, casesSection, name)); err != nil {
			return fmt.Errorf("removing a kept case page: %w", err)
		}
	}
	k.names, k.gz = nil, 0
	return nil
}
