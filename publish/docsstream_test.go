package publish

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"xinyong/search"
)

// TestDocsStream_FollowsTheExport: the index reads every document the export writes while it writes them,
// waits at the end of what is written, ends when the export ends, and fails with errExportFailed when
// the export fails or with the context's error when cancelled.
func TestDocsStream_FollowsTheExport(t *testing.T) {
	const n = 2000
	write := func(s *docsStream, from, to int) {
		w := search.NewDocsWriter(s.writer())
		for i := from; i < to; i++ {
			if err := w.Write(search.Doc{Kind: search.KindSubject, ID: fmt.Sprintf("S%05d", i), Name: "名称"}); err != nil {
				t.Error(err)
			}
		}
		if err := w.Flush(); err != nil {
			t.Error(err)
		}
	}
	read := func(ctx context.Context, s *docsStream, got chan<- int, errc chan<- error) {
		k := 0
		for d, err := range s.docs(ctx) {
			if err != nil {
				errc <- err
				return
			}
			if want := fmt.Sprintf("S%05d", k); d.ID != want {
				errc <- fmt.Errorf("document %d is %s, want %s", k, d.ID, want)
				return
			}
			k++
			got <- k
		}
		errc <- nil
	}

	t.Run("whole", func(t *testing.T) {
		s, err := createDocsStream(filepath.Join(t.TempDir(), "docs.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		got, errc := make(chan int, n), make(chan error, 1)
		go read(context.Background(), s, got, errc)
		write(s, 0, n/2)
		// The reader takes what is written before the export ends.
		deadline := time.After(30 * time.Second)
		for k := 0; k < n/2; {
			select {
			case k = <-got:
			case err := <-errc:
				t.Fatalf("the reader ended before the export: %v", err)
			case <-deadline:
				t.Fatalf("the reader read %d of the %d documents written", k, n/2)
			}
		}
		write(s, n/2, n)
		if err := s.finish(nil); err != nil {
			t.Fatal(err)
		}
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
		if k := len(got); k != n/2 {
			t.Errorf("read %d documents after the first half, want %d", k, n/2)
		}
		// Read again (search.Update's second pass) from the start.
		k := 0
		for _, err := range s.docs(context.Background()) {
			if err != nil {
				t.Fatal(err)
			}
			k++
		}
		if k != n {
			t.Errorf("read again: %d documents, want %d", k, n)
		}
	})

	t.Run("export failed", func(t *testing.T) {
		s, err := createDocsStream(filepath.Join(t.TempDir(), "docs.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		got, errc := make(chan int, n), make(chan error, 1)
		go read(context.Background(), s, got, errc)
		write(s, 0, 10)
		s.finish(errors.New("database gone"))
		if err := <-errc; !errors.Is(err, errExportFailed) {
			t.Errorf("reader: %v, want errExportFailed", err)
		}
	})

	t.Run("cancelled", func(t *testing.T) {
		s, err := createDocsStream(filepath.Join(t.TempDir(), "docs.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.finish(nil)
		ctx, cancel := context.WithCancel(context.Background())
		got, errc := make(chan int, n), make(chan error, 1)
		go read(ctx, s, got, errc)
		write(s, 0, 10)
		cancel()
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("reader: %v, want context.Canceled", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the reader did not stop when cancelled")
		}
	})
}
