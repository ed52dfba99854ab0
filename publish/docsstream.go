package publish

import (
	"context"
	"errors"
	"io"
	"iter"
	"os"
	"sync"

	"xinyong/search"
)

// docsStream is the search documents file of a publication while the export writes it, so that the index
// step can read it beside the export instead of after it: on a night the export leaves most of the second
// core idle, and the index, one core's work, takes it. A reader that reaches the end of what is written
// waits for more, and sees the end of the file only once the export has written all of it.
type docsStream struct {
	path string
	file *os.File      // the export's, closed by finish
	grew chan struct{} // one pending notice that the file grew (capacity 1)
	done chan struct{} // closed when the export ended; err says how
	once sync.Once
	err  error
}

// errExportFailed ends a reading of the documents when the export failed: the publication fails with the
// export's error, not the index's.
var errExportFailed = errors.New("the export failed")

// createDocsStream creates the file at path, before the export and the index start, so that the index
// never looks for a file not created yet.
func createDocsStream(path string) (*docsStream, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &docsStream{path: path, file: f, grew: make(chan struct{}, 1), done: make(chan struct{})}, nil
}

// writer is the file for the export to write, telling the readers of each write.
func (s *docsStream) writer() io.Writer { return notifyingWriter{s.file, s.grew} }

// finish closes the file and records that the export ended, with err nil when it wrote the whole file
// (then a failure to close the file is returned). Only the first call counts; the index's readers wait
// for it, so every path of the publication that starts the export calls it.
func (s *docsStream) finish(err error) error {
	s.once.Do(func() {
		if cerr := s.file.Close(); err == nil {
			err = cerr
		}
		s.err = err
		close(s.done)
	})
	return s.err
}

// docs returns the documents as the index reads them: each iteration opens the file and follows it until
// the export has ended (search.Update may read them twice).
func (s *docsStream) docs(ctx context.Context) iter.Seq2[search.Doc, error] {
	return func(yield func(search.Doc, error) bool) {
		f, err := os.Open(s.path)
		if err != nil {
			yield(search.Doc{}, err)
			return
		}
		defer f.Close()
		for d, err := range search.ReadDocs(&follower{ctx: ctx, f: f, s: s}) {
			if !yield(d, err) || err != nil {
				return
			}
		}
	}
}

// notifyingWriter writes to w and leaves a notice in grew.
type notifyingWriter struct {
	w    io.Writer
	grew chan struct{}
}

func (n notifyingWriter) Write(p []byte) (int, error) {
	k, err := n.w.Write(p)
	select {
	case n.grew <- struct{}{}:
	default: // a notice is pending already
	}
	return k, err
}

// follower reads a docsStream's file as it grows.
type follower struct {
	ctx context.Context
	f   *os.File
	s   *docsStream
}

func (r *follower) Read(p []byte) (int, error) {
	for {
		n, err := r.f.Read(p)
		if n > 0 || (err != nil && err != io.EOF) {
			return n, err
		}
		// At the end of what is written: the end of the file if the export has ended, else wait.
		select {
		case <-r.s.done:
			if r.s.err != nil {
				return 0, errExportFailed
			}
			// Whatever the export wrote before it ended is visible now: read to the true end.
			if n, err = r.f.Read(p); n > 0 {
				return n, nil
			}
			return 0, err
		default:
		}
		select {
		case <-r.s.grew:
		case <-r.s.done:
		case <-r.ctx.Done():
			return 0, r.ctx.Err()
		}
	}
}
