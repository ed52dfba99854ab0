package publish_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"xinyong"
	"xinyong/internal/fixture"
	"xinyong/publish"
	"xinyong/search"
	"xinyong/site"
)

// failingSource fails after n entries, like a database connection that breaks mid-stream.
type failingSource struct {
	publish.Source
	n int
}

var errDropped = errors.New("connection dropped")

func (f failingSource) Entries(ctx context.Context, fn func(*xinyong.Entry, *xinyong.Subject) error) error {
	i := 0
	return f.Source.Entries(ctx, func(e *xinyong.Entry, s *xinyong.Subject) error {
		if i++; i > f.n {
			return errDropped
		}
		return fn(e, s)
	})
}

func mustRun(t *testing.T, opt publish.Options) *publish.Result {
	t.Helper()
	res, err := publish.Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

func TestRun_Publishes(t *testing.T) {
	data := t.TempDir()
	res := mustRun(t, publish.Options{Source: fixture.MustFixture(t, false), AsOf: fixture.AsOf, Data: data})
	dir, id, err := publish.Current(data)
	if err != nil || id != res.ID || dir != res.Dir {
		t.Fatalf("current = %s %s %v, want %s", dir, id, err, res.ID)
	}
	m, err := publish.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Red == 0 || m.Black == 0 || m.Subjects == 0 || m.Pages == 0 || m.IndexDocs != m.Subjects+m.Cases {
		t.Errorf("manifest %+v", m)
	}
	// Every step but the last, which writes the manifest, in the order of Steps.
	var wantSteps, gotSteps []string
	for _, s := range publish.Steps() {
		wantSteps = append(wantSteps, s.Name)
	}
	wantSteps = wantSteps[:len(wantSteps)-1]
	for _, s := range m.Steps {
		gotSteps = append(gotSteps, s.Name)
	}
	if !slices.Equal(gotSteps, wantSteps) {
		t.Errorf("steps in release.json %q, want %q", gotSteps, wantSteps)
	}
	// Open data beside the /data/ page.
	for _, f := range []string{"data/index.html", "data/index.json", "data/red.csv", "data/black.jsonl", "data/cases.csv",
		"changes/index.html", "changes/index.xml", "data/changes/index.json"} {
		if _, err := os.Stat(filepath.Join(dir, publish.SiteDir, filepath.FromSlash(f))); err != nil {
			t.Errorf("/%s: %v", f, err)
		}
	}
	// The index holds what the site publishes: a subject of the fixture is found and its page exists.
	idx, err := search.Open(filepath.Join(dir, publish.IndexDir))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	r, err := idx.Search(context.Background(), search.Request{Q: "鑫源化工"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Total == 0 {
		t.Fatal("no hit for 鑫源化工")
	}
	for _, h := range r.Hits {
		if _, err := os.Stat(filepath.Join(dir, publish.SiteDir, filepath.FromSlash(h.URL), "index.html")); err != nil {
			t.Errorf("hit %s has no page: %v", h.URL, err)
		}
	}
	// Precompressed variants decompress to the file.
	page := filepath.Join(dir, publish.SiteDir, "index.html")
	want, _ := os.ReadFile(page)
	gz, err := os.Open(page + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	defer gz.Close()
	zr, err := gzip.NewReader(gz)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if !bytes.Equal(got, want) {
		t.Error("index.html.gz does not decompress to index.html")
	}
	if _, err := os.Stat(filepath.Join(dir, "search-docs.jsonl")); !os.IsNotExist(err) {
		t.Error("the search documents were left in the release")
	}
}

// TestRun_FailureKeepsCurrent: a database that breaks mid-stream, a theme that does not build and a
// cancelled context each publish nothing and leave the current release as it was.
func TestRun_FailureKeepsCurrent(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	first := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	badTheme := t.TempDir()
	os.MkdirAll(filepath.Join(badTheme, "layouts"), 0o755)
	os.WriteFile(filepath.Join(badTheme, "layouts", "page.html"), []byte("{{ .Nope.Nope }"), 0o644)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for name, run := range map[string]func() error{
		"source": func() error {
			_, err := publish.Run(context.Background(), publish.Options{Source: failingSource{db, 3}, AsOf: fixture.AsOf, Data: data, Force: true})
			return err
		},
		"theme": func() error {
			_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Theme: badTheme, Force: true})
			return err
		},
		"build": func() error {
			_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true,
				Build: func(context.Context, site.Options) (*site.Result, error) { return nil, errors.New("killed") }})
			return err
		},
		"canceled": func() error {
			_, err := publish.Run(canceled, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true})
			return err
		},
	} {
		err := run()
		if err == nil {
			t.Errorf("%s: run succeeded", name)
		}
		var se *publish.StepError
		if name == "source" && (!errors.As(err, &se) || se.Step != publish.StepExport) {
			t.Errorf("%s: %v, want a StepError of step %s", name, err, publish.StepExport)
		}
		if _, id, err := publish.Current(data); err != nil || id != first.ID {
			t.Errorf("%s: current is %s (%v), want %s", name, id, err, first.ID)
		}
		entries, _ := os.ReadDir(filepath.Join(data, publish.ReleasesDir))
		if len(entries) != 1 {
			t.Errorf("%s: releases dir holds %d entries, want the first release only", name, len(entries))
		}
	}
	if _, err := os.Stat(filepath.Join(first.Dir, publish.SiteDir, "index.html")); err != nil {
		t.Errorf("the current release lost its site: %v", err)
	}
}

// TestRun_Busy: a second publication while one runs is refused at once with ErrBusy.
func TestRun_Busy(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	inBuild, release1 := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data,
			Build: func(ctx context.Context, opt site.Options) (*site.Result, error) {
				close(inBuild)
				<-release1
				return site.Build(ctx, opt)
			}})
		done <- err
	}()
	<-inBuild
	_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data})
	if !errors.Is(err, publish.ErrBusy) {
		t.Errorf("second run: %v, want ErrBusy", err)
	}
	close(release1)
	if err := <-done; err != nil {
		t.Fatalf("first run: %v", err)
	}
	if _, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true}); err != nil {
		t.Errorf("run after the first finished: %v", err)
	}
}

// TestRun_RefusesFutureAsOf: an as-of date after today in Asia/Shanghai is refused with ErrFuture, with or
// without Force, before anything is written; today's date publishes, also in the hours when the UTC date
// is still the day before.
func TestRun_RefusesFutureAsOf(t *testing.T) {
	db := fixture.MustFixture(t, false)
	day := fixture.AsOf
	tests := []struct {
		name  string
		asOf  xinyong.Date
		now   time.Time
		force bool
		want  error
	}{
		{"tomorrow", day.AddDays(1), day.Time().Add(10 * time.Hour), false, publish.ErrFuture},
		{"tomorrow, forced", day.AddDays(1), day.Time().Add(10 * time.Hour), true, publish.ErrFuture},
		{"a minute before midnight", day.AddDays(1), day.Time().Add(24*time.Hour - time.Minute), false, publish.ErrFuture},
		{"next year", day.AddDays(365), day.Time(), true, publish.ErrFuture},
		{"today, while UTC is still on the day before", day, day.Time().Add(30 * time.Minute), false, nil},
	}
	for _, tt := range tests {
		data := t.TempDir()
		now := func() time.Time { return tt.now }
		res, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: tt.asOf, Data: data, Force: tt.force, Now: now})
		if tt.want == nil {
			if err != nil || res.AsOf != tt.asOf.String() {
				t.Errorf("%s: %v, want a release of %s", tt.name, err, tt.asOf)
			}
			continue
		}
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.asOf.String()) || !strings.Contains(err.Error(), "xinyong export") {
			t.Errorf("%s: %v, want %v naming the date and the way to preview it", tt.name, err, tt.want)
		}
		// Nothing written: no release, no staging directory, no current.
		if entries, _ := os.ReadDir(data); len(entries) != 0 {
			t.Errorf("%s: the data directory holds %d entries, want none", tt.name, len(entries))
		}
	}
}

// TestRun_StepsBesideEachOther: the index step runs beside the changes, open-data and build steps (the
// end of the open-data step waits here for the index to have started, and the index waits for the build to
// have ended, which neither would if the steps ran one after the other), the open-data step beside the
// changes step (the end of the changes waits for the open data to have started), the index's failure fails the publication
// with a StepError naming it and leaves the current release and no staging directory, and release.json
// lists the steps in the order of Steps whatever order they ended in.
func TestRun_StepsBesideEachOther(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	indexing, built, openData := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var besideOpenData, besideBuild, openDataBesideChanges bool
	res := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data,
		Progress: func(s publish.Step, done bool, _ time.Duration) {
			switch {
			case s.Name == publish.StepOpenData && !done:
				close(openData)
			case s.Name == publish.StepChanges && done:
				select {
				case <-openData:
					openDataBesideChanges = true
				case <-time.After(30 * time.Second):
				}
			case s.Name == publish.StepOpenData && done:
				select {
				case <-indexing:
					besideOpenData = true
				case <-time.After(30 * time.Second):
				}
			case s.Name == publish.StepBuild && done:
				close(built)
			}
		},
		Index: func(ctx context.Context, dir string, docs iter.Seq2[search.Doc, error]) (search.Stats, error) {
			close(indexing)
			select {
			case <-built:
				besideBuild = true
			case <-time.After(30 * time.Second):
			}
			return search.Build(ctx, dir, docs)
		}})
	if !besideOpenData {
		t.Error("the index step had not started when the open-data step ended")
	}
	if !besideBuild {
		t.Error("the build step did not end while the index step ran")
	}
	if !openDataBesideChanges {
		t.Error("the open-data step had not started when the changes step ended")
	}
	m, err := publish.ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, s := range m.Steps {
		got = append(got, s.Name)
	}
	for _, s := range publish.Steps()[:len(publish.Steps())-1] {
		want = append(want, s.Name)
	}
	if !slices.Equal(got, want) {
		t.Errorf("release.json steps %q, want %q", got, want)
	}

	errIndex := errors.New("index broken")
	_, err = publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true,
		Index: func(context.Context, string, iter.Seq2[search.Doc, error]) (search.Stats, error) {
			return search.Stats{}, errIndex
		}})
	var se *publish.StepError
	if !errors.As(err, &se) || se.Step != publish.StepIndex || !errors.Is(err, errIndex) {
		t.Fatalf("a failing index: %v, want a StepError of step %s", err, publish.StepIndex)
	}
	if _, id, err := publish.Current(data); err != nil || id != res.ID {
		t.Errorf("current is %s (%v), want %s", id, err, res.ID)
	}
	if entries, _ := os.ReadDir(filepath.Join(data, publish.ReleasesDir)); len(entries) != 1 {
		t.Errorf("releases dir holds %d entries, want the first release only", len(entries))
	}
}

// TestRun_BuildBesideChanges: the build starts before the changes step ends (the end of the changes waits
// here for the build to have started, which it would not if the steps ran one after the other), and its
// Ready returns only once the /changes/ and /data/ pages are in the export tree; a build that fails
// while the changes run fails the publication as the build's.
func TestRun_BuildBesideChanges(t *testing.T) {
	data := t.TempDir()
	db := fixture.MustFixture(t, false)
	building := make(chan struct{})
	var besideChanges, whole bool
	res := mustRun(t, publish.Options{Source: db, AsOf: fixture.AsOf, Data: data,
		Progress: func(s publish.Step, done bool, _ time.Duration) {
			if s.Name == publish.StepChanges && done {
				select {
				case <-building:
					besideChanges = true
				case <-time.After(30 * time.Second):
				}
			}
		},
		Build: func(ctx context.Context, opt site.Options) (*site.Result, error) {
			close(building)
			if opt.Ready == nil {
				t.Fatal("the build got no Ready")
			}
			if err := opt.Ready(ctx); err != nil {
				return nil, err
			}
			_, errData := os.Stat(filepath.Join(opt.Content, "data.md"))
			_, errChanges := os.Stat(filepath.Join(opt.Content, "changes", "_index.md"))
			whole = errData == nil && errChanges == nil
			return site.Build(ctx, opt)
		}})
	if !besideChanges {
		t.Error("the build did not start beside the changes step")
	}
	if !whole {
		t.Error("Ready returned before the /data/ and /changes/ pages were in the export tree")
	}
	if _, err := os.Stat(filepath.Join(res.Dir, publish.SiteDir, "data", "index.html")); err != nil {
		t.Errorf("the site has no /data/ page: %v", err)
	}

	errBuild := errors.New("build broken")
	_, err := publish.Run(context.Background(), publish.Options{Source: db, AsOf: fixture.AsOf, Data: data, Force: true,
		Build: func(context.Context, site.Options) (*site.Result, error) { return nil, errBuild }})
	var se *publish.StepError
	if !errors.As(err, &se) || se.Step != publish.StepBuild || !errors.Is(err, errBuild) {
		t.Fatalf("a failing build: %v, want a StepError of step %s", err, publish.StepBuild)
	}
	if _, id, err := publish.Current(data); err != nil || id != res.ID {
		t.Errorf("current is %s (%v), want %s", id, err, res.ID)
	}
}
