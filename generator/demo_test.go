package generator_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"xinyong/demo"
	"xinyong/exchange"
	"xinyong/generator"
	"xinyong/internal/fixture"
)

// demoUnmarked is a demo database whose marker was deleted: the same rows, published as real data.
func demoUnmarked(t *testing.T, n int) *exchange.DB {
	return fixture.MustDB(t, func(ctx context.Context, w *exchange.DB) error {
		if _, err := demo.Generate(ctx, w, demo.Options{Entries: n, Seed: 1, AsOf: fixture.AsOf}); err != nil {
			return err
		}
		_, err := w.SQL().ExecContext(ctx, "DELETE FROM "+exchange.MetaTable)
		return err
	})
}

// TestExport_Demo: a database marked as demo data gives an export whose home page says demo: true (which
// the site and the downloads read), and only the marker makes the difference.
func TestExport_Demo(t *testing.T) {
	tests := []struct {
		name string
		src  func(t *testing.T) *exchange.DB
		demo bool
	}{
		{"demo", func(t *testing.T) *exchange.DB { return fixture.MustDemo(t, 150) }, true},
		{"demo rows without the marker", func(t *testing.T) *exchange.DB { return demoUnmarked(t, 150) }, false},
		{"fixture", func(t *testing.T) *exchange.DB { return fixture.MustFixture(t, false) }, false},
	}
	trees := map[string]map[string][]byte{}
	versions := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, res := MustExport(t, tt.src(t))
			if res.Demo != tt.demo {
				t.Errorf("Result.Demo = %v, want %v", res.Demo, tt.demo)
			}
			home, err := os.ReadFile(filepath.Join(out, "_index.md"))
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(home), "\ndemo: true\n"); got != tt.demo {
				t.Errorf("home page says demo: true %v, want %v:\n%s", got, tt.demo, home)
			}
			if !tt.demo && strings.Contains(string(home), "demo:") {
				t.Errorf("home page of real data has a demo key:\n%s", home)
			}
			if got, err := generator.DemoTree(out); got != tt.demo || err != nil {
				t.Errorf("DemoTree = %v, %v; want %v", got, err, tt.demo)
			}
			trees[tt.name], versions[tt.name] = readTree(t, out), res.DataVersion
		})
	}
	// The marker changes the home page and the data version, nothing else of the tree.
	marked, unmarked := trees["demo"], trees["demo rows without the marker"]
	if marked == nil || unmarked == nil {
		t.Fatal("an export failed")
	}
	delete(marked, "_index.md")
	delete(unmarked, "_index.md")
	compareTreesMap(t, marked, unmarked)
	if versions["demo"] == versions["demo rows without the marker"] {
		t.Errorf("the data version %s does not tell the marked demo from the unmarked", versions["demo"])
	}
}

// demoFailing fails to read the demo marker, as a dropped connection would.
type demoFailing struct{ generator.Source }

func (demoFailing) IsDemo(context.Context) (bool, error) { return false, errDropped }

// TestExport_DemoMarkerUnreadable: when the marker cannot be read the export fails and leaves the previous
// tree; it never publishes as if the data were real.
func TestExport_DemoMarkerUnreadable(t *testing.T) {
	db := fixture.MustDemo(t, 50)
	out, report, _ := MustExport(t, db)
	before := readTree(t, out)
	x := &generator.Exporter{Source: demoFailing{db}, AsOf: fixture.AsOf}
	if _, err := x.Export(context.Background(), out, report); !errors.Is(err, errDropped) {
		t.Fatalf("export error %v, want %v", err, errDropped)
	}
	compareTreesMap(t, readTree(t, out), before)
}

func TestDemoTree(t *testing.T) {
	tests := []struct {
		name    string
		home    string // "" for no _index.md
		want    bool
		wantErr bool
	}{
		{"demo", "---\ntitle: \"信用盘锦\"\ndemo: true\nas_of: \"2026-06-15\"\n---\n", true, false},
		{"real", "---\ntitle: \"信用盘锦\"\nas_of: \"2026-06-15\"\n---\n", false, false},
		{"demo false", "---\ndemo: false\n---\n", false, false},
		{"demo: true in the body", "---\ntitle: \"x\"\n---\ndemo: true\n", false, false},
		{"nested key", "---\nsubject:\n  demo: true\n---\n", false, false},
		{"no home page", "", false, true},
		{"no front matter", "# 信用盘锦\n", false, true},
		{"front matter not closed", "---\ntitle: \"x\"\n", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.home != "" {
				if err := os.WriteFile(filepath.Join(dir, "_index.md"), []byte(tt.home), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := generator.DemoTree(dir)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("DemoTree = %v, %v; want %v, error %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
